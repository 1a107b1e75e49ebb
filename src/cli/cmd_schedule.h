#pragma once

#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl schedule add NAME --at HH:MM [--every hour|day|week] [--day DAY] [--log FILE]
// [--replace] -- STEP [&& STEP...]`: a Task Scheduler task in \shadowctl\ that runs the
// steps (shadowctl command lines) as SYSTEM with the highest privileges.
struct ScheduleAddOptions {
  std::string name;
  std::string at;
  std::string every = "day";
  std::string day;
  std::string log;
  bool replace = false;
};
void setup_schedule_add(CLI::App& app, ScheduleAddOptions& options);
report::Outcome run_schedule_add(const ScheduleAddOptions& options, Context& context);

// `shadowctl schedule list`: shadowctl's tasks, their last result explained.
struct ScheduleListOptions {};
void setup_schedule_list(CLI::App& app, ScheduleListOptions& options);
report::Outcome run_schedule_list(const ScheduleListOptions& options, Context& context);

// `shadowctl schedule remove NAME`.
struct ScheduleRemoveOptions {
  std::string name;
};
void setup_schedule_remove(CLI::App& app, ScheduleRemoveOptions& options);
report::Outcome run_schedule_remove(const ScheduleRemoveOptions& options, Context& context);

// `shadowctl schedule run -- STEP [&& STEP...]`: what a task runs; each step a shadowctl
// command line run in turn, without a shell, until one fails.
struct ScheduleRunOptions {};
void setup_schedule_run(CLI::App& app, ScheduleRunOptions& options);
report::Outcome run_schedule_run(const ScheduleRunOptions& options, Context& context);

Command schedule_command();

}  // namespace shadowctl::cli
