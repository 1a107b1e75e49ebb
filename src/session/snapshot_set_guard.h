#pragma once

// The cleanup rules of one snapshot set, written once so that `create` and `exec` cannot
// differ ("Aborting VSS Operations",
// https://learn.microsoft.com/windows/win32/vss/aborting-vss-operations, and
// IVssBackupComponents::AbortBackup):
// - from StartSnapshotSet until DoSnapshotSet has succeeded, any failure owes AbortBackup;
// - after a failed DoSnapshotSet nothing but AbortBackup: never BackupComplete;
// - once DoSnapshotSet has succeeded, a failure later in the run deletes the set it made.

#include <string>

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
  // DoSnapshotSet succeeded: the shadow copies exist; a later failure deletes the set.
  void created();
  // BackupComplete is allowed: DoSnapshotSet succeeded and nothing was undone.
  bool may_complete() const { return state_ == State::created; }
  // The run succeeded: the set is kept.
  void keep();
  // Undoes what is owed now, once (AbortBackup, or deleting the set), and says what it did.
  Cleanup undo();

 private:
  enum class State { idle, started, created, settled };
  BackupComponents& components_;
  State state_ = State::idle;
  std::string set_id_;
  Cleanup done_;
};

}  // namespace shadowctl::session
