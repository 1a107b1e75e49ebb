#pragma once

// Creating one snapshot set: the requester sequence of "Shadow Copy Creation Details" for
// the chosen context, with every cleanup rule in SnapshotSetGuard, a deadline and the cancel
// token on every async phase, and retries of what can succeed later.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/inventory.h"
#include "core/vss.h"
#include "session/async_wait.h"
#include "session/system.h"
#include "session/writer_selection.h"

namespace shadowctl::session {

struct CreateRequest {
  std::vector<std::string> volumes;  // \\?\Volume{GUID}\ names, resolved
  long context = core::vss::context::app_rollback;
  int backup_type = core::vss::backup_type::copy;
  std::string provider_id;  // empty: the system's choice
  // Not empty: component mode, with only the writers included, or all but those excluded.
  WriterSelection writers;
  int retries = 0;          // further attempts after a retryable failure
  bool save_document = false;  // keep the Backup Components Document (SaveAsXML)
  std::chrono::milliseconds first_backoff = std::chrono::seconds(10);  // doubles each time
  // Runs once the set exists, before it is kept: a core::Error thrown here (a --script
  // that cannot be written) deletes the set like any failure after DoSnapshotSet.
  std::function<void(const struct CreatedSet&)> before_keep;
  // Uses the set while writers wait for BackupComplete (exec runs its command here), through
  // the object that made it; returns whether the backup succeeded, which SetBackupSucceeded
  // then reports for each component. Once it has run, nothing is retried.
  std::function<bool(BackupComponents&, const struct CreatedSet&)> use;
  // false: the set is deleted once BackupComplete is done (exec's sets live only for it).
  bool keep = true;
};

// One component selected in component mode, by writer name, for the report.
struct SelectedComponent {
  std::string writer;
  std::string logical_path;
  std::string name;
};

struct CreatedSet {
  std::string set_id;
  std::vector<core::ShadowCopy> shadows;  // one per volume, in the order asked
  int attempts = 1;
  bool component_mode = false;                // SetBackupState selected components
  std::vector<SelectedComponent> components;  // empty unless in component mode
  std::string backup_components_document;     // with save_document: SaveAsXML's XML
  // Writers that failed at BackupComplete: the copies are good, the writers' own
  // bookkeeping (log truncation, backup history) may not be. Also a set that was meant
  // to go (keep false) and could not be deleted.
  std::vector<std::string> warnings;
  bool used = false;     // `use` ran
  bool deleted = false;  // keep false: the set was deleted afterwards
};

// Makes the set or throws core::Error naming the call, phase or writer that failed, with
// what cleanup did in its detail; a failed run leaves no shadow copy and no set in
// creation. Interrupted (the cancel token) is ERROR_CANCELLED, after the same cleanup.
CreatedSet create_snapshot_set(const System& system, const CreateRequest& request,
                               const WaitPolicy& wait);

}  // namespace shadowctl::session
