#include <deque>

#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "session/async_wait.h"

namespace shadowctl::session {
namespace {

using namespace std::chrono_literals;

// Answers each wait() with the next scripted status; never blocks.
class ScriptedOperation final : public AsyncOperation {
 public:
  explicit ScriptedOperation(std::deque<core::HResult> statuses) : statuses_(std::move(statuses)) {}
  core::HResult wait(std::chrono::milliseconds) override {
    ++waits;
    if (cancelled) return core::hr::vss_s_async_cancelled;
    if (statuses_.size() > 1) {
      auto s = statuses_.front();
      statuses_.pop_front();
      return s;
    }
    return statuses_.front();
  }
  core::HResult cancel() override {
    cancelled = true;
    return core::hr::s_ok;
  }
  int waits = 0;
  bool cancelled = false;

 private:
  std::deque<core::HResult> statuses_;
};


TEST(WaitFor, ReturnsWhenTheOperationFinishes) {
  ScriptedOperation op({core::hr::vss_s_async_pending, core::hr::vss_s_async_pending, core::hr::vss_s_async_finished});
  CancelToken cancel;
  const auto r = wait_for(op, 60s, cancel);
  EXPECT_EQ(r.end, AsyncEnd::finished);
  EXPECT_EQ(op.waits, 3);
  EXPECT_FALSE(op.cancelled);
}

TEST(WaitFor, ReportsTheOperationsFailure) {
  ScriptedOperation op({core::hr::vss_s_async_pending, core::hr::vss_e_provider_veto});
  CancelToken cancel;
  const auto r = wait_for(op, 60s, cancel);
  EXPECT_EQ(r.end, AsyncEnd::failed);
  EXPECT_EQ(r.hr, core::hr::vss_e_provider_veto);
}

TEST(WaitFor, CancelsTheOperationAtTheDeadline) {
  ScriptedOperation op({core::hr::vss_s_async_pending});
  CancelToken cancel;
  const auto r = wait_for(op, 0ms, cancel);
  EXPECT_EQ(r.end, AsyncEnd::timed_out);
  EXPECT_EQ(r.hr, core::hr::error_timeout);
  EXPECT_TRUE(op.cancelled);
}

TEST(WaitFor, CancelsTheOperationWhenInterrupted) {
  ScriptedOperation op({core::hr::vss_s_async_pending});
  CancelToken cancel;
  cancel.request();
  const auto r = wait_for(op, 60s, cancel);
  EXPECT_EQ(r.end, AsyncEnd::interrupted);
  EXPECT_EQ(r.hr, core::hr::error_cancelled);
  EXPECT_TRUE(op.cancelled);
}

}  // namespace
}  // namespace shadowctl::session

namespace shadowctl::session {
namespace {

using namespace std::chrono_literals;

// Pending a fixed number of times, then finished; never blocks.
class CountdownOperation final : public AsyncOperation {
 public:
  explicit CountdownOperation(int pending) : pending_(pending) {}
  core::HResult wait(std::chrono::milliseconds) override {
    if (cancelled) return core::hr::vss_s_async_cancelled;
    return pending_-- > 0 ? core::hr::vss_s_async_pending : core::hr::vss_s_async_finished;
  }
  core::HResult cancel() override {
    cancelled = true;
    return core::hr::s_ok;
  }
  bool cancelled = false;

 private:
  int pending_;
};

TEST(AwaitPhase, ReportsProgressWithThePhaseWhilePending) {
  CountdownOperation op(3);
  CancelToken cancel;
  std::vector<std::string> phases;
  const WaitPolicy policy{10s, cancel, [&](std::string_view phase, std::chrono::milliseconds) {
                            phases.emplace_back(phase);
                          }};
  EXPECT_EQ(await_phase(op, "DoSnapshotSet", policy), core::hr::vss_s_async_finished);
  EXPECT_EQ(phases, (std::vector<std::string>(3, "DoSnapshotSet")));
}

TEST(AwaitPhase, InterruptionCancelsAndThrowsNamingThePhase) {
  CountdownOperation op(1000);
  CancelToken cancel;
  cancel.request();
  try {
    await_phase(op, "PrepareForBackup", {10s, cancel, {}});
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::error_cancelled);
    EXPECT_EQ(e.failure().phase, "PrepareForBackup");
  }
  EXPECT_TRUE(op.cancelled);
}

TEST(AwaitPhase, FailureOfTheOperationIsThrownAsIs) {
  class Failing final : public AsyncOperation {
   public:
    core::HResult wait(std::chrono::milliseconds) override { return core::hr::vss_e_provider_veto; }
    core::HResult cancel() override { return core::hr::s_ok; }
  } op;
  CancelToken cancel;
  try {
    await_phase(op, "DoSnapshotSet", {10s, cancel, {}});
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::vss_e_provider_veto);
  }
}

}  // namespace
}  // namespace shadowctl::session
