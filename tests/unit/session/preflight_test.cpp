#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "session/preflight.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::session {
namespace {

using core::CheckStatus;
using emulator::Fault;
using emulator::Scenario;
using emulator::SimBackend;
using test::fault;

std::vector<std::string> statuses(const core::CheckReport& r) {
  std::vector<std::string> out;
  for (const auto& c : r.checks) out.push_back(c.name + "=" + core::check_status_name(c.status));
  return out;
}

TEST(Preflight, HealthyMachinePassesEveryCheckInOrder) {
  SimBackend backend;
  const auto r = run_preflight(backend.system());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(statuses(r),
            (std::vector<std::string>{"architecture=ok", "elevation=ok", "backup_privilege=ok",
                                      "vss_service=ok", "com=ok", "vssapi=ok",
                                      "backup_components=ok"}));
  EXPECT_EQ(backend.journal().methods(),
            (std::vector<std::string>{"CreateVssBackupComponents", "InitializeForBackup",
                                      "Release"}));
}

TEST(Preflight, MissingBackupPrivilegeFailsBeforeAnyVssCall) {
  SimBackend backend;
  backend.facts().privilege = {0, false, false, false};
  const auto r = run_preflight(backend.system());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_failure->name, "ERROR_PRIVILEGE_NOT_HELD");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::access_denied);
  EXPECT_EQ(r.checks[2].status, CheckStatus::fail);
  EXPECT_EQ(r.checks[4].status, CheckStatus::skip);
  EXPECT_EQ(r.checks[6].status, CheckStatus::skip);
  EXPECT_TRUE(backend.journal().methods().empty());
}

TEST(Preflight, NotElevatedIsAccessDenied) {
  SimBackend backend;
  backend.facts().token.elevated = false;
  const auto r = run_preflight(backend.system());
  EXPECT_EQ(r.first_failure->name, "ERROR_ELEVATION_REQUIRED");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::access_denied);
}

TEST(Preflight, ElevatedButInNeitherGroupIsAccessDenied) {
  SimBackend backend;
  backend.facts().token = {0, true, false, false};
  const auto r = run_preflight(backend.system());
  EXPECT_EQ(r.first_failure->name, "E_ACCESSDENIED");
  EXPECT_NE(r.checks[1].detail.find("Backup Operators"), std::string::npos);
}

TEST(Preflight, BackupOperatorAloneIsEnough) {
  SimBackend backend;
  backend.facts().token = {0, true, false, true};
  const auto r = run_preflight(backend.system());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.checks[1].detail, "elevated; member of Backup Operators");
}

TEST(Preflight, Wow64ProcessFailsAndSaysWhichBuildToUse) {
  SimBackend backend;
  backend.facts().architecture = {"x86", "x64"};
  const auto r = run_preflight(backend.system());
  EXPECT_EQ(r.first_failure->name, "SHADOWCTL_E_WOW64_PROCESS");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::vss_unavailable);
  EXPECT_NE(r.checks[0].detail.find("x86_64 build"), std::string::npos);
}

TEST(Preflight, DisabledServiceIsVssUnavailable) {
  SimBackend backend;
  backend.facts().service.start = ServiceStart::disabled;
  const auto r = run_preflight(backend.system());
  EXPECT_EQ(r.first_failure->name, "ERROR_SERVICE_DISABLED");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::vss_unavailable);
  EXPECT_NE(r.checks[3].remedy.find("sc config vss start= demand"), std::string::npos);
}

TEST(Preflight, MissingServiceIsVssUnavailable) {
  SimBackend backend;
  backend.facts().service = {core::hr::error_service_does_not_exist, ServiceStart::unknown, false};
  EXPECT_EQ(run_preflight(backend.system()).first_failure->exit, core::ExitStatus::vss_unavailable);
}

TEST(Preflight, UnreadableServiceStateIsOnlyAWarning) {
  SimBackend backend;
  backend.facts().service = {core::hr::e_accessdenied, ServiceStart::unknown, false};
  const auto r = run_preflight(backend.system());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.checks[3].status, CheckStatus::warn);
}

TEST(Preflight, MissingVssapiIsVssUnavailable) {
  SimBackend backend;
  backend.facts().library = {core::hr::error_mod_not_found, ""};
  const auto r = run_preflight(backend.system());
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::vss_unavailable);
  EXPECT_EQ(r.checks[6].status, CheckStatus::skip);
}

TEST(Preflight, AccessDeniedFromCreateIsAPrivilegeProblem) {
  SimBackend backend(fault("CreateVssBackupComponents", core::hr::e_accessdenied));
  const auto r = run_preflight(backend.system());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_failure->phase, "CreateVssBackupComponents");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::access_denied);
  EXPECT_NE(r.first_failure->remedy.find("VssAccessControl"), std::string::npos);
}

TEST(Preflight, NotImplementedIsVssUnavailable) {
  SimBackend backend(fault("CreateVssBackupComponents", core::hr::e_notimpl));
  const auto r = run_preflight(backend.system());
  EXPECT_EQ(r.first_failure->name, "E_NOTIMPL");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::vss_unavailable);
}

TEST(Preflight, InitializeForBackupFailureNamesThatPhase) {
  for (core::HResult hr : {core::hr::vss_e_unexpected, core::hr::e_unexpected,
                           core::hr::e_outofmemory, core::hr::e_invalidarg}) {
    SimBackend backend(fault("InitializeForBackup", hr));
    const auto r = run_preflight(backend.system());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.first_failure->hr, hr);
    EXPECT_EQ(r.first_failure->phase, "InitializeForBackup");
    EXPECT_EQ(r.first_failure->exit, core::ExitStatus::failure);
  }
}

}  // namespace
}  // namespace shadowctl::session
