#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "platform/platform.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::Fault;
using emulator::Scenario;
using emulator::SimBackend;

Scenario fault(const std::string& method, core::HResult hr) {
  Scenario s;
  s.add(Fault{method, hr, 0});
  return s;
}

TEST(CliCheck, HealthyMachinePrintsEachCheckAndTheVerdict) {
  SimBackend backend;
  const auto r = run_cli({"check"}, backend);
  EXPECT_EQ(r.exit, 0);
  EXPECT_NE(r.out.find("ok    architecture       x64 process on x64 Windows\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("ok    backup_components  CreateVssBackupComponents and InitializeForBackup "
                       "succeeded\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("\nVSS can be used on this machine.\n"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

TEST(CliCheck, JsonHasOneEntryPerCheckAndNullError) {
  SimBackend backend;
  const auto r = run_cli({"--json", "check"}, backend);
  EXPECT_EQ(r.exit, 0);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["ok"], true);
  EXPECT_TRUE(doc["error"].is_null());
  ASSERT_EQ(doc["result"]["checks"].size(), 7u);
  EXPECT_EQ(doc["result"]["checks"][0]["name"], "architecture");
  EXPECT_EQ(doc["result"]["checks"][0]["status"], "ok");
  EXPECT_EQ(r.err, "");
}

TEST(CliCheck, AccessDeniedExitsThreeWithRemedy) {
  SimBackend backend(fault("CreateVssBackupComponents", core::hr::e_accessdenied));
  const auto r = run_cli({"check"}, backend);
  EXPECT_EQ(r.exit, 3);
  EXPECT_NE(r.out.find("FAIL  backup_components"), std::string::npos);
  EXPECT_NE(r.err.find("error: E_ACCESSDENIED (0x80070005) during CreateVssBackupComponents"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("hint: Run from an elevated console"), std::string::npos);
}

TEST(CliCheck, AccessDeniedJsonCarriesTheError) {
  SimBackend backend(fault("CreateVssBackupComponents", core::hr::e_accessdenied));
  const auto r = run_cli({"check", "--json"}, backend);
  EXPECT_EQ(r.exit, 3);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["error"]["hresult"], "0x80070005");
  EXPECT_EQ(doc["error"]["name"], "E_ACCESSDENIED");
  EXPECT_EQ(doc["error"]["phase"], "CreateVssBackupComponents");
  EXPECT_FALSE(doc["error"]["remedy"].get<std::string>().empty());
  EXPECT_EQ(doc["result"]["checks"][6]["status"], "fail");
}

TEST(CliCheck, VssNotImplementedExitsFour) {
  SimBackend backend(fault("CreateVssBackupComponents", core::hr::e_notimpl));
  const auto r = run_cli({"check"}, backend);
  EXPECT_EQ(r.exit, 4);
  EXPECT_NE(r.err.find("E_NOTIMPL"), std::string::npos);
  EXPECT_NE(r.err.find("VSS is not available"), std::string::npos);
}

TEST(CliCheck, NoColourUnlessAllowedAndNotRefused) {
  SimBackend backend;
  EXPECT_EQ(run_cli({"check"}, backend, false).out.find('\x1b'), std::string::npos);
  SimBackend b2;
  EXPECT_NE(run_cli({"check"}, b2, true).out.find("\x1b[32m"), std::string::npos);
  SimBackend b3;
  EXPECT_EQ(run_cli({"--no-color", "check"}, b3, true).out.find('\x1b'), std::string::npos);
}

TEST(CliUsage, UnknownCommandExitsTwoNamingIt) {
  SimBackend backend;
  const auto r = run_cli({"frobnicate"}, backend);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("error: SHADOWCTL_E_USAGE"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliUsage, MissingCommandExitsTwo) {
  SimBackend backend;
  EXPECT_EQ(run_cli({}, backend).exit, 2);
}

TEST(CliUsage, UsageErrorWithJsonIsStillOneDocument) {
  SimBackend backend;
  const auto r = run_cli({"--json", "check", "--bogus"}, backend);
  EXPECT_EQ(r.exit, 2);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "SHADOWCTL_E_USAGE");
  EXPECT_EQ(doc["exit_code"], 2);
  EXPECT_NE(doc["error"]["meaning"].get<std::string>().find("--bogus"), std::string::npos);
}

TEST(CliGlobal, VersionAndHelpGoToStdoutAndSucceed) {
  SimBackend backend;
  const auto v = run_cli({"--version"}, backend);
  EXPECT_EQ(v.exit, 0);
  EXPECT_EQ(v.out, "shadowctl 0.1.0\n");
  const auto h = run_cli({"--help"}, backend);
  EXPECT_EQ(h.exit, 0);
  EXPECT_NE(h.out.find("check"), std::string::npos);
  EXPECT_NE(h.out.find("explain"), std::string::npos);
  EXPECT_NE(h.out.find("--json"), std::string::npos);
}

TEST(CliGlobal, VerboseLogsVssCallsAndLogFileGetsDebugAlways) {
  const auto path = std::filesystem::temp_directory_path() / "shadowctl-cli-test.log";
  std::filesystem::remove(path);
  SimBackend backend(fault("InitializeForBackup", core::hr::vss_e_unexpected));
  const auto quiet = run_cli({"--log-file", path.string(), "check"}, backend);
  EXPECT_EQ(quiet.err.find("debug:"), std::string::npos);
  std::ifstream in(path);
  std::stringstream log;
  log << in.rdbuf();
  EXPECT_NE(log.str().find("debug check backup_components: VSS_E_UNEXPECTED"), std::string::npos)
      << log.str();
  std::filesystem::remove(path);

  SimBackend b2(fault("InitializeForBackup", core::hr::vss_e_unexpected));
  const auto verbose = run_cli({"-vv", "check"}, b2);
  EXPECT_NE(verbose.err.find("debug: check backup_components"), std::string::npos) << verbose.err;
}

TEST(CliGlobal, UnwritableLogFileIsAUsageError) {
  // A path under a regular file can never be created.
  const auto file = std::filesystem::temp_directory_path() / "shadowctl-cli-test-not-a-dir";
  std::ofstream(file) << "x";
  SimBackend backend;
  const auto r = run_cli({"--log-file", (file / "log.txt").string(), "check"}, backend);
  std::filesystem::remove(file);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("--log-file"), std::string::npos);
}

TEST(CliExplain, HexDecimalSignedAndNameAllExplainTheSameCode) {
  for (const char* input : {"0x8004230F", "2147754767", "-2147212529", "vss_e_unexpected_provider_error"}) {
    SimBackend backend;
    const auto r = run_cli({"explain", input}, backend);
    EXPECT_EQ(r.exit, 0) << input;
    EXPECT_NE(r.out.find("VSS_E_UNEXPECTED_PROVIDER_ERROR (0x8004230F, -2147212529)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("retryable:  yes"), std::string::npos);
  }
}

TEST(CliExplain, JsonResultHasEveryField) {
  SimBackend backend;
  const auto r = run_cli({"--json", "explain", "E_ACCESSDENIED"}, backend);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"]["hresult"], "0x80070005");
  EXPECT_EQ(doc["result"]["exit_code"], 3);
  EXPECT_EQ(doc["result"]["exit_class"], "access_denied");
  EXPECT_EQ(doc["result"]["known"], true);
}

TEST(CliExplain, UnknownCodeIsDecoded) {
  SimBackend backend;
  const auto r = run_cli({"explain", "0x80070020"}, backend);
  EXPECT_EQ(r.exit, 0);
  EXPECT_NE(r.out.find("HRESULT_FROM_WIN32(32)"), std::string::npos) << r.out;
}

TEST(CliExplain, NotACodeExitsTwoSayingWhatWasExpected) {
  SimBackend backend;
  const auto r = run_cli({"explain", "banana"}, backend);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("'banana' is not an error code: expected hex (0x8004230F)"),
            std::string::npos)
      << r.err;
}

TEST(CliExplain, AllPrintsTheWholeCatalogue) {
  SimBackend backend;
  const auto human = run_cli({"explain", "--all"}, backend);
  EXPECT_EQ(human.exit, 0);
  EXPECT_NE(human.out.find("VSS_E_FSS_TIMEOUT"), std::string::npos);
  const auto json = run_cli({"explain", "--all", "--json"}, backend);
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["result"].size(), core::kErrorCatalogue.size());
}

TEST(CliExplain, CodeAndAllTogetherIsAUsageError) {
  SimBackend backend;
  EXPECT_EQ(run_cli({"explain", "--all", "0x5"}, backend).exit, 2);
  EXPECT_EQ(run_cli({"explain"}, backend).exit, 2);
}

}  // namespace
}  // namespace shadowctl::test

namespace shadowctl::test {
namespace {

TEST(NoColor, SetAndNonEmptyMeansNoColour) {
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_TRUE(platform::no_color_requested());
  ::setenv("NO_COLOR", "", 1);
  EXPECT_FALSE(platform::no_color_requested());
  ::unsetenv("NO_COLOR");
  EXPECT_FALSE(platform::no_color_requested());
}

}  // namespace
}  // namespace shadowctl::test
