#pragma once

#include <chrono>

#include "core/hresult.h"
#include "session/vss_api.h"
#include "session/cancel.h"

namespace shadowctl::session {

// How an async phase ended.
enum class AsyncEnd { finished, failed, timed_out, interrupted };

struct AsyncOutcome {
  AsyncEnd end = AsyncEnd::finished;
  core::HResult hr = 0;  // the operation's final status (or ERROR_TIMEOUT / ERROR_CANCELLED)
};

// Waits for op until deadline, checking cancel between slices. On a deadline or a cancel
// request it calls op.cancel() and waits for the operation to acknowledge it, so the caller
// can run the cleanup rules on a settled object.
AsyncOutcome wait_for(AsyncOperation& op, std::chrono::milliseconds timeout,
                      const CancelToken& cancel,
                      std::chrono::milliseconds slice = std::chrono::milliseconds(100));

}  // namespace shadowctl::session
