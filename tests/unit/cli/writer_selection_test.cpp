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
  const auto error = nlohmann::json::parse(r.out)["error"];
  // The hint is chosen by what was not found: a writer, so `list writers`.
  EXPECT_NE(error["remedy"].get<std::string>().find("shadowctl list writers"), std::string::npos);
  EXPECT_EQ(error["writer"], "Exchange Writer");
  const auto meaning = error["detail"].get<std::string>();
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
  machine.facts().folders["C:\\backup"] = kFolder;
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

// Paths on C: and D:, and a volume mounted at C:\Mount\ (another volume, though its path
// begins with C:\).
session::PathVolume volume_of(const std::string& path) {
  if (path.rfind("C:\\Mount\\", 0) == 0) return {"{m}", "C:\\Mount\\"};
  if (path.rfind("C:\\", 0) == 0) return {"{c}", "C:\\"};
  if (path.rfind("D:\\", 0) == 0) return {"{d}", "D:\\"};
  return {};
}

std::vector<std::string> added(const session::ComponentPlan& plan) {
  std::vector<std::string> out;
  for (const auto& c : plan.add) out.push_back((c.logical_path.empty() ? "" : c.logical_path + "\\") + c.name);
  return out;
}

TEST(PlanComponents, AComponentWithASelectableAncestorComesWithIt) {
  core::WriterMetadata w{"{w}", "{i}", "Writer", {}};
  w.components = {{"", "Top", "filegroup", true, {}},
                  {"Top", "Child", "filegroup", false, {}},
                  {"Top\\Child", "Grandchild", "database", true, {}},
                  {"", "Alone", "filegroup", false, {}},
                  {"Topper", "NotAChild", "filegroup", false, {}}};
  const auto plan = session::plan_components(w, {w}, {"{c}"}, volume_of);
  EXPECT_EQ(added(plan), (std::vector<std::string>{"Top", "Alone", "Topper\\NotAChild"}));
  EXPECT_TRUE(plan.in_full());
}

TEST(PlanComponents, OnlyComponentsOnTheSetsVolumesAreAdded) {
  core::WriterMetadata w{"{w}", "{i}", "SQL", {}};
  w.components = {{"", "OnC", "database", true, {{"C:\\Data", "a.mdf", false}}},
                  {"", "OnD", "database", true, {{"D:\\Data", "b.mdf", false}}},
                  // Its log is on D: (a database's files and logs both count).
                  {"", "Split", "database", true, {{"C:\\Data", "s.mdf", false}, {"D:\\Logs", "s.ldf", false}}},
                  // A mount point inside C: is another volume.
                  {"", "Mounted", "database", true, {{"C:\\Mount\\Data", "m.mdf", false}}}};
  const auto plan = session::plan_components(w, {w}, {"{c}"}, volume_of);
  EXPECT_EQ(added(plan), std::vector<std::string>{"OnC"});
  ASSERT_EQ(plan.left_out.size(), 3u);
  EXPECT_EQ(plan.left_out[0].component, "OnD");
  EXPECT_EQ(plan.left_out[0].volumes, std::vector<std::string>{"D:\\"});
  EXPECT_EQ(plan.left_out[1].component, "Split");
  EXPECT_EQ(plan.left_out[2].volumes, std::vector<std::string>{"C:\\Mount\\"});
  EXPECT_FALSE(plan.dropped);
  EXPECT_FALSE(plan.in_full());
}

TEST(PlanComponents, AComponentThatComesWithItsAncestorKeepsItOutWhenItsFilesAreElsewhere) {
  core::WriterMetadata w{"{w}", "{i}", "Writer", {}};
  w.components = {{"", "Top", "filegroup", true, {{"C:\\Top", "*", true}}},
                  {"Top", "Child", "filegroup", false, {{"D:\\Child", "*", true}}}};
  const auto plan = session::plan_components(w, {w}, {"{c}"}, volume_of);
  EXPECT_TRUE(plan.add.empty());
  EXPECT_TRUE(plan.dropped);  // nothing of it could be added
}

TEST(PlanComponents, ANonSelectableComponentOutsideTheSetDropsTheWholeWriter) {
  core::WriterMetadata w{"{w}", "{i}", "Registry Writer", {}};
  w.components = {{"", "Registry", "filegroup", false, {{"C:\\Windows\\System32\\config", "SYSTEM", false}}},
                  {"", "Extra", "filegroup", true, {{"D:\\Extra", "*", false}}}};
  const auto plan = session::plan_components(w, {w}, {"{d}"}, volume_of);
  EXPECT_TRUE(plan.dropped);
  EXPECT_TRUE(plan.add.empty());
  ASSERT_FALSE(plan.left_out.empty());
  EXPECT_EQ(plan.left_out.front().component, "");  // the whole writer
  EXPECT_EQ(plan.left_out.front().volumes, std::vector<std::string>{"C:\\"});
}

// Random layouts: whatever the writers and the set, no component outside the set is added.
TEST(PlanComponents, NeverAddsAComponentWithFilesOutsideTheSet) {
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  const std::vector<std::string> roots = {"C:\\", "D:\\", "C:\\Mount\\", "E:\\"};
  const std::vector<std::string> ids = {"{c}", "{d}", "{m}"};
  for (int round = 0; round < 500; ++round) {
    core::WriterMetadata w{"{w}", "{i}", "W", {}};
    const auto count = 1 + next() % 5;
    for (std::uint32_t k = 0; k < count; ++k) {
      core::WriterComponent c{next() % 3 == 0 && k > 0 ? w.components.front().name : "",
                              "c" + std::to_string(k), "filegroup", next() % 2 == 0, {}};
      for (auto f = next() % 3; f > 0; --f) c.files.push_back({roots[next() % roots.size()] + "x", "*", true});
      w.components.push_back(std::move(c));
    }
    std::vector<std::string> set;
    for (const auto& id : ids)
      if (next() % 2 == 0) set.push_back(id);
    const auto plan = session::plan_components(w, {w}, set, volume_of);
    for (const auto& a : plan.add)
      for (const auto& c : w.components) {
        const std::string top = a.logical_path.empty() ? a.name : a.logical_path + "\\" + a.name;
        const std::string full = c.logical_path.empty() ? c.name : c.logical_path + "\\" + c.name;
        if (full != top && c.logical_path.rfind(top, 0) != 0) continue;  // not it, nor under it
        for (const auto& f : c.files) {
          const auto v = volume_of(f.path).name;
          EXPECT_NE(std::find(set.begin(), set.end(), v), set.end())
              << "round " << round << ": " << top << " added with a file on " << f.path;
        }
      }
    if (plan.dropped) {
      EXPECT_TRUE(plan.add.empty());
    }
  }
}

TEST(CliWriterSelection, ASetOfDSelectsNoComponentOfCAndSaysWhatItLeftOut) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "D", "--exclude-writer", "WMI Writer",
                          "--backup-type", "full"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc["result"]["components"].empty()) << r.out;
  std::vector<std::string> writers;
  for (const auto& l : doc["result"]["left_out"])
    if (l["component"].is_null()) writers.push_back(l["writer"].get<std::string>());
  std::sort(writers.begin(), writers.end());
  EXPECT_EQ(writers, (std::vector<std::string>{"Registry Writer", "SqlServerWriter", "System Writer"}));
  const auto m = calls(machine);
  EXPECT_EQ(std::count(m.begin(), m.end(), "AddComponent"), 0);
  EXPECT_EQ(std::count(m.begin(), m.end(), "SetBackupSucceeded"), 0);
  EXPECT_FALSE(doc["result"]["bootable_system_state"].get<bool>());
}

TEST(CliWriterSelection, AnIncludedWriterWhoseDataAreElsewhereFailsBeforeAnythingStarts) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "D", "--include-writer", "SqlServerWriter"}, machine);
  EXPECT_EQ(r.exit, 2) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "SHADOWCTL_E_WRITER_DATA_OUTSIDE_SET");
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find("its data also need C:\\"), std::string::npos)
      << r.out;
  EXPECT_EQ(position(calls(machine), "StartSnapshotSet"), std::string::npos);
}

// SQL Server with one database on C: and one on D:.
emulator::MachineState split_sql() {
  auto m = emulator::default_machine();
  for (auto& w : m.writers)
    if (w.name == "SqlServerWriter")
      for (auto& c : w.components)
        if (c.name == "model") {
          c.files = {{"D:\\SQL", "model.mdf", false}};
          c.log_files = {{"D:\\SQL", "modellog.ldf", false}};
          c.dependencies.clear();
        }
  return m;
}

TEST(CliWriterSelection, RequireWriterFailsFirstUnlessEveryComponentIsInTheSet) {
  SimBackend c_only({}, {}, split_sql());
  const auto r = run_cli({"--json", "create", "C", "--require-writer", "SqlServerWriter"}, c_only);
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_NE(nlohmann::json::parse(r.out)["error"]["detail"].get<std::string>().find("D:\\"),
            std::string::npos);
  EXPECT_EQ(position(calls(c_only), "StartSnapshotSet"), std::string::npos);

  SimBackend both({}, {}, split_sql());
  const auto ok = run_cli({"--json", "create", "C", "D", "--require-writer", "SqlServerWriter"}, both);
  ASSERT_EQ(ok.exit, 0) << ok.out;
  const auto doc = nlohmann::json::parse(ok.out);
  EXPECT_NE(std::find(component_names(doc).begin(), component_names(doc).end(), "SqlServerWriter/model"),
            component_names(doc).end());
  EXPECT_TRUE(doc["result"]["bootable_system_state"].get<bool>()) << "the System Writer takes part";
}

TEST(CliWriterSelection, TheSystemStateFlagFollowsTheSystemWriterUnlessForced) {
  SimBackend machine;
  ASSERT_EQ(run_cli({"create", "C", "--exclude-writer", "WMI Writer"}, machine).exit, 0);
  SimBackend forced;
  ASSERT_EQ(run_cli({"create", "C", "--exclude-writer", "WMI Writer", "--bootable-system-state",
                     "false"}, forced).exit, 0);
  auto told = [](SimBackend& m) {
    for (const auto& e : m.journal().entries())
      if (e.method == "SetBackupState") return e.args;
    return std::string();
  };
  EXPECT_NE(told(machine).find("bootable=true"), std::string::npos) << told(machine);
  EXPECT_NE(told(forced).find("bootable=false"), std::string::npos) << told(forced);
}

}  // namespace
}  // namespace shadowctl::test
