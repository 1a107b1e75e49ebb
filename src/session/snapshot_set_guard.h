#pragma once

// The cleanup rules of one snapshot set, written once so that `create` and `exec` cannot
// differ:
// - from StartSnapshotSet until the backup is over, any failure owes AbortBackup
//   (IVssBackupComponents::AbortBackup: "must be called if a backup operation terminates after
//   the creation of a shadow copy set with StartSnapshotSet and before DoSnapshotSet
//   returns"; "Aborting VSS Operations",
//   https://learn.microsoft.com/windows/win32/vss/aborting-vss-operations: a requester that
//   stops a backup after PrepareForBackup aborts it). With writers the backup is over when
//   BackupComplete returns; without writers there is no BackupComplete, so when DoSnapshotSet
//   has succeeded;
// - after a failed DoSnapshotSet nothing but AbortBackup: never BackupComplete;
// - once DoSnapshotSet has succeeded, a failure later in the run also deletes the set it
//   made (after AbortBackup, while that is still owed).

#include <string>
#include <vector>

#include "core/failure.h"
#include "session/vss_api.h"

namespace shadowctl::session {

// What cleanup did, for the report.
struct Cleanup {
  bool aborted = false;              // AbortBackup was called
  core::HResult abort_hr = 0;
  bool set_deleted = false;          // the set this run made was deleted
  long shadows_deleted = 0;
  core::HResult delete_hr = 0;
  std::string set_id;
  std::vector<std::string> shadow_ids;  // the set's shadow copies, once DoSnapshotSet succeeded
  // The cleanup calls that failed, as the error reports them.
  std::vector<core::CleanupFailure> failures() const;
};

class SnapshotSetGuard {
 public:
  explicit SnapshotSetGuard(BackupComponents& components) : components_(components) {}
  // Whatever is owed and not yet done is done here: a run can end by any path.
  ~SnapshotSetGuard();
  SnapshotSetGuard(const SnapshotSetGuard&) = delete;
  SnapshotSetGuard& operator=(const SnapshotSetGuard&) = delete;

  // StartSnapshotSet succeeded: from now on a failure owes AbortBackup.
  void started(std::string set_id);
  // DoSnapshotSet succeeded (or finished before its Cancel): the shadow copies exist, and a
  // later failure deletes the set too. with_writers false: the backup is over with it.
  void created(std::vector<std::string> shadow_ids, bool with_writers);
  // BackupComplete returned: nothing more is owed to writers; a failure deletes the set.
  void completed();
  // BackupComplete is allowed: DoSnapshotSet succeeded, writers wait, nothing was undone.
  bool may_complete() const { return state_ == State::created; }
  // The run succeeded: the set is kept.
  void keep();
  // Undoes what is owed now, once (AbortBackup, deleting the set, or both), and says what it did.
  Cleanup undo();

 private:
  // started: AbortBackup owed; created: AbortBackup and deletion; completed: deletion.
  enum class State { idle, started, created, completed, settled };
  BackupComponents& components_;
  State state_ = State::idle;
  Cleanup done_;
};

}  // namespace shadowctl::session
