#pragma once

// Exposing a persistent shadow copy as a drive letter, a mounted folder or a share, and
// taking the exposure away. The target is checked before any VSS call; `expose` and
// `exec --mount` share these rules.

#include <string>

#include "core/vss_objects.h"
#include "session/system.h"
#include "session/vss_api.h"

namespace shadowctl::session {

// Where a shadow copy is exposed, in the form ExposeSnapshot takes.
struct ExposeTarget {
  enum class Kind { drive_letter, folder, share };
  Kind kind = Kind::drive_letter;
  std::string name;  // "X:", "C:\Mount\Shadow" (no trailing backslash), or a share name
};

// Parses a local target (X, X:, X:\ or an absolute folder) and checks it on the machine: a
// free drive letter, or an existing empty folder on NTFS that is not itself a reparse point.
// Throws core::Error naming the target and what is wrong with it.
ExposeTarget check_local_target(Environment& environment, const std::string& text);

// A share name NetShareAdd would take; throws a usage error otherwise.
ExposeTarget check_share_name(const std::string& text);

// Exposes one shadow copy through an open components object (in VSS_CTX_ALL, so any
// context's copy is found): refuses a copy that is not persistent or is already exposed,
// then ExposeSnapshot. Returns the copy as it is now.
core::ShadowCopy expose_shadow_copy(BackupComponents& components, const std::string& shadow_id,
                                    const ExposeTarget& target);

// The same, opening its own components object first.
core::ShadowCopy expose_shadow_copy(const System& system, const std::string& shadow_id,
                                    const ExposeTarget& target);

// Finds the exposed shadow copy by its id, drive letter, folder or share name, then
// UnexposeSnapshot. Returns the copy as it was, exposure included. Throws
// VSS_E_OBJECT_NOT_FOUND naming what matched nothing.
core::ShadowCopy unexpose_shadow_copy(const System& system, const std::string& target_or_id);

}  // namespace shadowctl::session
