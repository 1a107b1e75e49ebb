// `shadowctl create`, in-process against the emulator: what the user sees, and what the
// machine holds afterwards.
#include <algorithm>

#include <gtest/gtest.h>
#include "cli/app.h"
#include <spdlog/spdlog.h>
#include <sstream>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::AsyncFault;
using emulator::Scenario;
using emulator::SimBackend;

bool called(SimBackend& machine, const std::string& method) {
  const auto m = machine.journal().methods();
  return std::find(m.begin(), m.end(), method) != m.end();
}

// What every failed create must leave: no shadow copy, no set in creation, nothing owed.
void expect_nothing_left(SimBackend& machine) {
  const auto state = machine.service().store().read();
  EXPECT_TRUE(state.shadows.empty());
  EXPECT_FALSE(state.in_creation.has_value());
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
  EXPECT_EQ(machine.service().ledger().sets_left_unfinished, 0);
}

TEST(CliCreate, DefaultIsAPersistentSetWithWritersInCopyMode) {
  SimBackend machine;
  const auto r = run_cli({"create", "C:"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("Created set {"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(app-rollback, 1 shadow copy)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  C:\\  \\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\n"),
            std::string::npos)
      << r.out;
  const auto m = machine.journal().methods();
  for (const char* step : {"GatherWriterMetadata", "IsVolumeSupported", "StartSnapshotSet",
                           "AddToSnapshotSet", "PrepareForBackup", "DoSnapshotSet",
                           "GetSnapshotProperties", "BackupComplete", "FreeWriterMetadata"})
    EXPECT_TRUE(called(machine, step)) << step;
  EXPECT_NE(std::find(m.begin(), m.end(), "SetBackupState"), m.end());
  const auto state = machine.service().store().read();
  ASSERT_EQ(state.shadows.size(), 1u) << "persistent: outlives the run";
  EXPECT_FALSE(state.in_creation.has_value());
}

TEST(CliCreate, JsonCarriesTheSetAndEachShadowCopy) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "c", "D:\\", "--backup-type", "full"}, machine);
  EXPECT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"]["context"], "app-rollback");
  EXPECT_EQ(doc["result"]["backup_type"], "full");
  ASSERT_EQ(doc["result"]["shadows"].size(), 2u);
  EXPECT_EQ(doc["result"]["shadows"][0]["set_id"], doc["result"]["set_id"]);
  EXPECT_EQ(doc["result"]["shadows"][1]["original_mount_points"][0], "D:\\");
}

TEST(CliCreate, NoWritersPicksTheWriterlessContextAndSkipsWriterCalls) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "C", "--no-writers"}, machine);
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["result"]["context"], "nas-rollback");
  EXPECT_FALSE(called(machine, "PrepareForBackup"));
  EXPECT_FALSE(called(machine, "BackupComplete"));
  EXPECT_FALSE(called(machine, "GatherWriterMetadata"));
}

TEST(CliCreate, NonPersistentContextWarnsAndIsGoneAfterTheRun) {
  SimBackend machine;
  const auto r = run_cli({"create", "C", "--context", "backup"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.err.find("warning: the 'backup' context is not persistent"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("shadowctl exec"), std::string::npos);
  // The result itself says the copies are gone, not only a warning.
  EXPECT_NE(r.out.find("; not kept: they were deleted as shadowctl exited"), std::string::npos)
      << r.out;
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
  const auto doc = nlohmann::json::parse(run_cli({"--json", "create", "C", "--context", "backup"},
                                                 machine).out);
  EXPECT_EQ(doc["result"]["kept"], false);
  EXPECT_EQ(nlohmann::json::parse(run_cli({"--json", "create", "C"}, machine).out)["result"]["kept"],
            true);
}

// A shadow copy has one shape wherever it appears: create's is the one list shadows shows,
// provider name and mount point included.
TEST(CliCreate, ItsShadowCopiesAreTheOnesListShadowsShows) {
  SimBackend machine;
  const auto made = nlohmann::json::parse(run_cli({"--json", "create", "C"}, machine).out);
  const auto listed = nlohmann::json::parse(run_cli({"--json", "list", "shadows"}, machine).out);
  ASSERT_EQ(listed["result"].size(), 1u);
  const auto& created = made["result"]["shadows"][0];
  EXPECT_FALSE(created["provider_name"].is_null()) << created;
  EXPECT_FALSE(created["original_mount_points"].empty()) << created;
  EXPECT_EQ(created, listed["result"][0]);
}

TEST(CliCreate, ABackupTypeWithoutWritersIsRefused) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "C", "--backup-type", "full", "--no-writers"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(nlohmann::json::parse(r.out)["error"]["detail"].get<std::string>().find(
                "--backup-type full needs writers"),
            std::string::npos)
      << r.out;
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::find(m.begin(), m.end(), "StartSnapshotSet"), m.end());
}

// VSS does not say whose shadow storage ran out: the set's volume is named, and the remedy is
// shadowctl's own commands for it.
TEST(CliCreate, FullShadowStorageNamesTheVolumeAndTheCommandsThatMakeRoom) {
  Scenario full;
  full.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::fail, 0,
                      core::hr::vss_e_insufficient_storage, 0});
  SimBackend machine(full);
  const auto r = run_cli({"--json", "create", "C"}, machine);
  const auto error = nlohmann::json::parse(r.out)["error"];
  EXPECT_EQ(error["name"], "VSS_E_INSUFFICIENT_STORAGE");
  EXPECT_NE(error["detail"].get<std::string>().find("the shadow storage of C:\\ is full"),
            std::string::npos)
      << r.out;
  const std::string remedy = error["remedy"];
  EXPECT_NE(remedy.find("`shadowctl delete --volume C:\\ --oldest`"), std::string::npos) << remedy;
  EXPECT_NE(remedy.find("`shadowctl storage resize --for C:\\ --max 20%`"), std::string::npos)
      << remedy;
  expect_nothing_left(machine);
}

TEST(CliCreate, ProviderVetoAbortsAndSaysNothingWasCreated) {
  Scenario veto;
  veto.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::fail, 0, core::hr::vss_e_provider_veto, 0});
  SimBackend machine(veto);
  const auto r = run_cli({"--json", "create", "C"}, machine);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_PROVIDER_VETO");
  EXPECT_EQ(doc["error"]["phase"], "DoSnapshotSet");
  // What the cleanup did has a field of its own.
  EXPECT_EQ(doc["error"]["undone"], "AbortBackup called; no shadow copy was created");
  EXPECT_EQ(r.exit, doc["exit_code"]);
  EXPECT_NE(r.exit, 0);
  EXPECT_TRUE(called(machine, "AbortBackup"));
  EXPECT_FALSE(called(machine, "BackupComplete"));
  expect_nothing_left(machine);
}

TEST(CliCreate, WriterFailingAtFreezeExitsFiveAndDeletesTheSet) {
  SimBackend machine(Scenario::parse(R"({"writers": [{"writer": "SqlServerWriter",
      "state": "VSS_WS_FAILED_AT_FREEZE", "failure": "VSS_E_WRITERERROR_RETRYABLE",
      "phase": "DoSnapshotSet"}]})"));
  const auto r = run_cli({"create", "C"}, machine);
  EXPECT_EQ(r.exit, 5);
  EXPECT_NE(r.err.find("writer 'SqlServerWriter' is VSS_WS_FAILED_AT_FREEZE after DoSnapshotSet"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("the set this run made was deleted (1 shadow copy)"), std::string::npos)
      << r.err;
  // A writer with a service of its own: the remedy names it.
  EXPECT_NE(r.err.find("The writer runs in the SQLWriter service"), std::string::npos) << r.err;
  EXPECT_FALSE(called(machine, "BackupComplete"));
  expect_nothing_left(machine);
}

TEST(CliCreate, WriterFailingAtPrepareAbortsBeforeTheSnapshot) {
  SimBackend machine(Scenario::parse(R"({"writers": [{"writer": "System Writer",
      "state": "VSS_WS_FAILED_AT_PREPARE_BACKUP", "phase": "PrepareForBackup"}]})"));
  const auto r = run_cli({"create", "C"}, machine);
  EXPECT_EQ(r.exit, 5);
  EXPECT_FALSE(called(machine, "DoSnapshotSet"));
  EXPECT_TRUE(called(machine, "AbortBackup"));
  expect_nothing_left(machine);
}

TEST(CliCreate, HangingPhaseTimesOutNamingItAndCleansUp) {
  Scenario hang;
  hang.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::hang, 0, 0, 0});
  SimBackend machine(hang);
  const auto r = run_cli({"create", "C", "--timeout", "1"}, machine);
  EXPECT_EQ(r.exit, 6);
  EXPECT_NE(r.err.find("ERROR_TIMEOUT (0x800705B4) during DoSnapshotSet"), std::string::npos)
      << r.err;
  EXPECT_TRUE(called(machine, "DoSnapshotSet:complete")) << "cancelled and settled";
  expect_nothing_left(machine);
}

TEST(CliCreate, UnsupportedVolumeIsNamedBeforeAnythingStarts) {
  auto state = emulator::default_machine();
  state.volumes[1].supported = false;
  SimBackend machine({}, {}, state);
  const auto r = run_cli({"create", "C", "D"}, machine);
  EXPECT_NE(r.exit, 0);
  EXPECT_NE(r.err.find("VSS_E_VOLUME_NOT_SUPPORTED"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no provider can shadow \\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000d}"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(called(machine, "StartSnapshotSet"));
  expect_nothing_left(machine);
}

TEST(CliCreate, ScriptIsWrittenOnlyWhenTheWholeSetSucceeded) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "C", "--script", "C:\\set.cmd"}, machine);
  EXPECT_EQ(r.exit, 0) << r.out;
  const auto set_id = nlohmann::json::parse(r.out)["result"]["set_id"].get<std::string>();
  ASSERT_EQ(machine.files().count("C:\\set.cmd"), 1u);
  EXPECT_NE(machine.files().at("C:\\set.cmd").find("SET \"SHADOWCTL_SET_ID=" + set_id + "\""),
            std::string::npos);

  SimBackend vetoed(Scenario::parse(R"({"provider_veto": true})"));
  EXPECT_NE(run_cli({"create", "C", "--script", "C:\\set.ps1"}, vetoed).exit, 0);
  EXPECT_TRUE(vetoed.files().empty()) << "a failed set writes no script";
}

TEST(CliCreate, AScriptThatCannotBeWrittenFailsTheRunAndDeletesTheSet) {
  SimBackend machine;
  machine.facts().folders["C:\\Windows"] = kFolder;
  machine.facts().write_error = core::hr::e_accessdenied;
  const auto r = run_cli({"create", "C", "--script", "C:\\Windows\\set.cmd"}, machine);
  EXPECT_EQ(r.exit, 3);
  EXPECT_NE(r.err.find("cannot write 'C:\\Windows\\set.cmd'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the set this run made was deleted"), std::string::npos) << r.err;
  expect_nothing_left(machine);
}

// A full disk under --script: the run fails with ERROR_DISK_FULL (exit 1, retryable) and the
// set it made is deleted.
TEST(CliCreate, AScriptOnAFullDiskFailsTheRunAndDeletesTheSet) {
  SimBackend machine;
  machine.facts().folders["D:\\full"] = kFolder;
  machine.facts().write_error = core::hresult_from_win32(112);  // ERROR_DISK_FULL
  const auto r = run_cli({"--json", "create", "C", "--script", "D:\\full\\set.ps1"}, machine);
  EXPECT_EQ(r.exit, 1);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "ERROR_DISK_FULL");
  EXPECT_EQ(doc["error"]["retryable"], true);
  EXPECT_NE(doc["error"]["undone"].get<std::string>().find("the set this run made was deleted"),
            std::string::npos)
      << r.out;
  expect_nothing_left(machine);
}

TEST(CliCreate, BadArgumentsAreUsageErrorsAndTouchNothing) {
  SimBackend machine;
  EXPECT_EQ(run_cli({"create"}, machine).exit, 2);
  const auto context = run_cli({"create", "C", "--context", "forever"}, machine);
  EXPECT_EQ(context.exit, 2);
  EXPECT_NE(context.err.find("forever"), std::string::npos) << context.err;
  EXPECT_EQ(run_cli({"create", "C", "--backup-type", "mirror"}, machine).exit, 2);
  EXPECT_EQ(run_cli({"create", "C", "--provider", "nope"}, machine).exit, 2);
  EXPECT_EQ(run_cli({"create", "C:relative"}, machine).exit, 2);
  EXPECT_EQ(run_cli({"create", "Q"}, machine).exit, 7);
  EXPECT_FALSE(called(machine, "StartSnapshotSet"));
}

// A report nobody can read leaves no shadow copy behind: stdout closed, or --json-file
// unwritable. The set the run made is deleted and the run fails.
TEST(CliCreateUnreported, StdoutThatCannotBeWrittenDeletesTheSetAndFails) {
  for (const bool json : {false, true}) {
    SimBackend machine;
    // Every write fails, as on a closed stdout or a full disk.
    struct Refusing final : std::streambuf {
      int_type overflow(int_type) override { return traits_type::eof(); }
      std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
    } refusing;
    std::ostream closed(&refusing);
    std::ostringstream err;
    session::CancelToken cancel;
    std::vector<std::string> args{"shadowctl", "create", "C:"};
    if (json) args.push_back("--json");
    const int code = cli::run(args, {closed, err, false, false, nullptr, false, {}, nullptr},
                              machine.system(), cancel);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("shadowctl"));
    EXPECT_EQ(code, 1) << err.str();
    EXPECT_NE(err.str().find(json ? "cannot write the JSON document to stdout; the set {"
                                  : "cannot write to stdout; the set {"),
              std::string::npos)
        << err.str();
    EXPECT_NE(err.str().find("} it made was deleted"), std::string::npos) << err.str();
    EXPECT_TRUE(machine.service().store().read().shadows.empty());
    EXPECT_FALSE(machine.service().store().read().in_creation);
  }
}

TEST(CliCreateUnreported, JsonFileThatCannotBeWrittenDeletesTheSet) {
  SimBackend machine;
  machine.facts().folders["C:\\logs"] = kFolder;
  machine.facts().write_error = core::hr::e_accessdenied;
  const auto r = run_cli({"create", "C:", "--json-file", "C:\\logs\\create.json"}, machine);
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.err.find("cannot write --json-file 'C:\\logs\\create.json'"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("it made was deleted"), std::string::npos) << r.err;
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
}

// A provider veto comes during the commit, after writers froze: they see OnFreeze and then
// VSS's own OnAbort, never a BackupComplete; the run aborts and leaves nothing.
TEST(CliCreate, AVetoAtTheCommitAbortsFrozenWriters) {
  auto state = emulator::default_machine();
  for (auto& w : state.writers) w.records_events = true;
  SimBackend machine(Scenario::parse(R"({"provider_veto": true})"), {}, state);
  const auto r = run_cli({"--json", "create", "C:"}, machine);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_PROVIDER_VETO");
  EXPECT_EQ(doc["error"]["phase"], "DoSnapshotSet");
  EXPECT_TRUE(called(machine, "AbortBackup"));
  EXPECT_FALSE(called(machine, "BackupComplete"));
  for (const auto& w : machine.service().store().read().writers)
    EXPECT_EQ(w.recorded_events,
              (std::vector<std::string>{"OnPrepareBackup", "OnPrepareSnapshot", "OnFreeze",
                                        "OnAbort"}))
        << w.name;
  expect_nothing_left(machine);
}

}  // namespace
}  // namespace shadowctl::test
