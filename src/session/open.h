#pragma once

#include <memory>
#include <string_view>

#include "session/system.h"

namespace shadowctl::session {

// Throws core::Error{hr, phase} when hr is a failure; returns hr otherwise.
core::HResult require(core::HResult hr, std::string_view phase);

// What every VSS command needs first: SeBackupPrivilege enabled, then COM, then vssapi.dll
// from System32. Throws core::Error naming the step that failed.
void open_vss(const System& system);

// A backup components object as every VSS command needs it: SeBackupPrivilege enabled
// first, then COM, vssapi.dll from System32, CreateVssBackupComponents and
// InitializeForBackup. Throws core::Error naming the step that failed.
std::unique_ptr<BackupComponents> open_backup_components(const System& system);

}  // namespace shadowctl::session
