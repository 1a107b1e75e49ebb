// The cleanup-fault matrix: every failure path of `create` and `exec` x a cleanup call that
// fails too (AbortBackup, then DeleteSnapshots). Each case must keep the first failure's
// exit code, write one JSON document, explain the failed cleanup call, and name in
// "left_behind" exactly the shadow copies the emulator still holds, with the command that
// removes them (which then works).
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "core/diagnosis.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::AsyncFault;
using emulator::Fault;
using emulator::Scenario;
using emulator::SimBackend;

// Where the run fails: a call after StartSnapshotSet, sync or through QueryStatus, or
// exec's command that could not start.
struct FailurePoint {
  std::string method;
  bool async = false;
  bool exec = false;
};

const std::vector<FailurePoint> kPoints = {
    {"AddToSnapshotSet"},      {"PrepareForBackup"},      {"PrepareForBackup", true},
    {"GatherWriterStatus"},    {"DoSnapshotSet"},         {"DoSnapshotSet", true},
    {"GetSnapshotProperties"}, {"BackupComplete"},        {"BackupComplete", true},
    {"FreeWriterMetadata"},    {"SetBackupSucceeded"},    {"command", false, true}};

struct Case {
  FailurePoint at;
  std::string cleanup;  // the cleanup call that fails too
};

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const auto& p : kPoints)
    for (const char* cleanup : {"AbortBackup", "DeleteSnapshots"}) cases.push_back({p, cleanup});
  return cases;
}

class CleanupFaultMatrix : public ::testing::TestWithParam<Case> {};

TEST_P(CleanupFaultMatrix, KeepsTheFirstFailureAndNamesExactlyWhatWasLeft) {
  const Case& c = GetParam();
  Scenario scenario;
  const core::HResult first = core::hr::vss_e_unexpected;
  if (c.at.async)
    scenario.add(AsyncFault{c.at.method, AsyncFault::Kind::fail, 0, first, 0});
  else if (!c.at.exec)
    scenario.add(Fault{c.at.method, first, 0});
  // Only the cleanup's own call fails: the delete line the report gives then works.
  scenario.add(Fault{c.cleanup, core::hr::e_accessdenied, 1});
  SimBackend machine(scenario);
  if (c.at.exec)
    machine.facts().program = [](const session::ProcessRequest&) {
      return session::ProcessResult{core::hr::e_accessdenied, 0, std::chrono::milliseconds(0)};
    };
  std::vector<std::string> args =
      // exec's default context is auto-release: a failed deletion leaves nothing once the
      // object is released, and the report says so by naming nothing.
      c.at.exec ? std::vector<std::string>{"--json", "exec", "C:", "--", "robocopy"}
                : std::vector<std::string>{"--json", "create", "C:"};
  if (c.at.method == "SetBackupSucceeded") args.insert(args.end(), {"--exclude-writer", "WMI Writer"});
  const auto r = run_cli(args, machine);

  // Exactly one document; exec's goes to stderr, its stdout being its command's.
  const auto doc = nlohmann::json::parse(c.at.exec ? r.err : r.out);
  EXPECT_EQ(c.at.exec ? r.out : r.err, "");
  const core::HResult expected_hr = c.at.exec ? core::hr::shadowctl_e_command_not_started : first;
  EXPECT_EQ(doc["error"]["name"], core::diagnose(expected_hr).name) << r.out;
  EXPECT_EQ(r.exit, core::to_int(core::diagnose(expected_hr).exit)) << "the first failure's code";

  const auto m = machine.journal().methods();
  const bool cleanup_called = std::find(m.begin(), m.end(), c.cleanup) != m.end();
  const auto state = machine.service().store().read();
  std::vector<std::string> there;
  for (const auto& s : state.shadows) there.push_back(s.id);
  EXPECT_FALSE(state.in_creation.has_value());

  // AbortBackup is owed everywhere but after BackupComplete returned; the deletion once
  // DoSnapshotSet has succeeded.
  const std::vector<std::string> after_snapshot = {"GetSnapshotProperties", "BackupComplete",
                                                   "FreeWriterMetadata", "SetBackupSucceeded",
                                                   "command"};
  const bool created = std::find(after_snapshot.begin(), after_snapshot.end(), c.at.method) !=
                       after_snapshot.end();
  EXPECT_EQ(cleanup_called, c.cleanup == "AbortBackup" ? c.at.method != "FreeWriterMetadata"
                                                       : created);
  if (!cleanup_called) {
    // This path does not owe that call (no AbortBackup after BackupComplete returned, no
    // deletion before DoSnapshotSet succeeded): nothing failed in cleanup.
    EXPECT_FALSE(doc["error"].contains("cleanup")) << r.out;
    EXPECT_TRUE(there.empty());
    return;
  }
  ASSERT_TRUE(doc["error"].contains("cleanup")) << r.out;
  const auto& cleanup = doc["error"]["cleanup"];
  ASSERT_EQ(cleanup["failed"].size(), 1u) << r.out;
  EXPECT_EQ(cleanup["failed"][0]["call"], c.cleanup);
  EXPECT_EQ(cleanup["failed"][0]["name"], "E_ACCESSDENIED");
  EXPECT_FALSE(cleanup["failed"][0]["meaning"].get<std::string>().empty());

  std::vector<std::string> named;
  for (const auto& l : cleanup["left_behind"])
    for (const auto& id : l["shadow_ids"]) named.push_back(id.get<std::string>());
  std::sort(named.begin(), named.end());
  std::sort(there.begin(), there.end());
  EXPECT_EQ(named, there) << "the report names exactly what the machine holds";
  if (c.cleanup == "AbortBackup" || c.at.exec) {
    EXPECT_TRUE(there.empty()) << "an abort that fails leaves no copy when the deletion works";
    return;
  }
  ASSERT_EQ(cleanup["left_behind"].size(), 1u);
  const std::string line = cleanup["left_behind"][0]["remove_with"];
  EXPECT_EQ(line, "shadowctl delete --set " + cleanup["left_behind"][0]["set_id"].get<std::string>());
  // The line works as given.
  std::vector<std::string> words = {"--json"};
  for (std::size_t from = line.find(' ') + 1, to; from != 0; from = to + 1) {
    to = line.find(' ', from);
    words.push_back(line.substr(from, to == std::string::npos ? std::string::npos : to - from));
    if (to == std::string::npos) break;
  }
  words.push_back("--yes");
  EXPECT_EQ(run_cli(words, machine).exit, 0);
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
}

std::string name_of(const ::testing::TestParamInfo<Case>& info) {
  return info.param.at.method + (info.param.at.async ? "_async" : "") + "_then_" + info.param.cleanup;
}

INSTANTIATE_TEST_SUITE_P(EveryFailureEveryCleanup, CleanupFaultMatrix,
                         ::testing::ValuesIn(all_cases()), name_of);

// What a person reads when cleanup failed: the cleanup's error, the set left, the command.
TEST(CleanupReport, HumanFormNamesTheSetItsCopiesAndTheCommand) {
  Scenario scenario;
  scenario.add(Fault{"BackupComplete", core::hr::vss_e_unexpected, 0});
  scenario.add(Fault{"DeleteSnapshots", core::hr::e_accessdenied, 1});
  SimBackend machine(scenario);
  const auto r = run_cli({"create", "C:"}, machine);
  EXPECT_EQ(r.exit, 1);
  const auto state = machine.service().store().read();
  ASSERT_EQ(state.shadows.size(), 1u);
  const auto& s = state.shadows.front();
  EXPECT_NE(r.err.find("error: VSS_E_UNEXPECTED"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error: cleanup failed too: DeleteSnapshots returned E_ACCESSDENIED (0x80070005)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("left behind: set " + s.set_id + " with 1 shadow copy: " + s.id),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("hint: remove it with `shadowctl delete --set " + s.set_id + "`"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace shadowctl::test
