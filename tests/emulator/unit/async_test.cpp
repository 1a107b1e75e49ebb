// IVssAsync as the model serves it: late, hanging and failing operations.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "machine.h"
#include "os.h"

namespace shadowctl::emulator::test {
namespace {

TEST(EmulatorAsync, LateOperationIsPendingUntilItsTime) {
  Scenario s;
  s.add(AsyncFault{"PrepareForBackup", AsyncFault::Kind::late, 60'000, 0, 0});
  Machine m(s);
  auto r = m.requester();
  r->start_snapshot_set(nullptr);
  std::shared_ptr<Async> a;
  ASSERT_EQ(r->prepare_for_backup(&a), hr::s_ok);
  EXPECT_EQ(a->wait(0), hr::s_ok);
  HResult status = 0;
  a->query_status(&status);
  EXPECT_EQ(status, hr::vss_s_async_pending);
}

TEST(EmulatorAsync, HangingOperationEndsOnlyWhenCancelled) {
  Scenario s;
  s.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::hang, 0, 0, 0});
  Machine m(s);
  auto r = m.prepared();
  std::shared_ptr<Async> a;
  ASSERT_EQ(r->do_snapshot_set(&a), hr::s_ok);
  // A waiter blocked without a time limit is released by the cancel.
  std::thread waiter([&] { a->wait(kWaitForever); });
  HResult status = 0;
  a->query_status(&status);
  EXPECT_EQ(status, hr::vss_s_async_pending);
  EXPECT_EQ(a->cancel(), hr::s_ok);
  waiter.join();
  a->query_status(&status);
  EXPECT_EQ(status, hr::vss_s_async_cancelled);
  EXPECT_EQ(a->cancel(), hr::vss_s_async_cancelled);
  EXPECT_EQ(m.shadows(), 0u);
  std::shared_ptr<Async> b;
  EXPECT_EQ(r->backup_complete(&b), hr::vss_e_bad_state);
}

// An operation whose time has come has completed whether or not anyone waited: a Cancel
// then answers VSS_S_ASYNC_FINISHED and what it did stands (IVssAsync::Cancel).
TEST(EmulatorAsync, ACancelAfterTheOperationsTimeAnswersFinishedAndTheSetExists) {
  Scenario s;
  s.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::late, 0, 0, 0});  // due at once
  Machine m(s);
  auto r = m.prepared(context::app_rollback);
  std::shared_ptr<Async> a;
  ASSERT_EQ(r->do_snapshot_set(&a), hr::s_ok);
  EXPECT_EQ(a->cancel(), hr::vss_s_async_finished);
  EXPECT_EQ(m.shadows(), 1u);
  EXPECT_EQ(r->abort_backup(), hr::s_ok);
}

TEST(EmulatorAsync, CompletesAtCancelIsPendingToEveryWaitThenFinishedAtTheCancel) {
  Scenario s = Scenario::parse(R"({"async": [{"method": "DoSnapshotSet", "behaviour": "completes_at_cancel"}]})");
  Machine m(s);
  auto r = m.prepared(context::app_rollback);
  std::shared_ptr<Async> a;
  ASSERT_EQ(r->do_snapshot_set(&a), hr::s_ok);
  EXPECT_EQ(a->wait(10), hr::s_ok);
  HResult status = 0;
  a->query_status(&status);
  EXPECT_EQ(status, hr::vss_s_async_pending);
  EXPECT_EQ(m.shadows(), 0u);
  EXPECT_EQ(a->cancel(), hr::vss_s_async_finished);
  a->query_status(&status);
  EXPECT_EQ(status, hr::vss_s_async_finished);
  EXPECT_EQ(m.shadows(), 1u);
  EXPECT_EQ(r->abort_backup(), hr::s_ok);
}

TEST(EmulatorAsync, ProviderVetoShorthand) {
  Machine m(Scenario::parse(R"({"provider_veto": true})"));
  auto r = m.prepared();
  EXPECT_EQ(m.snapshot(*r), core::hr::vss_e_provider_veto);
}

TEST(EmulatorAsync, JournalRecordsCompletions) {
  Machine m;
  auto r = m.prepared();
  m.snapshot(*r);
  const auto methods = m.journal.methods();
  EXPECT_NE(std::find(methods.begin(), methods.end(), "DoSnapshotSet:complete"), methods.end());
}


TEST(EmulatorAsync, ReadOnceWithoutWaitingItIsStillPending) {
  Machine m;
  auto r = m.requester();
  std::shared_ptr<Async> a;
  ASSERT_EQ(r->gather_writer_status(&a), hr::s_ok);
  HResult status = 0;
  EXPECT_EQ(a->query_status(&status), hr::s_ok);
  EXPECT_EQ(status, hr::vss_s_async_pending) << "a requester that never waits must see PENDING";
  EXPECT_EQ(a->query_status(nullptr), hr::e_invalidarg);
  EXPECT_EQ(a->wait(kWaitForever), hr::s_ok);
  EXPECT_EQ(a->query_status(&status), hr::s_ok);
  EXPECT_EQ(status, hr::vss_s_async_finished);
}

TEST(EmulatorAsync, WaitAndCancelAnswerTheFailureOfAFailedOperation) {
  Machine m(Scenario::parse(R"({"provider_veto": true})"));
  auto r = m.prepared(context::app_rollback);
  std::shared_ptr<Async> a;
  ASSERT_EQ(r->do_snapshot_set(&a), hr::s_ok);
  EXPECT_EQ(a->wait(kWaitForever), core::hr::vss_e_provider_veto);
  EXPECT_EQ(a->cancel(), core::hr::vss_e_provider_veto);
  HResult status = 0;
  EXPECT_EQ(a->query_status(&status), hr::s_ok);
  EXPECT_EQ(status, core::hr::vss_e_provider_veto);
}

}  // namespace
}  // namespace shadowctl::emulator::test
