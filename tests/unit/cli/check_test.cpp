// `shadowctl check` as a user runs it, in-process against the emulator.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

// The check of that name in a --json document (never by position: the order may grow).
const nlohmann::json& check_named(const nlohmann::json& doc, const std::string& name) {
  for (const auto& c : doc["result"]["checks"])
    if (c["name"] == name) return c;
  throw std::runtime_error("no check named " + name);
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
  ASSERT_EQ(doc["result"]["checks"].size(), 11u);
  EXPECT_EQ(check_named(doc, "architecture")["status"], "ok");
  EXPECT_EQ(check_named(doc, "backup_components")["status"], "ok");
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
  const auto& failed = check_named(doc, "backup_components");
  EXPECT_EQ(failed["status"], "fail");
  // The diagnosis is the document's "error", once; the check refers to it by code.
  EXPECT_EQ(failed["code"], nlohmann::json({{"hresult", "0x80070005"}, {"name", "E_ACCESSDENIED"}}));
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


// --strict, for CI smoke checks: a failed writer fails the run (exit 5) and full storage (exit
// 9), each check still running; plain check keeps them as warnings (exit 0).
TEST(CliCheck, StrictFailsOnAFailedWriterAndFullStorage) {
  auto state = emulator::default_machine();
  state.writers[0].state = 7;  // VSS_WS_FAILED_AT_PREPARE_BACKUP
  state.writers[0].failure = core::hr::vss_e_writererror_timeout;
  emulator::SimBackend writer_down({}, {}, state);
  EXPECT_EQ(run_cli({"check"}, writer_down).exit, 0);
  const auto strict = run_cli({"--json", "check", "--strict"}, writer_down);
  EXPECT_EQ(strict.exit, 5) << strict.out;
  const auto doc = nlohmann::json::parse(strict.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_WRITERERROR_TIMEOUT");
  for (const auto& c : doc["result"]["checks"]) {
    if (c["name"] == "writers") {
      EXPECT_EQ(c["status"], "fail");
    }
    if (c["name"] == "shadow_storage") {
      EXPECT_EQ(c["status"], "ok") << "ran after the writers";
    }
  }

  auto full = emulator::default_machine();
  full.storage[1].used = full.storage[1].maximum * 95 / 100;
  emulator::SimBackend storage_full({}, {}, full);
  EXPECT_EQ(run_cli({"check"}, storage_full).exit, 0);
  const auto r = run_cli({"check", "--strict"}, storage_full);
  EXPECT_EQ(r.exit, 9) << r.out;
  EXPECT_NE(r.out.find("VSS can start here, but the shadow_storage check failed (--strict)."),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace shadowctl::test
