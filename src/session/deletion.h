#pragma once

// Deleting a selection of shadow copies: the one flow `delete` and `prune` use. Select
// (session::ShadowSelection), check that what was named exists, list what would go (a dry
// run stops there), confirm when the selection did not name its copies by id, then delete
// each and say what happened to each.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/failure.h"
#include "core/vss_objects.h"
#include "core/results.h"
#include "session/inventory.h"
#include "session/system.h"
#include "session/volumes.h"

namespace shadowctl::session {

// Asks a person whether to delete `listed` (the question names how many); false when they
// said no. Empty when no one can answer (not at a terminal).
using ConfirmDeletion =
    std::function<bool(const std::string& question, const std::vector<core::ShadowCopy>& listed)>;

using core::DeleteOutcome;
using core::DeletionReport;

struct DeleteRequest {
  ShadowSelection selection;
  bool dry_run = false;
  bool yes = false;  // --yes: confirmed already
};

// Whether deleting this selection needs a confirmation: any selection that does not name its
// copies by id (--all, --volume, --set, and prune), whatever its count, as `vssadmin delete
// shadows /all` asks; copies named by --id need none.
bool needs_confirmation(const ShadowSelection& selection);

// Throws VSS_E_OBJECT_NOT_FOUND naming the first id or set the selection named that `found`
// does not hold: what was named must exist before anything is listed or deleted.
void check_named_exist(const ShadowSelection& selection, const std::vector<core::ShadowCopy>& found);

// Deletes exactly these shadow copies, one DeleteSnapshots each in VSS_CTX_ALL, and stops
// at the first failure; one that no longer exists (VSS_E_OBJECT_NOT_FOUND: deleted since
// it was listed) is gone, not a failure. Only what the caller selected is passed to VSS.
DeleteOutcome delete_shadow_copies(const System& system,
                                   const std::vector<core::ShadowCopy>& shadows);

// The end of every deletion (delete, prune): when `ask` and not `yes`, asks first (refused,
// SHADOWCTL_E_USAGE with nothing deleted, when no one can answer or the answer is no; the
// message names `command`), then deletes exactly `chosen` (delete_shadow_copies).
DeleteOutcome confirm_then_delete(const System& system, const std::vector<core::ShadowCopy>& chosen,
                                  bool ask, bool yes, const ConfirmDeletion& confirm,
                                  const std::string& command);

// The whole flow. A refusal (no confirmation possible, or a "no") is SHADOWCTL_E_USAGE with
// nothing deleted.
DeletionReport delete_selection(const System& system, const VolumeTable& volumes,
                                const DeleteRequest& request, const ConfirmDeletion& confirm);

}  // namespace shadowctl::session
