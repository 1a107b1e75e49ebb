#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
//
// `deep` adds what only a real attempt can tell, each item per volume where it is about one:
// a trial shadow copy of each volume (writer-less, non-persistent, made and deleted at once
// through create's own flow and cleanup), with `trial_writers` a trial of them all with
// writers (copy backup type: no writer truncates anything) and each writer's state after
// the freeze, the shadow storage's headroom (what is left of the maximum, against the free
// space of the volume it is stored on), and the VSS, volsnap and writer events since
// `events_since_unix_us`.
struct PreflightOptions {
  bool deep = false;
  bool strict = false;
  bool trial_writers = false;
  std::vector<std::string> volumes = {};  // \\?\Volume{GUID}\ names; empty: every local volume
  std::int64_t events_since_unix_us = 0;
};
core::CheckReport run_preflight(const System& system, const WaitPolicy& wait,
                                const PreflightOptions& options = {});

}  // namespace shadowctl::session
