#include "session/async_wait.h"

#include <algorithm>
#include <string>

#include <spdlog/spdlog.h>

#include "core/error_catalogue.h"
#include "core/failure.h"

namespace shadowctl::session {

namespace {
constexpr std::chrono::milliseconds kCancelAcknowledgeLimit{30'000};
}

AsyncOutcome wait_for(AsyncOperation& op, std::chrono::milliseconds timeout,
                      const CancelToken& cancel, std::chrono::milliseconds slice,
                      const WaitProgress& progress) {
  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  const auto deadline = started + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    const core::HResult status = op.wait(std::clamp(left, std::chrono::milliseconds(0), slice));
    if (status == core::hr::vss_s_async_finished || status == core::hr::s_ok)
      return {AsyncEnd::finished, status};
    if (status != core::hr::vss_s_async_pending) return {AsyncEnd::failed, status};

    if (progress)
      progress(std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started));
    const bool interrupted = cancel.requested();
    if (interrupted || clock::now() >= deadline) {
      // "VSS_S_ASYNC_FINISHED: the asynchronous operation had already completed"
      // (IVssAsync::Cancel): what it did stands, and the caller must undo it.
      const bool finished_first = op.cancel() == core::hr::vss_s_async_finished;
      // VSS settles a cancelled operation quickly; the bound keeps a hung service from
      // hanging us too.
      op.wait(kCancelAcknowledgeLimit);
      return interrupted
                 ? AsyncOutcome{AsyncEnd::interrupted, core::hr::error_cancelled, finished_first}
                 : AsyncOutcome{AsyncEnd::timed_out, core::hr::error_timeout, finished_first};
    }
  }
}

core::HResult await_phase(AsyncOperation& op, std::string_view phase, const WaitPolicy& policy,
                          bool* finished_first) {
  WaitProgress progress;
  if (policy.progress)
    progress = [&](std::chrono::milliseconds elapsed) { policy.progress(phase, elapsed); };
  const auto started = std::chrono::steady_clock::now();
  const AsyncOutcome outcome =
      wait_for(op, policy.timeout, policy.cancel, std::chrono::milliseconds(100), progress);
  // -v tells each phase and how long it took.
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  spdlog::info("{}: {} after {:.2f} s", phase,
               outcome.end == AsyncEnd::finished ? "done"
               : outcome.end == AsyncEnd::failed ? "failed"
               : outcome.end == AsyncEnd::timed_out ? "timed out"
                                                    : "interrupted",
               took.count());
  if (outcome.end == AsyncEnd::finished) return outcome.hr;
  if (finished_first) *finished_first = outcome.finished_first;
  std::string detail;
  std::string remedy;
  if (outcome.end == AsyncEnd::timed_out) {
    const std::string seconds = std::to_string(policy.timeout.count() / 1000);
    detail = "no answer within " + seconds + " s";
    remedy = "Give each phase longer with `--timeout SECONDS` (this run allowed " +
             seconds + "), or run again when the system is less busy.";
  }
  if (outcome.finished_first)
    detail += std::string(detail.empty() ? "" : "; ") + "it had completed before it was cancelled";
  throw core::Error({outcome.hr, std::string(phase), detail, {}, {}, remedy});
}

}  // namespace shadowctl::session
