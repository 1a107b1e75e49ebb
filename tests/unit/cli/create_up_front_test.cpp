// What `create` and `exec` settle before any VSS call, so that a run that cannot finish never
// freezes a writer: the files they will write, exec's mount targets, and the attributes
// `--option` adds to the context (each refused combination named, each allowed one reaching
// SetContext and the shadow copies).
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/vss.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;
namespace attr = core::vss::attr;

// No VSS call at all: the run stopped at the command line.
void expect_no_vss_call(SimBackend& machine) {
  const auto m = machine.journal().methods();
  for (const char* step : {"GatherWriterMetadata", "StartSnapshotSet", "PrepareForBackup",
                           "DoSnapshotSet"})
    EXPECT_EQ(std::find(m.begin(), m.end(), step), m.end()) << step << " was called";
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
}

std::string set_context_argument(SimBackend& machine) {
  for (const auto& e : machine.journal().entries())
    if (e.method == "SetContext") return e.args;
  return {};
}

struct UnwritableOutput {
  std::vector<std::string> args;
  std::string message;
};

class CliOutputCheckedFirst : public ::testing::TestWithParam<UnwritableOutput> {};

TEST_P(CliOutputCheckedFirst, RefusesBeforeAnyVssCall) {
  SimBackend machine;
  machine.facts().folders["C:\\out"] = kFolder;
  auto args = GetParam().args;
  args.insert(args.begin(), "--json");
  const auto r = run_cli(args, machine);
  EXPECT_EQ(r.exit, 2) << r.out << r.err;
  // One document: on stdout, or for exec (whose stdout is its command's) on stderr.
  const bool exec = std::find(args.begin(), args.end(), "exec") != args.end();
  const auto doc = nlohmann::json::parse(exec ? r.err : r.out);
  EXPECT_EQ(exec ? r.out : r.err, "");
  EXPECT_EQ(doc["error"]["name"], "SHADOWCTL_E_USAGE");
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find(GetParam().message),
            std::string::npos)
      << doc["error"]["meaning"];
  expect_no_vss_call(machine);
  EXPECT_TRUE(machine.files().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Each, CliOutputCheckedFirst,
    ::testing::Values(
        UnwritableOutput{{"create", "C:", "--script", "C:\\nope\\set.cmd"},
                         "--script 'C:\\nope\\set.cmd' is refused: the folder 'C:\\nope' does "
                         "not exist"},
        UnwritableOutput{{"create", "C:", "--save-bcd", "C:\\nope\\bcd.xml"},
                         "the folder 'C:\\nope' does not exist"},
        UnwritableOutput{{"--json-file", "C:\\nope\\doc.json", "create", "C:"},
                         "--json-file 'C:\\nope\\doc.json' is refused: the folder 'C:\\nope' "
                         "does not exist"},
        UnwritableOutput{{"create", "C:", "--script", "C:\\out"},
                         "--script 'C:\\out' is refused: it is a folder"},
        UnwritableOutput{{"--json-file", "C:\\out", "create", "C:"},
                         "--json-file 'C:\\out' is refused: it is a folder"},
        UnwritableOutput{{"--log-file", "C:\\out", "create", "C:"},
                         "--log-file 'C:\\out' is refused: it is a folder"},
        UnwritableOutput{{"create", "C:", "--script", "Q:\\set.cmd"},
                         "the folder 'Q:\\' does not exist"},
        UnwritableOutput{{"exec", "C:", "--save-bcd", "C:\\nope\\bcd.xml", "--", "cmd"},
                         "the folder 'C:\\nope' does not exist"},
        UnwritableOutput{{"exec", "C:", "--mount", "C=S:", "--mount", "C=T:", "--", "cmd"},
                         "C is already mounted by an earlier --mount"},
        UnwritableOutput{{"exec", "C:", "D:", "--mount", "C=S:", "--mount", "D=s:", "--", "cmd"},
                         "S: is the target of an earlier --mount"}));

// A link in a folder above the file (here a real symbolic link of this machine's file system,
// which the in-process probe examines as the Windows one does a junction) is refused first.
TEST(CliOutputCheckedFirst, AFolderThatIsALinkIsRefusedBeforeAnyVssCall) {
  const auto base = unique_temp_path("up-front-link");
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base / "elsewhere");
  std::filesystem::create_directory_symlink(base / "elsewhere", base / "work");
  SimBackend machine;
  const auto r = run_cli({"create", "C:", "--script", (base / "work" / "set.cmd").string()}, machine);
  EXPECT_EQ(r.exit, 2) << r.err;
  EXPECT_NE(r.err.find("is, or is under, a reparse point"), std::string::npos) << r.err;
  expect_no_vss_call(machine);
  std::filesystem::remove_all(base);
}

TEST(CliOutputCheckedFirst, AFileThatExistsIsReplacedAsBefore) {
  SimBackend machine;
  machine.facts().folders["C:\\out"] = kFolder;
  ASSERT_EQ(run_cli({"create", "C:", "--script", "C:\\out\\set.cmd"}, machine).exit, 0);
  const auto again = run_cli({"create", "C:", "--script", "C:\\out\\set.cmd"}, machine);
  EXPECT_EQ(again.exit, 0) << again.err;
  EXPECT_EQ(machine.service().store().read().shadows.size(), 2u);
}

TEST(CliCreateOption, AddsTheAttributeToTheContextAndReportsIt) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "C:", "--option", "txf-recover", "--option",
                          "differential"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(set_context_argument(machine), "0x2020009") << "app-rollback | TXF | DIFFERENTIAL";
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"]["options"], nlohmann::json({"txf-recover", "differential"}));
  EXPECT_EQ(doc["result"]["context"], "app-rollback");
  const auto shadows = machine.service().store().read().shadows;
  ASSERT_EQ(shadows.size(), 1u);
  EXPECT_NE(shadows[0].attributes & attr::txf_recovery, 0);
  const auto& words = doc["result"]["shadows"][0]["attributes"];
  EXPECT_NE(std::find(words.begin(), words.end(), "txf_recovery"), words.end()) << words;
}

TEST(CliCreateOption, NoneByDefault) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "C:", "--no-writers"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(set_context_argument(machine), "0x19");
  EXPECT_EQ(nlohmann::json::parse(r.out)["result"]["options"], nlohmann::json::array());
}

TEST(CliCreateOption, CombinationsDiskshadowRefusesAreUsageErrors) {
  for (const auto& [a, b] : {std::pair{"differential", "plex"},
                             std::pair{"no-autorecover", "txf-recover"}}) {
    SimBackend machine;
    const auto r = run_cli({"create", "C:", "--option", a, "--option", b}, machine);
    EXPECT_EQ(r.exit, 2) << a << " " << b;
    EXPECT_NE(r.err.find(std::string("--option ") + a + " and --option " + b +
                         " do not go together"),
              std::string::npos)
        << r.err;
    expect_no_vss_call(machine);
  }
  SimBackend machine;
  const auto r = run_cli({"create", "C:", "--option", "exposed-locally"}, machine);
  EXPECT_EQ(r.exit, 2) << "only the attributes a requester may add are offered";
}

// The system provider makes differential copies only: a plex is refused by IsVolumeSupported
// before any set is started, and nothing is left.
TEST(CliCreateOption, APlexWithoutAHardwareProviderIsNotSupported) {
  SimBackend machine;
  const auto r = run_cli({"--json", "create", "C:", "--option", "plex"}, machine);
  EXPECT_NE(r.exit, 0);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_VOLUME_NOT_SUPPORTED");
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::find(m.begin(), m.end(), "StartSnapshotSet"), m.end());
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
}

}  // namespace
}  // namespace shadowctl::test
