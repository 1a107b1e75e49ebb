#pragma once

#include "core/check.h"
#include "session/async_wait.h"
#include "session/system.h"

namespace shadowctl::session {

// Runs the environment checks in order (architecture, elevation, SeBackupPrivilege, VSS
// service), then, only if none failed, the VSS ones (COM, vssapi.dll, creating and
// initialising a backup object), then the health warnings (failed writers, shadow storage
// over 90%, volumes near their shadow copy limits, and with `deep` a snapshot set in
// creation elsewhere, which only StartSnapshotSet can tell and which takes the machine's
// one slot for a moment). Nothing it does leaves anything behind on the machine. With
// `strict`, a failed writer fails the run (exit 5), and shadow storage or copy counts near
// their limits fail it too (exit 9), for CI smoke checks that must catch them.
core::CheckReport run_preflight(const System& system, const WaitPolicy& wait, bool deep = false,
                                bool strict = false);

}  // namespace shadowctl::session
