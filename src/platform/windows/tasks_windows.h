#pragma once

// The Task Scheduler calls behind core::ScheduledTasks (tasks_windows.cpp).

#include <string>
#include <vector>

#include "session/environment.h"

namespace shadowctl::platform {

core::HResult register_task(const std::string& name, const std::string& xml, bool replace);
core::HResult list_tasks(std::vector<core::ScheduledTask>& out);
core::HResult delete_task(const std::string& name);

}  // namespace shadowctl::platform
