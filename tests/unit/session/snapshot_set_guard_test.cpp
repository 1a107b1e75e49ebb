// The cleanup rules, driven through the product's session interface against the emulator,
// asserted from what the emulator's journal and machine state show afterwards.
#include <algorithm>

#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/vss.h"
#include "session/async_wait.h"
#include "session/open.h"
#include "session/snapshot_set_guard.h"
#include "sim_backend.h"

namespace shadowctl::session {
namespace {

using emulator::AsyncFault;
using emulator::Scenario;
using emulator::SimBackend;
using namespace std::chrono_literals;

bool called(SimBackend& machine, const std::string& method) {
  const auto m = machine.journal().methods();
  return std::find(m.begin(), m.end(), method) != m.end();
}

core::HResult finish(Async& op) {
  CancelToken never;
  return wait_for(*op, 10s, never, 10ms).hr;
}

// A persistent set of C:, walked up to PrepareForBackup.
void prepare(BackupComponents& c, SnapshotSetGuard& guard) {
  ASSERT_EQ(c.set_context(core::vss::context::app_rollback), core::hr::s_ok);
  ASSERT_EQ(c.set_backup_state(false, false, core::vss::backup_type::copy, false), core::hr::s_ok);
  Async metadata;
  ASSERT_EQ(c.gather_writer_metadata(metadata), core::hr::s_ok);
  ASSERT_EQ(finish(metadata), core::hr::vss_s_async_finished);
  std::string set_id, shadow_id;
  ASSERT_EQ(c.start_snapshot_set(set_id), core::hr::s_ok);
  guard.started(set_id);
  ASSERT_EQ(c.add_to_snapshot_set("C:\\", "", shadow_id), core::hr::s_ok);
  Async prepared;
  ASSERT_EQ(c.prepare_for_backup(prepared), core::hr::s_ok);
  ASSERT_EQ(finish(prepared), core::hr::vss_s_async_finished);
}

// DoSnapshotSet to its end; its final status.
core::HResult snapshot(BackupComponents& c) {
  Async op;
  const core::HResult started = c.do_snapshot_set(op);
  return core::failed(started) ? started : finish(op);
}

TEST(SnapshotSetGuard, FailureBeforeDoSnapshotSetAbortsAndLeavesNoSetInCreation) {
  SimBackend machine;
  {
    auto c = open_backup_components(machine.system());
    SnapshotSetGuard guard(*c);
    prepare(*c, guard);
    // The run fails here; leaving scope is the only cleanup it does.
  }
  EXPECT_TRUE(called(machine, "AbortBackup"));
  EXPECT_FALSE(machine.service().store().read().in_creation.has_value());
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
}

TEST(SnapshotSetGuard, FailedDoSnapshotSetAbortsAndForbidsBackupComplete) {
  Scenario veto;
  veto.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::fail, 0,
                      core::hr::vss_e_provider_veto, 0});
  SimBackend machine(veto);
  Cleanup cleanup;
  {
    auto c = open_backup_components(machine.system());
    SnapshotSetGuard guard(*c);
    prepare(*c, guard);
    ASSERT_EQ(snapshot(*c), core::hr::vss_e_provider_veto);
    EXPECT_FALSE(guard.may_complete());
    cleanup = guard.undo();
  }
  EXPECT_TRUE(cleanup.aborted);
  EXPECT_FALSE(cleanup.set_deleted);
  EXPECT_FALSE(called(machine, "BackupComplete"));
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
  EXPECT_FALSE(machine.service().store().read().in_creation.has_value());
}

TEST(SnapshotSetGuard, FailureAfterDoSnapshotSetAbortsThenDeletesTheSetItMade) {
  SimBackend machine;
  Cleanup cleanup;
  {
    auto c = open_backup_components(machine.system());
    SnapshotSetGuard guard(*c);
    prepare(*c, guard);
    ASSERT_EQ(snapshot(*c), core::hr::vss_s_async_finished);
    guard.created({"{shadow}"}, true);
    EXPECT_TRUE(guard.may_complete());
    ASSERT_EQ(machine.service().store().read().shadows.size(), 1u);
    cleanup = guard.undo();  // e.g. GetSnapshotProperties failed
  }
  EXPECT_TRUE(cleanup.set_deleted);
  EXPECT_EQ(cleanup.shadows_deleted, 1);
  // Writers wait for BackupComplete: the backup is abandoned before the set goes.
  EXPECT_TRUE(cleanup.aborted);
  const auto m = machine.journal().methods();
  EXPECT_LT(std::find(m.begin(), m.end(), "AbortBackup"), std::find(m.begin(), m.end(), "DeleteSnapshots"));
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
  EXPECT_EQ(machine.service().ledger().writers_left_waiting, 0);
}

TEST(SnapshotSetGuard, FailureAfterBackupCompleteOnlyDeletes) {
  SimBackend machine;
  Cleanup cleanup;
  {
    auto c = open_backup_components(machine.system());
    SnapshotSetGuard guard(*c);
    prepare(*c, guard);
    ASSERT_EQ(snapshot(*c), core::hr::vss_s_async_finished);
    guard.created({"{shadow}"}, true);
    Async complete;
    ASSERT_EQ(c->backup_complete(complete), core::hr::s_ok);
    ASSERT_EQ(finish(complete), core::hr::vss_s_async_finished);
    guard.completed();
    EXPECT_FALSE(guard.may_complete());
    cleanup = guard.undo();
  }
  EXPECT_FALSE(cleanup.aborted);
  EXPECT_TRUE(cleanup.set_deleted);
  EXPECT_FALSE(called(machine, "AbortBackup"));
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
}

TEST(SnapshotSetGuard, ReleasedWhileWritersWaitForBackupCompleteIsALeak) {
  // The rule the guard keeps, shown by breaking it: a set made and then neither completed
  // nor aborted leaves writers waiting and an abort owed.
  SimBackend machine;
  {
    auto c = open_backup_components(machine.system());
    SnapshotSetGuard guard(*c);
    prepare(*c, guard);
    ASSERT_EQ(snapshot(*c), core::hr::vss_s_async_finished);
    guard.keep();  // the mistake
  }
  EXPECT_EQ(machine.service().ledger().aborts_owed, 1);
  EXPECT_EQ(machine.service().ledger().writers_left_waiting, 1);
}

TEST(SnapshotSetGuard, KeptSetIsLeftAsItIs) {
  SimBackend machine;
  {
    auto c = open_backup_components(machine.system());
    SnapshotSetGuard guard(*c);
    prepare(*c, guard);
    ASSERT_EQ(snapshot(*c), core::hr::vss_s_async_finished);
    guard.created({"{shadow}"}, true);
    Async complete;
    ASSERT_EQ(c->backup_complete(complete), core::hr::s_ok);
    ASSERT_EQ(finish(complete), core::hr::vss_s_async_finished);
    guard.completed();
    guard.keep();
  }
  EXPECT_FALSE(called(machine, "AbortBackup"));
  EXPECT_FALSE(called(machine, "DeleteSnapshots"));
  EXPECT_EQ(machine.service().store().read().shadows.size(), 1u);
}

TEST(SnapshotSetGuard, NothingStartedNothingUndone) {
  SimBackend machine;
  {
    auto c = open_backup_components(machine.system());
    SnapshotSetGuard guard(*c);
  }
  EXPECT_FALSE(called(machine, "AbortBackup"));
  EXPECT_FALSE(called(machine, "DeleteSnapshots"));
}

TEST(SnapshotSetGuard, UndoRunsOnce) {
  SimBackend machine;
  {
    auto c = open_backup_components(machine.system());
    SnapshotSetGuard guard(*c);
    prepare(*c, guard);
    EXPECT_TRUE(guard.undo().aborted);
    guard.undo();
  }
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::count(m.begin(), m.end(), "AbortBackup"), 1);
}

TEST(OpenBackupComponents, MissingPrivilegeStopsBeforeAnyVssCall) {
  SimBackend machine;
  machine.facts().privilege = {0, false, false, false};
  try {
    open_backup_components(machine.system());
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::error_privilege_not_held);
    EXPECT_EQ(e.failure().phase, "SeBackupPrivilege");
  }
  EXPECT_TRUE(machine.journal().methods().empty());
}

}  // namespace
}  // namespace shadowctl::session
