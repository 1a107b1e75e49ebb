#pragma once

#include "core/check.h"
#include "session/system.h"

namespace shadowctl::session {

// Runs the environment checks in order (architecture, elevation, SeBackupPrivilege, VSS
// service), then, only if none failed, the VSS ones (COM, vssapi.dll, creating and
// initialising a backup object). Nothing it does leaves anything behind on the machine.
core::CheckReport run_preflight(const System& system);

}  // namespace shadowctl::session
