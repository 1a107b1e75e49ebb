#include "session/snapshot_set_guard.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "core/hresult.h"
#include "core/text.h"

namespace shadowctl::session {

std::vector<core::CleanupFailure> Cleanup::failures() const {
  std::vector<core::CleanupFailure> out;
  if (aborted && core::failed(abort_hr)) out.push_back({"AbortBackup", abort_hr});
  if (core::failed(delete_hr)) out.push_back({"DeleteSnapshots", delete_hr});
  return out;
}

SnapshotSetGuard::~SnapshotSetGuard() {
  try {
    undo();
  } catch (const std::exception& e) {
    spdlog::error("cleanup of snapshot set {} failed: {}", done_.set_id, e.what());
  }
}

void SnapshotSetGuard::started(std::string set_id) {
  done_.set_id = std::move(set_id);
  state_ = State::started;
}

void SnapshotSetGuard::created(std::vector<std::string> shadow_ids, bool with_writers) {
  if (state_ != State::started) return;
  done_.shadow_ids = std::move(shadow_ids);
  state_ = with_writers ? State::created : State::completed;
}

void SnapshotSetGuard::completed() {
  if (state_ == State::created) state_ = State::completed;
}

void SnapshotSetGuard::keep() { state_ = State::settled; }

Cleanup SnapshotSetGuard::undo() {
  const State was = state_;
  state_ = State::settled;
  if (was == State::started || was == State::created) {
    done_.abort_hr = components_.abort_backup();
    done_.aborted = true;
    spdlog::info("AbortBackup for set {} -> {}", done_.set_id,
                 core::format_hresult(done_.abort_hr));
  }
  if (was == State::created || was == State::completed) {
    DeleteResult deleted;
    done_.delete_hr = components_.delete_snapshots(done_.set_id, true, deleted);
    done_.set_deleted = core::succeeded(done_.delete_hr);
    done_.shadows_deleted = deleted.deleted;
    spdlog::info("deleted set {} ({}) -> {}", done_.set_id, core::shadow_copies_text(static_cast<std::size_t>(deleted.deleted)),
                 core::format_hresult(done_.delete_hr));
  }
  return done_;
}

}  // namespace shadowctl::session
