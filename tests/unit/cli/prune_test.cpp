// `shadowctl prune`: the policy over a machine's copies as a user runs it: verdicts named,
// only what no rule keeps deleted, the scope's exclusions, confirmation, a part-way failure.
#include <chrono>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "core/vss.h"
#include "os.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

constexpr std::int64_t kHour = 3'600'000'000;
constexpr std::int64_t kDay = 24 * kHour;

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A persistent copy of volume `v` (0: C:, 1: D:) made `age` ago, in create's context.
emulator::Shadow copy(const emulator::MachineState& m, int n, std::size_t v, std::int64_t age) {
  emulator::Shadow s;
  s.id = "{00000000-0000-4000-8000-" + std::to_string(100000000000 + n) + "}";
  s.set_id = s.id;
  s.device_path = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_string(n + 1);
  s.original_volume = m.volumes[v].name;
  s.originating_machine = s.service_machine = m.machine_name;
  s.provider_id = m.providers[0].id;
  s.context = core::vss::context::app_rollback;
  s.attributes = core::vss::attr::persistent | core::vss::attr::no_auto_release;
  s.created_us = now_us() - age;
  return s;
}

// C: with a copy a day for ten days, the newest an hour old.
emulator::MachineState ten_days() {
  auto m = emulator::default_machine();
  for (int i = 0; i < 10; ++i) m.shadows.push_back(copy(m, i, 0, kHour + i * kDay));
  return m;
}

std::vector<std::string> ids_left(emulator::SimBackend& machine) {
  std::vector<std::string> ids;
  const auto doc = nlohmann::json::parse(run_cli({"--json", "list", "shadows"}, machine).out);
  for (const auto& s : doc["result"]) ids.push_back(s["id"]);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string id(int n) {
  return "{00000000-0000-4000-8000-" + std::to_string(100000000000 + n) + "}";
}

TEST(Prune, ADryRunNamesEachVerdictAndDeletesNothing) {
  emulator::SimBackend machine({}, {}, ten_days());
  const auto r = run_cli(
      {"--json", "prune", "--volume", "C:", "--keep-daily", "3", "--utc", "--dry-run"}, machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  const auto result = nlohmann::json::parse(r.out)["result"];
  EXPECT_EQ(result["kept"], 3);
  EXPECT_EQ(result["to_delete"], 7);
  EXPECT_EQ(result["deleted"], 0);
  ASSERT_EQ(result["verdicts"].size(), 10u);
  EXPECT_EQ(result["verdicts"][0]["kept_by"][0].get<std::string>().substr(0, 6), "daily ");
  EXPECT_EQ(result["verdicts"][3]["action"], "delete");
  EXPECT_EQ(ids_left(machine).size(), 10u);
}

TEST(Prune, DeletesOnlyWhatNoRuleKeeps) {
  emulator::SimBackend machine({}, {}, ten_days());
  const auto r = run_cli(
      {"prune", "--volume", "C:", "--keep-last", "2", "--keep-within", "4d", "--yes"}, machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("kept: last"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deleted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Deleted 6 of 10; kept 4."), std::string::npos) << r.out;
  EXPECT_EQ(ids_left(machine), (std::vector<std::string>{id(0), id(1), id(2), id(3)}));
  // Again: nothing more goes.
  const auto again = run_cli(
      {"--json", "prune", "--volume", "C:", "--keep-last", "2", "--keep-within", "4d", "--yes"},
      machine);
  EXPECT_EQ(nlohmann::json::parse(again.out)["result"]["deleted"], 0);
}

TEST(Prune, WithoutAKeepRuleItRefusesAndDeletesNothing) {
  emulator::SimBackend machine({}, {}, ten_days());
  const auto r = run_cli({"prune", "--volume", "C:", "--yes"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("at least one --keep-* rule"), std::string::npos) << r.err;
  const auto bad = run_cli({"prune", "--volume", "C:", "--keep-within", "3 days"}, machine);
  EXPECT_EQ(bad.exit, 2);
  EXPECT_NE(bad.err.find("'3 days' is not a duration"), std::string::npos) << bad.err;
  EXPECT_EQ(ids_left(machine).size(), 10u);
}

TEST(Prune, MoreThanOneDeletionAsksFirst) {
  emulator::SimBackend machine({}, {}, ten_days());
  const auto refused = run_cli({"prune", "--volume", "C:", "--keep-last", "5"}, machine);
  EXPECT_EQ(refused.exit, 2);
  EXPECT_NE(refused.err.find("without --yes"), std::string::npos) << refused.err;
  const auto no =
      run_cli_interactive({"prune", "--volume", "C:", "--keep-last", "5"}, machine, "n\n");
  EXPECT_EQ(no.exit, 2);
  EXPECT_EQ(ids_left(machine).size(), 10u);
  const auto yes =
      run_cli_interactive({"prune", "--volume", "C:", "--keep-last", "5"}, machine, "y\n");
  EXPECT_EQ(yes.exit, 0) << yes.err;
  EXPECT_EQ(ids_left(machine).size(), 5u);
}

TEST(Prune, LeavesAloneAutoReleaseExposedAndOtherContextsUnlessWidened) {
  auto m = ten_days();
  m.shadows[9].attributes = 0;  // auto-release, held by this process
  m.shadows[9].context = core::vss::context::backup;
  m.shadows[9].owner_pid = emulator::os::current_process_id();
  m.shadows[8].attributes |= core::vss::attr::exposed_locally;
  m.shadows[8].exposed_name = "X:";
  m.shadows[7].attributes |= core::vss::attr::client_accessible;  // Previous Versions
  m.shadows[7].context = core::vss::context::client_accessible_writers;
  emulator::SimBackend machine({}, {}, m);
  const auto r =
      run_cli({"--json", "prune", "--volume", "C:", "--keep-last", "1", "--yes"}, machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  const auto result = nlohmann::json::parse(r.out)["result"];
  ASSERT_EQ(result["left_alone"].size(), 3u) << result.dump(1);
  std::string reasons;
  for (const auto& l : result["left_alone"]) reasons += l["reason"].get<std::string>() + "|";
  EXPECT_NE(reasons.find("auto-release"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("exposed as X:"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("another context (client-accessible"), std::string::npos) << reasons;
  EXPECT_EQ(ids_left(machine), (std::vector<std::string>{id(0), id(7), id(8), id(9)}));
  // Widened, the client-accessible and exposed copies are judged too; auto-release never.
  const auto wide = run_cli({"--json", "prune", "--volume", "C:", "--keep-last", "1",
                             "--all-contexts", "--include-exposed", "--yes"},
                            machine);
  ASSERT_EQ(wide.exit, 0) << wide.err;
  EXPECT_EQ(ids_left(machine), (std::vector<std::string>{id(0), id(9)}));
}

TEST(Prune, EachVolumeIsJudgedOnItsOwn) {
  auto m = emulator::default_machine();
  for (int i = 0; i < 6; ++i)
    m.shadows.push_back(copy(m, i, static_cast<std::size_t>(i % 2), kHour + i * kHour));
  emulator::SimBackend machine({}, {}, m);
  const auto r =
      run_cli({"prune", "--volume", "C:", "--volume", "D:", "--keep-last", "1", "--yes"}, machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(ids_left(machine), (std::vector<std::string>{id(0), id(1)}));
}

TEST(Prune, APartWayFailureNamesWhereItStopped) {
  emulator::SimBackend machine(fault("DeleteSnapshots", core::hr::vss_e_unexpected_provider_error),
                               {}, ten_days());
  const auto r =
      run_cli({"--json", "prune", "--volume", "C:", "--keep-last", "8", "--yes"}, machine);
  EXPECT_NE(r.exit, 0);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_UNEXPECTED_PROVIDER_ERROR");
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find("stopped at"), std::string::npos);
  EXPECT_EQ(doc["result"]["verdicts"][8]["action"], "failed");
  EXPECT_EQ(doc["result"]["verdicts"][9]["action"], "not_reached");
  EXPECT_EQ(ids_left(machine).size(), 10u);
}

}  // namespace
}  // namespace shadowctl::test
