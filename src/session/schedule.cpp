#include "session/schedule.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/failure.h"

namespace shadowctl::session {
namespace {

[[noreturn]] void fail(core::HResult hr, const char* call, std::string detail) {
  throw core::Error({hr, call, std::move(detail)});
}

}  // namespace

void add_task(const System& system, const core::TaskPlan& plan, bool replace) {
  const core::HResult hr =
      system.environment.register_task(plan.name, core::task_xml(plan), replace);
  if (hr == core::hr::error_already_exists)
    fail(hr, "ITaskFolder::RegisterTask",
         fmt::format("a task named '{}' is already in {}\\; --replace replaces it", plan.name,
                     core::kTaskFolder));
  if (core::failed(hr))
    fail(hr, "ITaskFolder::RegisterTask", fmt::format("task {}\\{}", core::kTaskFolder, plan.name));
}

std::vector<core::ScheduledTask> scheduled_tasks(const System& system) {
  std::vector<core::ScheduledTask> tasks;
  const core::HResult hr = system.environment.list_tasks(tasks);
  if (core::failed(hr))
    fail(hr, "ITaskFolder::GetTasks", fmt::format("the tasks of {}\\", core::kTaskFolder));
  return tasks;
}

void remove_task(const System& system, const std::string& name) {
  const core::HResult hr = system.environment.delete_task(name);
  if (hr == core::hr::error_file_not_found || hr == core::hr::error_path_not_found)
    fail(core::hr::error_file_not_found, "ITaskFolder::DeleteTask",
         fmt::format("no task named '{}' in {}\\ (shadowctl schedule list shows them)", name,
                     core::kTaskFolder));
  if (core::failed(hr))
    fail(hr, "ITaskFolder::DeleteTask", fmt::format("task {}\\{}", core::kTaskFolder, name));
}

std::vector<core::StepRun> run_steps(const System& system,
                               const std::vector<std::vector<std::string>>& steps,
                               const std::string& log_file, const CancelToken& cancel) {
  std::vector<core::StepRun> runs;
  const std::u16string program = system.environment.this_program();
  // The steps are shadowctl itself: they inherit every variable as it is (SHADOWCTL_*
  // included, which exec keeps from the programs it runs).
  std::u16string environment;
  for (const auto& entry : system.environment.environment_variables()) environment += entry + u'\0';
  environment += u'\0';
  for (std::size_t i = 0; i < steps.size() && !cancel.requested(); ++i) {
    core::StepRun run;
    run.words = steps[i];
    std::vector<std::u16string> arguments;
    if (!log_file.empty()) arguments = {u"--log-file", core::utf16(log_file)};
    for (const auto& w : steps[i]) arguments.push_back(core::utf16(w));
    ProcessRequest request;
    request.application = program;
    request.command_line = core::command_line(program, arguments);
    request.environment = environment;
    spdlog::info("schedule run: step {} of {}: {}", i + 1, steps.size(), core::command_text(steps[i]));
    const ProcessResult result = system.environment.run_process(request);
    run.start_error = result.start_error;
    run.exit_code = result.exit_code;
    run.run_time = result.run_time;
    if (core::failed(run.start_error))
      spdlog::info("schedule run: step {} could not start: {}", i + 1,
                    core::format_hresult(run.start_error));
    else
      spdlog::info("schedule run: step {} exited {} after {} ms", i + 1, run.exit_code,
                   run.run_time.count());
    runs.push_back(std::move(run));
    if (core::failed(runs.back().start_error) || runs.back().exit_code != 0) break;
  }
  return runs;
}

}  // namespace shadowctl::session
