// `shadowctl storage add|resize|delete` as a user runs them against the emulated machine:
// sizes refused before any call, what a smaller maximum or a deletion would take named
// first and asked for, the association before and after, and what actually went.
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "core/storage.h"
#include "core/vss.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;
constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kGiB = 1024 * kMiB;

// C: with `n` persistent copies, one a minute, each charging the emulator's 320 MiB.
emulator::MachineState with_copies(int n) {
  auto m = emulator::default_machine();
  for (int i = 0; i < n; ++i) {
    emulator::Shadow s;
    s.id = "{00000000-0000-4000-8000-" + std::to_string(100000000000 + i) + "}";
    s.set_id = s.id;
    s.device_path = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_string(i + 1);
    s.original_volume = m.volumes[0].name;
    s.originating_machine = s.service_machine = m.machine_name;
    s.provider_id = m.providers[0].id;
    s.context = core::vss::context::app_rollback;
    s.attributes = core::vss::attr::persistent | core::vss::attr::no_auto_release;
    s.created_us = 1'765'000'000'000'000 + i * 60'000'000LL;
    m.shadows.push_back(s);
  }
  m.storage[0].used = static_cast<std::uint64_t>(n) * emulator::kShadowStorageCharge;
  m.storage[0].allocated = m.storage[0].used;
  return m;
}

std::size_t copies_left(SimBackend& machine) {
  return nlohmann::json::parse(run_cli({"--json", "list", "shadows"}, machine).out)["result"].size();
}

TEST(StorageSize, ParsedAsVssadminTakesIt) {
  using K = core::StorageSize::Kind;
  EXPECT_EQ(core::parse_storage_size("20GB")->bytes, 20 * kGiB);
  EXPECT_EQ(core::parse_storage_size("512m")->bytes, 512 * kMiB);
  EXPECT_EQ(core::parse_storage_size("1.5TB")->bytes, 1536 * kGiB);
  EXPECT_EQ(core::parse_storage_size("335544320")->bytes, 320 * kMiB);
  EXPECT_EQ(core::parse_storage_size("UNBOUNDED")->kind, K::unbounded);
  EXPECT_EQ(core::parse_storage_size("15%")->percent, 15.0);
  for (const char* bad : {"", "GB", "12XB", "0%", "101%", "-5GB", "1.5", ".5GB", "20 GB"})
    EXPECT_FALSE(core::parse_storage_size(bad)) << bad;
  EXPECT_EQ(core::storage_maximum(*core::parse_storage_size("10%"), 100 * kGiB),
            static_cast<std::int64_t>(10 * kGiB));
  EXPECT_EQ(core::storage_maximum(*core::parse_storage_size("unbounded"), 100 * kGiB), -1);
  EXPECT_NE(core::storage_size_problem(*core::parse_storage_size("319MB"), 0).find("320 MB"),
            std::string::npos);
  EXPECT_EQ(core::storage_size_problem(*core::parse_storage_size("320MB"), 0), "");
}

TEST(StorageAdd, AddsAnAssociationAndShowsItAfter) {
  auto state = emulator::default_machine();
  state.storage.clear();
  SimBackend machine(emulator::Scenario{}, emulator::MachineFacts{}, state);
  const auto r = run_cli({"--json", "storage", "add", "--for", "C:", "--on", "D:", "--max", "20GB"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out)["result"];
  EXPECT_EQ(doc["before"], nullptr);
  EXPECT_EQ(doc["after"]["maximum"], 20 * kGiB);
  EXPECT_EQ(doc["after"]["on_volume"], state.volumes[1].name);
  // A percentage is of the storage volume's size, read only for it.
  const auto percent = run_cli({"--json", "storage", "add", "--for", "D:", "--on", "D:", "--max", "15%"},
                               machine);
  ASSERT_EQ(percent.exit, 0) << percent.out;
  EXPECT_EQ(nlohmann::json::parse(percent.out)["result"]["after"]["maximum"],
            static_cast<std::uint64_t>(static_cast<double>(state.volumes[1].capacity) * 0.15));
  const auto twice = run_cli({"--json", "storage", "add", "--for", "C:", "--on", "D:", "--max", "20GB"},
                             machine);
  EXPECT_NE(twice.exit, 0);
  EXPECT_EQ(nlohmann::json::parse(twice.out)["error"]["name"], "VSS_E_OBJECT_ALREADY_EXISTS");
}

TEST(StorageAdd, SizesBelowTheMinimumOrUnreadableAreRefusedBeforeAnyCall) {
  auto state = emulator::default_machine();
  state.storage.clear();
  SimBackend machine(emulator::Scenario{}, emulator::MachineFacts{}, state);
  for (const char* size : {"100MB", "lots", "0%"}) {
    const auto r = run_cli({"--json", "storage", "add", "--for", "C:", "--on", "C:", "--max", size},
                           machine);
    EXPECT_EQ(r.exit, 2) << size << r.out;
  }
  const auto r = run_cli({"--json", "storage", "add", "--for", "C:", "--on", "C:", "--max", "100MB"},
                         machine);
  EXPECT_NE(nlohmann::json::parse(r.out)["error"]["detail"].get<std::string>().find(
                "smallest maximum Windows takes: 320 MB"),
            std::string::npos);
  for (const auto& entry : machine.journal().entries())
    EXPECT_EQ(entry.method.find("AddDiffArea"), std::string::npos) << entry.method;
}

TEST(StorageResize, ASmallerMaximumNamesTheCopiesItWouldTakeAndADryRunChangesNothing) {
  SimBackend machine(emulator::Scenario{}, emulator::MachineFacts{}, with_copies(5));
  // 5 copies use 1600 MiB; 1000 MiB holds 3 of them: the 2 oldest would go.
  const auto dry = run_cli({"--json", "storage", "resize", "--for", "C:", "--max", "1000MB", "--dry-run"},
                           machine);
  ASSERT_EQ(dry.exit, 0) << dry.out;
  const auto doc = nlohmann::json::parse(dry.out)["result"];
  ASSERT_EQ(doc["at_risk"].size(), 2u);
  EXPECT_EQ(doc["at_risk"][0]["shadow_id"], "{00000000-0000-4000-8000-100000000000}");
  EXPECT_EQ(doc["at_risk"][1]["shadow_id"], "{00000000-0000-4000-8000-100000000001}");
  EXPECT_EQ(copies_left(machine), 5u);
  // Not at a terminal, without --yes: refused, nothing changed.
  const auto refused = run_cli({"--json", "storage", "resize", "--for", "C:", "--max", "1000MB"}, machine);
  EXPECT_EQ(refused.exit, 2);
  EXPECT_NE(nlohmann::json::parse(refused.out)["error"]["detail"].get<std::string>().find(
                "about 2 shadow copies ({00000000-0000-4000-8000-100000000000}, "
                "{00000000-0000-4000-8000-100000000001})"),
            std::string::npos)
      << refused.out;
  EXPECT_EQ(copies_left(machine), 5u);
  // At a terminal, answered no: the same.
  EXPECT_EQ(run_cli_interactive({"storage", "resize", "--for", "C:", "--max", "1000MB"}, machine, "n\n").exit,
            2);
  EXPECT_EQ(copies_left(machine), 5u);
  const auto done = run_cli({"--json", "storage", "resize", "--for", "C:", "--max", "1000MB", "--yes"},
                            machine);
  ASSERT_EQ(done.exit, 0) << done.out;
  const auto after = nlohmann::json::parse(done.out)["result"];
  EXPECT_EQ(after["gone"], after["at_risk"]);
  EXPECT_EQ(after["after"]["maximum"], 1000 * kMiB);
  EXPECT_EQ(copies_left(machine), 3u);
}

TEST(StorageResize, ALargerMaximumAsksNothingAndTakesNothing) {
  SimBackend machine(emulator::Scenario{}, emulator::MachineFacts{}, with_copies(3));
  const auto r = run_cli({"--json", "storage", "resize", "--for", "C:", "--max", "unbounded"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out)["result"];
  EXPECT_TRUE(doc["at_risk"].empty());
  EXPECT_TRUE(doc["gone"].empty());
  EXPECT_EQ(copies_left(machine), 3u);
  const auto none = run_cli({"--json", "storage", "resize", "--for", "C:", "--on", "D:", "--max", "1GB"},
                            machine);
  EXPECT_EQ(none.exit, 7) << none.out;
}

// Whatever the copies and the new maximum, a resize never deletes a copy it did not name
// first (the emulator charges each copy alike, as the estimate assumes).
TEST(StorageResize, NeverDeletesACopyItDidNotNameFirst) {
  std::mt19937 random(20261207);
  for (int round = 0; round < 40; ++round) {
    const int n = static_cast<int>(random() % 12);
    SimBackend machine(emulator::Scenario{}, emulator::MachineFacts{}, with_copies(n));
    const std::uint64_t max_mib = 320 + random() % 4000;
    const auto r = run_cli({"--json", "storage", "resize", "--for", "C:", "--max",
                            std::to_string(max_mib) + "MB", "--yes"},
                           machine);
    ASSERT_EQ(r.exit, 0) << r.out;
    const auto doc = nlohmann::json::parse(r.out)["result"];
    for (const auto& g : doc["gone"]) {
      bool named = false;
      for (const auto& a : doc["at_risk"]) named = named || a["shadow_id"] == g["shadow_id"];
      EXPECT_TRUE(named) << g << " went without being named; max " << max_mib << " MiB, " << n
                         << " copies";
    }
    EXPECT_EQ(copies_left(machine), static_cast<std::size_t>(n) - doc["gone"].size());
  }
}

// Windows does not say what each copy holds: when the newest holds far more than the
// average, more go than were named, and the warning says which.
TEST(StorageResize, CopiesThatWentUnnamedAreWarnedOf) {
  auto state = with_copies(5);
  state.shadows.back().storage_bytes = 2000 * kMiB;
  state.storage[0].used = 4 * emulator::kShadowStorageCharge + 2000 * kMiB;  // 3280 MiB
  SimBackend machine(emulator::Scenario{}, emulator::MachineFacts{}, state);
  const auto r = run_cli({"--json", "storage", "resize", "--for", "C:", "--max", "2200MB", "--yes"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"]["at_risk"].size(), 2u);  // 3280 - 2200 MiB is two copies of 656 MiB
  EXPECT_EQ(doc["result"]["gone"].size(), 4u);     // only the newest fits
  ASSERT_EQ(doc["warnings"].size(), 1u) << doc;
  EXPECT_NE(doc["warnings"][0]["message"].get<std::string>().find("Windows deleted 2 shadow copies more than "
                                                       "estimated"),
            std::string::npos);
  EXPECT_EQ(copies_left(machine), 1u);
}

TEST(StorageDelete, CopiesStoredThereAreNamedAndDeletedFirstOnlyWhenConfirmed) {
  SimBackend machine(emulator::Scenario{}, emulator::MachineFacts{}, with_copies(2));
  const auto refused = run_cli({"--json", "storage", "delete", "--for", "C:"}, machine);
  EXPECT_EQ(refused.exit, 2) << refused.out;
  EXPECT_NE(nlohmann::json::parse(refused.out)["error"]["detail"].get<std::string>().find(
                "holds 2 shadow copies ({00000000-0000-4000-8000-100000000000}, "
                "{00000000-0000-4000-8000-100000000001})"),
            std::string::npos)
      << refused.out;
  EXPECT_EQ(copies_left(machine), 2u);
  const auto dry = run_cli({"--json", "storage", "delete", "--for", "C:", "--dry-run"}, machine);
  EXPECT_EQ(nlohmann::json::parse(dry.out)["result"]["at_risk"].size(), 2u);
  const auto done = run_cli({"--json", "storage", "delete", "--for", "C:", "--yes"}, machine);
  ASSERT_EQ(done.exit, 0) << done.out;
  const auto doc = nlohmann::json::parse(done.out)["result"];
  EXPECT_EQ(doc["gone"].size(), 2u);
  EXPECT_EQ(doc["after"], nullptr);
  EXPECT_NE(doc["before"], nullptr);
  EXPECT_EQ(copies_left(machine), 0u);
  const auto list = nlohmann::json::parse(run_cli({"--json", "list", "storage"}, machine).out);
  EXPECT_EQ(list["result"].size(), 1u) << list;  // D:'s own is untouched
}

TEST(StorageDelete, AnUnusedAssociationGoesWithoutAsking) {
  SimBackend machine;
  const auto r = run_cli({"--json", "storage", "delete", "--for", "D:"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["result"]["after"], nullptr);
}

TEST(StorageFaults, AFailedCallIsReportedAndChangesNothing) {
  {
    auto state = with_copies(0);
    state.storage.clear();
    SimBackend machine(fault("IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea",
                             core::code("VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED")),
                       emulator::MachineFacts{}, state);
    const auto r = run_cli({"--json", "storage", "add", "--for", "C:", "--on", "D:", "--max", "1GB"},
                           machine);
    EXPECT_NE(r.exit, 0);
    EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["name"], "VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED");
    EXPECT_TRUE(nlohmann::json::parse(run_cli({"--json", "list", "storage"}, machine).out)["result"].empty());
  }
  for (const char* method : {"IVssDifferentialSoftwareSnapshotMgmt::ChangeDiffAreaMaximumSize",
                             "IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume"}) {
    SimBackend machine(fault(method, core::hr::e_accessdenied), emulator::MachineFacts{},
                       with_copies(2));
    const auto r = run_cli({"--json", "storage", "resize", "--for", "C:", "--max", "1GB", "--yes"},
                           machine);
    EXPECT_EQ(r.exit, 3) << method << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["name"], "E_ACCESSDENIED");
    EXPECT_EQ(copies_left(machine), 2u) << method;
  }
}

}  // namespace
}  // namespace shadowctl::test
