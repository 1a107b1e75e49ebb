// `shadowctl expose` and `unexpose`: the target is checked before any VSS call, only a
// persistent shadow copy is exposed, and unexpose finds it by any of its names.
#include <algorithm>

#include <fmt/format.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/vss.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

constexpr const char* kPersistent = "{00000000-0000-4000-8000-000000000001}";
constexpr const char* kTemporary = "{00000000-0000-4000-8000-000000000002}";
constexpr const char* kPreviousVersions = "{00000000-0000-4000-8000-000000000003}";

// One app-rollback copy and one backup-context copy of C:; `exposed_at` exposes the first.
emulator::MachineState copies(const std::string& exposed_at = {}) {
  auto state = emulator::default_machine();
  auto add = [&](const char* id, long context) {
    emulator::Shadow s;
    s.id = id;
    s.set_id = "{00000000-0000-4000-8000-0000000000a1}";
    s.original_volume = state.volumes[0].name;
    s.context = s.attributes = context;
    state.shadows.push_back(s);
  };
  add(kPersistent, core::vss::context::app_rollback);
  add(kTemporary, core::vss::context::backup);
  add(kPreviousVersions, core::vss::context::client_accessible);
  if (!exposed_at.empty()) {
    state.shadows[0].exposed_name = exposed_at;
    state.shadows[0].attributes |= core::vss::attr::exposed_locally;
  }
  return state;
}

// An empty NTFS folder at C:\Mount\Shadow.
emulator::MachineFacts with_folder() {
  emulator::MachineFacts facts;
  facts.folders["C:\\Mount\\Shadow"] = {0, true, false, true, "NTFS"};
  return facts;
}

const emulator::Shadow& shadow(SimBackend& machine, const std::string& id) {
  static emulator::Shadow copy;
  for (const auto& s : machine.service().store().read().shadows)
    if (s.id == id) copy = s;
  return copy;
}

bool called(SimBackend& machine, const std::string& method) {
  const auto m = machine.journal().methods();
  return std::find(m.begin(), m.end(), method) != m.end();
}

// What exactly the error says failed (the error's detail).
std::string detail(const CliResult& r) {
  return nlohmann::json::parse(r.out)["error"]["detail"].get<std::string>();
}

std::string remedy(const CliResult& r) {
  return nlohmann::json::parse(r.out)["error"]["remedy"].get<std::string>();
}

TEST(CliExpose, AtAFreeDriveLetter) {
  SimBackend machine({}, with_folder(), copies());
  const auto r = run_cli({"expose", kPersistent, "x"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find(fmt::format("Exposed {} (C:\\) as X:, read-only.", kPersistent)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("until: shadowctl unexpose X:"), std::string::npos);
  EXPECT_EQ(shadow(machine, kPersistent).exposed_name, "X:");
  EXPECT_NE(shadow(machine, kPersistent).attributes & core::vss::attr::exposed_locally, 0);
}

TEST(CliExpose, AtAnEmptyNtfsFolderInJson) {
  SimBackend machine({}, with_folder(), copies());
  const auto r = run_cli({"--json", "expose", kPersistent, "c:\\Mount\\Shadow\\"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"]["exposed_name"], "C:\\Mount\\Shadow");
  EXPECT_EQ(doc["result"]["id"], kPersistent);
}

TEST(CliExpose, AsAShare) {
  SimBackend machine({}, with_folder(), copies());
  const auto r = run_cli({"expose", kPersistent, "--share", "Before"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(shadow(machine, kPersistent).exposed_name, "Before");
  EXPECT_NE(shadow(machine, kPersistent).attributes & core::vss::attr::exposed_remotely, 0);
}

struct BadTarget {
  const char* name;
  const char* target;
  session::FolderFacts folder;  // what is at C:\Mount\Shadow
  int exit;
  const char* says;
};

void PrintTo(const BadTarget& t, std::ostream* os) { *os << t.name; }

class CliExposeTarget : public testing::TestWithParam<BadTarget> {};

TEST_P(CliExposeTarget, IsRefusedBeforeAnyVssCall) {
  SimBackend machine({}, with_folder(), copies());
  machine.facts().folders["C:\\Mount\\Shadow"] = GetParam().folder;
  const auto r = run_cli({"--json", "expose", kPersistent, GetParam().target}, machine);
  EXPECT_EQ(r.exit, GetParam().exit) << r.out;
  EXPECT_NE(detail(r).find(GetParam().says), std::string::npos) << detail(r);
  EXPECT_TRUE(machine.journal().methods().empty()) << "a VSS call was made";
  EXPECT_EQ(shadow(machine, kPersistent).exposed_name, "");
}

INSTANTIATE_TEST_SUITE_P(
    Each, CliExposeTarget,
    testing::Values(
        BadTarget{"LetterInUse", "C:", {0, true, false, true, "NTFS"}, 2, "C: is already in use"},
        BadTarget{"Missing", "C:\\Elsewhere", {0, true, false, true, "NTFS"}, 7,
                  "cannot use the folder C:\\Elsewhere"},
        BadTarget{"NotEmpty", "C:\\Mount\\Shadow", {0, true, false, false, "NTFS"}, 2,
                  "C:\\Mount\\Shadow is not empty"},
        BadTarget{"AFile", "C:\\Mount\\Shadow", {0, false, false, false, "NTFS"}, 2,
                  "C:\\Mount\\Shadow is a file"},
        BadTarget{"AJunction", "C:\\Mount\\Shadow", {0, true, true, true, "NTFS"}, 2,
                  "C:\\Mount\\Shadow is a reparse point"},
        BadTarget{"NotNtfs", "C:\\Mount\\Shadow", {0, true, false, true, "FAT32"}, 2,
                  "C:\\Mount\\Shadow is on FAT32"},
        BadTarget{"Relative", "Mount\\Shadow", {}, 2, "neither a drive letter"},
        BadTarget{"VolumeName", "\\\\?\\Volume{00000000-0000-0000-0000-000000000043}\\", {}, 2,
                  "neither a drive letter"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(CliExpose, ANonPersistentCopyIsRefusedWithTheReason) {
  SimBackend machine({}, with_folder(), copies());
  const auto r = run_cli({"--json", "expose", kTemporary, "X:"}, machine);
  EXPECT_EQ(r.exit, 2);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "SHADOWCTL_E_NOT_PERSISTENT");
  EXPECT_NE(detail(r).find("lives only as long as the process that made it"), std::string::npos);
  EXPECT_FALSE(called(machine, "ExposeSnapshot"));
}

// A client-accessible copy is persistent: it is refused for what it is, not for a lifetime
// that `list shadows` contradicts, and pointed at the commands that read it.
TEST(CliExpose, AClientAccessibleCopyIsRefusedForWhatItIs) {
  SimBackend machine({}, with_folder(), copies());
  const auto r = run_cli({"--json", "expose", kPreviousVersions, "X:"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(detail(r).find("is a client-accessible copy"), std::string::npos) << detail(r);
  EXPECT_EQ(detail(r).find("lives only as long"), std::string::npos) << detail(r);
  EXPECT_NE(remedy(r).find("shadowctl restore"), std::string::npos) << remedy(r);
  EXPECT_FALSE(called(machine, "ExposeSnapshot"));
}

TEST(CliExpose, AnUnknownIdIsNotFound) {
  SimBackend machine({}, with_folder(), copies());
  const auto r = run_cli({"--json", "expose", "{00000000-0000-4000-8000-0000000000ff}", "X:"},
                         machine);
  EXPECT_EQ(r.exit, 7);
  EXPECT_NE(detail(r).find("no shadow copy has the id {00000000-0000-4000-8000-0000000000ff}"),
            std::string::npos);
}

TEST(CliExpose, TargetAndShareTogetherIsAUsageError) {
  SimBackend machine({}, with_folder(), copies());
  EXPECT_EQ(run_cli({"expose", kPersistent, "X:", "--share", "S"}, machine).exit, 2);
  EXPECT_EQ(run_cli({"expose", kPersistent}, machine).exit, 2);
  EXPECT_EQ(run_cli({"expose", kPersistent, "--share", "a\\b"}, machine).exit, 2);
  EXPECT_EQ(run_cli({"expose", "not-a-guid", "X:"}, machine).exit, 2);
}

TEST(CliExpose, TwiceIsRefused) {
  SimBackend machine({}, with_folder(), copies());
  ASSERT_EQ(run_cli({"expose", kPersistent, "X:"}, machine).exit, 0);
  const auto r = run_cli({"--json", "expose", kPersistent, "Y:"}, machine);
  EXPECT_NE(r.exit, 0);
  EXPECT_NE(detail(r).find("is already exposed as X:"), std::string::npos);
  EXPECT_EQ(shadow(machine, kPersistent).exposed_name, "X:");
}

TEST(CliUnexpose, ByLetterFolderShareOrId) {
  for (const auto& [target, by] : std::vector<std::pair<std::string, std::string>>{
           {"X:", "x"}, {"X:", kPersistent}, {"C:\\Mount\\Shadow", "c:\\mount\\shadow\\"}}) {
    SimBackend machine({}, with_folder(), copies());
    ASSERT_EQ(run_cli({"expose", kPersistent, target}, machine).exit, 0);
    const auto r = run_cli({"unexpose", by}, machine);
    EXPECT_EQ(r.exit, 0) << by << ": " << r.err;
    EXPECT_NE(r.out.find("is gone; the shadow copy stays."), std::string::npos) << r.out;
    EXPECT_EQ(shadow(machine, kPersistent).exposed_name, "");
    EXPECT_EQ(shadow(machine, kPersistent).attributes, core::vss::context::app_rollback);
  }
  SimBackend machine({}, with_folder(), copies());
  ASSERT_EQ(run_cli({"expose", kPersistent, "--share", "Before"}, machine).exit, 0);
  EXPECT_EQ(run_cli({"unexpose", "before"}, machine).exit, 0);
  EXPECT_EQ(shadow(machine, kPersistent).exposed_name, "");
}

TEST(CliUnexpose, WhatIsNotExposedIsNotFound) {
  SimBackend machine({}, with_folder(), copies());
  auto r = run_cli({"--json", "unexpose", "Q:"}, machine);
  EXPECT_EQ(r.exit, 7);
  EXPECT_NE(detail(r).find("nothing is exposed at Q:"), std::string::npos);
  // Not the shadow-id hint of a copy not found: nothing there is to be listed by id.
  EXPECT_EQ(remedy(r).find("use one of those ids"), std::string::npos) << remedy(r);
  r = run_cli({"--json", "unexpose", kPersistent}, machine);
  EXPECT_EQ(r.exit, 7);
  EXPECT_NE(detail(r).find("is not exposed"), std::string::npos);
  EXPECT_FALSE(called(machine, "UnexposeSnapshot"));
}

TEST(CliUnexpose, AFailureOfUnexposeSnapshotIsReportedAndChangesNothing) {
  SimBackend machine(fault("UnexposeSnapshot", core::hr::vss_e_provider_veto), {}, copies("X:"));
  const auto r = run_cli({"--json", "unexpose", "X:"}, machine);
  EXPECT_EQ(r.exit, 1);
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["name"], "VSS_E_PROVIDER_VETO");
  EXPECT_EQ(shadow(machine, kPersistent).exposed_name, "X:");
}

}  // namespace
}  // namespace shadowctl::test
