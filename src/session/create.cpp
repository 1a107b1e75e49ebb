#include "session/create.h"

#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/error_catalogue.h"
#include "core/errors.h"
#include "core/failure.h"
#include "session/inventory.h"
#include "session/open.h"
#include "session/snapshot_set_guard.h"

namespace shadowctl::session {
namespace {

void stop_if_cancelled(const CancelToken& cancel, std::string_view phase) {
  if (cancel.requested()) throw core::Error({core::hr::error_cancelled, std::string(phase), {}});
}

core::HResult finish(BackupComponents& c, core::HResult (BackupComponents::*start)(Async&),
                     const char* phase, const WaitPolicy& wait) {
  stop_if_cancelled(wait.cancel, phase);
  Async op;
  require((c.*start)(op), phase);
  return require(await_phase(*op, phase, wait), phase);
}

// Writer status, gathered and freed; each failed writer as "writer 'NAME' is STATE after
// PHASE", with its failure.
std::vector<core::Failure> failed_writers(BackupComponents& c, const char* after,
                                          const WaitPolicy& wait) {
  finish(c, &BackupComponents::gather_writer_status, "GatherWriterStatus", wait);
  std::vector<core::WriterStatus> writers;
  require(c.writer_status(writers), "GetWriterStatus");
  require(c.free_writer_status(), "FreeWriterStatus");
  std::vector<core::Failure> failed;
  for (const auto& w : writers) {
    if (!core::vss::writer_state_failed(w.state)) continue;
    const auto state = core::vss::writer_state(w.state);
    failed.push_back({w.failure ? w.failure : core::hr::vss_e_unexpected_writer_error,
                      "writer " + w.name,
                      fmt::format("writer '{}' is {} after {}", w.name,
                                  state ? state->name : std::string_view("failed"), after)});
  }
  return failed;
}

// After PrepareForBackup and after DoSnapshotSet: a writer that failed fails the run (exit 5).
void check_writers(BackupComponents& c, const char* after, const WaitPolicy& wait) {
  const auto failed = failed_writers(c, after, wait);
  if (!failed.empty()) throw core::Error(failed.front());
}

// The writer classes a selection names, resolved once for every attempt.
struct ResolvedSelection {
  bool component_mode = false;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
};

ResolvedSelection resolve(const System& system, const WriterSelection& selection,
                          const WaitPolicy& wait) {
  if (selection.empty()) return {};
  // Writer classes are enabled or disabled before GatherWriterMetadata, so their names are
  // read through another object (DisableWriterClasses' page).
  const auto writers = query_writers(system, wait).status;
  return {true, resolve_writer_classes(selection.include, writers),
          resolve_writer_classes(selection.exclude, writers)};
}

struct Attempt {
  const CreateRequest& request;
  const ResolvedSelection& selection;
  bool& used;  // set once request.use has run
};

// Component mode: every component of the writers taking part, added; returns what was added.
std::vector<std::pair<ComponentRef, std::string>> add_components(BackupComponents& c) {
  std::vector<core::WriterMetadata> writers;
  require(c.writer_metadata(writers), "GetWriterMetadata");
  std::vector<std::pair<ComponentRef, std::string>> added;
  for (const auto& w : writers)
    for (const auto& component : components_to_add(w)) {
      require(c.add_component(component), "AddComponent");
      added.emplace_back(component, w.name);
    }
  return added;
}

CreatedSet attempt(const System& system, const Attempt& run, const WaitPolicy& wait) {
  const CreateRequest& request = run.request;
  auto c = open_backup_components(system);
  const bool writers = (request.context & core::vss::attr::no_writers) == 0;
  const bool component_mode = writers && run.selection.component_mode;
  require(c->set_context(request.context), "SetContext");
  std::vector<std::pair<ComponentRef, std::string>> added;
  if (writers) {
    if (!run.selection.include.empty())
      require(c->enable_writer_classes(run.selection.include), "EnableWriterClasses");
    if (!run.selection.exclude.empty())
      require(c->disable_writer_classes(run.selection.exclude), "DisableWriterClasses");
    require(c->set_backup_state(component_mode, false, request.backup_type, false),
            "SetBackupState");
    finish(*c, &BackupComponents::gather_writer_metadata, "GatherWriterMetadata", wait);
    if (component_mode) added = add_components(*c);
  }
  // Every volume is checked before anything starts: an unsupported one is named, and no set
  // is begun.
  for (const auto& volume : request.volumes) {
    bool supported = false;
    require(c->is_volume_supported(volume, request.provider_id, supported), "IsVolumeSupported");
    if (!supported)
      throw core::Error({core::hr::vss_e_volume_not_supported, "IsVolumeSupported",
                         "no provider can shadow " + volume});
  }

  stop_if_cancelled(wait.cancel, "StartSnapshotSet");
  SnapshotSetGuard guard(*c);
  CreatedSet made;
  try {
    require(c->start_snapshot_set(made.set_id), "StartSnapshotSet");
    guard.started(made.set_id);
    std::vector<std::string> shadow_ids;
    for (const auto& volume : request.volumes) {
      std::string id;
      require(c->add_to_snapshot_set(volume, request.provider_id, id), "AddToSnapshotSet");
      shadow_ids.push_back(id);
    }
    if (writers) {
      finish(*c, &BackupComponents::prepare_for_backup, "PrepareForBackup", wait);
      check_writers(*c, "PrepareForBackup", wait);
    }
    finish(*c, &BackupComponents::do_snapshot_set, "DoSnapshotSet", wait);
    guard.created();
    if (writers) check_writers(*c, "DoSnapshotSet", wait);
    for (const auto& id : shadow_ids) {
      core::ShadowCopy s;
      require(c->snapshot_properties(id, s), "GetSnapshotProperties");
      made.shadows.push_back(std::move(s));
    }
    bool succeeded = true;
    if (request.use) {
      made.used = run.used = true;
      succeeded = request.use(*c, made);
    }
    if (writers && guard.may_complete()) {
      // Writers read each component's result before they may truncate logs.
      for (const auto& [component, writer] : added)
        require(c->set_backup_succeeded(component, succeeded), "SetBackupSucceeded");
      // Saved once the requester is done with it, before writers are told it is over.
      if (request.save_document)
        require(c->save_as_xml(made.backup_components_document), "SaveAsXML");
      finish(*c, &BackupComponents::backup_complete, "BackupComplete", wait);
      // The copies exist and are kept: a writer failing now is reported, not fatal.
      for (const auto& f : failed_writers(*c, "BackupComplete", wait))
        made.warnings.push_back(f.detail + " (" + core::diagnose(f.hr).name +
                                "); the shadow copies are kept, but the writer may not have "
                                "recorded this backup");
      require(c->free_writer_metadata(), "FreeWriterMetadata");
    }
    made.component_mode = component_mode;
    for (const auto& [component, writer] : added)
      made.components.push_back({writer, component.logical_path, component.name});
    if (request.before_keep) request.before_keep(made);
    if (request.keep) {
      guard.keep();
    } else {
      const Cleanup done = guard.undo();
      made.deleted = done.set_deleted && core::succeeded(done.delete_hr);
      if (core::failed(done.delete_hr))
        made.warnings.push_back(fmt::format(
            "the set could not be deleted ({}); delete it with `shadowctl delete --set {}`",
            core::diagnose(done.delete_hr).name, made.set_id));
    }
  } catch (core::Error& e) {
    // Interrupted: say so while cleaning up. The cleanup itself never reads the cancel
    // token, so a second Ctrl+C cannot cut it short.
    if (wait.cancel.requested() && wait.progress)
      wait.progress("interrupted: cleaning up, Ctrl+C again does not stop it",
                    std::chrono::milliseconds(0));
    // Undo now, so the error can say what was undone.
    const Cleanup done = guard.undo();
    core::Failure f = e.failure();
    std::string undone;
    if (done.aborted) undone = "AbortBackup called; no shadow copy was created";
    if (done.set_deleted)
      undone = fmt::format("the set this run made was deleted ({} shadow copies)",
                           done.shadows_deleted);
    if (done.set_deleted || done.aborted) {
      const bool clean = core::succeeded(done.aborted ? done.abort_hr : done.delete_hr);
      f.detail += (f.detail.empty() ? "" : "; ") +
                  (clean ? undone
                         : "cleanup failed too: " + core::diagnose(done.aborted ? done.abort_hr
                                                                                : done.delete_hr)
                                                        .name);
    }
    throw core::Error(f);
  }
  return made;
}

// Waits before a retry, in short steps so that Ctrl+C is not kept waiting.
void backoff(std::chrono::milliseconds delay, const CancelToken& cancel) {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < until) {
    stop_if_cancelled(cancel, "retry");
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(100),
        std::chrono::duration_cast<std::chrono::milliseconds>(until -
                                                              std::chrono::steady_clock::now())));
  }
}

}  // namespace

CreatedSet create_snapshot_set(const System& system, const CreateRequest& request,
                               const WaitPolicy& wait) {
  const ResolvedSelection selection = resolve(system, request.writers, wait);
  auto delay = request.first_backoff;
  bool used = false;
  for (int attempt_number = 1;; ++attempt_number) {
    try {
      CreatedSet made = attempt(system, {request, selection, used}, wait);  // a fresh object each time
      made.attempts = attempt_number;
      return made;
    } catch (const core::Error& e) {
      const core::Diagnosis d = core::diagnose(e.failure().hr);
      // Once the set was used (exec ran its command), a second attempt would run it again.
      if (attempt_number > request.retries || !d.retryable || wait.cancel.requested() || used)
        throw;
      spdlog::warn("attempt {} failed with {} during {}; retrying in {} ms", attempt_number,
                   d.name, e.failure().phase, delay.count());
      backoff(delay, wait.cancel);
      delay *= 2;
    }
  }
}

}  // namespace shadowctl::session
