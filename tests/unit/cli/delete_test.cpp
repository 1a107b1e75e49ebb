// `shadowctl delete`: only what was named goes, and more than one only when confirmed.
#include <algorithm>
#include <random>
#include <set>

#include <fmt/format.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "core/vss.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

// {..01} and {..02} on C: in set a1 (01 older), {..03} on D: in set a2.
emulator::MachineState three_copies() {
  auto state = emulator::default_machine();
  auto add = [&](int n, int set, std::size_t volume, std::int64_t created) {
    emulator::Shadow s;
    s.id = fmt::format("{{00000000-0000-4000-8000-0000000000{:02x}}}", n);
    s.set_id = fmt::format("{{00000000-0000-4000-8000-0000000000{:02x}}}", 0xa0 + set);
    s.original_volume = state.volumes[volume].name;
    s.created_us = created;
    s.context = s.attributes = core::vss::context::client_accessible;
    state.shadows.push_back(s);
  };
  add(1, 1, 0, 100);
  add(2, 1, 0, 200);
  add(3, 2, 1, 300);
  return state;
}

std::set<std::string> left(SimBackend& machine) {
  std::set<std::string> ids;
  for (const auto& s : machine.service().store().read().shadows) ids.insert(s.id.substr(35, 2));
  return ids;
}

TEST(CliDelete, ById) {
  SimBackend machine({}, {}, three_copies());
  const auto r = run_cli({"delete", "--id", "00000000-0000-4000-8000-000000000002"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("Deleted 1 shadow copy:\n  {00000000-0000-4000-8000-000000000002}  C:\\"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(left(machine), (std::set<std::string>{"01", "03"}));
}

TEST(CliDelete, OldestOfAVolume) {
  SimBackend machine({}, {}, three_copies());
  const auto r = run_cli({"delete", "--volume", "C", "--oldest"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(left(machine), (std::set<std::string>{"02", "03"}));
}

TEST(CliDelete, MoreThanOneRefusedWithoutYesWhenNoOneCanConfirm) {
  SimBackend machine({}, {}, three_copies());
  const auto r = run_cli({"--json", "delete", "--all"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(nlohmann::json::parse(r.out)["error"]["meaning"].get<std::string>().find(
                "refusing to delete 3 shadow copies without --yes"),
            std::string::npos);
  EXPECT_EQ(left(machine).size(), 3u);
  EXPECT_EQ(run_cli({"delete", "--set", "{00000000-0000-4000-8000-0000000000a1}", "--yes"}, machine)
                .exit,
            0);
  EXPECT_EQ(left(machine), (std::set<std::string>{"03"}));
}

TEST(CliDelete, AtATerminalItAsksAndOnlyYesDeletes) {
  SimBackend machine({}, {}, three_copies());
  const auto no = run_cli_interactive({"delete", "--all"}, machine, "\n");
  EXPECT_EQ(no.exit, 2);
  EXPECT_NE(no.err.find("Delete 3 shadow copies? [y/N] "), std::string::npos) << no.err;
  EXPECT_NE(no.err.find("not confirmed; nothing was deleted"), std::string::npos) << no.err;
  EXPECT_EQ(left(machine).size(), 3u);
  const auto yes = run_cli_interactive({"delete", "--all", "--volume", "C:"}, machine, "y\n");
  EXPECT_EQ(yes.exit, 0) << yes.err;
  EXPECT_EQ(left(machine), (std::set<std::string>{"03"}));
}

TEST(CliDelete, DryRunListsAndDeletesNothing) {
  SimBackend machine({}, {}, three_copies());
  const auto r = run_cli({"--json", "delete", "--all", "--dry-run"}, machine);
  EXPECT_EQ(r.exit, 0);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"]["dry_run"], true);
  EXPECT_EQ(doc["result"]["count"], 3);
  EXPECT_EQ(left(machine).size(), 3u);
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::find(m.begin(), m.end(), "DeleteSnapshots"), m.end());
}

TEST(CliDelete, AnUnknownIdDeletesNothingAndExitsSeven) {
  SimBackend machine({}, {}, three_copies());
  const auto r = run_cli({"delete", "--yes", "--id", "00000000-0000-4000-8000-000000000001",
                          "--id", "00000000-0000-4000-8000-0000000000ee"},
                         machine);
  EXPECT_EQ(r.exit, 7);
  EXPECT_NE(r.err.find("no shadow copy has the id {00000000-0000-4000-8000-0000000000ee}"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(left(machine).size(), 3u);
}

TEST(CliDelete, SelectorMistakesAreUsageErrors) {
  SimBackend machine({}, {}, three_copies());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"delete"},
           {"delete", "--oldest"},
           {"delete", "--all", "--id", "00000000-0000-4000-8000-000000000001"},
           {"delete", "--id", "nope"},
           {"delete", "--volume", "C:relative"}}) {
    EXPECT_EQ(run_cli(args, machine).exit, 2) << args.back();
  }
  EXPECT_EQ(left(machine).size(), 3u);
}

TEST(CliDelete, AFailurePartWayNamesTheIdAndWhatWentBefore) {
  // Only the second DeleteSnapshots fails.
  emulator::Scenario second;
  second.add(emulator::Fault{"DeleteSnapshots", core::hr::vss_e_unexpected, 2});
  SimBackend partial(second, {}, three_copies());
  const auto r = run_cli({"--json", "delete", "--all", "--yes"}, partial);
  EXPECT_EQ(r.exit, 1);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"]["count"], 1);
  EXPECT_EQ(doc["result"]["failed_id"], "{00000000-0000-4000-8000-000000000002}");
  EXPECT_NE(doc["error"]["meaning"].get<std::string>().find(
                "stopped at {00000000-0000-4000-8000-000000000002}; 1 shadow copy deleted before it"),
            std::string::npos)
      << doc["error"]["meaning"];
  EXPECT_EQ(left(partial), (std::set<std::string>{"01", "02"}));
}

// Random machines, random selections: whatever goes matched what was named.
TEST(CliDeleteProperty, EveryDeletedCopyMatchedTheSelection) {
  std::mt19937 random(20261125);
  for (int round = 0; round < 40; ++round) {
    auto state = emulator::default_machine();
    const int count = static_cast<int>(random() % 8);
    for (int i = 0; i < count; ++i) {
      emulator::Shadow s;
      s.id = fmt::format("{{00000000-0000-4000-8000-0000000000{:02x}}}", i);
      s.set_id = fmt::format("{{00000000-0000-4000-8000-0000000000{:02x}}}", 0xa0 + random() % 3);
      s.original_volume = state.volumes[random() % 2].name;
      s.created_us = static_cast<std::int64_t>(random() % 1000);
      s.context = s.attributes = core::vss::context::nas_rollback;
      state.shadows.push_back(s);
    }
    const auto before = state.shadows;
    SimBackend machine({}, {}, state);
    std::vector<std::string> args{"--json", "delete", "--yes"};
    const int kind = static_cast<int>(random() % 4);
    const std::string pick = fmt::format("{:02x}", random() % 9);
    const std::string set = fmt::format("a{}", random() % 3);
    const std::string volume = random() % 2 ? "C" : "D";
    if (kind == 0) args.insert(args.end(), {"--id", "00000000-0000-4000-8000-0000000000" + pick});
    if (kind == 1) args.insert(args.end(), {"--set", "00000000-0000-4000-8000-0000000000" + set});
    if (kind == 2) args.insert(args.end(), {"--volume", volume, "--oldest"});
    if (kind == 3) args.insert(args.end(), {"--all", "--volume", volume});
    if (random() % 3 == 0) args.push_back("--dry-run");
    const auto r = run_cli(args, machine);
    const bool dry = std::find(args.begin(), args.end(), "--dry-run") != args.end();
    std::set<std::string> after;
    for (const auto& s : machine.service().store().read().shadows) after.insert(s.id);
    for (const auto& s : before) {
      if (after.count(s.id)) continue;
      ASSERT_FALSE(dry) << "a dry run deleted " << s.id;
      const std::string want_volume =
          machine.service().store().read().volumes[volume == "C" ? 0 : 1].name;
      const bool matched =
          (kind == 0 && s.id.substr(35, 2) == pick) || (kind == 1 && s.set_id.substr(35, 2) == set) ||
          ((kind == 2 || kind == 3) && s.original_volume == want_volume);
      ASSERT_TRUE(matched) << "deleted " << s.id << " for " << r.out;
    }
  }
}

}  // namespace
}  // namespace shadowctl::test
