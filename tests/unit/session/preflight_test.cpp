#include <gtest/gtest.h>

#include "os.h"

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

// A check by name, never by position: checks may be added.
const core::CheckItem& named(const core::CheckReport& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return c;
  throw std::runtime_error("no check named " + name);
}

WaitPolicy wait() {
  static CancelToken never;
  return {std::chrono::seconds(10), never, {}};
}

TEST(Preflight, HealthyMachinePassesEveryCheckInOrder) {
  SimBackend backend;
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(statuses(r),
            (std::vector<std::string>{"architecture=ok", "elevation=ok", "backup_privilege=ok",
                                      "vss_service=ok", "com=ok", "vssapi=ok",
                                      "backup_components=ok", "writers=ok", "shadow_storage=ok",
                                      "shadow_limits=ok", "set_in_creation=skip"}));
  // check takes nothing a backup could need: never the set-in-creation slot.
  const auto m = backend.journal().methods();
  EXPECT_EQ(std::find(m.begin(), m.end(), "StartSnapshotSet"), m.end());
  EXPECT_NE(named(r, "set_in_creation").detail.find("--deep"), std::string::npos);
}

TEST(Preflight, DeepProbesForASetInCreationAndLeavesNothing) {
  SimBackend backend;
  const auto r = run_preflight(backend.system(), wait(), {.deep = true});
  EXPECT_EQ(named(r, "set_in_creation").status, CheckStatus::ok);
  // The probe starts an empty set and aborts it: nothing is left.
  const auto m = backend.journal().methods();
  EXPECT_NE(std::find(m.begin(), m.end(), "StartSnapshotSet"), m.end());
  EXPECT_NE(std::find(m.begin(), m.end(), "AbortBackup"), m.end());
  EXPECT_EQ(backend.service().ledger().aborts_owed, 0);
  EXPECT_FALSE(backend.service().store().read().in_creation.has_value());
  EXPECT_TRUE(backend.service().store().read().shadows.empty());
}

TEST(Preflight, MissingBackupPrivilegeFailsBeforeAnyVssCall) {
  SimBackend backend;
  backend.facts().privilege = {0, false, false, false};
  const auto r = run_preflight(backend.system(), wait());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_failure->name, "ERROR_PRIVILEGE_NOT_HELD");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::access_denied);
  EXPECT_EQ(named(r, "backup_privilege").status, CheckStatus::fail);
  EXPECT_EQ(named(r, "com").status, CheckStatus::skip);
  EXPECT_EQ(named(r, "backup_components").status, CheckStatus::skip);
  EXPECT_TRUE(backend.journal().methods().empty());
}

TEST(Preflight, NotElevatedIsAccessDenied) {
  SimBackend backend;
  backend.facts().token.elevated = false;
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_EQ(r.first_failure->name, "ERROR_ELEVATION_REQUIRED");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::access_denied);
}

TEST(Preflight, ElevatedButInNeitherGroupIsAccessDenied) {
  SimBackend backend;
  backend.facts().token = {0, true, false, false};
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_EQ(r.first_failure->name, "E_ACCESSDENIED");
  EXPECT_NE(named(r, "elevation").detail.find("Backup Operators"), std::string::npos);
}

TEST(Preflight, BackupOperatorAloneIsEnough) {
  SimBackend backend;
  backend.facts().token = {0, true, false, true};
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(named(r, "elevation").detail, "elevated; member of Backup Operators");
}

TEST(Preflight, Wow64ProcessFailsAndSaysWhichBuildToUse) {
  SimBackend backend;
  backend.facts().architecture = {"x86", "x64"};
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_EQ(r.first_failure->name, "SHADOWCTL_E_WOW64_PROCESS");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::vss_unavailable);
  EXPECT_NE(named(r, "architecture").detail.find("x86_64 build"), std::string::npos);
}

TEST(Preflight, DisabledServiceIsVssUnavailable) {
  SimBackend backend;
  backend.facts().service.start = ServiceStart::disabled;
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_EQ(r.first_failure->name, "ERROR_SERVICE_DISABLED");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::vss_unavailable);
  EXPECT_NE(named(r, "vss_service").remedy.find("sc config vss start= demand"), std::string::npos);
}

TEST(Preflight, MissingServiceIsVssUnavailable) {
  SimBackend backend;
  backend.facts().service = {core::hr::error_service_does_not_exist, ServiceStart::unknown, false};
  EXPECT_EQ(run_preflight(backend.system(), wait()).first_failure->exit, core::ExitStatus::vss_unavailable);
}

TEST(Preflight, UnreadableServiceStateIsOnlyAWarning) {
  SimBackend backend;
  backend.facts().service = {core::hr::e_accessdenied, ServiceStart::unknown, false};
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(named(r, "vss_service").status, CheckStatus::warn);
}

TEST(Preflight, MissingVssapiIsVssUnavailable) {
  SimBackend backend;
  backend.facts().library = {core::hr::error_mod_not_found, ""};
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::vss_unavailable);
  EXPECT_EQ(named(r, "backup_components").status, CheckStatus::skip);
}

TEST(Preflight, AccessDeniedFromCreateIsAPrivilegeProblem) {
  SimBackend backend(fault("CreateVssBackupComponents", core::hr::e_accessdenied));
  const auto r = run_preflight(backend.system(), wait());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.first_failure->phase, "CreateVssBackupComponents");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::access_denied);
  EXPECT_NE(r.first_failure->remedy.find("VssAccessControl"), std::string::npos);
}

TEST(Preflight, NotImplementedIsVssUnavailable) {
  SimBackend backend(fault("CreateVssBackupComponents", core::hr::e_notimpl));
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_EQ(r.first_failure->name, "E_NOTIMPL");
  EXPECT_EQ(r.first_failure->exit, core::ExitStatus::vss_unavailable);
}

TEST(Preflight, InitializeForBackupFailureNamesThatPhase) {
  for (core::HResult hr : {core::hr::vss_e_unexpected, core::hr::e_unexpected,
                           core::hr::e_outofmemory, core::hr::e_invalidarg}) {
    SimBackend backend(fault("InitializeForBackup", hr));
    const auto r = run_preflight(backend.system(), wait());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.first_failure->hr, hr);
    EXPECT_EQ(r.first_failure->phase, "InitializeForBackup");
    EXPECT_EQ(r.first_failure->exit, core::ExitStatus::failure);
  }
}

TEST(PreflightHealth, FailedWriterIsAWarningNamingIt) {
  auto state = emulator::default_machine();
  state.writers[0].state = 7;  // VSS_WS_FAILED_AT_PREPARE_BACKUP
  state.writers[0].failure = core::hr::vss_e_writererror_timeout;
  SimBackend backend({}, {}, state);
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_TRUE(r.ok());  // warnings alone exit 0
  const auto& w = named(r, "writers");
  EXPECT_EQ(w.status, CheckStatus::warn);
  EXPECT_EQ(w.detail, "System Writer is VSS_WS_FAILED_AT_PREPARE_BACKUP");
  EXPECT_EQ(w.diagnosis->name, "VSS_E_WRITERERROR_TIMEOUT");
}

TEST(PreflightHealth, StorageOverNinetyPercentNamesTheVolume) {
  auto state = emulator::default_machine();
  state.storage[1].used = state.storage[1].maximum * 95 / 100;
  SimBackend backend({}, {}, state);
  const auto r = run_preflight(backend.system(), wait());
  const auto& s = named(r, "shadow_storage");
  EXPECT_EQ(s.status, CheckStatus::warn);
  EXPECT_NE(s.detail.find("D:\\ uses 95% of its shadow storage maximum"), std::string::npos)
      << s.detail;
}

TEST(PreflightHealth, VolumeNearItsShadowCopyLimitIsNamed) {
  auto state = emulator::default_machine();
  for (int i = 0; i < 58; ++i) {
    emulator::Shadow s;
    s.id = emulator::new_guid();
    s.set_id = emulator::new_guid();
    s.original_volume = state.volumes[0].name;
    s.context = s.attributes = core::vss::context::client_accessible;
    state.shadows.push_back(s);
  }
  SimBackend backend({}, {}, state);
  const auto r = run_preflight(backend.system(), wait());
  const auto& s = named(r, "shadow_limits");
  EXPECT_EQ(s.status, CheckStatus::warn);
  EXPECT_EQ(s.detail, "C:\\ has 58 of 64 client-accessible shadow copies");
}

TEST(PreflightHealth, SetInCreationElsewhereIsAWarning) {
  auto state = emulator::default_machine();
  // Held by a live process (this one: another object in it), so the emulator keeps it.
  state.in_creation = emulator::SetInCreation{"{x}", emulator::os::current_process_id(), "another"};
  SimBackend backend({}, {}, state);
  const auto r = run_preflight(backend.system(), wait(), {.deep = true});
  const auto& s = named(r, "set_in_creation");
  EXPECT_EQ(s.status, CheckStatus::warn);
  EXPECT_EQ(s.diagnosis->name, "VSS_E_SNAPSHOT_SET_IN_PROGRESS");
  // The other process's set is left alone.
  EXPECT_EQ(backend.service().store().read().in_creation->object, "another");
}

TEST(PreflightHealth, AProbeThatCannotRunIsAWarningNotAFailure) {
  SimBackend backend(test::fault("GatherWriterStatus", core::hr::vss_e_unexpected));
  const auto r = run_preflight(backend.system(), wait());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(named(r, "writers").status, CheckStatus::warn);
  EXPECT_EQ(named(r, "writers").diagnosis->name, "VSS_E_UNEXPECTED");
}

TEST(PreflightHealth, SkippedAfterAFailure) {
  SimBackend backend(test::fault("CreateVssBackupComponents", core::hr::e_accessdenied));
  const auto r = run_preflight(backend.system(), wait());
  for (const char* name : {"writers", "shadow_storage", "shadow_limits", "set_in_creation"})
    EXPECT_EQ(named(r, name).status, CheckStatus::skip) << name;
}

}  // namespace
}  // namespace shadowctl::session
