// Component mode and writer selection, as Microsoft documents them for requesters.
#include <gtest/gtest.h>

#include "machine.h"

namespace shadowctl::emulator::test {
namespace {

constexpr const char* kSqlWriter = "{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}";
constexpr const char* kSystemWriter = "{e8132975-6f93-4464-a53e-1050253ae220}";

// InitializeForBackup, SetBackupState(select), with `before` called before the gather.
std::unique_ptr<Requester> component_mode(Machine& m, bool select = true,
                                          const std::function<void(Requester&)>& before = {}) {
  std::unique_ptr<Requester> r;
  EXPECT_EQ(m.service.create_backup_components(r), hr::s_ok);
  EXPECT_EQ(r->initialize_for_backup({}), hr::s_ok);
  if (before) before(*r);
  EXPECT_EQ(r->set_backup_state(select, false, 5, false), hr::s_ok);
  EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_metadata(a); }), hr::vss_s_async_finished);
  return r;
}

std::vector<Writer> metadata(Requester& r) {
  std::vector<Writer> writers;
  EXPECT_EQ(r.writer_metadata(&writers), hr::s_ok);
  return writers;
}

AddedComponent sql_master(Requester& r) {
  for (const auto& w : metadata(r))
    if (w.id == kSqlWriter) return {w.instance_id, w.id, 1, "SQL01", "master", false, false};
  ADD_FAILURE() << "no SqlServerWriter";
  return {};
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-addcomponent
TEST(EmulatorComponents, AddComponentOnlyInComponentModeAfterTheGatherAndOnce) {
  Machine m;
  auto plain = component_mode(m, false);
  EXPECT_EQ(plain->add_component(sql_master(*plain)), hr::vss_e_bad_state) << "not component mode";

  std::unique_ptr<Requester> early;
  m.service.create_backup_components(early);
  early->initialize_for_backup({});
  early->set_backup_state(true, false, 5, false);
  EXPECT_EQ(early->add_component({"{00000000-0000-0000-0000-000000000001}", kSqlWriter, 1, "SQL01",
                                  "master", false, false}),
            hr::vss_e_bad_state)
      << "before GatherWriterMetadata";

  auto r = component_mode(m);
  const auto master = sql_master(*r);
  EXPECT_EQ(r->add_component(master), hr::s_ok);
  EXPECT_EQ(r->add_component(master), core::hr::vss_e_object_already_exists);
  auto unknown = master;
  unknown.name = "tempdb";
  EXPECT_EQ(r->add_component(unknown), hr::e_invalidarg) << "the writer did not describe it";
  auto stranger = master;
  stranger.instance_id = "{00000000-0000-0000-0000-000000000001}";
  EXPECT_EQ(r->add_component(stranger), hr::e_invalidarg) << "no such writer instance";
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setbackupsucceeded
TEST(EmulatorComponents, SetBackupSucceededBetweenDoSnapshotSetAndBackupComplete) {
  Machine m;
  auto r = component_mode(m);
  const auto master = sql_master(*r);
  ASSERT_EQ(r->add_component(master), hr::s_ok);
  std::string set, shadow;
  ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
  ASSERT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* a) { return r->prepare_for_backup(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(r->set_backup_succeeded(master, true), hr::vss_e_bad_state) << "before DoSnapshotSet";
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  auto model = master;
  model.name = "model";
  EXPECT_EQ(r->set_backup_succeeded(model, true), core::hr::vss_e_object_not_found) << "not added";
  EXPECT_EQ(r->set_backup_succeeded(master, true), hr::s_ok);
  std::string xml;
  ASSERT_EQ(r->save_as_xml(&xml), hr::s_ok);
  EXPECT_NE(xml.find("componentName=\"master\" componentType=\"database\" backupSucceeded=\"yes\""),
            std::string::npos)
      << xml;
  EXPECT_EQ(m.finish([&](auto* a) { return r->backup_complete(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(m.service.ledger().results_owed, 0);
  EXPECT_EQ(r->set_backup_succeeded(master, true), hr::vss_e_bad_state) << "after BackupComplete";
}

// Component mode over a set that lacks a component's volume ("Overview of the Backup
// Discovery Phase"): a writer that checks fails at the freeze with
// VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT; one that does not records what it was told.
struct SetOfD {
  Machine& m;
  std::unique_ptr<Requester> r;
  std::string set, shadow;
  explicit SetOfD(Machine& machine) : m(machine), r(component_mode(machine)) {
    EXPECT_EQ(r->add_component(sql_master(*r)), hr::s_ok);  // its files are on C:
    EXPECT_EQ(r->start_snapshot_set(&set), hr::s_ok);
    EXPECT_EQ(r->add_to_snapshot_set("D:\\", "", &shadow), hr::s_ok);
    EXPECT_EQ(m.finish([&](auto* a) { return r->prepare_for_backup(a); }), hr::vss_s_async_finished);
    EXPECT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  }
  Writer sql() {
    EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_status(a); }), hr::vss_s_async_finished);
    std::vector<Writer> writers;
    EXPECT_EQ(r->writer_status(&writers), hr::s_ok);
    for (const auto& w : writers)
      if (w.id == kSqlWriter) return w;
    ADD_FAILURE() << "no SqlServerWriter";
    return {};
  }
};

TEST(EmulatorComponents, AWriterGivenASetWithoutItsComponentsVolumeFailsAtTheFreeze) {
  Machine m;
  SetOfD backup(m);
  const Writer sql = backup.sql();
  EXPECT_EQ(sql.state, 8);  // VSS_WS_FAILED_AT_PREPARE_SNAPSHOT
  EXPECT_EQ(sql.failure, core::hr::vss_e_writererror_inconsistentsnapshot);
  EXPECT_EQ(backup.r->abort_backup(), hr::s_ok);
}

TEST(EmulatorComponents, AWriterThatDoesNotCheckRecordsWhatItWasTold) {
  auto state = default_machine();
  for (auto& w : state.writers)
    if (w.id == kSqlWriter) w.checks_volumes = false;
  Machine m({}, {}, state);
  SetOfD backup(m);
  EXPECT_EQ(backup.sql().state, 5);  // VSS_WS_WAITING_FOR_BACKUP_COMPLETE: it did not notice
  ASSERT_EQ(backup.r->set_backup_succeeded(sql_master(*backup.r), true), hr::s_ok);
  ASSERT_EQ(m.complete(*backup.r), hr::vss_s_async_finished);
  for (const auto& w : m.service.store().read().writers)
    if (w.id == kSqlWriter) {
      // A FULL backup of master recorded as made, though no copy of C: exists: what a
      // requester that ignores the rule leads a writer to believe (it may truncate logs).
      EXPECT_EQ(w.recorded_backups, std::vector<std::string>{"5 SQL01\\master succeeded"});
    }
}

TEST(EmulatorComponents, BackupCompleteBeforeEveryResultIsOwed) {
  Machine m;
  auto r = component_mode(m);
  ASSERT_EQ(r->add_component(sql_master(*r)), hr::s_ok);
  std::string set, shadow;
  r->start_snapshot_set(&set);
  r->add_to_snapshot_set("C:\\", "", &shadow);
  m.finish([&](auto* a) { return r->prepare_for_backup(a); });
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  EXPECT_EQ(m.finish([&](auto* a) { return r->backup_complete(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(m.service.ledger().results_owed, 1);
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-saveasxml
TEST(EmulatorComponents, SaveAsXmlNeverBeforePrepareForBackup) {
  Machine m;
  auto r = component_mode(m);
  std::string xml;
  EXPECT_EQ(r->save_as_xml(&xml), hr::vss_e_bad_state);
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-disablewriterclasses
TEST(EmulatorComponents, DisabledWritersAreNeitherDescribedNorAsked) {
  Machine m;
  auto r = component_mode(m, true, [](Requester& q) {
    EXPECT_EQ(q.disable_writer_classes({kSqlWriter}), hr::s_ok);
  });
  for (const auto& w : metadata(*r)) EXPECT_NE(w.id, kSqlWriter);
  EXPECT_EQ(metadata(*r).size(), 3u);
  EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_status(a); }), hr::vss_s_async_finished);
  std::vector<Writer> status;
  r->writer_status(&status);
  EXPECT_EQ(status.size(), 3u);

  // After the gather, the call has no effect.
  auto late = component_mode(m);
  EXPECT_EQ(late->disable_writer_classes({kSqlWriter}), hr::s_ok);
  EXPECT_EQ(metadata(*late).size(), 4u);
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-enablewriterclasses
TEST(EmulatorComponents, EnableWriterClassesEnablesOnlyThose) {
  Machine m;
  auto r = component_mode(m, true, [](Requester& q) {
    EXPECT_EQ(q.disable_writer_classes({kSqlWriter}), hr::s_ok);
    EXPECT_EQ(q.enable_writer_classes({kSqlWriter}), hr::s_ok);  // undoes the disable
    EXPECT_EQ(q.enable_writer_classes({kSystemWriter}), hr::s_ok);
  });
  const auto writers = metadata(*r);
  ASSERT_EQ(writers.size(), 2u);
  for (const auto& w : writers) EXPECT_TRUE(w.id == kSqlWriter || w.id == kSystemWriter) << w.name;
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setbackupoptions
TEST(EmulatorComponents, SetBackupOptionsForAComponentAddedBeforePrepareForBackup) {
  Machine m;
  auto r = component_mode(m);
  const auto master = sql_master(*r);
  EXPECT_EQ(r->set_backup_options(master, "COPY_ONLY"), core::hr::vss_e_object_not_found)
      << "not added yet";
  ASSERT_EQ(r->add_component(master), hr::s_ok);
  EXPECT_EQ(r->set_backup_options(master, "COPY_ONLY"), hr::s_ok);
  std::string set, shadow;
  ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
  ASSERT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* a) { return r->prepare_for_backup(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(r->set_backup_options(master, "LATE"), hr::vss_e_bad_state) << "after PrepareForBackup";
  std::vector<WriterComponents> document;
  ASSERT_EQ(r->writer_components(&document), hr::s_ok);
  ASSERT_EQ(document.size(), 1u);
  EXPECT_EQ(document[0].components.at(0).backup_options, "COPY_ONLY");
  EXPECT_EQ(r->abort_backup(), hr::s_ok);
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setselectedforrestore
TEST(EmulatorComponents, SetSelectedForRestoreIsRefusedInABackup) {
  Machine m;
  auto r = component_mode(m);
  const auto master = sql_master(*r);
  ASSERT_EQ(r->add_component(master), hr::s_ok);
  EXPECT_EQ(r->set_selected_for_restore(master, true), hr::vss_e_bad_state);
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-getwritercomponentscount
TEST(EmulatorComponents, WriterComponentsGroupTheDocumentByWriterWithEachResult) {
  Machine m;
  auto r = component_mode(m);
  std::vector<WriterComponents> document;
  EXPECT_EQ(r->writer_components(&document), hr::s_ok);
  EXPECT_TRUE(document.empty()) << "no component added yet";
  auto master = sql_master(*r);
  auto model = master;
  model.name = "model";
  AddedComponent system{};
  for (const auto& w : metadata(*r))
    if (w.id == kSystemWriter) system = {w.instance_id, w.id, 2, "", "System Files", false, false};
  for (const auto& c : {master, model, system}) ASSERT_EQ(r->add_component(c), hr::s_ok) << c.name;
  std::string set, shadow;
  ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
  ASSERT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* a) { return r->prepare_for_backup(a); }), hr::vss_s_async_finished);
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  EXPECT_EQ(r->set_backup_succeeded(master, true), hr::s_ok);
  EXPECT_EQ(r->set_backup_succeeded(model, false), hr::s_ok);
  EXPECT_EQ(r->set_backup_succeeded(system, true), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* a) { return r->backup_complete(a); }), hr::vss_s_async_finished);
  ASSERT_EQ(r->writer_components(&document), hr::s_ok);
  ASSERT_EQ(document.size(), 2u) << "two writers have components in the document";
  EXPECT_EQ(document[0].writer_id, kSqlWriter);
  ASSERT_EQ(document[0].components.size(), 2u);
  EXPECT_TRUE(document[0].components[0].succeeded);
  EXPECT_FALSE(document[0].components[1].succeeded)
      << "BackupComplete keeps each component's result";
  EXPECT_EQ(document[1].writer_id, kSystemWriter);
  EXPECT_EQ(m.service.ledger().results_owed, 0);
}

TEST(EmulatorComponents, WritersDescribeRestoreMethodsExclusionsLogsAndDependencies) {
  Machine m;
  auto r = component_mode(m);
  const auto writers = metadata(*r);
  const auto sql = std::find_if(writers.begin(), writers.end(),
                                [](const Writer& w) { return w.id == kSqlWriter; });
  ASSERT_NE(sql, writers.end());
  EXPECT_EQ(sql->restore.method, 2);  // VSS_RME_RESTORE_IF_CAN_REPLACE
  EXPECT_EQ(sql->alternate_locations.size(), 1u);
  EXPECT_NE(sql->backup_schema & 0x10, 0u) << "VSS_BS_COPY";
  EXPECT_EQ(sql->components.at(1).log_files.size(), 1u);
  ASSERT_EQ(sql->components.at(1).dependencies.size(), 1u);
  EXPECT_EQ(sql->components.at(1).dependencies[0].component_name, "master");
  const auto system = std::find_if(writers.begin(), writers.end(),
                                   [](const Writer& w) { return w.id == kSystemWriter; });
  ASSERT_NE(system, writers.end());
  EXPECT_EQ(system->excluded.size(), 1u);
  EXPECT_TRUE(system->restore.reboot_required);
  // Kept through the state file, as every other field.
  const auto round_trip = from_json_text(to_json_text(m.service.store().read()));
  EXPECT_EQ(round_trip.writers.at(3).components.at(1).dependencies.at(0).logical_path, "SQL01");
  EXPECT_EQ(round_trip.writers.at(3).alternate_locations.at(0).destination, "D:\\Restore\\SQL");
}

}  // namespace
}  // namespace shadowctl::emulator::test
