#include "session/snapshot_set_guard.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "core/hresult.h"

namespace shadowctl::session {

SnapshotSetGuard::~SnapshotSetGuard() {
  try {
    undo();
  } catch (const std::exception& e) {
    spdlog::error("cleanup of snapshot set {} failed: {}", set_id_, e.what());
  }
}

void SnapshotSetGuard::started(std::string set_id) {
  set_id_ = std::move(set_id);
  done_.set_id = set_id_;
  state_ = State::started;
}

void SnapshotSetGuard::created() {
  if (state_ == State::started) state_ = State::created;
}

void SnapshotSetGuard::keep() { state_ = State::settled; }

Cleanup SnapshotSetGuard::undo() {
  switch (state_) {
    case State::idle:
    case State::settled:
      break;
    case State::started:
      done_.abort_hr = components_.abort_backup();
      done_.aborted = true;
      spdlog::info("AbortBackup for set {} -> {}", set_id_, core::format_hresult(done_.abort_hr));
      break;
    case State::created: {
      DeleteResult deleted;
      done_.delete_hr = components_.delete_snapshots(set_id_, true, deleted);
      done_.set_deleted = core::succeeded(done_.delete_hr);
      done_.shadows_deleted = deleted.deleted;
      spdlog::info("deleted set {} ({} shadow copies) -> {}", set_id_, deleted.deleted,
                   core::format_hresult(done_.delete_hr));
      break;
    }
  }
  state_ = State::settled;
  return done_;
}

}  // namespace shadowctl::session
