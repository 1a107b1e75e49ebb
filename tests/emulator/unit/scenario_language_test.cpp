// The scenario language the fault matrices use: faults on IVssAsync itself, slow failures,
// writers failing at identify, not responding or missing, faults counted per object, and a
// DeleteSnapshots that fails part-way. (The process dying at a call is in process_test.cpp.)
#include <algorithm>

#include <gtest/gtest.h>

#include "machine.h"

namespace shadowctl::emulator::test {
namespace {

const Writer* named(const std::vector<Writer>& writers, const std::string& name) {
  const auto it =
      std::find_if(writers.begin(), writers.end(), [&](const Writer& w) { return w.name == name; });
  return it == writers.end() ? nullptr : &*it;
}

std::vector<Writer> gathered_status(Machine& m, Requester& r) {
  std::vector<Writer> w;
  EXPECT_EQ(m.finish([&](auto* a) { return r.gather_writer_status(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(r.writer_status(&w), hr::s_ok);
  return w;
}

TEST(EmulatorScenarioLanguage, WaitFaultAnswersTheFaultAndTheOperationRunsOn) {
  Machine m(Scenario::parse(R"({"faults": [{"method": "IVssAsync::Wait", "of": "DoSnapshotSet",
      "hresult": "E_OUTOFMEMORY", "when": "first"}]})"));
  auto r = m.prepared();
  std::shared_ptr<Async> a;
  ASSERT_EQ(r->do_snapshot_set(&a), hr::s_ok);
  EXPECT_EQ(a->wait(kWaitForever), hr::e_outofmemory);
  EXPECT_EQ(a->wait(kWaitForever), hr::s_ok) << "only the first Wait was faulted";
  HResult status = 0;
  EXPECT_EQ(a->query_status(&status), hr::s_ok);
  EXPECT_EQ(status, hr::vss_s_async_finished);
  EXPECT_EQ(m.shadows(), 1u);
  const auto methods = m.journal.methods();
  EXPECT_NE(std::find(methods.begin(), methods.end(), "IVssAsync::Wait"), methods.end())
      << "a faulted IVssAsync call is journalled";
}

TEST(EmulatorScenarioLanguage, AsyncFaultsNameTheirOperation) {
  Machine m(Scenario::parse(R"({"faults": [
      {"method": "IVssAsync::QueryStatus", "of": "PrepareForBackup", "hresult": "VSS_E_UNEXPECTED"},
      {"method": "IVssAsync::Cancel", "of": "DoSnapshotSet", "hresult": "E_ACCESSDENIED"}]})"));
  auto r = m.requester();
  std::string set, shadow;
  ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
  ASSERT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
  std::shared_ptr<Async> prepare;
  ASSERT_EQ(r->prepare_for_backup(&prepare), hr::s_ok);
  prepare->wait(kWaitForever);
  HResult status = 0;
  EXPECT_EQ(prepare->query_status(&status), hr::vss_e_unexpected);
  std::shared_ptr<Async> snapshot;
  ASSERT_EQ(r->do_snapshot_set(&snapshot), hr::s_ok);
  EXPECT_EQ(snapshot->cancel(), hr::e_accessdenied) << "a faulted Cancel cancels nothing";
  EXPECT_EQ(snapshot->query_status(&status), hr::s_ok) << "QueryStatus of another operation";
  snapshot->wait(kWaitForever);
  EXPECT_EQ(snapshot->query_status(&status), hr::s_ok);
  EXPECT_EQ(status, hr::vss_s_async_finished);
}

TEST(EmulatorScenarioLanguage, SlowThenFailingOperationIsPendingFirst) {
  Machine m(Scenario::parse(R"({"async": [{"method": "DoSnapshotSet", "behaviour": "fail",
      "hresult": "VSS_E_FLUSH_WRITES_TIMEOUT", "delay_ms": 300}]})"));
  auto r = m.prepared();
  std::shared_ptr<Async> a;
  ASSERT_EQ(r->do_snapshot_set(&a), hr::s_ok);
  HResult status = 0;
  EXPECT_EQ(a->query_status(&status), hr::s_ok);
  EXPECT_EQ(status, hr::vss_s_async_pending);
  EXPECT_EQ(a->wait(kWaitForever), hr::vss_e_flush_writes_timeout);
  EXPECT_EQ(a->query_status(&status), hr::s_ok);
  EXPECT_EQ(status, hr::vss_e_flush_writes_timeout);
  EXPECT_EQ(m.shadows(), 0u);
}

TEST(EmulatorScenarioLanguage, WriterFailingAtIdentifyGivesNoMetadataButReportsItsFailure) {
  Machine m(Scenario::parse(R"({"writers": [{"writer": "SqlServerWriter",
      "phase": "GatherWriterMetadata", "failure": "VSS_E_WRITERERROR_NONRETRYABLE"}]})"));
  auto r = m.requester();
  std::vector<Writer> metadata;
  ASSERT_EQ(r->writer_metadata(&metadata), hr::s_ok);
  EXPECT_EQ(named(metadata, "SqlServerWriter"), nullptr);
  EXPECT_NE(named(metadata, "System Writer"), nullptr);
  const auto status = gathered_status(m, *r);
  ASSERT_NE(named(status, "SqlServerWriter"), nullptr);
  EXPECT_EQ(named(status, "SqlServerWriter")->state, 6);  // VSS_WS_FAILED_AT_IDENTIFY
  EXPECT_EQ(named(status, "SqlServerWriter")->failure, core::hr::vss_e_writererror_nonretryable);
}

TEST(EmulatorScenarioLanguage, WriterNotRespondingAndWriterMissing) {
  Machine m(Scenario::parse(R"({"writers": [
      {"writer": "WMI Writer", "phase": "PrepareForBackup", "not_responding": true},
      {"writer": "Registry Writer", "missing": true}]})"));
  auto r = m.prepared();
  std::vector<Writer> metadata;
  ASSERT_EQ(r->writer_metadata(&metadata), hr::s_ok);
  EXPECT_EQ(named(metadata, "Registry Writer"), nullptr);
  const auto status = gathered_status(m, *r);
  EXPECT_EQ(named(status, "Registry Writer"), nullptr) << "a missing writer reports no status";
  ASSERT_NE(named(status, "WMI Writer"), nullptr);
  EXPECT_EQ(named(status, "WMI Writer")->state, 7);  // VSS_WS_FAILED_AT_PREPARE_BACKUP
  EXPECT_EQ(named(status, "WMI Writer")->failure, core::hr::vss_e_writer_not_responding);
}

TEST(EmulatorScenarioLanguage, FaultAndWriterFailureTogether) {
  Machine m(Scenario::parse(R"({"provider_veto": true, "writers": [{"writer": "SqlServerWriter",
      "phase": "DoSnapshotSet", "failure": "VSS_E_WRITERERROR_TIMEOUT"}]})"));
  auto r = m.prepared();
  EXPECT_EQ(m.snapshot(*r), core::hr::vss_e_provider_veto);
  const auto status = gathered_status(m, *r);
  ASSERT_NE(named(status, "SqlServerWriter"), nullptr);
  EXPECT_EQ(named(status, "SqlServerWriter")->state, 9);  // VSS_WS_FAILED_AT_FREEZE
  EXPECT_EQ(named(status, "SqlServerWriter")->failure, core::hr::vss_e_writererror_timeout);
  EXPECT_EQ(r->abort_backup(), hr::s_ok);
  EXPECT_EQ(m.shadows(), 0u);
}

TEST(EmulatorScenarioLanguage, PerObjectCountingHitsEachObjectsNthCall) {
  Machine m(Scenario::parse(R"({"faults": [{"method": "SetContext", "hresult": "E_OUTOFMEMORY",
      "when": 2, "per": "object"}]})"));
  for (int object = 0; object < 2; ++object) {
    std::unique_ptr<Requester> r;
    ASSERT_EQ(m.service.create_backup_components(r), hr::s_ok);
    ASSERT_EQ(r->initialize_for_backup({}), hr::s_ok);
    EXPECT_EQ(r->set_context(context::backup), hr::s_ok) << "object " << object;
    EXPECT_EQ(r->set_context(context::backup), hr::e_outofmemory) << "object " << object;
  }
  EXPECT_THROW(
      Scenario::parse(R"({"faults": [{"method": "X", "hresult": "S_OK", "per": "thread"}]})"),
      std::runtime_error);
}

TEST(EmulatorScenarioLanguage, DeleteSnapshotsFailsPartWayAndStopsThere) {
  auto state = default_machine();
  for (const char* id :
       {"{00000000-0000-4000-8000-000000000001}", "{00000000-0000-4000-8000-000000000002}",
        "{00000000-0000-4000-8000-000000000003}"}) {
    Shadow s;
    s.id = id;
    s.set_id = "{00000000-0000-4000-8000-0000000000aa}";
    s.shadows_in_set = 3;
    s.original_volume = state.volumes[0].name;
    s.context = context::app_rollback;
    s.attributes = attr::persistent | attr::no_auto_release;
    state.shadows.push_back(s);
  }
  Journal journal;
  Service service(
      Scenario::parse(R"({"delete_fails": [{"shadow": "{00000000-0000-4000-8000-000000000002}",
      "hresult": "VSS_E_UNEXPECTED_PROVIDER_ERROR"}]})"),
      journal, {}, state);
  std::unique_ptr<Requester> r;
  ASSERT_EQ(service.create_backup_components(r), hr::s_ok);
  ASSERT_EQ(r->initialize_for_backup({}), hr::s_ok);
  ASSERT_EQ(r->set_context(context::all), hr::s_ok);
  long deleted = -1;
  std::string not_deleted;
  EXPECT_EQ(
      r->delete_snapshots("{00000000-0000-4000-8000-0000000000aa}", true, &deleted, &not_deleted),
      core::hr::vss_e_unexpected_provider_error);
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(not_deleted, "{00000000-0000-4000-8000-000000000002}");
  const auto left = service.store().read().shadows;
  ASSERT_EQ(left.size(), 2u) << "the rest were not tried";
  EXPECT_EQ(left[0].id, "{00000000-0000-4000-8000-000000000002}");
  EXPECT_EQ(left[1].id, "{00000000-0000-4000-8000-000000000003}");
}

TEST(EmulatorMachineRules, PersistentShadowCopiesOnlyOnNtfs) {
  auto state = default_machine();
  state.volumes[1].file_system = "FAT32";
  Journal journal;
  Service service({}, journal, {}, state);
  auto add_d = [&](long ctx, const std::string& provider) {
    std::unique_ptr<Requester> r;
    EXPECT_EQ(service.create_backup_components(r), hr::s_ok);
    EXPECT_EQ(r->initialize_for_backup({}), hr::s_ok);
    EXPECT_EQ(r->set_context(ctx), hr::s_ok);
    std::string set, shadow;
    EXPECT_EQ(r->start_snapshot_set(&set), hr::s_ok);
    const HResult result = r->add_to_snapshot_set("D:\\", provider, &shadow);
    r->abort_backup();
    return result;
  };
  EXPECT_EQ(add_d(context::client_accessible, ""), core::hr::vss_e_volume_not_supported);
  EXPECT_EQ(add_d(context::nas_rollback, state.providers[0].id),
            core::hr::vss_e_volume_not_supported_by_provider);
  EXPECT_EQ(add_d(context::backup, ""), hr::s_ok) << "non-persistent copies of non-NTFS volumes";
  EXPECT_EQ(add_d(context::file_share_backup, ""), hr::s_ok);
}

TEST(EmulatorMachineRules, ClientAccessibleLimitComesFromTheMachine) {
  auto state = default_machine();
  state.max_client_accessible = 2;
  Journal journal;
  Machine m;
  Service service({}, journal, {}, state);
  for (int i = 0; i < 3; ++i) {
    std::unique_ptr<Requester> r;
    ASSERT_EQ(service.create_backup_components(r), hr::s_ok);
    ASSERT_EQ(r->initialize_for_backup({}), hr::s_ok);
    ASSERT_EQ(r->set_context(context::client_accessible), hr::s_ok);
    std::string set, shadow;
    ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
    const HResult added = r->add_to_snapshot_set("C:\\", "", &shadow);
    if (i < 2) {
      ASSERT_EQ(added, hr::s_ok);
      ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
    } else {
      EXPECT_EQ(added, core::hr::vss_e_maximum_number_of_snapshots_reached);
      EXPECT_EQ(r->abort_backup(), hr::s_ok);
    }
  }
  EXPECT_EQ(from_json_text(to_json_text(state)).max_client_accessible, 2)
      << "kept in the state file";
}

TEST(EmulatorMachineRules, QueryListsProvidersInAnyContext) {
  Machine m;
  auto r = m.requester();
  std::vector<Provider> providers;
  EXPECT_EQ(r->query_providers(&providers), hr::s_ok);
  ASSERT_EQ(providers.size(), 1u);
  EXPECT_EQ(providers[0].name, "Microsoft Software Shadow Copy provider 1.0");
}

TEST(EmulatorMachineRules, FreedMetadataIsGoneButTheBackupGoesOn) {
  Machine m;
  auto r = m.requester();
  EXPECT_EQ(r->free_writer_metadata(), hr::s_ok);
  std::vector<Writer> metadata;
  EXPECT_EQ(r->writer_metadata(&metadata), hr::vss_e_bad_state);
  std::string set, shadow;
  ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
  ASSERT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* a) { return r->prepare_for_backup(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
}

}  // namespace
}  // namespace shadowctl::emulator::test
