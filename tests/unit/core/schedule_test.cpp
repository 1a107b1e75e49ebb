// The task a `schedule add` registers, as text: the Task Scheduler schema's XML, the
// action's arguments, the names and times refused, and what `schedule list` reads back.
#include "core/schedule.h"

#include <gtest/gtest.h>

#include "core/command_line.h"
#include "core/error_catalogue.h"

namespace shadowctl::core {
namespace {

TaskPlan nightly() {
  TaskPlan plan;
  plan.name = "nightly";
  plan.hour = 2;
  plan.minute = 30;
  plan.start_day = "2026-12-08";
  plan.program = "C:\\Program Files\\shadowctl\\shadowctl.exe";
  plan.log_file = "C:\\ProgramData\\shadowctl\\nightly.log";
  plan.steps = {{"create", "C:"}, {"prune", "--volume", "C:", "--keep-daily", "7", "--yes"}};
  return plan;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(TaskXml, RunsShadowctlAsSystemWithTheHighestPrivilegesDailyAtTheTimeGiven) {
  const std::string xml = task_xml(nightly());
  EXPECT_TRUE(has(xml, "xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"")) << xml;
  EXPECT_TRUE(has(xml, "<UserId>S-1-5-18</UserId>")) << xml;
  EXPECT_TRUE(has(xml, "<RunLevel>HighestAvailable</RunLevel>")) << xml;
  EXPECT_TRUE(has(xml, "<StartBoundary>2026-12-08T02:30:00</StartBoundary>")) << xml;
  EXPECT_TRUE(has(xml, "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>")) << xml;
  EXPECT_TRUE(has(xml, "<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>")) << xml;
  EXPECT_TRUE(has(xml, "<StartWhenAvailable>true</StartWhenAvailable>")) << xml;
  EXPECT_TRUE(has(xml, "<Command>C:\\Program Files\\shadowctl\\shadowctl.exe</Command>")) << xml;
  // The && between the steps is a word of its own, escaped for XML.
  EXPECT_TRUE(has(xml, "<Arguments>--log-file C:\\ProgramData\\shadowctl\\nightly.log schedule "
                       "run -- create C: &amp;&amp; prune --volume C: --keep-daily 7 --yes"
                       "</Arguments>"))
      << xml;
}

TEST(TaskXml, WeeklyAndHourlyTriggers) {
  TaskPlan plan = nightly();
  plan.every = Repeat::week;
  plan.weekday = 6;
  EXPECT_TRUE(has(task_xml(plan), "<ScheduleByWeek><WeeksInterval>1</WeeksInterval><DaysOfWeek>"
                                  "<Saturday /></DaysOfWeek></ScheduleByWeek>"));
  EXPECT_EQ(schedule_words(plan), "every Saturday at 02:30");
  plan.every = Repeat::hour;
  const std::string xml = task_xml(plan);
  EXPECT_TRUE(has(xml, "<Repetition><Interval>PT1H</Interval><Duration>P1D</Duration></Repetition>"))
      << xml;
  // The schema's order: the trigger's StartBoundary and Repetition before its schedule.
  EXPECT_LT(xml.find("<StartBoundary>"), xml.find("<Repetition>"));
  EXPECT_LT(xml.find("<Repetition>"), xml.find("<ScheduleByDay>"));
  EXPECT_EQ(schedule_words(plan), "every hour from 02:30");
}

TEST(TaskXml, ArgumentsAreQuotedSoTheStepReadsThemBackUnchanged) {
  TaskPlan plan = nightly();
  plan.log_file = "C:\\Logs and \"more\"\\n.log";
  plan.steps = {{"restore", "C:\\Data\\a b.txt", "--to", "D:\\x<y>&z\\"}};
  const TaskText text = read_task_xml(task_xml(plan));
  const auto words = split_command_line(u"shadowctl.exe " + utf16(text.arguments));
  std::vector<std::string> back;
  for (std::size_t i = 1; i < words.size(); ++i) back.push_back(utf8(words[i]));
  EXPECT_EQ(back, task_arguments(plan));
  EXPECT_EQ(text.command, plan.program);
}

TEST(TaskXml, ReadBackTakesWhatWine8GivesBackAndLeavesTheRestEmpty) {
  // What Wine 8's IRegisteredTask::get_Xml gave for a task registered from task_xml: its
  // own rewrite, without triggers, principal or action, and && written unescaped.
  const std::string wine =
      "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
      "  <RegistrationInfo>\n    <Author>shadowctl</Author>\n"
      "    <Description>shadowctl: create C: && prune</Description>\n  </RegistrationInfo>\n"
      "  <Triggers/>\n  <Principals>\n    <Principal>\n    </Principal>\n  </Principals>\n"
      "  <Actions>\n    <Exec/>\n  </Actions>\n</Task>\n";
  const TaskText text = read_task_xml(wine);
  EXPECT_EQ(text.description, "shadowctl: create C: && prune");
  EXPECT_EQ(text.command, "");
  EXPECT_EQ(text.arguments, "");
  EXPECT_EQ(text.user_id, "");
  EXPECT_EQ(text.start_boundary, "");
  const TaskText ours = read_task_xml(task_xml(nightly()));
  EXPECT_EQ(ours.user_id, "S-1-5-18");
  EXPECT_EQ(ours.run_level, "HighestAvailable");
  EXPECT_EQ(ours.description,
            "shadowctl: create C: && prune --volume C: --keep-daily 7 --yes, every day at 02:30; "
            "log C:\\ProgramData\\shadowctl\\nightly.log");
}

TEST(TaskName, OnlyWhatIsAlsoAFileNameIsTaken) {
  EXPECT_EQ(task_name_problem("nightly-C_1.x"), "");
  EXPECT_NE(task_name_problem(""), "");
  EXPECT_NE(task_name_problem(".hidden"), "");
  EXPECT_NE(task_name_problem("a\\b"), "");
  EXPECT_NE(task_name_problem("a b"), "");
  EXPECT_NE(task_name_problem(std::string(65, 'a')), "");
  EXPECT_EQ(task_name_problem(std::string(64, 'a')), "");
}

TEST(TaskTimes, TimeOfDayAndWeekday) {
  EXPECT_EQ(parse_time_of_day("02:30"), (std::pair{2, 30}));
  EXPECT_EQ(parse_time_of_day("23:59"), (std::pair{23, 59}));
  for (const char* bad : {"2:30", "24:00", "12:60", "0230", "02:3a", ""})
    EXPECT_FALSE(parse_time_of_day(bad)) << bad;
  EXPECT_EQ(parse_weekday("sun"), 0);
  EXPECT_EQ(parse_weekday("Saturday"), 6);
  EXPECT_EQ(parse_weekday("WED"), 3);
  EXPECT_FALSE(parse_weekday("wednes"));
}

TEST(TaskSteps, SplitAtEachAndAndNeverEmpty) {
  const auto steps = split_steps({"create", "C:", "&&", "prune", "--volume", "C:"});
  ASSERT_TRUE(steps);
  EXPECT_EQ(*steps, (std::vector<std::vector<std::string>>{{"create", "C:"},
                                                           {"prune", "--volume", "C:"}}));
  EXPECT_FALSE(split_steps({"&&", "create"}));
  EXPECT_FALSE(split_steps({"create", "&&"}));
  EXPECT_FALSE(split_steps({"create", "&&", "&&", "prune"}));
  EXPECT_FALSE(split_steps({}));
  EXPECT_EQ(word_unfit_for_task({"ok", "tab\tok", "line\nbreak"}), 2u);
}

TEST(TaskResult, AShadowctlExitCodeIsNamedAndATaskSchedulerCodeExplained) {
  EXPECT_EQ(task_result_words(8).name, "busy");
  EXPECT_NE(task_result_words(8).meaning.find("shadowctl exited 8 (busy)"), std::string::npos);
  EXPECT_EQ(task_result_words(0).name, "success");
  EXPECT_EQ(task_result_words(code("SCHED_S_TASK_HAS_NOT_RUN")).name, "SCHED_S_TASK_HAS_NOT_RUN");
  EXPECT_EQ(task_result_words(0x80070005).name, "E_ACCESSDENIED");
}

}  // namespace
}  // namespace shadowctl::core
