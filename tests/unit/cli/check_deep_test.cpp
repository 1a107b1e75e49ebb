// check --deep as a CI smoke check or a monitoring job runs it: trial copies that leave
// nothing, the storage's headroom, the writers after a real freeze, the events of the last
// day; on healthy and broken machines.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "event_log.h"
#include "journal.h"
#include "os.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::MachineState;
using emulator::Scenario;
using emulator::SimBackend;

// The deep items of a document, as "name about=status", in order.
std::vector<std::string> deep_items(const nlohmann::json& doc) {
  std::vector<std::string> out;
  for (const auto& c : doc["result"]["checks"]) {
    const std::string name = c["name"];
    if (name != "trial_copy" && name != "trial_writers" && name != "storage_headroom" &&
        name != "events" && name != "set_in_creation")
      continue;
    out.push_back(name + (c["about"].is_null() ? "" : " " + c["about"].get<std::string>()) + "=" +
                  c["status"].get<std::string>());
  }
  return out;
}

const nlohmann::json& deep_item(const nlohmann::json& doc, const std::string& name,
                           const std::string& about = {}) {
  for (const auto& c : doc["result"]["checks"])
    if (c["name"] == name && (about.empty() || c["about"] == about)) return c;
  throw std::runtime_error("no item " + name + " " + about);
}

void expect_no_trial_left(SimBackend& machine) {
  const auto state = machine.service().store().read();
  EXPECT_TRUE(state.shadows.empty()) << "a trial copy was left";
  EXPECT_FALSE(state.in_creation.has_value());
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
  EXPECT_EQ(machine.service().ledger().sets_left_unfinished, 0);
  EXPECT_EQ(machine.service().ledger().writers_left_waiting, 0);
}

TEST(CliCheckDeep, AHealthyMachinePassesEveryItemAndKeepsNothing) {
  SimBackend machine(emulator::async_at_once());
  const auto r = run_cli({"--json", "check", "--deep"}, machine);
  EXPECT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(deep_items(doc), (std::vector<std::string>{
                            "set_in_creation=ok", "trial_copy C:\\=ok", "trial_copy D:\\=ok",
                            "trial_writers=skip", "storage_headroom C:\\=ok",
                            "storage_headroom D:\\=ok", "events=ok"}));
  EXPECT_NE(deep_item(doc, "trial_copy", "C:\\")["detail"].get<std::string>().find(
                "C:\\: a writer-less, non-persistent shadow copy made and deleted in "),
            std::string::npos);
  EXPECT_NE(deep_item(doc, "storage_headroom", "C:\\")["detail"].get<std::string>().find(
                "C:\\: 0 B used of 10.0 GiB maximum on C:\\, which has "),
            std::string::npos)
      << deep_item(doc, "storage_headroom", "C:\\");
  EXPECT_EQ(doc["result"]["events"], nlohmann::json::array());
  expect_no_trial_left(machine);
  // Each trial is create's own writer-less sequence, its own set.
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::count(m.begin(), m.end(), "DoSnapshotSet"), 2);
  EXPECT_EQ(std::count(m.begin(), m.end(), "PrepareForBackup"), 0) << "no writer was involved";
  // Plain check lists none of the deep items but the set-in-creation probe's skip.
  SimBackend plain;
  const auto p = nlohmann::json::parse(run_cli({"--json", "check"}, plain).out);
  EXPECT_EQ(deep_items(p), std::vector<std::string>{"set_in_creation=skip"});
}

TEST(CliCheckDeep, VolumesAndWritersChooseTheTrials) {
  SimBackend machine(emulator::async_at_once());
  const auto r = run_cli({"--json", "check", "--deep", "--writers", "C:"}, machine);
  EXPECT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(deep_items(doc), (std::vector<std::string>{"set_in_creation=ok", "trial_copy C:\\=ok",
                                                  "trial_writers=ok",
                                                  "storage_headroom C:\\=ok", "events=ok"}));
  EXPECT_NE(deep_item(doc, "trial_writers")["detail"].get<std::string>().find(
                "writers took part in a trial of 1 volume (copy backup type)"),
            std::string::npos)
      << deep_item(doc, "trial_writers") << machine.journal().entries().size();
  EXPECT_NE(deep_item(doc, "trial_writers")["detail"].get<std::string>().find(
                "writers took part in a trial of 1 volume (copy backup type) in "),
            std::string::npos)
      << deep_item(doc, "trial_writers");
  const auto calls = machine.journal().entries();
  const bool copy_type = std::any_of(calls.begin(), calls.end(), [](const auto& e) {
    return e.method == "SetBackupState" && e.args.find("type=5") != std::string::npos;
  });
  EXPECT_TRUE(copy_type) << "the writers' trial is a copy backup";
  expect_no_trial_left(machine);
  EXPECT_EQ(run_cli({"check", "--writers"}, machine).exit, 2) << "--writers goes with --deep";
}

TEST(CliCheckDeep, AVolumeNoProviderSupportsFailsItsTrialAndTheOthersStillRun) {
  MachineState state = emulator::default_machine();
  state.volumes[1].supported = false;
  SimBackend machine(emulator::async_at_once(), {}, state);
  const auto r = run_cli({"--json", "check", "--deep"}, machine);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(deep_items(doc), (std::vector<std::string>{
                            "set_in_creation=ok", "trial_copy C:\\=ok", "trial_copy D:\\=fail",
                            "trial_writers=skip", "storage_headroom C:\\=ok",
                            "storage_headroom D:\\=ok", "events=ok"}));
  EXPECT_EQ(doc["error"]["name"], "VSS_E_VOLUME_NOT_SUPPORTED");
  EXPECT_EQ(r.exit, doc["error"]["exit_code"]);
  EXPECT_NE(r.exit, 0);
  expect_no_trial_left(machine);
}

TEST(CliCheckDeep, FullStorageWarnsWithItsHeadroomAndItsTrialFailsNine) {
  MachineState state = emulator::default_machine();
  state.storage[0].used = state.storage[0].maximum - 100ull * 1024 * 1024;
  state.storage[0].allocated = state.storage[0].used;
  SimBackend machine(emulator::async_at_once(), {}, state);
  auto doc = nlohmann::json::parse(run_cli({"--json", "check", "--deep", "C:"}, machine).out);
  const auto& c = deep_item(doc, "storage_headroom", "C:\\");
  EXPECT_EQ(c["status"], "warn");
  EXPECT_NE(c["detail"].get<std::string>().find(
                "room for 100 MiB of changes, less than the 320 MiB a new shadow copy's storage "
                "starts at"),
            std::string::npos)
      << c;
  EXPECT_NE(c["remedy"].get<std::string>().find("shadowctl delete --volume C:\\ --oldest"),
            std::string::npos);
  // The trial meets the same full storage: what tonight's backup would.
  EXPECT_EQ(deep_item(doc, "trial_copy", "C:\\")["status"], "fail");
  EXPECT_EQ(doc["error"]["name"], "VSS_E_INSUFFICIENT_STORAGE");
  EXPECT_EQ(doc["exit_code"], 9);
  expect_no_trial_left(machine);

  // A maximum the storage volume cannot hold: its free space is the limit.
  MachineState small = emulator::default_machine();
  small.volumes[0].used_space = small.volumes[0].capacity - 2ull * 1024 * 1024 * 1024;
  SimBackend crowded(emulator::async_at_once(), {}, small);
  doc = nlohmann::json::parse(run_cli({"--json", "check", "--deep", "C:"}, crowded).out);
  EXPECT_EQ(deep_item(doc, "storage_headroom", "C:\\")["status"], "warn");
  EXPECT_NE(deep_item(doc, "storage_headroom", "C:\\")["detail"].get<std::string>().find(
                "C:\\ can hold only 2.0 GiB more, short of the maximum"),
            std::string::npos)
      << deep_item(doc, "storage_headroom", "C:\\");
  EXPECT_EQ(doc["exit_code"], 0) << "a warning";
  EXPECT_EQ(run_cli({"check", "--deep", "--strict", "C:"}, crowded).exit, 9);
}

TEST(CliCheckDeep, AWriterFailingAtFreezeFailsTheWritersTrialWithFiveAndItsEvent) {
  SimBackend machine(Scenario::parse(R"({"writers": [{"writer": "SqlServerWriter",
      "state": "VSS_WS_FAILED_AT_FREEZE", "failure": "VSS_E_WRITERERROR_RETRYABLE",
      "phase": "DoSnapshotSet"}]})"));
  const auto r = run_cli({"--json", "check", "--deep", "--writers", "C:"}, machine);
  EXPECT_EQ(r.exit, 5) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(deep_item(doc, "trial_copy", "C:\\")["status"], "ok") << "writer-less: no freeze";
  const auto& w = deep_item(doc, "trial_writers");
  EXPECT_EQ(w["status"], "fail");
  EXPECT_NE(w["detail"].get<std::string>().find("writer 'SqlServerWriter' is VSS_WS_FAILED_AT_FREEZE"),
            std::string::npos)
      << w;
  EXPECT_EQ(doc["error"]["writer"], "SqlServerWriter");
  // The rejection the writer's failure wrote is among the events the check read after it.
  EXPECT_EQ(deep_item(doc, "events")["status"], "ok") << "8229 is a warning, not an error";
  ASSERT_EQ(doc["result"]["events"].size(), 1u);
  EXPECT_EQ(doc["result"]["events"][0]["id"], 8229);
  expect_no_trial_left(machine);
}

TEST(CliCheckDeep, ASetInCreationElsewhereWarns) {
  MachineState state = emulator::default_machine();
  state.in_creation = emulator::SetInCreation{"{x}", emulator::os::current_process_id(), "another"};
  SimBackend machine(emulator::async_at_once(), {}, state);
  const auto doc = nlohmann::json::parse(run_cli({"--json", "check", "--deep", "C:"}, machine).out);
  EXPECT_EQ(deep_item(doc, "set_in_creation")["status"], "warn");
  EXPECT_EQ(deep_item(doc, "trial_copy", "C:\\")["status"], "fail")
      << "the trial meets the same set in creation";
  EXPECT_EQ(doc["error"]["name"], "VSS_E_SNAPSHOT_SET_IN_PROGRESS");
}

TEST(CliCheckDeep, ErrorEventsOfTheLastDayWarnAndAreListedWithTheirMeaning) {
  MachineState state = emulator::default_machine();
  const std::int64_t now = emulator::now_us();
  const std::int64_t hour = 3'600'000'000;
  emulator::write_event(state, {"System", "volsnap", 25, 2, now - 3 * hour, {"C:", "C:"}});
  emulator::write_event(state, {"System", "volsnap", 25, 2, now - 2 * hour, {"C:", "C:"}});
  emulator::write_event(state, {"Application", "VSS", 8224, 4, now - hour, {}});
  emulator::write_event(state, {"Application", "VSS", 8193, 2, now - 30 * hour, {"x", "0x80070005"}});
  SimBackend machine(emulator::async_at_once(), {}, state);
  auto doc = nlohmann::json::parse(run_cli({"--json", "check", "--deep", "C:"}, machine).out);
  const auto& e = deep_item(doc, "events");
  EXPECT_EQ(e["status"], "warn");
  EXPECT_EQ(e["detail"], "2 errors logged: volsnap 25 (x2)");
  EXPECT_EQ(doc["result"]["events"].size(), 3u);
  EXPECT_EQ(doc["exit_code"], 0) << "events warn; --strict does not fail on them";
  doc = nlohmann::json::parse(
      run_cli({"--json", "check", "--deep", "--since", "2d", "C:"}, machine).out);
  EXPECT_EQ(deep_item(doc, "events")["detail"], "3 errors logged: VSS 8193, volsnap 25 (x2)");

  ScopedTimeZone utc("UTC0");
  const auto human = run_cli({"check", "--deep", "C:"}, machine);
  EXPECT_NE(human.out.find("Events since "), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("volsnap 25  Error (System log)"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("meaning: The shadow copies of a volume were deleted"), std::string::npos)
      << human.out;
}

TEST(CliCheckDeep, AnUnreadableLogSkipsTheEventsItemAndFailsNothing) {
  emulator::MachineFacts facts;
  facts.event_log_error = core::hresult_from_win32(50);
  SimBackend machine(emulator::async_at_once(), facts);
  const auto r = run_cli({"--json", "check", "--deep", "C:"}, machine);
  EXPECT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(deep_item(doc, "events")["status"], "skip");
  EXPECT_NE(deep_item(doc, "events")["detail"].get<std::string>().find(
                "not read: the Application log could not be read (ERROR_NOT_SUPPORTED"),
            std::string::npos);
  EXPECT_FALSE(doc["result"].contains("events"));
}

TEST(CliCheckDeep, WhenVssCannotWorkTheEventsAreStillRead) {
  emulator::MachineFacts facts;
  facts.token.elevated = false;
  MachineState state = emulator::default_machine();
  emulator::write_event(state, {"Application", "VSS", 8193, 2, emulator::now_us() - 1000, {"x"}});
  SimBackend machine({}, facts, state);
  const auto doc = nlohmann::json::parse(run_cli({"--json", "check", "--deep"}, machine).out);
  EXPECT_EQ(deep_items(doc), (std::vector<std::string>{"set_in_creation=skip", "trial_copy=skip",
                                                  "trial_writers=skip", "storage_headroom=skip",
                                                  "events=warn"}));
  EXPECT_EQ(doc["error"]["name"], "ERROR_ELEVATION_REQUIRED");
}

}  // namespace
}  // namespace shadowctl::test

namespace shadowctl::test {
namespace {

// Every call the writer-less trial makes, failed in turn: the trial fails naming it, the
// other deep items still run, and nothing is left (create's own cleanup; the create fault
// matrix covers the rest of that flow).
TEST(CliCheckDeep, ATrialFailedAtAnyOfItsCallsLeavesNothing) {
  SimBackend healthy(emulator::async_at_once());
  run_cli({"check", "--deep", "C:"}, healthy);
  std::vector<std::string> calls;
  for (const auto& m : healthy.journal().methods())
    if (m != "Release" && m.find(':') == std::string::npos &&
        std::find(calls.begin(), calls.end(), m) == calls.end())
      calls.push_back(m);
  ASSERT_NE(std::find(calls.begin(), calls.end(), "DoSnapshotSet"), calls.end());
  int failed_trials = 0;
  for (const auto& method : calls) {
    // AbortBackup and deleting the set are the cleanup itself: their failures are reported
    // as what was left behind (the cleanup fault matrix).
    if (method == "AbortBackup" || method == "DeleteSnapshots" || method.starts_with("IVss"))
      continue;
    SCOPED_TRACE(method);
    Scenario scenario = emulator::async_at_once();
    scenario.add(emulator::Fault{method, core::hr::vss_e_unexpected, 0});
    SimBackend machine(scenario);
    const auto doc = nlohmann::json::parse(run_cli({"--json", "check", "--deep", "C:"}, machine).out);
    expect_no_trial_left(machine);
    EXPECT_EQ(deep_item(doc, "events")["status"] != "skip", true) << method;
    // A call the plain checks make too fails there first, and the trial is skipped.
    if (deep_item(doc, "trial_copy")["status"] == "fail") ++failed_trials;
  }
  EXPECT_GE(failed_trials, 4);
}

}  // namespace
}  // namespace shadowctl::test
