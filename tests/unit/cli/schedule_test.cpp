// `shadowctl schedule` as a user runs it against the emulated Task Scheduler: a task added,
// listed with its last result explained, removed; names, times and steps refused with what
// was wrong; and what a task runs (`schedule run`), step by step, stopping as && does.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/schedule.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

namespace fs = std::filesystem;
using emulator::SimBackend;

const std::vector<std::string> kNightly = {
    "schedule", "add", "nightly", "--at", "02:30", "--log", "C:\\nightly.log", "--",
    "create",   "C:",  "&&",      "prune", "--volume", "C:", "--keep-daily", "7", "--yes"};

std::vector<std::string> with_json(std::vector<std::string> args) {
  args.insert(args.begin(), "--json");
  return args;
}

TEST(ScheduleAdd, RegistersATaskInTheShadowctlFolderThatRunsTheStepsAsSystem) {
  SimBackend machine;
  const auto r = run_cli(with_json(kNightly), machine);
  ASSERT_EQ(r.exit, 0) << r.out << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["command"], "schedule add");
  EXPECT_EQ(doc["result"]["path"], "\\shadowctl\\nightly");
  EXPECT_EQ(doc["result"]["schedule"], "every day at 02:30");
  EXPECT_EQ(doc["result"]["runs_as"], "S-1-5-18");
  EXPECT_EQ(doc["result"]["log_file"], "C:\\nightly.log");
  EXPECT_EQ(doc["result"]["steps"].size(), 2u);
  ASSERT_EQ(machine.tasks().count("nightly"), 1u);
  const core::TaskText text = core::read_task_xml(machine.tasks()["nightly"].xml);
  EXPECT_EQ(text.command, "C:\\Program Files\\shadowctl\\shadowctl.exe");
  EXPECT_EQ(text.arguments,
            "--log-file C:\\nightly.log schedule run -- create C: && prune --volume C: "
            "--keep-daily 7 --yes");
  EXPECT_EQ(text.user_id, "S-1-5-18");
  EXPECT_EQ(text.run_level, "HighestAvailable");
}

TEST(ScheduleAdd, AnExeOutsideProgramFilesIsRegisteredWithAWarningThatSystemRunsIt) {
  SimBackend machine;
  const auto safe = run_cli(with_json(kNightly), machine);
  EXPECT_TRUE(nlohmann::json::parse(safe.out)["warnings"].empty()) << safe.out;
  machine.facts().environment.push_back(u"ProgramFiles=D:\\Apps");
  auto again = kNightly;
  again.insert(again.begin() + 7, "--replace");
  const auto warned = run_cli(with_json(again), machine);
  ASSERT_EQ(warned.exit, 0);
  const auto warnings = nlohmann::json::parse(warned.out)["warnings"];
  ASSERT_EQ(warnings.size(), 1u) << warned.out;
  EXPECT_EQ(warnings[0]["code"], "program_not_protected");
  EXPECT_NE(warnings[0]["message"].get<std::string>().find(
                "the task runs C:\\Program Files\\shadowctl\\shadowctl.exe as SYSTEM"),
            std::string::npos);
}

TEST(ScheduleAdd, ANameTakenIsRefusedUnlessReplacing) {
  SimBackend machine;
  ASSERT_EQ(run_cli(kNightly, machine).exit, 0);
  const auto again = run_cli(with_json(kNightly), machine);
  EXPECT_EQ(again.exit, 2) << again.out;
  const auto doc = nlohmann::json::parse(again.out);
  EXPECT_EQ(doc["error"]["name"], "ERROR_ALREADY_EXISTS");
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find("--replace"), std::string::npos);
  auto replace = kNightly;
  replace[4] = "03:15";
  replace.insert(replace.begin() + 7, "--replace");
  const auto replaced = run_cli(with_json(replace), machine);
  ASSERT_EQ(replaced.exit, 0) << replaced.out;
  EXPECT_EQ(nlohmann::json::parse(replaced.out)["result"]["replaced"], true);
  EXPECT_NE(machine.tasks()["nightly"].xml.find("T03:15:00"), std::string::npos);
  EXPECT_EQ(machine.tasks().size(), 1u);
}

TEST(ScheduleAdd, BadNamesTimesDaysAndStepsAreUsageErrorsThatRegisterNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"schedule", "add", "a\\b", "--at", "02:30", "--", "create", "C:"}, "a task name holds"},
      {{"schedule", "add", "n", "--at", "2:30", "--", "create", "C:"}, "is not a time of day"},
      {{"schedule", "add", "n", "--at", "02:30", "--day", "mon", "--", "create", "C:"},
       "--day goes with --every week"},
      {{"schedule", "add", "n", "--at", "02:30", "--every", "week", "--day", "someday", "--",
        "create", "C:"},
       "is not a day of the week"},
      {{"schedule", "add", "n", "--at", "02:30"}, "needs its steps after `--`"},
      {{"schedule", "add", "n", "--at", "02:30", "--", "create", "C:", "&&"}, "an empty step"},
      {{"schedule", "add", "n", "--at", "02:30", "--", "schedule", "list"}, "step 1 is `schedule`"},
      {{"schedule", "add", "n", "--at", "02:30", "--", "create", "C:", "&&", "prune"},
       "step 2 (prune) is not a valid shadowctl command line: `prune` needs --volume TEXT: A volume whose copies are judged"},
      {{"schedule", "add", "n", "--at", "02:30", "--", "frobnicate"}, "step 1 (frobnicate)"},
      {{"schedule", "add", "n", "--at", "02:30", "--log", "Q:\\no\\such\\x.log", "--", "create",
        "C:"},
       "does not exist"},
  };
  for (const auto& c : cases) {
    SimBackend machine;
    const auto r = run_cli(with_json(c.args), machine);
    EXPECT_EQ(r.exit, 2) << r.out;
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_NE(doc["error"]["detail"].get<std::string>().find(c.says), std::string::npos)
        << doc["error"]["meaning"] << " lacks " << c.says;
    EXPECT_TRUE(machine.tasks().empty());
  }
}

TEST(ScheduleAdd, TheDefaultLogIsInProgramDataInAFolderOfItsOwn) {
  const fs::path root = unique_temp_path("schedule");
  fs::remove_all(root);
  fs::create_directories(root / "c" / "ProgramData");
  auto state = emulator::default_machine();
  state.volumes[0].content_root = (root / "c").string();
  SimBackend machine(emulator::Scenario{}, emulator::MachineFacts{}, state);
  machine.facts().environment.push_back(u"ProgramData=C:\\ProgramData");
  const auto r = run_cli({"--json", "schedule", "add", "nightly", "--at", "02:30", "--", "create", "C:"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["result"]["log_file"],
            "C:\\ProgramData\\shadowctl\\nightly.log");
  EXPECT_TRUE(fs::is_directory(root / "c" / "ProgramData" / "shadowctl"));
  fs::remove_all(root);
}

TEST(ScheduleList, ShowsEachTaskWithItsLastResultExplained) {
  SimBackend machine;
  ASSERT_EQ(run_cli(kNightly, machine).exit, 0);
  auto weekly = kNightly;
  weekly[2] = "weekly";
  ASSERT_EQ(run_cli(weekly, machine).exit, 0);
  // The weekly task last ran, and exited 8: another VSS operation was in progress.
  auto& ran = machine.tasks()["weekly"];
  ran.last_run_hr = 0;
  ran.last_run_unix_us = 1'765'000'000'000'000;
  ran.last_result = 8;
  const auto r = run_cli({"--json", "schedule", "list"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["result"].size(), 2u);
  const auto& never = doc["result"][0];
  EXPECT_EQ(never["name"], "nightly");
  EXPECT_EQ(never["last_run"], nullptr);
  EXPECT_EQ(never["last_result"]["name"], "SCHED_S_TASK_HAS_NOT_RUN");
  EXPECT_EQ(never["runs_as"], "S-1-5-18");
  const auto& busy = doc["result"][1];
  EXPECT_EQ(busy["last_result"]["name"], "busy");
  EXPECT_EQ(busy["last_result"]["value"], "0x00000008");
  EXPECT_EQ(busy["last_run"], "2025-12-06T05:46:40Z");
  const auto human = run_cli({"schedule", "list"}, machine);
  EXPECT_NE(human.out.find("0x00000008 busy"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("never"), std::string::npos) << human.out;
}

TEST(ScheduleList, NoTaskAndAFailingTaskScheduler) {
  SimBackend machine;
  EXPECT_NE(run_cli({"schedule", "list"}, machine).out.find("No task in \\shadowctl\\"),
            std::string::npos);
  machine.facts().task_scheduler_error = core::code("SCHED_E_SERVICE_NOT_RUNNING");
  const auto r = run_cli({"--json", "schedule", "list"}, machine);
  EXPECT_EQ(r.exit, 1);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["name"], "SCHED_E_SERVICE_NOT_RUNNING");
}

TEST(ScheduleRemove, RemovesTheTaskNamedAndOnlyThatOne) {
  SimBackend machine;
  ASSERT_EQ(run_cli(kNightly, machine).exit, 0);
  auto other = kNightly;
  other[2] = "other";
  ASSERT_EQ(run_cli(other, machine).exit, 0);
  const auto r = run_cli({"--json", "schedule", "remove", "nightly"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["result"]["removed"], true);
  EXPECT_EQ(machine.tasks().count("nightly"), 0u);
  EXPECT_EQ(machine.tasks().count("other"), 1u);
  const auto missing = run_cli({"--json", "schedule", "remove", "nightly"}, machine);
  EXPECT_EQ(missing.exit, 7);
  EXPECT_EQ(nlohmann::json::parse(missing.out)["error"]["name"], "ERROR_FILE_NOT_FOUND");
  EXPECT_EQ(run_cli({"schedule", "remove", "..\\x"}, machine).exit, 2);
  EXPECT_EQ(machine.tasks().size(), 1u);
}

// What a step's command line asks for, as the child reads it.
std::vector<std::string> child_words(const session::ProcessRequest& request) {
  std::vector<std::string> words;
  for (const auto& w : core::split_command_line(request.command_line)) words.push_back(core::utf8(w));
  return words;
}

TEST(ScheduleRun, RunsEachStepAsShadowctlItselfWithTheLogFileAndStopsAtTheFirstFailure) {
  SimBackend machine;
  machine.facts().program = [](const session::ProcessRequest& request) {
    session::ProcessResult result;
    const auto words = child_words(request);
    result.exit_code = std::find(words.begin(), words.end(), "prune") != words.end() ? 8 : 0;
    return result;
  };
  // A log file of this test's own (a Windows path would be a file in the working folder here).
  const std::string log = unique_temp_path("schedule-run.log").string();
  const auto r = run_cli({"--json", "--log-file", log, "schedule", "run", "--", "create",
                          "C:", "&&", "prune", "--volume", "C:", "--keep-last", "1", "--yes", "&&",
                          "list", "shadows"},
                         machine);
  EXPECT_EQ(r.exit, 8) << r.err;
  // stdout is the steps'; the report goes to stderr, as exec's does.
  EXPECT_EQ(r.out, "");
  const auto doc = nlohmann::json::parse(r.err);
  EXPECT_EQ(doc["result"]["planned"], 3);
  EXPECT_EQ(doc["result"]["completed"], false);
  ASSERT_EQ(doc["result"]["steps"].size(), 2u);
  EXPECT_EQ(doc["result"]["steps"][1]["exit_code"], 8);
  EXPECT_NE(doc["warnings"][0]["message"].get<std::string>().find("step 2 exited 8: the 1 step after it did not run"),
            std::string::npos);
  ASSERT_EQ(machine.processes().size(), 2u);
  EXPECT_EQ(core::utf8(machine.processes()[0].application), "C:\\Program Files\\shadowctl\\shadowctl.exe");
  EXPECT_EQ(child_words(machine.processes()[0]),
            (std::vector<std::string>{"C:\\Program Files\\shadowctl\\shadowctl.exe", "--log-file",
                                      log, "create", "C:"}));
  std::filesystem::remove(log);
}

TEST(ScheduleRun, AStepThatCannotStartExits127AndRunsNothingAfterIt) {
  SimBackend machine;
  machine.facts().program = [](const session::ProcessRequest&) {
    session::ProcessResult result;
    result.start_error = core::hr::error_file_not_found;
    return result;
  };
  const auto r = run_cli({"--json", "schedule", "run", "--", "create", "C:", "&&", "list", "shadows"},
                         machine);
  EXPECT_EQ(r.exit, 127);
  const auto doc = nlohmann::json::parse(r.err);
  EXPECT_EQ(doc["error"]["name"], "ERROR_FILE_NOT_FOUND");
  EXPECT_EQ(doc["result"]["steps"][0]["start_error"]["name"], "ERROR_FILE_NOT_FOUND");
  EXPECT_EQ(machine.processes().size(), 1u);
}

TEST(ScheduleRun, AllStepsSucceedingExitsZero) {
  SimBackend machine;
  const auto r = run_cli({"schedule", "run", "--", "create", "C:", "&&", "list", "shadows"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(machine.processes().size(), 2u);
  EXPECT_NE(r.err.find("step 2 of 2 (list) exited 0"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shadowctl::test
