#include "core/error_catalogue.h"
#include "session/preflight.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace shadowctl::session {
namespace {

using core::CheckItem;
using core::CheckStatus;

class PreflightRun {
 public:
  explicit PreflightRun(const System& system) : system_(system) {}

  void ok(std::string name, std::string detail) {
    report_.checks.push_back({std::move(name), CheckStatus::ok, std::move(detail), {}, {}});
  }

  void problem(CheckStatus status, std::string name, std::string detail, core::HResult hr,
               std::string phase) {
    core::Diagnosis d = core::diagnose(hr, phase, system_.environment.system_message(hr));
    spdlog::debug("check {}: {} {} during {}", name, d.name, core::format_hresult(hr), phase);
    CheckItem item{std::move(name), status, std::move(detail), d.remedy, d};
    if (status == CheckStatus::fail && !report_.first_failure) report_.first_failure = d;
    report_.checks.push_back(std::move(item));
  }

  void fail(std::string name, std::string detail, core::HResult hr, std::string phase) {
    problem(CheckStatus::fail, std::move(name), std::move(detail), hr, std::move(phase));
  }

  void skip(std::string name) {
    report_.checks.push_back(
        {std::move(name), CheckStatus::skip, "not run: an earlier check failed", {}, {}});
  }

  bool any_failed() const { return report_.first_failure.has_value(); }
  core::CheckReport take() { return std::move(report_); }

 private:
  const System& system_;
  core::CheckReport report_;
};

void check_architecture(const System& system, PreflightRun& run) {
  const ArchitectureFacts a = system.environment.architecture();
  if (a.machine.empty()) {
    run.fail("architecture", "not running on Windows", core::hr::shadowctl_e_not_windows,
             "architecture");
  } else if (a.process != a.machine && a.process == "x86") {
    run.fail("architecture",
             fmt::format("32-bit ({}) process on 64-bit Windows ({}): use the x86_64 build",
                         a.process, a.machine),
             core::hr::shadowctl_e_wow64_process, "architecture");
  } else {
    run.ok("architecture", fmt::format("{} process on {} Windows", a.process, a.machine));
  }
}

void check_elevation(const System& system, PreflightRun& run) {
  const TokenFacts t = system.environment.token();
  if (t.error != 0) {
    run.fail("elevation", "the process token could not be read", t.error, "OpenProcessToken");
    return;
  }
  std::string groups = t.administrators && t.backup_operators ? "Administrators, Backup Operators"
                       : t.administrators                     ? "Administrators"
                       : t.backup_operators                   ? "Backup Operators"
                                                              : "";
  if (!t.elevated) {
    run.fail("elevation", "the process is not elevated", core::hr::error_elevation_required,
             "TokenElevation");
  } else if (groups.empty()) {
    run.fail("elevation", "elevated, but not a member of Administrators or Backup Operators",
             core::hr::e_accessdenied, "CheckTokenMembership");
  } else {
    run.ok("elevation", "elevated; member of " + groups);
  }
}

void check_privilege(const System& system, PreflightRun& run) {
  const PrivilegeFacts p = system.environment.enable_backup_privilege();
  if (!p.present) {
    run.fail("backup_privilege", "SeBackupPrivilege is not in the process token",
             p.error != 0 ? p.error : core::hr::error_privilege_not_held, "SeBackupPrivilege");
  } else if (!p.enabled) {
    run.fail("backup_privilege", "SeBackupPrivilege is present but could not be enabled",
             p.error != 0 ? p.error : core::hr::error_privilege_not_held, "AdjustTokenPrivileges");
  } else {
    run.ok("backup_privilege", p.was_enabled ? "SeBackupPrivilege present and enabled"
                                             : "SeBackupPrivilege present; enabled by shadowctl");
  }
}

const char* start_name(ServiceStart s) {
  switch (s) {
    case ServiceStart::automatic: return "automatic";
    case ServiceStart::manual: return "manual";
    case ServiceStart::disabled: return "disabled";
    case ServiceStart::unknown: break;
  }
  return "unknown";
}

void check_service(const System& system, PreflightRun& run) {
  const ServiceFacts s = system.environment.vss_service();
  if (s.error == core::hr::error_service_does_not_exist) {
    run.fail("vss_service", "the VSS service is not installed", s.error, "OpenService(VSS)");
  } else if (s.error != 0) {
    // Not being allowed to ask the service manager does not mean VSS cannot work.
    run.problem(CheckStatus::warn, "vss_service", "the VSS service's state could not be read",
                s.error, "OpenService(VSS)");
  } else if (s.start == ServiceStart::disabled) {
    run.fail("vss_service", "the VSS service is disabled", core::hr::error_service_disabled,
             "QueryServiceConfig(VSS)");
  } else {
    run.ok("vss_service",
           fmt::format("start type {}, {}", start_name(s.start),
                       s.running ? "running" : "stopped (VSS starts it on demand)"));
  }
}

void check_vss(const System& system, PreflightRun& run) {
  const core::HResult com = system.vss.initialize_com();
  if (com == core::hr::rpc_e_too_late) {
    run.problem(CheckStatus::warn, "com", "COM security was already set by this process", com,
                "CoInitializeSecurity");
  } else if (core::failed(com)) {
    run.fail("com", "COM could not be initialised for VSS", com, "CoInitializeSecurity");
    run.skip("vssapi");
    run.skip("backup_components");
    return;
  } else {
    run.ok("com", "multithreaded; CoInitializeSecurity with packet privacy, impersonate");
  }

  const LibraryFacts lib = system.vss.load_vssapi();
  if (lib.error != 0) {
    run.fail("vssapi", "vssapi.dll could not be used from System32", lib.error,
             "LoadLibraryExW(vssapi.dll)");
    run.skip("backup_components");
    return;
  }
  run.ok("vssapi", "loaded " + lib.path);

  std::unique_ptr<BackupComponents> components;
  const core::HResult created = system.vss.create_backup_components(components);
  if (core::failed(created) || !components) {
    run.fail("backup_components", "VSS could not create a backup object",
             core::failed(created) ? created : core::hr::e_pointer, "CreateVssBackupComponents");
    return;
  }
  const core::HResult initialised = components->initialize_for_backup();
  if (core::failed(initialised)) {
    run.fail("backup_components", "the backup object could not be initialised", initialised,
             "InitializeForBackup");
    return;
  }
  run.ok("backup_components", "CreateVssBackupComponents and InitializeForBackup succeeded");
}

}  // namespace

core::CheckReport run_preflight(const System& system) {
  PreflightRun run(system);
  check_architecture(system, run);
  check_elevation(system, run);
  check_privilege(system, run);
  check_service(system, run);
  if (run.any_failed()) {
    // SeBackupPrivilege and the rest come before any VSS call: a requester that skips them
    // only meets the same problem later, as a vaguer code.
    for (const char* name : {"com", "vssapi", "backup_components"}) run.skip(name);
  } else {
    check_vss(system, run);
  }
  return run.take();
}

}  // namespace shadowctl::session
