// `shadowctl list ...`, in-process against the emulator.
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/vss.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

emulator::MachineState two_sets() {
  auto state = emulator::default_machine();
  auto add = [&](std::string id, std::string set, std::int64_t created) {
    emulator::Shadow s;
    s.id = std::move(id);
    s.set_id = std::move(set);
    s.original_volume = state.volumes.front().name;
    s.device_object = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1";
    s.created_us = created;
    s.context = s.attributes = core::vss::context::app_rollback;
    state.shadows.push_back(s);
  };
  add("{00000000-0000-4000-8000-000000000001}", "{00000000-0000-4000-8000-0000000000a1}",
      1'700'000'000'000'000);
  add("{00000000-0000-4000-8000-000000000002}", "{00000000-0000-4000-8000-0000000000a2}",
      1'700'000'100'000'000);
  return state;
}

TEST(CliListShadows, HumanOutputGroupsBySetNewestFirst) {
  SimBackend machine({}, {}, two_sets());
  const auto r = run_cli({"list", "shadows"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  const auto newer = r.out.find("Set {00000000-0000-4000-8000-0000000000a2}");
  const auto older = r.out.find("Set {00000000-0000-4000-8000-0000000000a1}");
  ASSERT_NE(newer, std::string::npos) << r.out;
  ASSERT_NE(older, std::string::npos) << r.out;
  EXPECT_LT(newer, older);
  EXPECT_NE(r.out.find("persistent, no_auto_release"), std::string::npos) << r.out;
}

TEST(CliListShadows, JsonIsAFlatArrayOfShadowCopies) {
  SimBackend machine({}, {}, two_sets());
  const auto r = run_cli({"--json", "list", "shadows"}, machine);
  EXPECT_EQ(r.exit, 0);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["command"], "list shadows");
  ASSERT_EQ(doc["result"].size(), 2u);
  EXPECT_EQ(doc["result"][0]["id"], "{00000000-0000-4000-8000-000000000002}");
  EXPECT_EQ(doc["result"][0]["created"], "2023-11-14T22:15:00Z");
}

TEST(CliListShadows, NoShadowCopiesIsNotAnError) {
  SimBackend machine;
  const auto human = run_cli({"list", "shadows"}, machine);
  EXPECT_EQ(human.exit, 0);
  EXPECT_EQ(human.out, "No shadow copies.\n");
  const auto json = run_cli({"list", "shadows", "--json"}, machine);
  EXPECT_EQ(nlohmann::json::parse(json.out)["result"], nlohmann::json::array());
}

TEST(CliListShadows, QueryFailureIsReportedWithItsPhase) {
  SimBackend machine(fault("Query", core::hr::vss_e_unexpected));
  const auto r = run_cli({"list", "shadows"}, machine);
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.err.find("error: VSS_E_UNEXPECTED (0x80042302) during Query"), std::string::npos)
      << r.err;
}

TEST(CliList, WithoutASubcommandNamesTheChoices) {
  SimBackend machine;
  const auto r = run_cli({"list"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("'list' needs a command: shadows"), std::string::npos) << r.err;
  const auto bad = run_cli({"list", "snapshots"}, machine);
  EXPECT_EQ(bad.exit, 2);
  EXPECT_NE(bad.err.find("'snapshots' is not a 'list' command; the commands are: shadows"),
            std::string::npos)
      << bad.err;
}

}  // namespace
}  // namespace shadowctl::test

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

TEST(CliListWriters, EveryWriterWithItsStateSortedByName) {
  SimBackend machine;
  const auto r = run_cli({"list", "writers"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  const auto registry = r.out.find("Registry Writer  STABLE");
  const auto sql = r.out.find("SqlServerWriter  STABLE");
  ASSERT_NE(registry, std::string::npos) << r.out;
  ASSERT_NE(sql, std::string::npos) << r.out;
  EXPECT_LT(registry, sql);
  const auto m = machine.journal().methods();
  EXPECT_NE(std::find(m.begin(), m.end(), "FreeWriterStatus"), m.end());
  EXPECT_NE(std::find(m.begin(), m.end(), "FreeWriterMetadata"), m.end());
}

TEST(CliListWriters, AFailedWriterIsNamedAndExitsFive) {
  auto state = emulator::default_machine();
  state.writers[3].state = 9;  // VSS_WS_FAILED_AT_FREEZE
  state.writers[3].failure = core::hr::vss_e_writererror_retryable;
  SimBackend machine({}, {}, state);
  const auto r = run_cli({"--json", "list", "writers"}, machine);
  EXPECT_EQ(r.exit, 5);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_WRITERERROR_RETRYABLE");
  EXPECT_EQ(doc["error"]["exit_class"], "writer_failure");
  EXPECT_NE(doc["error"]["meaning"].get<std::string>().find(
                "writer 'SqlServerWriter' is in state VSS_WS_FAILED_AT_FREEZE"),
            std::string::npos)
      << doc["error"]["meaning"];
  // The result still lists every writer.
  EXPECT_EQ(doc["result"].size(), 4u);
}

TEST(CliListWriters, AHangingPhaseTimesOutNamingItAndExitsSix) {
  emulator::Scenario hang;
  hang.add(emulator::AsyncFault{"GatherWriterStatus", emulator::AsyncFault::Kind::hang, 0, 0, 0});
  SimBackend machine(hang);
  const auto r = run_cli({"list", "writers", "--timeout", "1"}, machine);
  EXPECT_EQ(r.exit, 6);
  EXPECT_NE(r.err.find("error: ERROR_TIMEOUT (0x800705B4) during GatherWriterStatus"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("no answer within 1 s"), std::string::npos) << r.err;
  const auto m = machine.journal().methods();
  EXPECT_NE(std::find(m.begin(), m.end(), "GatherWriterStatus:complete"), m.end())
      << "the hanging operation was not cancelled and settled";
}

TEST(CliListWriters, TimeoutMustBePositive) {
  SimBackend machine;
  const auto r = run_cli({"list", "writers", "--timeout", "0"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("--timeout"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shadowctl::test
