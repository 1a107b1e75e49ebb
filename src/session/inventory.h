#pragma once

#include <vector>

#include "core/inventory.h"
#include "session/system.h"

namespace shadowctl::session {

// Every shadow copy on the machine, of every context (Query in VSS_CTX_ALL), newest first.
// Throws core::Error naming the call that failed.
std::vector<core::ShadowCopy> query_shadow_copies(const System& system);

}  // namespace shadowctl::session
