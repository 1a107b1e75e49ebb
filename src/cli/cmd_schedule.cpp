#include "cli/cmd_schedule.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <optional>
#include <variant>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/app.h"
#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/schedule.h"
#include "core/text.h"
#include "report/shapes.h"
#include "report/table.h"
#include "report/terminal.h"
#include "session/schedule.h"

namespace shadowctl::cli {
namespace {

constexpr const char* kStepsHelp =
    "The steps follow `--`: shadowctl command lines joined by `&&` (quoted: \"&&\" in cmd, "
    "'&&' in PowerShell); each runs only when the one before it exited 0.";

// The words after "--" as UTF-8 steps, or a usage outcome saying what is wrong with them.
std::variant<std::vector<std::vector<std::string>>, report::Outcome> read_steps(
    const Context& context, const std::string& command) {
  if (!context.command || context.command->empty())
    return usage_outcome(command, command + " needs its steps after `--`: -- create C: \"&&\" "
                                            "prune --volume C: --keep-daily 7 --yes");
  std::vector<std::string> words;
  for (const auto& w : *context.command) {
    if (core::has_unpaired_surrogate(w))
      return usage_outcome(command, "a step's word is not valid UTF-16 (an unpaired surrogate)");
    words.push_back(core::utf8(w));
  }
  auto steps = core::split_steps(words);
  if (!steps)
    return usage_outcome(command, "an empty step: `&&` must stand between two command lines");
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const auto& step = (*steps)[i];
    if (step.front() == "schedule")
      return usage_outcome(command, fmt::format("step {} is `schedule`: a task's steps are "
                                                "other shadowctl commands",
                                                i + 1));
    if (const auto bad = core::word_unfit_for_task(step))
      return usage_outcome(command, fmt::format("step {} holds a control character in '{}'",
                                                i + 1, report::one_line(step[*bad])));
    std::vector<std::string> line = {"shadowctl"};
    line.insert(line.end(), step.begin(), step.end());
    if (const std::string problem = check_command_line(line); !problem.empty())
      return usage_outcome(command, fmt::format("step {} ({}) is not a valid shadowctl command "
                                                "line: {}",
                                                i + 1, report::one_line(step.front()), problem));
  }
  return *std::move(steps);
}

// The task's first day: today when its time is still ahead, else tomorrow (local).
std::string first_day(int hour, int minute) {
  std::time_t now = std::time(nullptr);
  std::tm local = fmt::localtime(now);
  if (local.tm_hour * 60 + local.tm_min >= hour * 60 + minute) {
    local.tm_mday += 1;
    local.tm_isdst = -1;
    now = std::mktime(&local);
    local = fmt::localtime(now);
  }
  return fmt::format("{:%Y-%m-%d}", local);
}

// An environment variable's value (names without regard to case, as Windows has them), or
// `otherwise`.
std::string variable(Context& context, const std::string& name, std::string otherwise) {
  const std::string key = core::lower_ascii(name) + "=";
  for (const auto& entry : context.system.environment.environment_variables()) {
    const std::string text = core::utf8(entry);
    if (text.size() > key.size() && core::lower_ascii(text.substr(0, key.size())) == key)
      return text.substr(key.size());
  }
  return otherwise;
}

// The task runs the exe as SYSTEM: whoever can replace it gets SYSTEM. Only the folders
// Windows keeps for administrators are taken as safe without a warning.
std::optional<std::string> program_warning(Context& context, const std::string& program) {
  for (const auto& [name, otherwise] :
       {std::pair{"ProgramFiles", "C:\\Program Files"}, {"SystemRoot", "C:\\Windows"}}) {
    const std::string folder = core::lower_ascii(variable(context, name, otherwise)) + "\\";
    if (core::lower_ascii(program).rfind(folder, 0) == 0) return std::nullopt;
  }
  return "the task runs " + program +
         " as SYSTEM: whoever can replace that file can run code as SYSTEM. Install "
         "shadowctl.exe under Program Files (writable by administrators only) and add the "
         "task from there";
}

// %ProgramData%\shadowctl\NAME.log, its folder made (ERROR_ALREADY_EXISTS is fine).
std::string default_log(Context& context, const std::string& name) {
  const std::string folder = variable(context, "ProgramData", "C:\\ProgramData") + "\\shadowctl";
  const core::HResult hr = context.system.environment.make_folder(folder);
  if (core::failed(hr) && hr != core::hr::error_already_exists)
    throw core::Error({hr, "making the log folder", folder});
  return folder + "\\" + name + ".log";
}

std::string result_text(const core::ScheduledTask& task) {
  const nlohmann::json j = report::scheduled_task_json(task);
  if (j["last_result"].is_null())
    return j["last_result_error"].is_null()
               ? "unknown"
               : "unknown (" + j["last_result_error"]["name"].get<std::string>() + ")";
  return j["last_result"]["value"].get<std::string>() + " " +
         j["last_result"]["name"].get<std::string>();
}

}  // namespace

void setup_schedule_add(CLI::App& app, ScheduleAddOptions& options) {
  app.description(
      "Register a Windows Task Scheduler task in \\shadowctl\\ that runs shadowctl command "
      "lines (a create, then a prune) as SYSTEM with the highest privileges, logging to a "
      "file. Nothing outside \\shadowctl\\ is touched.");
  app.add_option("NAME", options.name, "The task's name: letters, digits, - _ .")->required();
  app.add_option("--at", options.at, "Time of day, local, 24-hour: HH:MM")->required();
  one_of(app.add_option("--every", options.every, "How often: hour (from --at on), day or week"),
         {"hour", "day", "week"}, options.every);
  app.add_option("--day", options.day, "With --every week: the day (sun..sat; default sun)");
  app.add_option("--log", options.log,
                 "The log file every run appends to (default "
                 "%ProgramData%\\shadowctl\\NAME.log)");
  app.add_flag("--replace", options.replace, "Replace a task of the same name");
  app.footer(kStepsHelp);
}

report::Outcome run_schedule_add(const ScheduleAddOptions& options, Context& context) {
  const std::string command = "schedule add";
  if (const std::string problem = core::task_name_problem(options.name); !problem.empty())
    return usage_outcome(command, "'" + report::one_line(options.name) + "': " + problem);
  const auto at = core::parse_time_of_day(options.at);
  if (!at)
    return usage_outcome(command, "--at '" + report::one_line(options.at) +
                                      "' is not a time of day: HH:MM, 00:00 to 23:59");
  core::TaskPlan plan;
  plan.name = options.name;
  plan.hour = at->first;
  plan.minute = at->second;
  plan.every = options.every == "hour"   ? core::Repeat::hour
               : options.every == "week" ? core::Repeat::week
                                         : core::Repeat::day;
  if (!options.day.empty()) {
    if (plan.every != core::Repeat::week)
      return usage_outcome(command, "--day goes with --every week");
    const auto day = core::parse_weekday(options.day);
    if (!day)
      return usage_outcome(command, "--day '" + report::one_line(options.day) +
                                        "' is not a day of the week: sun, mon, ... sat");
    plan.weekday = *day;
  }
  auto steps = read_steps(context, command);
  if (auto* refused = std::get_if<report::Outcome>(&steps)) return std::move(*refused);
  plan.steps = std::get<0>(std::move(steps));
  plan.program = core::utf8(context.system.environment.this_program());
  plan.start_day = first_day(plan.hour, plan.minute);
  if (options.log.empty()) {
    plan.log_file = default_log(context, plan.name);
  } else {
    plan.log_file = core::utf8(context.system.environment.full_path(core::utf16(options.log)));
    const auto cut = plan.log_file.find_last_of("\\/");
    const std::string folder =
        cut == std::string::npos ? std::string(".") : plan.log_file.substr(0, cut == 2 ? 3 : cut);
    if (const auto facts = context.system.environment.examine_folder(folder);
        core::failed(facts.error) || !facts.directory)
      return usage_outcome(command, "--log '" + report::one_line(options.log) +
                                        "': its folder '" + report::one_line(folder) +
                                        "' does not exist");
  }
  session::add_task(context.system, plan, options.replace);

  report::Outcome outcome;
  outcome.command = command;
  if (auto warning = program_warning(context, plan.program))
    outcome.warnings.push_back({"program_not_protected", *warning, plan.program});
  outcome.result = report::task_added_json(plan, options.replace);
  outcome.human = [plan](std::ostream& out, const report::Style&) {
    out << fmt::format("Task {}\\{} runs {} as SYSTEM:\n", core::kTaskFolder, plan.name,
                       core::schedule_words(plan));
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
      out << fmt::format("  {}. shadowctl {}\n", i + 1,
                         report::one_line(core::command_text(plan.steps[i])));
    }
    out << "Log: " << report::one_line(plan.log_file) << '\n';
  };
  return outcome;
}

void setup_schedule_list(CLI::App& app, ScheduleListOptions&) {
  app.description("List shadowctl's tasks in \\shadowctl\\: when they run, their last run "
                  "and its result explained, their next run.");
}

report::Outcome run_schedule_list(const ScheduleListOptions&, Context& context) {
  const auto tasks = session::scheduled_tasks(context.system);
  report::Outcome outcome;
  outcome.command = "schedule list";
  outcome.result = nlohmann::json::array();
  for (const auto& t : tasks) outcome.result.push_back(report::scheduled_task_json(t));
  outcome.human = [tasks](std::ostream& out, const report::Style&) {
    if (tasks.empty()) {
      out << "No task in \\shadowctl\\ (shadowctl schedule add makes one).\n";
      return;
    }
    report::Table table({"TASK", "STATE", "LAST RUN", "LAST RESULT", "NEXT RUN", "RUNS"});
    for (const auto& t : tasks) {
      const core::TaskText text = core::read_task_xml(t.xml);
      table.add({report::one_line(t.name), report::task_state_word(t.state),
                 t.last_run_unix_us ? report::local_time(t.last_run_unix_us) : "never",
                 result_text(t),
                 t.next_run_unix_us ? report::local_time(t.next_run_unix_us) : "-",
                 report::one_line(text.description.empty() ? "(not given back)" : text.description)});
    }
    table.print(out);
  };
  return outcome;
}

void setup_schedule_remove(CLI::App& app, ScheduleRemoveOptions& options) {
  app.description("Delete one of shadowctl's tasks from \\shadowctl\\.");
  app.add_option("NAME", options.name, "The task's name, as schedule list shows it")->required();
}

report::Outcome run_schedule_remove(const ScheduleRemoveOptions& options, Context& context) {
  if (const std::string problem = core::task_name_problem(options.name); !problem.empty())
    return usage_outcome("schedule remove", "'" + report::one_line(options.name) + "': " + problem);
  session::remove_task(context.system, options.name);
  report::Outcome outcome;
  outcome.command = "schedule remove";
  outcome.result = {{"name", options.name},
                    {"path", fmt::format("{}\\{}", core::kTaskFolder, options.name)},
                    {"removed", true}};
  outcome.human = [name = options.name](std::ostream& out, const report::Style&) {
    out << "Removed task " << core::kTaskFolder << '\\' << name << ".\n";
  };
  return outcome;
}

void setup_schedule_run(CLI::App& app, ScheduleRunOptions&) {
  app.description(
      "Run steps as a scheduled task does: each a shadowctl command line, in turn, without a "
      "shell, until one exits non-zero; exits with that step's code. The steps' own output "
      "goes to stdout, so this report goes to stderr (as exec's does).");
  app.footer(kStepsHelp);
}

report::Outcome run_schedule_run(const ScheduleRunOptions&, Context& context) {
  const std::string command = "schedule run";
  auto steps = read_steps(context, command);
  if (auto* refused = std::get_if<report::Outcome>(&steps)) return std::move(*refused);
  const auto& planned = std::get<0>(steps);
  const auto runs = session::run_steps(context.system, planned, context.log_file, context.cancel);
  report::Outcome outcome;
  outcome.command = command;
  outcome.result = report::steps_run_json(runs, planned.size());
  if (!runs.empty()) {
    const core::StepRun& last = runs.back();
    const std::size_t n = runs.size();
    if (core::failed(last.start_error)) {
      core::Diagnosis d = core::diagnose(last.start_error, fmt::format("starting step {}", n),
                                         context.system.environment.system_message(last.start_error));
      d.exit = core::ExitStatus::command_not_run;
      outcome.error = d;
      outcome.exit = core::ExitStatus::command_not_run;
    } else if (last.exit_code != 0) {
      outcome.exit = static_cast<core::ExitStatus>(last.exit_code);
      if (n < planned.size())
        outcome.warnings.push_back(
            {"steps_not_run",
             fmt::format("step {} exited {}: the {} after it did not run", n, last.exit_code,
                         core::counted(planned.size() - n, "step", "steps")),
             std::to_string(n)});
    }
  }
  if (context.cancel.requested()) outcome.exit = core::ExitStatus::interrupted;
  outcome.human = [runs, total = planned.size()](std::ostream& out, const report::Style&) {
    for (std::size_t i = 0; i < runs.size(); ++i)
      out << fmt::format("shadowctl: step {} of {} ({}) {} after {:.1f} s\n", i + 1, total,
                         report::one_line(runs[i].words.front()),
                         core::failed(runs[i].start_error)
                             ? "could not start"
                             : fmt::format("exited {}", runs[i].exit_code),
                         static_cast<double>(runs[i].run_time.count()) / 1000.0);
  };
  return outcome;
}

Command schedule_command() {
  Command add = make_command<ScheduleAddOptions>(
      "add", "Register a task that runs shadowctl steps on a schedule", setup_schedule_add,
      run_schedule_add);
  add.takes_command = true;
  Command run = make_command<ScheduleRunOptions>(
      "run", "Run steps as a scheduled task does (what the task runs)", setup_schedule_run,
      run_schedule_run);
  run.runs_child = true;
  return make_group("schedule", "Nightly tasks: add, list, remove and run shadowctl's tasks",
                    {std::move(add),
                     make_command<ScheduleListOptions>("list", "List shadowctl's tasks",
                                                       setup_schedule_list, run_schedule_list),
                     make_command<ScheduleRemoveOptions>("remove", "Delete one of shadowctl's tasks",
                                                         setup_schedule_remove, run_schedule_remove),
                     std::move(run)});
}

}  // namespace shadowctl::cli
