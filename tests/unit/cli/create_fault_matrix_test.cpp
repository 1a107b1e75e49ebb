// The generated fault matrix of `create`: every VSS call it makes x each plausible HRESULT,
// synchronously and, for the async calls, through QueryStatus. Each case must end with the
// exit class of its HRESULT, exactly one JSON document, no shadow copy, no set in creation,
// AbortBackup wherever it is owed, and nothing owed in the emulator's ledger.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "core/diagnosis.h"
#include "create_sequence.h"
#include "event_log.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::AsyncFault;
using emulator::Fault;
using emulator::Scenario;
using emulator::SimBackend;

// create's calls in order, each once, from the one description of its sequence.
const std::vector<DescribedCall> kSequence = described_calls("create-calls.txt");
const std::vector<std::string> kSyncCalls = first_calls(kSequence, [](const auto&) { return true; });
const std::vector<std::string> kAsyncCalls =
    first_calls(kSequence, [](const auto& c) { return c.async; });
const std::vector<core::HResult> kFaults = {
    core::hr::e_accessdenied,          core::hr::e_outofmemory,
    core::hr::e_unexpected,            core::hr::vss_e_bad_state,
    core::hr::vss_e_unexpected,        core::hr::vss_e_provider_veto,
    core::hr::vss_e_snapshot_set_in_progress, core::hr::vss_e_insufficient_storage};

// The calls only component mode makes (--exclude-writer, --save-bcd): those before
// StartSnapshotSet, and those once DoSnapshotSet has succeeded.
const std::vector<std::string> kComponentCalls =
    first_calls(described_calls("create-component-calls.txt"), [](const auto& c) {
      return std::find(kSyncCalls.begin(), kSyncCalls.end(), c.method) == kSyncCalls.end();
    });

struct Case {
  std::string method;
  bool async = false;
  core::HResult hr = 0;
  bool component_mode = false;
};

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const auto& m : kSyncCalls)
    for (auto hr : kFaults) cases.push_back({m, false, hr, false});
  for (const auto& m : kAsyncCalls)
    for (auto hr : kFaults) cases.push_back({m, true, hr, false});
  for (const auto& m : kComponentCalls)
    for (auto hr : kFaults) cases.push_back({m, false, hr, true});
  return cases;
}

std::size_t position(const std::vector<std::string>& calls, const std::string& method) {
  return static_cast<std::size_t>(std::find(calls.begin(), calls.end(), method) - calls.begin());
}

class CreateFaultMatrix : public ::testing::TestWithParam<Case> {};

TEST_P(CreateFaultMatrix, EndsWithItsExitClassAndLeavesNothing) {
  const Case& c = GetParam();
  Scenario scenario;
  if (c.async)
    scenario.add(AsyncFault{c.method, AsyncFault::Kind::fail, 0, c.hr, 0});
  else
    scenario.add(Fault{c.method, c.hr, 0});
  SimBackend machine(scenario);
  std::vector<std::string> args = {"--json", "create", "C:"};
  if (c.component_mode)
    args.insert(args.end(), {"--exclude-writer", "WMI Writer", "--save-bcd", "C:\\bcd.xml"});
  const auto r = run_cli(args, machine);

  // Exactly one document, whose exit code is the process's.
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["exit_code"], r.exit);
  EXPECT_EQ(r.err, "");
  const core::ExitStatus expected = core::diagnose(c.hr).exit;
  EXPECT_EQ(r.exit, core::to_int(expected == core::ExitStatus::success ? core::ExitStatus::failure
                                                                        : expected));
  EXPECT_EQ(doc["error"]["name"], core::diagnose(c.hr).name);
  // Beside the error, the events its fault wrote: what the service logs for a call that
  // failed in it, nothing for one that failed in the caller's own vssapi.dll.
  ASSERT_TRUE(doc["error"].contains("events")) << doc["error"];
  std::vector<std::uint32_t> logged, written;
  for (const auto& e : doc["error"]["events"]) logged.push_back(e["id"]);
  for (const auto& e : emulator::events_for_failed_call(c.method, c.hr)) written.push_back(e.id);
  EXPECT_EQ(logged, written);
  for (const auto& e : doc["error"]["events"])
    EXPECT_EQ(e["errors"][0]["name"], core::diagnose(c.hr).name) << e;

  const auto state = machine.service().store().read();
  EXPECT_TRUE(state.shadows.empty()) << "a shadow copy was left";
  EXPECT_FALSE(state.in_creation.has_value()) << "a set was left in creation";
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
  EXPECT_EQ(machine.service().ledger().sets_left_unfinished, 0);

  // Which cleanup this case owes: from StartSnapshotSet until BackupComplete has returned,
  // AbortBackup; once DoSnapshotSet has succeeded, deleting the set too (after the abort).
  const auto index = position(kSyncCalls, c.method);
  const bool after_snapshot = c.method == "SetBackupSucceeded" || c.method == "SaveAsXML";
  const bool started = c.component_mode ? after_snapshot
                       : c.async        ? index >= position(kSyncCalls, "PrepareForBackup")
                                        : index > position(kSyncCalls, "StartSnapshotSet");
  const bool created = c.component_mode ? after_snapshot
                       : c.async        ? c.method == "BackupComplete"
                                        : index > position(kSyncCalls, "DoSnapshotSet");
  const auto m = machine.journal().methods();
  const auto has = [&](const char* call) { return std::find(m.begin(), m.end(), call) != m.end(); };
  const bool completed = !c.async && c.method == "FreeWriterMetadata";
  EXPECT_EQ(has("AbortBackup"), started && !completed);
  EXPECT_EQ(has("DeleteSnapshots"), created);
  if (has("AbortBackup") && has("DeleteSnapshots")) {
    EXPECT_LT(std::find(m.begin(), m.end(), "AbortBackup"), std::find(m.begin(), m.end(), "DeleteSnapshots"));
  }
  EXPECT_EQ(machine.service().ledger().writers_left_waiting, 0);
  if (c.method == "DoSnapshotSet") {
    EXPECT_FALSE(has("BackupComplete")) << "never BackupComplete after a failed DoSnapshotSet";
  }
  EXPECT_TRUE(machine.files().empty()) << "a failed create wrote its --save-bcd file";
}

// What every case below must leave, whatever the cause: one document, its exit code, nothing
// on stderr, no shadow copy, no set in creation, nothing owed, AbortBackup iff owed.
void expect_clean_end(SimBackend& machine, const CliResult& r, core::ExitStatus expected,
                      bool abort_owed) {
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["exit_code"], r.exit);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.exit, core::to_int(expected));
  const auto state = machine.service().store().read();
  EXPECT_TRUE(state.shadows.empty()) << "a shadow copy was left";
  EXPECT_FALSE(state.in_creation.has_value()) << "a set was left in creation";
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
  EXPECT_EQ(machine.service().ledger().sets_left_unfinished, 0);
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::find(m.begin(), m.end(), "AbortBackup") != m.end(), abort_owed);
}

// Each async phase hanging past --timeout: cancelled, cleaned up, exit 6 naming the phase.
class CreatePhaseHangs : public ::testing::TestWithParam<std::string> {};

TEST_P(CreatePhaseHangs, TimesOutAndLeavesNothing) {
  Scenario scenario;
  scenario.add(AsyncFault{GetParam(), AsyncFault::Kind::hang, 0, 0, 0});
  SimBackend machine(scenario);
  const auto r = run_cli({"--json", "create", "C:", "--timeout", "1"}, machine);
  // From StartSnapshotSet until BackupComplete has returned (the first GatherWriterStatus
  // follows PrepareForBackup): AbortBackup; a hang at BackupComplete also deletes the set.
  const bool started = GetParam() == "PrepareForBackup" || GetParam() == "DoSnapshotSet" ||
                       GetParam() == "GatherWriterStatus" || GetParam() == "BackupComplete";
  expect_clean_end(machine, r, core::ExitStatus::timeout, started);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["phase"], GetParam());
  const auto m = machine.journal().methods();
  EXPECT_NE(std::find(m.begin(), m.end(), GetParam() + ":complete"), m.end()) << "not cancelled";
}

INSTANTIATE_TEST_SUITE_P(EachAsyncPhase, CreatePhaseHangs, ::testing::ValuesIn(kAsyncCalls),
                         [](const auto& test) { return test.param; });

// Each async phase racing its own Cancel at the deadline: Cancel answers VSS_S_ASYNC_FINISHED
// (it completed first). The run still ends as a timeout, and whatever the phase had made
// goes: a DoSnapshotSet that committed leaves no set behind.
class CreatePhaseRacesCancel : public ::testing::TestWithParam<std::string> {};

TEST_P(CreatePhaseRacesCancel, TimesOutAndDeletesWhatTheFinishedPhaseMade) {
  Scenario scenario;
  scenario.add(AsyncFault{GetParam(), AsyncFault::Kind::completes_at_cancel, 0, 0, 0});
  SimBackend machine(scenario);
  const auto r = run_cli({"--json", "create", "C:", "--timeout", "1"}, machine);
  const bool started = GetParam() != "GatherWriterMetadata";
  expect_clean_end(machine, r, core::ExitStatus::timeout, started);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["phase"], GetParam());
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find("it had completed before it was cancelled"),
            std::string::npos)
      << r.out;
  // The fix is the tool's own option, with what this run allowed.
  EXPECT_NE(doc["error"]["remedy"].get<std::string>().find("`--timeout SECONDS` (this run allowed 1)"),
            std::string::npos)
      << r.out;
  const auto m = machine.journal().methods();
  if (GetParam() == "DoSnapshotSet" || GetParam() == "BackupComplete") {
    EXPECT_NE(std::find(m.begin(), m.end(), "DeleteSnapshots"), m.end()) << "the committed set goes";
  }
}

INSTANTIATE_TEST_SUITE_P(EachAsyncPhase, CreatePhaseRacesCancel, ::testing::ValuesIn(kAsyncCalls),
                         [](const auto& test) { return test.param; });

// A writer failing at each phase it can fail at during create.
struct WriterCase {
  const char* phase;
  const char* state;
  core::ExitStatus exit;
  bool abort_owed;
};

class CreateWriterFails : public ::testing::TestWithParam<WriterCase> {};

TEST_P(CreateWriterFails, EndsAsDocumented) {
  const WriterCase& c = GetParam();
  SimBackend machine(Scenario::parse(std::string(R"({"writers": [{"writer": "SqlServerWriter", "state": ")") +
                                     c.state + R"(", "phase": ")" + c.phase + R"("}]})"));
  const auto r = run_cli({"--json", "create", "C:"}, machine);
  if (c.exit == core::ExitStatus::success) {
    // At BackupComplete the copies exist and are kept; the writer is named in a warning.
    EXPECT_EQ(r.exit, 0) << r.out;
    const auto doc = nlohmann::json::parse(r.out);
    ASSERT_EQ(doc["warnings"].size(), 1u) << r.out;
    EXPECT_NE(doc["warnings"][0]["message"].get<std::string>().find(
                  "writer 'SqlServerWriter' is VSS_WS_FAILED_AT_BACKUP_COMPLETE after BackupComplete"),
              std::string::npos);
    // Testable without reading the text: its code, the writer, the writer's failure.
    EXPECT_EQ(doc["warnings"][0]["code"], "writer_failed_after_backup");
    EXPECT_EQ(doc["warnings"][0]["about"], "SqlServerWriter");
    EXPECT_EQ(machine.service().store().read().shadows.size(), 1u);
    return;
  }
  expect_clean_end(machine, r, c.exit, c.abort_owed);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["phase"], "writer SqlServerWriter");
}

INSTANTIATE_TEST_SUITE_P(
    EachPhase, CreateWriterFails,
    ::testing::Values(
        WriterCase{"PrepareForBackup", "VSS_WS_FAILED_AT_PREPARE_BACKUP",
                   core::ExitStatus::writer_failure, true},
        WriterCase{"DoSnapshotSet", "VSS_WS_FAILED_AT_FREEZE", core::ExitStatus::writer_failure,
                   true},
        WriterCase{"BackupComplete", "VSS_WS_FAILED_AT_BACKUP_COMPLETE", core::ExitStatus::success,
                   false}),
    [](const auto& test) { return std::string(test.param.phase); });

std::string name_of(const ::testing::TestParamInfo<Case>& info) {
  return (info.param.component_mode ? "components_" : "") + info.param.method +
         (info.param.async ? "_async_" : "_") + core::diagnose(info.param.hr).name;
}

INSTANTIATE_TEST_SUITE_P(EveryCallEveryFault, CreateFaultMatrix,
                         ::testing::ValuesIn(all_cases()), name_of);

// The description is the product's: a successful create makes exactly the calls it lists, in
// its order (Release, the ":complete" of async calls and a call repeated per writer or
// component aside), so the matrices above fail
// every call create makes.
// IVssAdmin's QueryProviders, which names the copies' provider once the backup is over,
// is not a call of the backup's sequence (its failure leaves the names empty, nothing more).
std::vector<std::string> journal_without_bookkeeping(SimBackend& machine) {
  std::vector<std::string> out;
  for (const auto& m : machine.journal().methods())
    if (m != "Release" && !m.ends_with(":complete") && !m.starts_with("IVssAdmin::") &&
        (out.empty() || out.back() != m))
      out.push_back(m);
  return out;
}

TEST(CreateSequence, IsWhatTheProductCalls) {
  SimBackend machine;
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);
  EXPECT_EQ(journal_without_bookkeeping(machine), in_process_journal(kSequence));
}

TEST(CreateSequence, InComponentModeIsWhatTheProductCalls) {
  SimBackend machine;
  ASSERT_EQ(run_cli({"create", "C:", "--exclude-writer", "WMI Writer", "--save-bcd", "C:\\bcd.xml"},
                    machine)
                .exit,
            0);
  EXPECT_EQ(journal_without_bookkeeping(machine),
            in_process_journal(described_calls("create-component-calls.txt")));
}

}  // namespace
}  // namespace shadowctl::test
