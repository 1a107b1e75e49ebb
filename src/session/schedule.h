#pragma once

// `schedule`: shadowctl's tasks in the Task Scheduler (registered from core/schedule.h's
// XML, listed, removed), and what a task runs: its steps, each a shadowctl command line run
// as a child process without a shell, stopping at the first that fails, as `&&` does.

#include <string>
#include <vector>

#include "core/schedule.h"
#include "session/cancel.h"
#include "session/system.h"

namespace shadowctl::session {

// Registers the plan's task in \shadowctl\, over one of the same name only with `replace`.
// Throws core::Error naming the Task Scheduler call that failed; a name taken without
// `replace` is ERROR_ALREADY_EXISTS.
void add_task(const System& system, const core::TaskPlan& plan, bool replace);

// Every task in \shadowctl\, by name. Throws core::Error when the Task Scheduler cannot say.
std::vector<core::ScheduledTask> scheduled_tasks(const System& system);

// Deletes one task of \shadowctl\; ERROR_FILE_NOT_FOUND (not_found) when none is so named.
void remove_task(const System& system, const std::string& name);

// Runs each step as `THIS_PROGRAM [--log-file LOG] WORDS...` in turn, without a shell,
// until one cannot start or exits non-zero; the steps after it do not run. Each step's start
// and end are logged. Ctrl+C reaches the running step (it cleans up what it made); the rest
// are not started.
std::vector<core::StepRun> run_steps(const System& system,
                               const std::vector<std::vector<std::string>>& steps,
                               const std::string& log_file, const CancelToken& cancel);

}  // namespace shadowctl::session
