// `create --include-writer / --exclude-writer / --save-bcd`: component mode the way Microsoft
// documents it for requesters, against the emulator's rules.
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "session/writer_selection.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::Scenario;
using emulator::SimBackend;

std::vector<std::string> calls(SimBackend& machine) { return machine.journal().methods(); }

// The position of the n-th (1-based) call of method in the journal, or npos.
std::size_t position(const std::vector<std::string>& m, const std::string& method, int n = 1) {
  for (std::size_t i = 0; i < m.size(); ++i)
    if (m[i] == method && --n == 0) return i;
  return std::string::npos;
}

std::vector<std::string> component_names(const nlohmann::json& doc) {
  std::vector<std::string> names;
  for (const auto& c : doc["result"]["components"])
    names.push_back(c["writer"].get<std::string>() + "/" + c["name"].get<std::string>());
  return names;
}

TEST(CliWriterSelection, ExcludeDisablesTheClassBeforeTheGatherAndAddsTheRest) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "C", "--exclude-writer", "sqlserverwriter"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc["result"]["component_mode"].get<bool>());
  EXPECT_EQ(component_names(doc),
            (std::vector<std::string>{"System Writer/System Files", "Registry Writer/Registry",
                                      "WMI Writer/WMI"}));
  const auto m = calls(machine);
  // The names were read through a first object; the second, which creates, disables first.
  const auto disable = position(m, "DisableWriterClasses");
  ASSERT_NE(disable, std::string::npos);
  EXPECT_LT(disable, position(m, "GatherWriterMetadata", 2));
  EXPECT_EQ(std::count(m.begin(), m.end(), "AddComponent"), 3);
  EXPECT_EQ(std::count(m.begin(), m.end(), "SetBackupSucceeded"), 3);
  EXPECT_LT(position(m, "SetBackupSucceeded", 3), position(m, "BackupComplete"));
  EXPECT_EQ(machine.service().ledger().results_owed, 0);
  EXPECT_EQ(machine.service().store().read().shadows.size(), 1u);
}

TEST(CliWriterSelection, IncludeEnablesOnlyThatWriterSoAnotherWritersFailureDoesNotMatter) {
  SimBackend machine(Scenario::parse(R"({"writers": [{"writer": "System Writer",
      "state": "VSS_WS_FAILED_AT_PREPARE_BACKUP", "phase": "PrepareForBackup"}]})"));
  const auto r = run_cli({"--json", "create", "C", "--include-writer",
                          "{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(component_names(nlohmann::json::parse(r.out)),
            (std::vector<std::string>{"SqlServerWriter/master", "SqlServerWriter/model"}));
  EXPECT_NE(position(calls(machine), "EnableWriterClasses"), std::string::npos);
}

TEST(CliWriterSelection, AnUnknownWriterIsNamedWithTheWritersThereAreAndNothingStarts) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "C", "--include-writer", "Exchange Writer"}, machine);
  EXPECT_EQ(r.exit, 7);
  const auto meaning = nlohmann::json::parse(r.out)["error"]["meaning"].get<std::string>();
  EXPECT_NE(meaning.find("no writer is named 'Exchange Writer'; the writers here are: "
                         "Registry Writer, SqlServerWriter, System Writer, WMI Writer"),
            std::string::npos)
      << meaning;
  EXPECT_EQ(position(calls(machine), "StartSnapshotSet"), std::string::npos);
}

TEST(CliWriterSelection, UsageErrors) {
  SimBackend machine;
  EXPECT_EQ(run_cli({"create", "C", "--include-writer", "A", "--exclude-writer", "B"}, machine).exit, 2);
  EXPECT_EQ(run_cli({"create", "C", "--no-writers", "--exclude-writer", "B"}, machine).exit, 2);
  EXPECT_EQ(run_cli({"create", "C", "--no-writers", "--save-bcd", "C:\\bcd.xml"}, machine).exit, 2);
  EXPECT_TRUE(calls(machine).empty());
}

TEST(CliWriterSelection, AFailedSetBackupSucceededDeletesTheSet) {
  SimBackend machine(fault("SetBackupSucceeded", core::hr::vss_e_bad_state));
  const auto r = run_cli({"--json", "create", "C", "--exclude-writer", "WMI Writer"}, machine);
  EXPECT_NE(r.exit, 0);
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
  EXPECT_FALSE(machine.service().store().read().in_creation.has_value());
}

TEST(CliSaveBcd, WritesTheDocumentOnlyWhenTheSetSucceeded) {
  SimBackend machine;
  const auto r = run_cli({"create", "C", "--exclude-writer", "WMI Writer", "--backup-type", "full",
                          "--save-bcd", "C:\\backup\\bcd.xml"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  ASSERT_EQ(machine.files().count("C:\\backup\\bcd.xml"), 1u);
  const auto& xml = machine.files().at("C:\\backup\\bcd.xml");
  EXPECT_NE(xml.find("backupType=\"FULL\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("componentName=\"master\" componentType=\"database\" backupSucceeded=\"yes\""),
            std::string::npos)
      << xml;
  const auto m = calls(machine);
  EXPECT_LT(position(m, "SaveAsXML"), position(m, "BackupComplete"));

  SimBackend vetoed(Scenario::parse(R"({"provider_veto": true})"));
  EXPECT_NE(run_cli({"create", "C", "--save-bcd", "C:\\bcd.xml"}, vetoed).exit, 0);
  EXPECT_TRUE(vetoed.files().empty());
}

TEST(ComponentsToAdd, AComponentWithASelectableAncestorComesWithIt) {
  core::WriterMetadata w{"{w}", "{i}", "Writer", {}};
  w.components = {{"", "Top", "filegroup", true, {}},
                  {"Top", "Child", "filegroup", false, {}},
                  {"Top\\Child", "Grandchild", "database", true, {}},
                  {"", "Alone", "filegroup", false, {}},
                  {"Topper", "NotAChild", "filegroup", false, {}}};
  std::vector<std::string> added;
  for (const auto& c : session::components_to_add(w))
    added.push_back((c.logical_path.empty() ? "" : c.logical_path + "\\") + c.name);
  EXPECT_EQ(added, (std::vector<std::string>{"Top", "Alone", "Topper\\NotAChild"}));
}

}  // namespace
}  // namespace shadowctl::test
