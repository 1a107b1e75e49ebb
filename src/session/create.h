#pragma once

// Creating one snapshot set: the requester sequence of "Shadow Copy Creation Details" for
// the chosen context, with every cleanup rule in SnapshotSetGuard, a deadline and the cancel
// token on every async phase, and retries of what can succeed later.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/vss_objects.h"
#include "core/results.h"
#include "core/vss.h"
#include "session/async_wait.h"
#include "session/system.h"
#include "session/volumes.h"
#include "session/writer_selection.h"

namespace shadowctl::session {

struct CreateRequest {
  std::vector<std::string> volumes;  // \\?\Volume{GUID}\ names, resolved
  long context = core::vss::context::app_rollback;
  // Attributes OR'd into the context at SetContext (core::vss::kSnapshotOptions).
  long attributes = 0;
  int backup_type = core::vss::backup_type::copy;
  std::string provider_id;  // empty: the system's choice
  // Not empty: component mode, with only the writers included, or all but those excluded,
  // and the components of the set's volumes only; the writers required must take part in
  // full or the run fails before anything starts.
  WriterSelection writers;
  // SetBackupState's bBackupBootableSystemState; nullopt: true when the System or ASR
  // writer takes part in component mode.
  std::optional<bool> bootable_system_state;
  int retries = 0;          // further attempts after a retryable failure
  // The wait before each retry; nullopt: what Microsoft advises for the failure's code
  // (retry_wait_for).
  std::optional<std::chrono::milliseconds> retry_wait;
  // Files written once the set exists, while writers still wait for BackupComplete, each
  // with SeBackupPrivilege set aside: a file that cannot be written aborts the backup and
  // deletes the set like any failure after DoSnapshotSet. Empty: not written. Their paths
  // are checked before any VSS call (output_file.h).
  std::string script_path;    // --script: the set as cmd or PowerShell variables (set_script.h)
  std::string document_path;  // --save-bcd: the Backup Components Document (SaveAsXML)
  // Uses the set while writers wait for BackupComplete (exec runs its command here), through
  // the object that made it; returns whether the backup succeeded. When it did not, the
  // backup is abandoned: AbortBackup, never BackupComplete, so no writer records a backup
  // that was not made ("Aborting VSS Operations"). Once it has run, nothing is retried.
  std::function<bool(BackupComponents&, const struct CreatedSet&)> use;
  // false: the set is deleted once BackupComplete is done (exec's sets live only for it).
  bool keep = true;
};

using core::SelectedComponent;

// The set as the report shows it (core::MadeSet), and what only the session needs.
struct CreatedSet : core::MadeSet {
  std::string backup_components_document;     // with document_path: SaveAsXML's XML
  // Writers that failed at BackupComplete: the copies are good, the writers' own
  // bookkeeping (log truncation, backup history) may not be. Also a set that was meant
  // to go (keep false) and could not be deleted.
  std::vector<core::Warning> warnings;
  // The session's cleanup for a set nobody would know of (its report could not be written):
  // deletes it and says what became of it. Set for a kept set; System must outlive it.
  std::function<std::string()> undo_if_unreported;
};

// How long to wait before retrying after `hr`: ten minutes for the flush and hold timeouts,
// a provider veto and the retryable writer errors, as the DoSnapshotSet and
// SetWriterFailureEx pages advise; ten seconds for a set in creation elsewhere, which ends
// when that requester's DoSnapshotSet returns.
std::chrono::milliseconds retry_wait_for(core::HResult hr);

// Makes the set or throws core::Error naming the call, phase or writer that failed, with
// what cleanup did in its detail; a failed run leaves no shadow copy and no set in
// creation. Interrupted (the cancel token) is ERROR_CANCELLED, after the same cleanup.
CreatedSet create_snapshot_set(const System& system, const VolumeTable& volumes,
                               const CreateRequest& request, const WaitPolicy& wait);

}  // namespace shadowctl::session
