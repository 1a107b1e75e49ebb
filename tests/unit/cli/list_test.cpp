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
    s.device_path = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1";
    s.created_us = created;
    s.context = s.attributes = core::vss::context::app_rollback;
    s.shadows_in_set = 1;
    s.provider_id = "{00000000-0000-4000-8000-0000000000ff}";
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
  const auto newer = r.out.find("Set {00000000-0000-4000-8000-0000000000a2}  (1 of 1 shadow copy)");
  const auto older = r.out.find("Set {00000000-0000-4000-8000-0000000000a1}");
  ASSERT_NE(newer, std::string::npos) << r.out;
  ASSERT_NE(older, std::string::npos) << r.out;
  EXPECT_LT(newer, older);
  EXPECT_NE(r.out.find("    volume      C:\\ (\\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000c}\\)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    context     app-rollback (persistent, with writers)\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("    attributes  persistent, no_auto_release\n"), std::string::npos);
  EXPECT_NE(r.out.find("    provider    {"), std::string::npos) << "no provider id in the state";
  EXPECT_NE(r.out.find("2 shadow copies in 2 sets.\n"), std::string::npos);
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

TEST(CliListShadows, FiltersByVolumeSetAndId) {
  SimBackend machine({}, {}, two_sets());
  auto count = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "list", "shadows"});
    const auto r = run_cli(args, machine);
    EXPECT_EQ(r.exit, 0) << r.out;
    return nlohmann::json::parse(r.out)["result"].size();
  };
  EXPECT_EQ(count({"--volume", "c"}), 2u);
  EXPECT_EQ(count({"--volume", "D:\\"}), 0u);  // a volume without copies: empty, not an error
  EXPECT_EQ(count({"--set", "00000000-0000-4000-8000-0000000000A1"}), 1u);
  EXPECT_EQ(count({"--id", "{00000000-0000-4000-8000-000000000002}", "--volume", "C:"}), 1u);
  const auto none = run_cli({"list", "shadows", "--volume", "D"}, machine);
  EXPECT_EQ(none.out, "No shadow copies match.\n");
}

TEST(CliListShadows, MalformedArgumentsExitTwoAndUnknownOnesSevenNamingThem) {
  SimBackend machine({}, {}, two_sets());
  const auto bad_volume = run_cli({"list", "shadows", "--volume", "C:data"}, machine);
  EXPECT_EQ(bad_volume.exit, 2);
  EXPECT_NE(bad_volume.err.find("'C:data' is not a volume"), std::string::npos) << bad_volume.err;
  const auto no_volume = run_cli({"list", "shadows", "--volume", "Q"}, machine);
  EXPECT_EQ(no_volume.exit, 7);
  EXPECT_NE(no_volume.err.find("no local volume is Q:\\ ('Q')"), std::string::npos) << no_volume.err;
  // A volume not found points at the list of volumes, not at shadow copy ids.
  EXPECT_NE(no_volume.err.find("hint: List the local volumes with `shadowctl list volumes`"),
            std::string::npos)
      << no_volume.err;
  const auto bad_id = run_cli({"list", "shadows", "--id", "42"}, machine);
  EXPECT_EQ(bad_id.exit, 2);
  EXPECT_NE(bad_id.err.find("--id '42' is not a GUID"), std::string::npos) << bad_id.err;
  const auto no_id =
      run_cli({"--json", "list", "shadows", "--id", "00000000-0000-4000-8000-0000000000ee"}, machine);
  EXPECT_EQ(no_id.exit, 7);
  EXPECT_EQ(nlohmann::json::parse(no_id.out)["error"]["phase"], "--id");
  const auto no_set =
      run_cli({"list", "shadows", "--set", "00000000-0000-4000-8000-0000000000ee"}, machine);
  EXPECT_EQ(no_set.exit, 7);
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
  EXPECT_NE(r.err.find("'list' needs a command: shadows, writers, providers, volumes, storage"),
            std::string::npos)
      << r.err;
  const auto bad = run_cli({"list", "snapshots"}, machine);
  EXPECT_EQ(bad.exit, 2);
  EXPECT_NE(bad.err.find("'snapshots' is not a 'list' command; the commands are: shadows, "),
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
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find(
                "writer 'SqlServerWriter' is in state VSS_WS_FAILED_AT_FREEZE"),
            std::string::npos)
      << doc["error"]["detail"];
  EXPECT_EQ(doc["error"]["writer"], "SqlServerWriter");
  EXPECT_NE(doc["error"]["remedy"].get<std::string>().find("SQLWriter service"), std::string::npos);
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

TEST(CliListWriters, DetailedAddsComponentsAndTheirFiles) {
  SimBackend machine;
  const auto r = run_cli({"list", "writers", "--detailed"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("  database  SQL01\\master  selectable\n"
                       "    C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA\\master.mdf\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    C:\\Windows\\System32\\*.dll  (recursive)\n"), std::string::npos);
  // Each id says which it is, as vssadmin labels them.
  EXPECT_NE(r.out.find("SqlServerWriter\n  writer id:    {"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("}\n  instance id:  {"), std::string::npos) << r.out;
  const auto json = run_cli({"--json", "list", "writers", "--detailed"}, machine);
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["result"][1]["components"][0]["type"], "database");
  EXPECT_EQ(doc["result"][1]["components"][0]["files"][0]["filespec"], "master.mdf");
  const auto plain = nlohmann::json::parse(run_cli({"--json", "list", "writers"}, machine).out);
  EXPECT_FALSE(plain["result"][0].contains("components"));
}

TEST(CliListWriters, TimeoutMustBePositive) {
  SimBackend machine;
  const auto r = run_cli({"list", "writers", "--timeout", "0"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("--timeout"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shadowctl::test

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

TEST(CliListProviders, NameTypeVersionAndId) {
  SimBackend machine;
  const auto r = run_cli({"list", "providers"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("Microsoft Software Shadow Copy provider 1.0  software  1.0.0.7  "
                       "{b5946137-7b9f-4925-af80-51abd60b20d5}"),
            std::string::npos)
      << r.out;
  const auto doc = nlohmann::json::parse(run_cli({"--json", "list", "providers"}, machine).out);
  EXPECT_EQ(doc["result"][0]["type"], "software");
}

TEST(CliListVolumes, SupportAndShadowCountPerVolume) {
  auto state = emulator::default_machine();
  state.volumes[1].supported = false;
  state.volumes[1].file_system = "FAT32";
  SimBackend machine({}, {}, state);
  const auto r = run_cli({"list", "volumes"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("C:\\         NTFS   System  supported      0"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("D:\\         FAT32  Data    not supported  0"), std::string::npos)
      << r.out;
  const auto doc = nlohmann::json::parse(run_cli({"--json", "list", "volumes"}, machine).out);
  EXPECT_EQ(doc["result"][1]["supported"], false);
  EXPECT_EQ(doc["result"][0]["mount_points"][0], "C:\\");
}

TEST(CliListStorage, SizesInTablesAndBytesInJson) {
  auto state = emulator::default_machine();
  state.storage[0].used = 9ull << 30;
  state.storage[0].allocated = 9ull << 30;
  state.storage[1].maximum = 0;  // no limit
  SimBackend machine({}, {}, state);
  const auto r = run_cli({"list", "storage"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("C:\\  C:\\  9.0 GiB  9.0 GiB    10.0 GiB   90%"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("UNBOUNDED  -"), std::string::npos) << r.out;
  const auto doc = nlohmann::json::parse(run_cli({"--json", "list", "storage"}, machine).out);
  EXPECT_EQ(doc["result"][0]["used"], 9ull << 30);
  EXPECT_TRUE(doc["result"][1]["maximum"].is_null());
}

TEST(CliList, EveryListWorksWithJsonAndNothingOnStderr) {
  for (const char* what : {"shadows", "writers", "providers", "volumes", "storage"}) {
    SimBackend machine;
    const auto r = run_cli({"--json", "list", what}, machine);
    EXPECT_EQ(r.exit, 0) << what << r.out;
    EXPECT_EQ(r.err, "") << what;
    EXPECT_TRUE(nlohmann::json::parse(r.out)["result"].is_array()) << what;
  }
}

}  // namespace
}  // namespace shadowctl::test
