// IVssAsync: how long an operation takes, how it ends, Wait, Cancel and QueryStatus.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "event_log.h"
#include "core/error_catalogue.h"
#include "lookup.h"
#include "model.h"
#include "os.h"

namespace shadowctl::emulator {

namespace hr = core::hr;
using core::HResult;

Async::Async(Service& service, std::string method, Completion complete,
             std::optional<AsyncFault> fault)
    : service_(service),
      method_(std::move(method)),
      complete_(std::move(complete)),
      fault_(std::move(fault)),
      started_(std::chrono::steady_clock::now()) {}

// An operation without a scenario of its own takes a little while, as on Windows: a
// requester that reads its status once without waiting sees VSS_S_ASYNC_PENDING.
constexpr std::chrono::milliseconds kDefaultDuration{20};

bool Async::due() const {
  if (!fault_) return std::chrono::steady_clock::now() >= started_ + kDefaultDuration;
  switch (fault_->kind) {
    case AsyncFault::Kind::hang:
    case AsyncFault::Kind::completes_at_cancel:
      return false;
    case AsyncFault::Kind::fail:
    case AsyncFault::Kind::late:
      return std::chrono::steady_clock::now() >=
             started_ + std::chrono::milliseconds(fault_->delay_ms);
  }
  return true;
}

void Async::finish_locked(std::optional<HResult> forced) {
  const bool failed_by_fault = !forced && fault_ && fault_->kind == AsyncFault::Kind::fail;
  if (failed_by_fault) forced = fault_->hr;
  const HResult result = complete_(forced);
  // The operation failed in the service: what the service logs for it.
  if (failed_by_fault)
    if (auto events = events_for_failed_call(method_, fault_->hr); !events.empty())
      service_.store().update([&](MachineState& m) {
        for (auto& e : events) write_event(m, std::move(e));
      });
  status_ = result == hr::s_ok ? hr::vss_s_async_finished : result;
  done_ = true;
  service_.journal().append({method_ + ":complete", "", status_, now_us(), now_us()});
  changed_.notify_all();
}

// IVssAsync::Wait blocks until the operation ends or the time runs out; QueryStatus then says
// which. https://learn.microsoft.com/windows/win32/api/vss/nf-vss-ivssasync-wait
// A scenario may fault the IVssAsync calls themselves ("IVssAsync::Wait" with "of": the
// operation): the call answers the fault and changes nothing, the operation runs on.
std::optional<HResult> Async::own_fault(const char* method) {
  // `when` counts the calls of this method on this operation's IVssAsync objects.
  const CallCount n = service_.count(std::string(method) + " of " + method_, &calls_);
  const auto fault = service_.scenario().fault_for(method, n, method_);
  if (!fault) return std::nullopt;
  if (fault->die) {
    service_.journal().append({method, method_ + ": the process dies here", 0, now_us(), now_us()});
    os::die_now();
  }
  service_.journal().append({method, method_, fault->hr, now_us(), now_us()});
  return fault->hr;
}

HResult Async::wait(std::uint32_t milliseconds) {
  if (const auto fault = own_fault("IVssAsync::Wait")) return *fault;
  std::unique_lock lock(mutex_);
  const auto deadline = milliseconds == 0xFFFFFFFFu ? std::chrono::steady_clock::time_point::max()
                                                    : std::chrono::steady_clock::now() +
                                                          std::chrono::milliseconds(milliseconds);
  while (!done_) {
    if (due()) {
      finish_locked(std::nullopt);
      break;
    }
    auto until = deadline;
    if (!fault_) until = std::min(until, started_ + kDefaultDuration);
    if (fault_ && fault_->kind != AsyncFault::Kind::hang &&
        fault_->kind != AsyncFault::Kind::completes_at_cancel)
      until = std::min(until, started_ + std::chrono::milliseconds(fault_->delay_ms));
    if (changed_.wait_until(lock, until) == std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= deadline && !due())
      break;
  }
  // Wait answers the operation's own failure once it has failed (IVssAsync::Wait).
  return done_ && core::failed(status_) ? status_ : hr::s_ok;
}

// Cancel: S_OK when it cancelled, VSS_S_ASYNC_FINISHED or VSS_S_ASYNC_CANCELLED when the
// operation had already ended.
// https://learn.microsoft.com/windows/win32/api/vss/nf-vss-ivssasync-cancel
HResult Async::cancel() {
  if (const auto fault = own_fault("IVssAsync::Cancel")) return *fault;
  std::unique_lock lock(mutex_);
  // An operation whose time has come has completed whether or not anyone waited for it; one
  // that races its Cancel (a scenario's completes_at_cancel) completes just before it.
  if (!done_ && (due() || (fault_ && fault_->kind == AsyncFault::Kind::completes_at_cancel)))
    finish_locked(std::nullopt);
  // After the end: its failure, or which way it ended (IVssAsync::Cancel).
  if (done_) {
    if (core::failed(status_)) return status_;
    return status_ == hr::vss_s_async_cancelled ? hr::vss_s_async_cancelled
                                                : hr::vss_s_async_finished;
  }
  finish_locked(hr::vss_s_async_cancelled);
  status_ = hr::vss_s_async_cancelled;
  return hr::s_ok;
}

HResult Async::query_status(HResult* status) {
  if (!status) return hr::e_invalidarg;
  if (const auto fault = own_fault("IVssAsync::QueryStatus")) return *fault;
  std::unique_lock lock(mutex_);
  if (!done_ && due()) finish_locked(std::nullopt);
  *status = status_;
  return hr::s_ok;
}

}  // namespace shadowctl::emulator
