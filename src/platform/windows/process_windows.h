#pragma once

// Starting exec's command on Windows (process_windows.cpp).

#include "session/environment.h"

namespace shadowctl::platform {

// CreateProcessW with the request as it is: only the standard handles inherited
// (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), CREATE_UNICODE_ENVIRONMENT, started suspended and put
// in a job object that kills what is left when it closes, the console as shadowctl found it.
// `restore_privilege` runs right before CreateProcessW and `reclaim_privilege` right after,
// so the child's token gets SeBackupPrivilege as it was before shadowctl enabled it.
session::ProcessResult run_process(const session::ProcessRequest& request,
                                   void (*restore_privilege)(), void (*reclaim_privilege)());

// While one lives, the console's output code page and mode are as shadowctl found them.
class ConsoleAsFound {
 public:
  ConsoleAsFound();
  ~ConsoleAsFound();
  ConsoleAsFound(const ConsoleAsFound&) = delete;
  ConsoleAsFound& operator=(const ConsoleAsFound&) = delete;
};

}  // namespace shadowctl::platform
