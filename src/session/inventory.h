#pragma once

#include <vector>

#include "core/inventory.h"
#include "session/async_wait.h"
#include "session/system.h"

namespace shadowctl::session {

// Every shadow copy on the machine, of every context (Query in VSS_CTX_ALL), newest first.
// Throws core::Error naming the call that failed.
std::vector<core::ShadowCopy> query_shadow_copies(const System& system);

// Every writer with its state and last failure, as GatherWriterStatus reports them after
// GatherWriterMetadata (what `vssadmin list writers` shows). Throws core::Error naming the
// call or phase that failed.
std::vector<core::WriterStatus> query_writers(const System& system, const WaitPolicy& wait);

}  // namespace shadowctl::session
