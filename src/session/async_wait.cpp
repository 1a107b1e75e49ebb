#include "core/error_catalogue.h"
#include "session/async_wait.h"

#include <algorithm>

namespace shadowctl::session {

namespace {
constexpr std::chrono::milliseconds kCancelAcknowledgeLimit{30'000};
}

AsyncOutcome wait_for(AsyncOperation& op, std::chrono::milliseconds timeout,
                      const CancelToken& cancel, std::chrono::milliseconds slice) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    const core::HResult status = op.wait(std::clamp(left, std::chrono::milliseconds(0), slice));
    if (status == core::hr::vss_s_async_finished || status == core::hr::s_ok)
      return {AsyncEnd::finished, status};
    if (status != core::hr::vss_s_async_pending) return {AsyncEnd::failed, status};

    const bool interrupted = cancel.requested();
    if (interrupted || clock::now() >= deadline) {
      op.cancel();
      // VSS settles a cancelled operation quickly; the bound keeps a hung service from
      // hanging us too.
      op.wait(kCancelAcknowledgeLimit);
      return interrupted ? AsyncOutcome{AsyncEnd::interrupted, core::hr::error_cancelled}
                         : AsyncOutcome{AsyncEnd::timed_out, core::hr::error_timeout};
    }
  }
}

}  // namespace shadowctl::session
