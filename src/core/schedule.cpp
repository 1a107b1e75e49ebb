#include "core/schedule.h"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "core/command_line.h"
#include "core/diagnosis.h"
#include "core/exit_status.h"
#include "core/text.h"

namespace shadowctl::core {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

std::string escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string unescaped(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities = {
      {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool decoded = false;
    if (text[i] == '&')
      for (const auto& [entity, c] : kEntities)
        if (text.substr(i, entity.size()) == entity) {
          out += c;
          i += entity.size();
          decoded = true;
          break;
        }
    if (!decoded) out += text[i++];
  }
  return out;
}

// The text of the first element named `name` (with or without attributes), or "".
std::string element(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name);
  for (std::size_t at = xml.find(open); at != std::string_view::npos; at = xml.find(open, at + 1)) {
    const std::size_t after = at + open.size();
    if (after >= xml.size() || (xml[after] != '>' && xml[after] != ' ')) continue;
    const std::size_t start = xml.find('>', after);
    if (start == std::string_view::npos || xml[start - 1] == '/') return {};
    const std::size_t end = xml.find("</" + std::string(name) + ">", start);
    if (end == std::string_view::npos) return {};
    return unescaped(xml.substr(start + 1, end - start - 1));
  }
  return {};
}

std::string joined_steps(const std::vector<std::vector<std::string>>& steps) {
  std::string out;
  for (const auto& step : steps) out += (out.empty() ? "" : " && ") + command_text(step);
  return out;
}

}  // namespace

std::string task_name_problem(std::string_view name) {
  if (name.empty()) return "a task name cannot be empty";
  if (name.size() > 64) return "a task name has at most 64 characters";
  if (name.front() == '.') return "a task name cannot start with '.'";
  for (const char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return fmt::format("a task name holds only letters, digits, '-', '_' and '.', not '{}'",
                         c);
  return {};
}

std::optional<std::pair<int, int>> parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const std::size_t i : {0u, 1u, 3u, 4u})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return std::pair{hour, minute};
}

std::optional<int> parse_weekday(std::string_view text) {
  for (int d = 0; d < 7; ++d)
    if (same_ignoring_case(text, kWeekdays[static_cast<std::size_t>(d)]) ||
        same_ignoring_case(text, kWeekdays[static_cast<std::size_t>(d)].substr(0, 3)))
      return d;
  return std::nullopt;
}

std::optional<std::vector<std::vector<std::string>>> split_steps(
    const std::vector<std::string>& words) {
  std::vector<std::vector<std::string>> steps(1);
  for (const auto& word : words) {
    if (word != "&&") {
      steps.back().push_back(word);
      continue;
    }
    if (steps.back().empty()) return std::nullopt;
    steps.emplace_back();
  }
  if (steps.back().empty()) return std::nullopt;
  return steps;
}

std::string command_text(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + utf8(quote_argument(utf16(w)));
  return out;
}

std::vector<std::string> task_arguments(const TaskPlan& plan) {
  std::vector<std::string> out = {"--log-file", plan.log_file, "schedule", "run", "--"};
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    if (i) out.emplace_back("&&");
    out.insert(out.end(), plan.steps[i].begin(), plan.steps[i].end());
  }
  return out;
}

std::string schedule_words(const TaskPlan& plan) {
  const std::string at = fmt::format("{:02}:{:02}", plan.hour, plan.minute);
  switch (plan.every) {
    case Repeat::hour: return "every hour from " + at;
    case Repeat::week:
      return fmt::format("every {} at {}", kWeekdays[static_cast<std::size_t>(plan.weekday)], at);
    case Repeat::day: break;
  }
  return "every day at " + at;
}

std::string task_xml(const TaskPlan& plan) {
  const std::string start = fmt::format("{}T{:02}:{:02}:00", plan.start_day, plan.hour, plan.minute);
  std::string schedule;
  switch (plan.every) {
    case Repeat::hour:
      // A daily trigger repeated every hour for the day: the next day starts it again.
      schedule =
          "      <Repetition><Interval>PT1H</Interval><Duration>P1D</Duration></Repetition>\n"
          "      <ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>\n";
      break;
    case Repeat::day:
      schedule = "      <ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>\n";
      break;
    case Repeat::week:
      schedule = fmt::format(
          "      <ScheduleByWeek><WeeksInterval>1</WeeksInterval><DaysOfWeek><{0} /></DaysOfWeek>"
          "</ScheduleByWeek>\n",
          kWeekdays[static_cast<std::size_t>(plan.weekday)]);
      break;
  }
  const std::string arguments = command_text(task_arguments(plan));
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
      "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
      "  <RegistrationInfo>\n"
      "    <Author>shadowctl</Author>\n"
      "    <Description>{desc}</Description>\n"
      "  </RegistrationInfo>\n"
      "  <Triggers>\n"
      "    <CalendarTrigger>\n"
      "      <StartBoundary>{start}</StartBoundary>\n"
      "{schedule}"
      "    </CalendarTrigger>\n"
      "  </Triggers>\n"
      "  <Principals>\n"
      "    <Principal id=\"Author\">\n"
      "      <UserId>S-1-5-18</UserId>\n"
      "      <RunLevel>HighestAvailable</RunLevel>\n"
      "    </Principal>\n"
      "  </Principals>\n"
      "  <Settings>\n"
      "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n"
      "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>\n"
      "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n"
      "    <StartWhenAvailable>true</StartWhenAvailable>\n"
      "    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>\n"
      "    <Enabled>true</Enabled>\n"
      "  </Settings>\n"
      "  <Actions Context=\"Author\">\n"
      "    <Exec>\n"
      "      <Command>{command}</Command>\n"
      "      <Arguments>{arguments}</Arguments>\n"
      "    </Exec>\n"
      "  </Actions>\n"
      "</Task>\n",
      fmt::arg("desc", escaped("shadowctl: " + joined_steps(plan.steps) + ", " +
                               schedule_words(plan) + "; log " + plan.log_file)),
      fmt::arg("start", start), fmt::arg("schedule", schedule),
      fmt::arg("command", escaped(plan.program)), fmt::arg("arguments", escaped(arguments)));
}

TaskText read_task_xml(std::string_view xml) {
  return {element(xml, "Description"), element(xml, "Command"),  element(xml, "Arguments"),
          element(xml, "UserId"),      element(xml, "RunLevel"), element(xml, "StartBoundary")};
}

std::optional<std::size_t> word_unfit_for_task(const std::vector<std::string>& words) {
  for (std::size_t i = 0; i < words.size(); ++i)
    for (const char c : words[i])
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return i;
  return std::nullopt;
}

ResultWords task_result_words(HResult result) {
  for (const auto& e : kExitStatuses)
    if (static_cast<HResult>(to_int(e.status)) == result)
      return {std::string(e.name),
              fmt::format("shadowctl exited {} ({}): {}", to_int(e.status), e.name, e.when)};
  const Diagnosis d = diagnose(result);
  return {d.name, d.meaning};
}

}  // namespace shadowctl::core
