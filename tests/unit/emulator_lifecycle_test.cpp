// The emulator's rules for the snapshot lifecycle, one test each, against the model.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "model.h"
#include "os.h"

namespace shadowctl::emulator {
namespace {

namespace hr = core::hr;
using core::HResult;


// A requester walked to a given point of the documented call sequence.
struct Machine {
  Journal journal;
  Service service;
  explicit Machine(Scenario s = {}, std::string state_path = {})
      : service(std::move(s), journal, std::move(state_path)) {}

  std::unique_ptr<Requester> requester(long ctx = context::backup) {
    std::unique_ptr<Requester> r;
    EXPECT_EQ(service.create_backup_components(r), hr::s_ok);
    EXPECT_EQ(r->initialize_for_backup({}), hr::s_ok);
    if (ctx != context::backup) {
      EXPECT_EQ(r->set_context(ctx), hr::s_ok);
    }
    EXPECT_EQ(r->set_backup_state(false, false, 5, false), hr::s_ok);
    return r;
  }
  // StartSnapshotSet, AddToSnapshotSet(C:\), PrepareForBackup.
  std::unique_ptr<Requester> prepared(long ctx = context::backup) {
    auto r = requester(ctx);
    std::string set, shadow;
    EXPECT_EQ(r->start_snapshot_set(&set), hr::s_ok);
    EXPECT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
    EXPECT_EQ(finish([&](auto* a) { return r->prepare_for_backup(a); }), hr::vss_s_async_finished);
    return r;
  }
  template <typename Start>
  HResult finish(Start start) {
    std::shared_ptr<Async> a;
    const HResult started = start(&a);
    if (started != hr::s_ok) return started;
    a->wait(0xFFFFFFFF);
    HResult status = 0;
    a->query_status(&status);
    return status;
  }
  HResult snapshot(Requester& r) {
    return finish([&](auto* a) { return r.do_snapshot_set(a); });
  }
  std::size_t shadows() { return service.store().read().shadows.size(); }
};

TEST(EmulatorLifecycle, DocumentedSequenceCreatesOneShadowPerVolume) {
  Machine m;
  auto r = m.prepared();
  EXPECT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  const auto state = m.service.store().read();
  ASSERT_EQ(state.shadows.size(), 1u);
  const Shadow& s = state.shadows[0];
  EXPECT_EQ(s.device_object, "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1");
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
    EXPECT_EQ(m.shadows(), 2u);
  }
  const auto state = m.service.store().read();
  ASSERT_EQ(state.shadows.size(), 1u);
  EXPECT_EQ(state.shadows[0].context, context::client_accessible);
  EXPECT_EQ(m.service.ledger().aborts_owed, 0);
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
  EXPECT_EQ(a->query(&found), hr::s_ok);
  EXPECT_EQ(found.size(), 1u);
}

TEST(EmulatorLifecycle, ClientAccessibleLimitIs64PerVolume) {
  Machine m;
  m.service.store().update([](MachineState& s) {
    for (int i = 0; i < kMaxClientAccessibleShadowsPerVolume; ++i) {
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
  std::thread waiter([&] { a->wait(0xFFFFFFFF); });
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

TEST(EmulatorWriters, WriterFaultAppliesAtItsPhase) {
  Machine m(Scenario::parse(R"({"writers": [{"writer": "SqlServerWriter",
      "state": "VSS_WS_FAILED_AT_FREEZE", "failure": "VSS_E_WRITERERROR_RETRYABLE",
      "phase": "DoSnapshotSet"}]})"));
  auto r = m.prepared();
  auto status = [&] {
    std::vector<Writer> w;
    EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_status(a); }), hr::vss_s_async_finished);
    EXPECT_EQ(r->writer_status(&w), hr::s_ok);
    return *std::find_if(w.begin(), w.end(), [](const Writer& x) { return x.name == "SqlServerWriter"; });
  };
  EXPECT_EQ(status().state, 1);  // stable before DoSnapshotSet
  m.snapshot(*r);
  const Writer after = status();
  EXPECT_EQ(after.state, 9);
  EXPECT_EQ(after.failure, core::hr::vss_e_writererror_retryable);
}

TEST(EmulatorWriters, ScenarioRejectsUnknownStatesAndPhases) {
  EXPECT_THROW(Scenario::parse(R"({"writers": [{"writer": "X", "state": "BOGUS"}]})"),
               std::runtime_error);
  EXPECT_THROW(Scenario::parse(R"({"writers": [{"writer": "X", "state": 9, "phase": "Later"}]})"),
               std::runtime_error);
  EXPECT_THROW(Scenario::parse(R"({"async": [{"method": "X", "behaviour": "slow"}]})"),
               std::runtime_error);
}

class EmulatorState : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("shadowctl-state-" + std::to_string(os::current_process_id()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "state.json").string(); }
  std::filesystem::path dir_;
};

TEST_F(EmulatorState, SeparateServicesShareTheMachineThroughTheFile) {
  Machine one({}, path());
  Machine two({}, path());
  auto r = one.prepared(context::client_accessible);
  EXPECT_EQ(one.snapshot(*r), hr::vss_s_async_finished);
  EXPECT_EQ(two.shadows(), 1u);
  auto a = one.requester();
  a->start_snapshot_set(nullptr);
  auto b = two.requester();
  EXPECT_EQ(b->start_snapshot_set(nullptr), hr::vss_e_snapshot_set_in_progress);
}

TEST_F(EmulatorState, ShadowsOfADeadProcessAreGone) {
  {
    Machine m({}, path());
    m.service.store().update([](MachineState& s) {
      Shadow orphan;
      orphan.id = new_guid();
      orphan.owner_pid = 0x7FFFFFF0;  // no such process
      orphan.owner_object = "dead#1";
      s.shadows.push_back(orphan);
      s.in_creation = SetInCreation{new_guid(), 0x7FFFFFF0, "dead#1"};
    });
  }
  Machine m({}, path());
  const auto state = m.service.store().read();
  EXPECT_TRUE(state.shadows.empty());
  EXPECT_FALSE(state.in_creation.has_value());
}

TEST_F(EmulatorState, ConcurrentUpdatesLoseNothing) {
  Machine m({}, path());
  StateStore other(path(), default_machine());
  auto bump = [](StateStore& store) {
    for (int i = 0; i < 50; ++i)
      store.update([](MachineState& s) { ++s.next_device_number; });
  };
  std::thread t1([&] { bump(m.service.store()); });
  std::thread t2([&] { bump(other); });
  t1.join();
  t2.join();
  EXPECT_EQ(other.read().next_device_number, 101u);
}

}  // namespace
}  // namespace shadowctl::emulator

namespace shadowctl::emulator {
namespace {

TEST(EmulatorLifecycle, OnlyPersistentShadowsCanBeExposed) {
  Machine m;
  auto persistent = m.prepared(context::client_accessible);
  m.snapshot(*persistent);
  auto transient = m.prepared();
  m.snapshot(*transient);
  const auto shadows = m.service.store().read().shadows;
  const auto& p = shadows[0].context == context::client_accessible ? shadows[0] : shadows[1];
  const auto& t = shadows[0].context == context::client_accessible ? shadows[1] : shadows[0];
  std::string name;
  EXPECT_EQ(transient->expose_snapshot(t.id, false, "X:", &name), hr::e_invalidarg);
  EXPECT_EQ(persistent->expose_snapshot(p.id, false, "C:", &name), 0x8004230Du);  // in use
  EXPECT_EQ(persistent->expose_snapshot(p.id, false, "", &name), hr::s_ok);
  EXPECT_EQ(name, "Z:");
  Shadow props;
  persistent->get_snapshot_properties(p.id, &props);
  EXPECT_EQ(props.exposed_name, "Z:");
  EXPECT_NE(props.attributes & attr::exposed_locally, 0);
}

}  // namespace
}  // namespace shadowctl::emulator

namespace shadowctl::emulator {
namespace {

TEST(EmulatorManagement, ProvidersAndSupportedVolumes) {
  Machine m;
  m.service.store().update([](MachineState& s) { s.volumes[1].supported = false; });
  std::vector<Provider> providers;
  EXPECT_EQ(m.service.query_providers(&providers), hr::s_ok);
  ASSERT_EQ(providers.size(), 1u);
  std::vector<Volume> volumes;
  EXPECT_EQ(m.service.query_volumes_supported(providers[0].id, &volumes), hr::s_ok);
  ASSERT_EQ(volumes.size(), 1u);
  EXPECT_EQ(volumes[0].mount_points[0], "C:\\");
  EXPECT_EQ(m.service.query_volumes_supported("{00000000-0000-4000-8000-000000000000}", &volumes),
            core::hr::vss_e_provider_not_registered);
}

TEST(EmulatorManagement, DiffAreaAssociations) {
  Machine m;
  m.service.store().update([](MachineState& s) { s.storage.pop_back(); });  // D: has none
  EXPECT_EQ(m.service.add_diff_area("D:\\", "Q:\\", 1 << 30), core::hr::vss_e_object_not_found);
  EXPECT_EQ(m.service.add_diff_area("C:\\", "C:\\", 1 << 30), core::hr::vss_e_object_already_exists);
  EXPECT_EQ(m.service.add_diff_area("D:\\", "C:\\", 1 << 30), hr::s_ok);
  std::vector<Storage> on_c;
  EXPECT_EQ(m.service.query_diff_areas("C:\\", false, &on_c), hr::s_ok);
  EXPECT_EQ(on_c.size(), 2u);
  std::vector<Storage> for_d;
  EXPECT_EQ(m.service.query_diff_areas("D:\\", true, &for_d), hr::s_ok);
  ASSERT_EQ(for_d.size(), 1u);
  EXPECT_EQ(for_d[0].maximum, 1u << 30);
}

TEST(EmulatorManagement, ShrinkingStorageDeletesTheOldestShadows) {
  Machine m;
  std::vector<std::string> ids;
  std::vector<std::unique_ptr<Requester>> keep;
  for (int i = 0; i < 3; ++i) {
    auto r = m.prepared(context::client_accessible);
    m.snapshot(*r);
    keep.push_back(std::move(r));
  }
  const auto before = m.service.store().read().shadows;
  EXPECT_EQ(m.service.change_diff_area_maximum("C:\\", "C:\\",
                                               static_cast<std::int64_t>(kShadowStorageCharge)),
            hr::s_ok);
  const auto after = m.service.store().read();
  ASSERT_EQ(after.shadows.size(), 1u);
  EXPECT_EQ(after.shadows[0].id, before.back().id);  // the newest stays
  EXPECT_EQ(after.storage[0].used, kShadowStorageCharge);
  std::vector<Shadow> on_c;
  EXPECT_EQ(m.service.query_snapshots_by_volume("C:\\", &on_c), hr::s_ok);
  EXPECT_EQ(on_c.size(), 1u);
}

}  // namespace
}  // namespace shadowctl::emulator

namespace shadowctl::emulator {
namespace {

TEST(EmulatorWriters, MetadataIsGatheredOncePerObjectAndReadAfterwards) {
  Machine m;
  auto r = m.requester();
  std::vector<Writer> writers;
  EXPECT_EQ(r->writer_metadata(&writers), hr::vss_e_bad_state);
  EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_metadata(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(r->writer_metadata(&writers), hr::s_ok);
  EXPECT_EQ(writers.size(), 4u);
  EXPECT_EQ(writers[3].name, "SqlServerWriter");
  EXPECT_EQ(writers[3].components, (std::vector<std::string>{"master", "model"}));
  std::shared_ptr<Async> again;
  EXPECT_EQ(r->gather_writer_metadata(&again), hr::vss_e_bad_state);
  EXPECT_EQ(r->free_writer_metadata(), hr::s_ok);
  EXPECT_EQ(r->writer_metadata(&writers), hr::vss_e_bad_state);
}

}  // namespace
}  // namespace shadowctl::emulator
