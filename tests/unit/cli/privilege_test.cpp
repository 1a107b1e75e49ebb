// SeBackupPrivilege is held for VSS calls only: set aside at every path the user named
// (--script, --save-bcd, --json-file written; expose's folder examined; exec's program looked
// up) and put back as found once the command is done.
#include <gtest/gtest.h>

#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

// Each path the user named was reached without the privilege, and VSS was called with it.
void expect_privilege_only_for_vss(const SimBackend& machine, std::size_t paths_expected) {
  std::size_t paths = 0, vss = 0;
  for (const auto& [what, enabled] : machine.privilege_at()) {
    if (what == "CreateVssBackupComponents") {
      EXPECT_TRUE(enabled) << "VSS called without SeBackupPrivilege";
      ++vss;
    } else {
      EXPECT_FALSE(enabled) << what << " was reached with SeBackupPrivilege enabled";
      ++paths;
    }
  }
  EXPECT_GE(vss, 1u);
  EXPECT_EQ(paths, paths_expected);
}

TEST(CliPrivilege, CreateWritesItsFilesWithoutSeBackupPrivilege) {
  SimBackend machine;
  machine.facts().folders["C:\\out"] = kFolder;
  const auto r = run_cli({"--json-file", "C:\\out\\doc.json", "create", "C:", "--script",
                          "C:\\out\\set.cmd", "--save-bcd", "C:\\out\\bcd.xml"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  ASSERT_EQ(machine.files().size(), 3u);
  // Each file examined before any VSS call (the path, then its folder), then written.
  expect_privilege_only_for_vss(machine, 9);
  EXPECT_FALSE(machine.restore_backup_privilege()) << "the privilege was left enabled";
}

TEST(CliPrivilege, ExposeExaminesTheFolderWithoutSeBackupPrivilege) {
  emulator::MachineFacts facts;
  facts.folders["C:\\Mount\\Shadow"] = {0, true, false, true, "NTFS"};
  SimBackend machine({}, facts);
  ASSERT_EQ(run_cli({"--json", "create", "C:"}, machine).exit, 0);
  const std::string id = machine.service().store().read().shadows.at(0).id;
  const auto r = run_cli({"expose", id, "C:\\Mount\\Shadow"}, machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  expect_privilege_only_for_vss(machine, 1);
}

TEST(CliPrivilege, ExecLooksUpItsProgramWithoutSeBackupPrivilege) {
  SimBackend machine;
  const auto r = run_cli({"exec", "C:", "--", "robocopy", "C:\\Data", "D:\\Backup"}, machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  std::size_t lookups = 0;
  for (const auto& [what, enabled] : machine.privilege_at())
    if (what != "CreateVssBackupComponents") ++lookups;
  ASSERT_GE(lookups, 1u);
  expect_privilege_only_for_vss(machine, lookups);
}

// A privilege the token already had enabled is the user's: never disabled.
TEST(CliPrivilege, APrivilegeAlreadyEnabledIsLeftAlone) {
  emulator::MachineFacts facts;
  facts.privilege.was_enabled = true;
  facts.folders["C:\\out"] = kFolder;
  SimBackend machine({}, facts);
  ASSERT_EQ(run_cli({"create", "C:", "--script", "C:\\out\\set.cmd"}, machine).exit, 0);
  for (const auto& [what, enabled] : machine.privilege_at()) EXPECT_TRUE(enabled) << what;
}

}  // namespace
}  // namespace shadowctl::test
