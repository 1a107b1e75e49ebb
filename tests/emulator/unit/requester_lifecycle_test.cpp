// The requester's snapshot lifecycle, one rule a test, against the model.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "machine.h"
#include "os.h"

namespace shadowctl::emulator::test {
namespace {

TEST(EmulatorLifecycle, DocumentedSequenceCreatesOneShadowPerVolume) {
  Machine m;
  auto r = m.prepared();
  EXPECT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  const auto state = m.service.store().read();
  ASSERT_EQ(state.shadows.size(), 1u);
  const Shadow& s = state.shadows[0];
  EXPECT_EQ(s.device_path, "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1");
  EXPECT_EQ(s.original_volume, state.volumes[0].name);
  EXPECT_FALSE(state.in_creation.has_value());
  EXPECT_EQ(m.finish([&](auto* a) { return r->backup_complete(a); }), hr::vss_s_async_finished);
}

TEST(EmulatorLifecycle, StartSnapshotSetNeedsInitialize) {
  Machine m;
  std::unique_ptr<Requester> r;
  m.service.create_backup_components(r);
  EXPECT_EQ(r->start_snapshot_set(nullptr), hr::vss_e_bad_state);
}

TEST(EmulatorLifecycle, OnlyOneSetInCreationOnTheMachine) {
  Machine m;
  auto a = m.requester();
  auto b = m.requester();
  EXPECT_EQ(a->start_snapshot_set(nullptr), hr::s_ok);
  EXPECT_EQ(b->start_snapshot_set(nullptr), hr::vss_e_snapshot_set_in_progress);
  EXPECT_EQ(a->abort_backup(), hr::s_ok);
  EXPECT_EQ(b->start_snapshot_set(nullptr), hr::s_ok);
}

TEST(EmulatorLifecycle, SetContextAfterStartSnapshotSetIsBadState) {
  Machine m;
  auto r = m.requester();
  r->start_snapshot_set(nullptr);
  EXPECT_EQ(r->set_context(context::client_accessible), hr::vss_e_bad_state);
}

TEST(EmulatorLifecycle, AddToSnapshotSetChecksTheVolume) {
  Machine m;
  m.service.store().update([](MachineState& s) { s.volumes[1].supported = false; });
  auto r = m.requester();
  std::string shadow;
  EXPECT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::vss_e_bad_state);  // no set yet
  r->start_snapshot_set(nullptr);
  EXPECT_EQ(r->add_to_snapshot_set("C:", "", &shadow), hr::e_invalidarg);
  EXPECT_EQ(r->add_to_snapshot_set("Q:\\", "", &shadow), core::hr::vss_e_object_not_found);
  EXPECT_EQ(r->add_to_snapshot_set("D:\\", "", &shadow), core::hr::vss_e_volume_not_supported);
  EXPECT_EQ(r->add_to_snapshot_set("c:\\", "", &shadow), hr::s_ok);
  EXPECT_EQ(r->add_to_snapshot_set(m.service.store().read().volumes[0].name, "", &shadow),
            core::hr::vss_e_object_already_exists);
  EXPECT_EQ(r->add_to_snapshot_set("C:\\", "{00000000-0000-4000-8000-000000000000}", &shadow),
            core::hr::vss_e_provider_not_registered);
}

TEST(EmulatorLifecycle, PrepareForBackupNeedsSetBackupState) {
  Machine m;
  std::unique_ptr<Requester> r;
  m.service.create_backup_components(r);
  r->initialize_for_backup({});
  r->start_snapshot_set(nullptr);
  std::shared_ptr<Async> a;
  EXPECT_EQ(r->prepare_for_backup(&a), hr::vss_e_bad_state);
}

TEST(EmulatorLifecycle, SetBackupStateRejectsUnknownBackupTypes) {
  Machine m;
  std::unique_ptr<Requester> r;
  m.service.create_backup_components(r);
  r->initialize_for_backup({});
  EXPECT_EQ(r->set_backup_state(false, false, 0, false), hr::e_invalidarg);
  EXPECT_EQ(r->set_backup_state(false, false, 7, false), hr::e_invalidarg);
  EXPECT_EQ(r->set_backup_state(false, false, 1, false), hr::s_ok);  // FULL
}

TEST(EmulatorLifecycle, DoSnapshotSetBeforePrepareIsBadState) {
  Machine m;
  auto r = m.requester();
  std::string shadow;
  r->start_snapshot_set(nullptr);
  r->add_to_snapshot_set("C:\\", "", &shadow);
  std::shared_ptr<Async> a;
  EXPECT_EQ(r->do_snapshot_set(&a), hr::vss_e_bad_state);
}

TEST(EmulatorLifecycle, BackupCompleteAfterFailedDoSnapshotSetIsRejected) {
  Scenario s;
  s.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::fail, 0, core::hr::vss_e_provider_veto, 0});
  Machine m(s);
  auto r = m.prepared();
  EXPECT_EQ(m.snapshot(*r), core::hr::vss_e_provider_veto);
  std::shared_ptr<Async> a;
  EXPECT_EQ(r->backup_complete(&a), hr::vss_e_bad_state);
  EXPECT_EQ(m.shadows(), 0u);
}

TEST(EmulatorLifecycle, FailedSetStaysInProgressUntilAbortBackup) {
  Scenario s;
  s.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::fail, 0, core::hr::vss_e_provider_veto, 0});
  Machine m(s);
  auto r = m.prepared();
  m.snapshot(*r);
  auto other = m.requester();
  EXPECT_EQ(other->start_snapshot_set(nullptr), hr::vss_e_snapshot_set_in_progress);
  r->abort_backup();
  EXPECT_EQ(other->start_snapshot_set(nullptr), hr::s_ok);
  EXPECT_EQ(m.service.ledger().aborts_owed, 0);
}

TEST(EmulatorLifecycle, ReleasingWithoutAbortBackupIsOwedInTheLedger) {
  Machine m;
  {
    auto r = m.requester();
    r->start_snapshot_set(nullptr);
  }
  const Ledger l = m.service.ledger();
  EXPECT_EQ(l.aborts_owed, 1);
  EXPECT_EQ(l.sets_left_unfinished, 1);
  EXPECT_FALSE(m.service.store().read().in_creation.has_value());
}

TEST(EmulatorLifecycle, AutoReleaseShadowsGoWithTheirObject) {
  Machine m;
  auto keeper = m.prepared(context::client_accessible);
  m.snapshot(*keeper);
  keeper.reset();
  {
    auto r = m.prepared();  // VSS_CTX_BACKUP: auto-release
    m.snapshot(*r);
    m.complete(*r);
    EXPECT_EQ(m.shadows(), 2u);
  }
  const auto state = m.service.store().read();
  ASSERT_EQ(state.shadows.size(), 1u);
  EXPECT_EQ(state.shadows[0].context, context::client_accessible);
  EXPECT_EQ(m.service.ledger().aborts_owed, 0);
}

// "Aborting VSS Operations": a requester that stops after PrepareForBackup aborts, so
// writers waiting for BackupComplete get OnAbort; releasing the object with writers still
// waiting is a leak, whatever became of the shadow copies.
TEST(EmulatorLifecycle, AnAbortIsOwedFromStartSnapshotSetUntilBackupCompleteReturns) {
  Machine m;
  {
    auto r = m.prepared(context::app_rollback);
    ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  }  // released with writers waiting
  EXPECT_EQ(m.service.ledger().aborts_owed, 1);
  EXPECT_EQ(m.service.ledger().writers_left_waiting, 1);
  {
    auto r = m.prepared(context::app_rollback);
    ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
    EXPECT_EQ(r->abort_backup(), hr::s_ok);
  }
  {
    auto r = m.prepared(context::app_rollback);
    ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
    ASSERT_EQ(m.complete(*r), hr::vss_s_async_finished);
  }
  EXPECT_EQ(m.service.ledger().aborts_owed, 1) << "neither the aborted nor the completed one owes";
  EXPECT_EQ(m.service.ledger().writers_left_waiting, 1);
  // Without writers the backup is over when DoSnapshotSet has succeeded.
  {
    auto r = m.prepared(context::nas_rollback);
    ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  }
  EXPECT_EQ(m.service.ledger().aborts_owed, 1);
}

TEST(EmulatorLifecycle, AbortBackupAfterTheSnapshotReturnsWritersToStable) {
  Machine m;
  auto r = m.prepared(context::app_rollback);
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  ASSERT_EQ(r->abort_backup(), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* a) { return r->gather_writer_status(a); }), hr::vss_s_async_finished);
  std::vector<Writer> writers;
  ASSERT_EQ(r->writer_status(&writers), hr::s_ok);
  for (const auto& w : writers) EXPECT_EQ(w.state, 1) << w.name;  // VSS_WS_STABLE
  EXPECT_EQ(m.shadows(), 1u) << "AbortBackup does not delete what DoSnapshotSet made";
}

TEST(EmulatorLifecycle, QueryShowsOnlyTheCurrentContextUnlessAll) {
  Machine m;
  auto a = m.prepared(context::client_accessible);
  m.snapshot(*a);
  auto b = m.prepared(context::app_rollback);
  m.snapshot(*b);
  std::vector<Shadow> found;
  std::unique_ptr<Requester> q;
  m.service.create_backup_components(q);
  q->initialize_for_backup({});
  EXPECT_EQ(q->query(&found), hr::s_false);  // VSS_CTX_BACKUP: none
  q->set_context(context::all);
  EXPECT_EQ(q->query(&found), hr::s_ok);
  EXPECT_EQ(found.size(), 2u);
  // A Query in one context, on an object of its own (one operation per object).
  auto only = m.requester(context::client_accessible);
  EXPECT_EQ(only->query(&found), hr::s_ok);
  EXPECT_EQ(found.size(), 1u);
}

TEST(EmulatorLifecycle, ClientAccessibleLimitIs64PerVolume) {
  Machine m;
  m.service.store().update([](MachineState& s) {
    for (int i = 0; i < kMaxClientAccessiblePerVolume; ++i) {
      Shadow sh;
      sh.id = new_guid();
      sh.original_volume = s.volumes[0].name;
      sh.attributes = context::client_accessible;
      sh.context = context::client_accessible;
      s.shadows.push_back(sh);
    }
  });
  auto ca = m.requester(context::client_accessible);
  ca->start_snapshot_set(nullptr);
  std::string shadow;
  EXPECT_EQ(ca->add_to_snapshot_set("C:\\", "", &shadow), core::hr::vss_e_maximum_number_of_snapshots_reached);
  ca->abort_backup();
  auto backup = m.requester();  // other contexts count toward 512 only
  backup->start_snapshot_set(nullptr);
  EXPECT_EQ(backup->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
}

TEST(EmulatorLifecycle, AnyVolumeHoldsAtMost512Shadows) {
  Machine m;
  m.service.store().update([](MachineState& s) {
    for (int i = 0; i < kMaxShadowsPerVolume; ++i) {
      Shadow sh;
      sh.id = new_guid();
      sh.original_volume = s.volumes[0].name;
      sh.context = context::app_rollback;
      sh.attributes = context::app_rollback;
      s.shadows.push_back(sh);
    }
  });
  auto r = m.requester();
  r->start_snapshot_set(nullptr);
  std::string shadow;
  EXPECT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), core::hr::vss_e_maximum_number_of_snapshots_reached);
  EXPECT_EQ(r->add_to_snapshot_set("D:\\", "", &shadow), hr::s_ok);
}

TEST(EmulatorLifecycle, ShadowStorageRunningOutFailsDoSnapshotSet) {
  Machine m;
  m.service.store().update([](MachineState& s) { s.storage[0].maximum = kShadowStorageCharge / 2; });
  auto r = m.prepared();
  EXPECT_EQ(m.snapshot(*r), core::hr::vss_e_insufficient_storage);
  EXPECT_EQ(m.shadows(), 0u);
}

TEST(EmulatorLifecycle, DeleteSnapshotsByIdAndBySet) {
  Machine m;
  auto r = m.prepared(context::client_accessible);
  m.snapshot(*r);
  const auto shadow = m.service.store().read().shadows[0];
  long deleted = -1;
  EXPECT_EQ(r->delete_snapshots("{00000000-0000-4000-8000-000000000000}", false, &deleted),
            core::hr::vss_e_object_not_found);
  EXPECT_EQ(r->delete_snapshots(shadow.set_id, true, &deleted), hr::s_ok);
  EXPECT_EQ(deleted, 1);
  Shadow props;
  EXPECT_EQ(r->get_snapshot_properties(shadow.id, &props), core::hr::vss_e_object_not_found);
}


// "Exposing and Surfacing Shadow Copied Volumes": only app-rollback and nas-rollback copies.
TEST(EmulatorExpose, OnlyAppRollbackAndNasRollbackCopiesCanBeExposed) {
  for (long ctx : {context::backup, context::client_accessible, context::app_rollback,
                   context::nas_rollback}) {
    Machine m;
    auto r = m.prepared(ctx);
    m.snapshot(*r);
    const auto id = m.service.store().read().shadows.at(0).id;
    std::string name;
    const bool exposable = ctx == context::app_rollback || ctx == context::nas_rollback;
    EXPECT_EQ(r->expose_snapshot(id, false, "X:", &name), exposable ? hr::s_ok : hr::e_invalidarg)
        << ctx;
  }
}

TEST(EmulatorExpose, LocallyTheNameIsALetterOrAFolderAndFreeAndOnlyOnce) {
  Machine m;
  auto r = m.prepared(context::app_rollback);
  m.snapshot(*r);
  const auto id = m.service.store().read().shadows.at(0).id;
  std::string name;
  // VSS chooses a name only for a remote exposure.
  EXPECT_EQ(r->expose_snapshot(id, false, "", &name), hr::e_invalidarg);
  EXPECT_EQ(r->expose_snapshot(id, false, "Mount", &name), hr::e_invalidarg);
  EXPECT_EQ(r->expose_snapshot(id, false, "C:", &name), core::hr::vss_e_object_already_exists);
  EXPECT_EQ(r->expose_snapshot(id, false, "C:\\Mount", &name), hr::e_invalidarg) << "missing";
  m.service.set_folder_probe([](const std::string& path) {
    return path == "C:\\Mount"  ? FolderState::empty_folder
           : path == "C:\\Full" ? FolderState::not_empty
                                : FolderState::not_a_folder;
  });
  EXPECT_EQ(r->expose_snapshot(id, false, "C:\\Full", &name), hr::e_invalidarg) << "not empty";
  EXPECT_EQ(r->expose_snapshot(id, false, "C:\\file.txt", &name), hr::e_invalidarg) << "a file";
  EXPECT_EQ(r->expose_snapshot(id, false, "C:\\Mount", &name), hr::s_ok);
  EXPECT_EQ(name, "C:\\Mount");
  Shadow props;
  r->get_snapshot_properties(id, &props);
  EXPECT_EQ(props.exposed_name, "C:\\Mount");
  EXPECT_NE(props.attributes & attr::exposed_locally, 0);
  EXPECT_EQ(r->expose_snapshot(id, false, "Y:", &name), core::hr::vss_e_object_already_exists);
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponentsex2-unexposesnapshot
TEST(EmulatorExpose, UnexposeTakesTheExposureAwayOnce) {
  Machine m;
  auto r = m.prepared(context::app_rollback);
  m.snapshot(*r);
  const auto id = m.service.store().read().shadows.at(0).id;
  std::string name;
  EXPECT_EQ(r->unexpose_snapshot(id), core::hr::vss_e_object_not_found) << "not exposed";
  ASSERT_EQ(r->expose_snapshot(id, true, "", &name), hr::s_ok);
  EXPECT_EQ(name.rfind("shadow", 0), 0u) << "VSS names a remote exposure: " << name;
  EXPECT_EQ(r->unexpose_snapshot(id), hr::s_ok);
  Shadow props;
  r->get_snapshot_properties(id, &props);
  EXPECT_EQ(props.exposed_name, "");
  EXPECT_EQ(props.attributes & (attr::exposed_locally | attr::exposed_remotely), 0);
  EXPECT_EQ(r->unexpose_snapshot(id), core::hr::vss_e_object_not_found);
  EXPECT_EQ(r->unexpose_snapshot("{00000000-0000-4000-8000-0000000000ff}"),
            core::hr::vss_e_object_not_found);
}

TEST(EmulatorContexts, WithoutWritersNoPrepareForBackupAndNoBackupComplete) {
  for (long ctx : {context::file_share_backup, context::nas_rollback, context::client_accessible}) {
    Machine m;
    auto r = m.requester(ctx);
    std::string set, shadow;
    ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
    ASSERT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
    std::shared_ptr<Async> a;
    EXPECT_EQ(r->prepare_for_backup(&a), hr::vss_e_bad_state) << ctx;
    EXPECT_EQ(m.snapshot(*r), hr::vss_s_async_finished) << "DoSnapshotSet needs no preparation";
    EXPECT_EQ(r->backup_complete(&a), hr::vss_e_bad_state) << ctx;
    EXPECT_EQ(m.shadows(), 1u);
  }
}

TEST(EmulatorContexts, WithWritersGatherWriterMetadataComesFirstAndAnEmptySetIsAllowed) {
  Machine m;
  std::unique_ptr<Requester> r;
  ASSERT_EQ(m.service.create_backup_components(r), hr::s_ok);
  ASSERT_EQ(r->initialize_for_backup({}), hr::s_ok);
  ASSERT_EQ(r->set_backup_state(false, false, 5, false), hr::s_ok);
  std::string set;
  ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* a) { return r->prepare_for_backup(a); }), hr::vss_s_async_finished);
  std::shared_ptr<Async> a;
  EXPECT_EQ(r->do_snapshot_set(&a), hr::vss_e_bad_state) << "no GatherWriterMetadata";

  auto ok = m.requester(context::app_rollback);
  ASSERT_EQ(ok->start_snapshot_set(&set), hr::vss_e_snapshot_set_in_progress);
  ASSERT_EQ(r->abort_backup(), hr::s_ok);
  ASSERT_EQ(ok->start_snapshot_set(&set), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* op) { return ok->prepare_for_backup(op); }), hr::vss_s_async_finished);
  EXPECT_EQ(m.snapshot(*ok), hr::vss_s_async_finished) << "components need not name volumes";
}

TEST(EmulatorContexts, SetContextTakesTheDocumentedCombinations) {
  for (long extra : {attr::transportable, attr::differential, attr::plex,
                     attr::transportable | attr::differential, attr::transportable | attr::plex}) {
    FreshRequester f;
    ASSERT_EQ(f.requester->initialize_for_backup({}), hr::s_ok);
    EXPECT_EQ(f.requester->set_context(context::app_rollback | extra), hr::s_ok) << extra;
  }
  FreshRequester f;
  ASSERT_EQ(f.requester->initialize_for_backup({}), hr::s_ok);
  EXPECT_EQ(f.requester->set_context(context::nas_rollback | attr::differential | attr::plex),
            hr::e_invalidarg);
}

TEST(EmulatorFaultsHaveNoSideEffects, AFaultedCallChangesNothing) {
  Machine m(Scenario::parse(R"({"faults": [
      {"method": "StartSnapshotSet", "hresult": "VSS_E_UNEXPECTED", "when": "first"},
      {"method": "AddToSnapshotSet", "hresult": "VSS_E_UNEXPECTED", "when": "first"},
      {"method": "DeleteSnapshots", "hresult": "VSS_E_UNEXPECTED", "when": "first"}]})"));
  auto r = m.requester(context::nas_rollback);
  std::string set, shadow;
  EXPECT_EQ(r->start_snapshot_set(&set), hr::vss_e_unexpected);
  EXPECT_FALSE(m.service.store().read().in_creation.has_value()) << "a faulted start starts nothing";
  ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
  EXPECT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::vss_e_unexpected);
  ASSERT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok) << "the faulted add added nothing";
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  long deleted = -1;
  EXPECT_EQ(r->delete_snapshots(set, true, &deleted), hr::vss_e_unexpected);
  EXPECT_EQ(m.shadows(), 1u) << "a faulted delete deletes nothing";
  EXPECT_EQ(m.service.ledger().aborts_owed, 0);
}

TEST(EmulatorFaultsHaveNoSideEffects, AFaultedInitializeLeavesTheObjectUninitialised) {
  FreshRequester f(Scenario::parse(R"({"faults": [
      {"method": "InitializeForBackup", "hresult": "E_ACCESSDENIED", "when": "first"}]})"));
  EXPECT_EQ(f.requester->initialize_for_backup({}), hr::e_accessdenied);
  EXPECT_EQ(f.requester->initialize_for_backup({}), hr::s_ok);
}

TEST(EmulatorStorage, ShadowStorageIsGivenBackWhenAShadowCopyGoes) {
  Machine m;
  const auto used = [&] { return m.service.store().read().storage[0].used; };
  for (int i = 0; i < 40; ++i) {  // more than the 10 GiB default holds at 320 MiB each
    auto r = m.prepared(context::nas_rollback);
    ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished) << i;
    const auto id = m.service.store().read().shadows.back().id;
    long deleted = 0;
    ASSERT_EQ(r->delete_snapshots(id, false, &deleted), hr::s_ok);
    EXPECT_EQ(used(), 0u);
  }
  {
    auto r = m.prepared(context::file_share_backup);  // auto-release
    ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
    EXPECT_EQ(used(), kShadowStorageCharge);
  }
  EXPECT_EQ(used(), 0u) << "released with its object";
}

}  // namespace
}  // namespace shadowctl::emulator::test
