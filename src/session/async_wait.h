#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "core/hresult.h"
#include "session/vss_api.h"
#include "session/cancel.h"

namespace shadowctl::session {

// How an async phase ended.
enum class AsyncEnd { finished, failed, timed_out, interrupted };

struct AsyncOutcome {
  AsyncEnd end = AsyncEnd::finished;
  core::HResult hr = 0;  // the operation's final status (or ERROR_TIMEOUT / ERROR_CANCELLED)
  // Timed out or interrupted, but Cancel answered VSS_S_ASYNC_FINISHED: the operation had
  // completed first, and its effects (a DoSnapshotSet's shadow copies) exist.
  bool finished_first = false;
};

// Told after each slice of a wait that is still pending: the time waited so far.
using WaitProgress = std::function<void(std::chrono::milliseconds elapsed)>;

// Waits for op until deadline, checking cancel between slices. On a deadline or a cancel
// request it calls op.cancel() and waits for the operation to acknowledge it, so the caller
// can run the cleanup rules on a settled object.
AsyncOutcome wait_for(AsyncOperation& op, std::chrono::milliseconds timeout,
                      const CancelToken& cancel,
                      std::chrono::milliseconds slice = std::chrono::milliseconds(100),
                      const WaitProgress& progress = {});

// How a command waits on each of its async phases.
struct WaitPolicy {
  std::chrono::milliseconds timeout = std::chrono::minutes(10);
  const CancelToken& cancel;
  // Called while a phase is pending, for a progress line; may be empty.
  std::function<void(std::string_view phase, std::chrono::milliseconds elapsed)> progress;
};

// Waits for one async phase and returns its final status. Throws core::Error naming the
// phase when it failed, when it timed out (ERROR_TIMEOUT) and when it was interrupted
// (ERROR_CANCELLED); the operation is cancelled and settled first. finished_first, when
// given, is set before a throw when the operation had completed before its Cancel.
core::HResult await_phase(AsyncOperation& op, std::string_view phase, const WaitPolicy& policy,
                          bool* finished_first = nullptr);

}  // namespace shadowctl::session
