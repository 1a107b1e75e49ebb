#pragma once

// `schedule`: what a Task Scheduler task of shadowctl's holds, as text. The task is
// registered from XML (the Task Scheduler schema), not through the task definition's
// object model, so that what is registered is one text, tested here and the same on every
// Windows; the platform only hands it to ITaskFolder::RegisterTask. Pure functions.
// https://learn.microsoft.com/windows/win32/taskschd/task-scheduler-schema

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hresult.h"

namespace shadowctl::core {

// The folder of the Task Scheduler's tree that holds shadowctl's tasks, and nothing else.
inline constexpr std::string_view kTaskFolder = "\\shadowctl";

enum class Repeat { hour, day, week };

// One task: when it runs, and the shadowctl command lines it runs in turn.
struct TaskPlan {
  std::string name;
  Repeat every = Repeat::day;
  int hour = 0, minute = 0;  // local time; for `hour`, the first run's
  int weekday = 0;           // `week`: 0 Sunday .. 6 Saturday
  std::string start_day;     // "2026-12-07": the trigger's first day (local)
  std::string program;       // shadowctl.exe's absolute path
  std::string log_file;      // absolute; every step logs to it
  // Each step is one shadowctl command line ("create", "C:"); a step runs only when the one
  // before it exited 0, as `&&` does in a shell.
  std::vector<std::vector<std::string>> steps;
};

// Why a task name is refused, or "": 1 to 64 letters, digits, '-', '_' or '.', not
// starting with '.' (a name is also a file name in the Task Scheduler's store).
std::string task_name_problem(std::string_view name);

// "HH:MM" (24-hour) as hour and minute; nullopt when it is not a time of day.
std::optional<std::pair<int, int>> parse_time_of_day(std::string_view text);

// "sun".."sat" or the full English name, any case, as 0..6; nullopt otherwise.
std::optional<int> parse_weekday(std::string_view text);

// The words after "--" cut at each "&&" word into steps; an empty step (two "&&" in a row,
// or one at either end) is refused with nullopt.
std::optional<std::vector<std::vector<std::string>>> split_steps(
    const std::vector<std::string>& words);

// Words as a Windows command line holds them, each quoted only when it must be
// (core::quote_argument), joined by spaces: a step in the log, the action's arguments.
std::string command_text(const std::vector<std::string>& words);

// The arguments of the task's action after the program: the log file, then
// `schedule run --` and the steps joined by "&&" words.
std::vector<std::string> task_arguments(const TaskPlan& plan);

// "every day at 02:30", "every hour from 02:30", "every Sunday at 02:30".
std::string schedule_words(const TaskPlan& plan);

// The task's definition in the Task Scheduler schema (version 1.2: Windows 7 and later):
// a calendar trigger at the time given, run as LocalSystem (S-1-5-18) with the highest
// privileges, one run at a time, started late when the machine was off at its time, not
// stopped on batteries, stopped after 2 hours; its one action runs shadowctl with
// task_arguments. UTF-8; the platform makes it UTF-16.
std::string task_xml(const TaskPlan& plan);

// What a registered task's XML says, read back by `schedule list`. Each field is "" when
// the text does not hold it (Wine 8 gives back only part of what was registered).
struct TaskText {
  std::string description;
  std::string command;    // the action's program
  std::string arguments;  // the action's arguments, one string
  std::string user_id;
  std::string run_level;
  std::string start_boundary;
};
// Read without a full XML parser: the first element of each name. Entities are decoded; a
// bare '&' (Wine 8 writes one unescaped) is kept as it is.
TaskText read_task_xml(std::string_view xml);

// Characters a step's word cannot carry into a task's XML (control characters other than
// tab): the first such word's index, or nullopt.
std::optional<std::size_t> word_unfit_for_task(const std::vector<std::string>& words);

// A task of shadowctl's in the Task Scheduler, as the Task Scheduler gives it back.
struct ScheduledTask {
  std::string name;
  std::string xml;  // its definition (IRegisteredTask::get_Xml)
  bool enabled = false;
  int state = 0;  // TASK_STATE: 0 unknown, 1 disabled, 2 queued, 3 ready, 4 running
  // The last run's result (get_LastTaskResult), or why it could not be read.
  HResult last_result = 0;
  HResult last_result_error = 0;
  // When it last ran and will next run, microseconds since 1970 UTC; 0: never, or unknown,
  // with what the call answered (SCHED_S_TASK_HAS_NOT_RUN: never run).
  std::int64_t last_run_unix_us = 0;
  HResult last_run_hr = 0;
  std::int64_t next_run_unix_us = 0;
  HResult next_run_hr = 0;
};

// One step of a task's run (`schedule run`): the shadowctl command line, how it ended.
struct StepRun {
  std::vector<std::string> words;
  HResult start_error = 0;  // it could not be started
  int exit_code = 0;
  std::chrono::milliseconds run_time{0};
};

// A task's last result in words: a shadowctl exit code (what the task's run exited with,
// 0..255) by its exit status's name and meaning, otherwise the HRESULT's (the Task
// Scheduler's own, as SCHED_S_TASK_HAS_NOT_RUN).
struct ResultWords {
  std::string name;
  std::string meaning;
};
ResultWords task_result_words(HResult result);

}  // namespace shadowctl::core
