#pragma once

// The interface between the session layer and VSS. The Windows implementation
// (src/platform/windows) wraps the real token, service manager, COM and vssapi.dll; the
// tests' implementation wraps the VSS emulator. Everything the session layer knows about
// the machine comes through here, so the cleanup rules are written once.

#include <chrono>
#include <memory>
#include <string>

#include "core/hresult.h"

namespace shadowctl::session {

// The process's and the machine's architecture ("x64", "x86", "arm64").
struct ArchitectureFacts {
  std::string process;
  std::string machine;
};

// What the process token says about elevation and group membership.
struct TokenFacts {
  core::HResult error = 0;  // non-zero when the token could not be read
  bool elevated = false;
  bool administrators = false;
  bool backup_operators = false;
};

// SeBackupPrivilege: present in the token, and enabled after trying to enable it.
struct PrivilegeFacts {
  core::HResult error = 0;
  bool present = false;
  bool was_enabled = false;
  bool enabled = false;
};

enum class ServiceStart { automatic, manual, disabled, unknown };

// The VSS service as the service control manager sees it.
struct ServiceFacts {
  core::HResult error = 0;  // ERROR_SERVICE_DOES_NOT_EXIST when absent
  ServiceStart start = ServiceStart::unknown;
  bool running = false;
};

// Where vssapi.dll was loaded from, or why it was not.
struct LibraryFacts {
  core::HResult error = 0;
  std::string path;
};

// One IVssAsync: a VSS operation running in the service.
class AsyncOperation {
 public:
  virtual ~AsyncOperation() = default;
  // Blocks up to `limit`; returns the operation's status (VSS_S_ASYNC_PENDING while running).
  virtual core::HResult wait(std::chrono::milliseconds limit) = 0;
  // Asks VSS to cancel; the operation then finishes with VSS_S_ASYNC_CANCELLED.
  virtual core::HResult cancel() = 0;
};

// One IVssBackupComponents. Destroying it releases the object, which deletes the
// auto-release shadow copies it created.
class BackupComponents {
 public:
  virtual ~BackupComponents() = default;
  virtual core::HResult initialize_for_backup() = 0;
  virtual core::HResult set_context(long context) = 0;
  virtual core::HResult abort_backup() = 0;
};

// The machine: environment facts, then the VSS entry point.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual ArchitectureFacts architecture() = 0;
  virtual TokenFacts token() = 0;
  // Enables SeBackupPrivilege in the process token if it is present.
  virtual PrivilegeFacts enable_backup_privilege() = 0;
  virtual ServiceFacts vss_service() = 0;
  // CoInitializeEx(MULTITHREADED) then CoInitializeSecurity, once per process.
  virtual core::HResult initialize_com() = 0;
  // Loads vssapi.dll from System32 only and resolves CreateVssBackupComponents.
  virtual LibraryFacts load_vssapi() = 0;
  virtual core::HResult create_backup_components(std::unique_ptr<BackupComponents>& out) = 0;
  // The OS's own text for a code (FormatMessage), or "".
  virtual std::string system_message(core::HResult hr) = 0;
};

}  // namespace shadowctl::session
