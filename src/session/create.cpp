#include "session/create.h"

#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "core/error_catalogue.h"
#include "core/diagnosis.h"
#include "core/failure.h"
#include "core/writer_services.h"
#include "session/deletion.h"
#include "session/inventory.h"
#include "session/open.h"
#include "session/privilege.h"
#include "session/set_script.h"
#include "session/snapshot_set_guard.h"
#include "session/volumes.h"
#include "core/command_line.h"
#include "core/text.h"

namespace shadowctl::session {
namespace {

void stop_if_cancelled(const CancelToken& cancel, std::string_view phase) {
  if (cancel.requested()) throw core::Error({core::hr::error_cancelled, std::string(phase), {}});
}

// Starts an async phase and waits for it. finished_first: see await_phase.
core::HResult run_phase(BackupComponents& c, core::HResult (BackupComponents::*start)(Async&),
                        const char* phase, const WaitPolicy& wait,
                        bool* finished_first = nullptr) {
  stop_if_cancelled(wait.cancel, phase);
  Async op;
  require((c.*start)(op), phase);
  return require(await_phase(*op, phase, wait, finished_first), phase);
}

// Writer status, gathered and freed; each failed writer as "writer 'NAME' is STATE after
// PHASE", with its failure.
std::vector<core::Failure> failed_writers(BackupComponents& c, const char* after,
                                          const WaitPolicy& wait) {
  run_phase(c, &BackupComponents::gather_writer_status, "GatherWriterStatus", wait);
  std::vector<core::WriterStatus> writers;
  require(c.writer_status(writers), "GetWriterStatus");
  require(c.free_writer_status(), "FreeWriterStatus");
  std::vector<core::Failure> failed;
  for (const auto& w : writers) {
    if (!core::vss::writer_state_failed(w.state)) continue;
    const auto state = core::vss::writer_state(w.state);
    const core::HResult hr = w.failure ? w.failure : core::hr::vss_e_unexpected_writer_error;
    failed.push_back({hr, "writer " + w.name,
                      fmt::format("writer '{}' is {} after {}", w.name,
                                  state ? state->name : std::string_view("failed"), after),
                      {},
                      {},
                      core::writer_remedy(w.name, core::diagnose(hr).remedy),
                      {},
                      w.name});
  }
  return failed;
}

// VSS_E_INSUFFICIENT_STORAGE from DoSnapshotSet does not say which volume's shadow storage
// ran out: the set's volumes are named, and the remedy is the tool's own commands for them.
core::Failure out_of_storage(core::Failure f, const VolumeTable& table,
                             const std::vector<std::string>& set_volumes) {
  std::string names;
  for (const auto& name : set_volumes) {
    const core::Volume* v = table.by_name(name);
    names += (names.empty() ? "" : ", ") + (v ? core::display_name(*v) : name);
  }
  const core::Volume* first = table.by_name(set_volumes.front());
  const std::string one = first ? core::display_name(*first) : set_volumes.front();
  f.detail = (set_volumes.size() == 1 ? "the shadow storage of " : "the shadow storage of one of ") +
             names + " is full" + (f.detail.empty() ? "" : "; " + f.detail);
  if (set_volumes.size() == 1) f.volume = set_volumes.front();
  f.remedy = "Make room: delete the oldest copy with `shadowctl delete --volume " + one +
             " --oldest`, thin them with `shadowctl prune`, or raise the maximum with "
             "`shadowctl storage resize --for " + one +
             " --max 20%` (`shadowctl list storage` shows what is used).";
  return f;
}

// After PrepareForBackup and after DoSnapshotSet: a writer that failed fails the run (exit 5).
void fail_on_failed_writer(BackupComponents& c, const char* after, const WaitPolicy& wait) {
  const auto failed = failed_writers(c, after, wait);
  if (!failed.empty()) throw core::Error(failed.front());
}

// "The volume a path lies on", with a writer's %VARIABLE% paths expanded from the tool's own
// environment (writers describe C:\Windows as %SystemRoot%).
VolumeOfPath volume_finder(const System& system, const VolumeTable& volumes) {
  std::vector<std::pair<std::string, std::string>> variables;
  for (const auto& entry : system.environment.environment_variables()) {
    const auto equals = entry.find(u'=', 1);
    if (equals != std::u16string::npos)
      variables.emplace_back(core::utf8(entry.substr(0, equals)), core::utf8(entry.substr(equals + 1)));
  }
  return [variables, &volumes](const std::string& path) -> PathVolume {
    std::string expanded;
    for (std::size_t i = 0; i < path.size();) {
      const auto close = path[i] == '%' ? path.find('%', i + 1) : std::string::npos;
      if (close == std::string::npos) {
        expanded += path[i++];
        continue;
      }
      const std::string name = path.substr(i + 1, close - i - 1);
      const auto it = std::find_if(variables.begin(), variables.end(),
                                   [&](const auto& v) { return same_ignoring_case(v.first, name); });
      expanded += it == variables.end() ? path.substr(i, close - i + 1) : it->second;
      i = close + 1;
    }
    const core::Volume* v = volumes.holding(expanded);
    return v ? PathVolume{v->name, display_name(*v)} : PathVolume{};
  };
}

// The plan of a component-mode backup: which writer classes take part and, per writer,
// what the set's volumes let it add. Made through a first object, before the one that
// creates, so that a writer that must take part and cannot fails the run before anything
// freezes (Enable/DisableWriterClasses also precede that object's GatherWriterMetadata).
struct Plan {
  bool component_mode = false;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::vector<LeftOut> left_out;
  bool bootable_system_state = false;
  // Every writer as the planning object described it, those left out included: what a
  // component depends on is looked up here, whichever writers take part.
  std::vector<core::WriterMetadata> described;
};

bool takes_part(const Plan& plan, const std::string& writer_id) {
  auto has = [&](const std::vector<std::string>& ids) {
    return std::any_of(ids.begin(), ids.end(), [&](const auto& id) { return same_ignoring_case(id, writer_id); });
  };
  return plan.include.empty() ? !has(plan.exclude) : has(plan.include);
}

// The System and ASR writers back up the bootable system state ("Using VSS Automated System
// Recovery for Disaster Recovery").
bool backs_up_system_state(const std::string& writer_id) {
  return same_ignoring_case(writer_id, "{e8132975-6f93-4464-a53e-1050253ae220}") ||  // System Writer
         same_ignoring_case(writer_id, "{be000cbe-11fe-4426-9c58-531aa6355fc4}");    // ASR Writer
}

Plan make_plan(const System& system, const VolumeTable& volumes, const CreateRequest& request,
               const WaitPolicy& wait) {
  Plan plan;
  plan.bootable_system_state = request.bootable_system_state.value_or(false);
  const bool writers = (request.context & core::vss::attr::no_writers) == 0;
  if (request.writers.empty() || !writers) return plan;
  const WriterInventory found = query_writers(system, wait, true);
  plan.component_mode = true;
  plan.include = resolve_writer_classes(request.writers.include, found.status);
  plan.exclude = resolve_writer_classes(request.writers.exclude, found.status);
  const std::vector<std::string> required =
      resolve_writer_classes(request.writers.require, found.status);
  plan.described = found.metadata;
  const VolumeOfPath volume_of = volume_finder(system, volumes);
  bool system_state = false;
  for (const auto& w : found.metadata) {
    if (!takes_part(plan, w.id)) continue;
    const ComponentPlan p = plan_components(w, found.metadata, request.volumes, volume_of);
    plan.left_out.insert(plan.left_out.end(), p.left_out.begin(), p.left_out.end());
    system_state = system_state || (backs_up_system_state(w.id) && !p.add.empty());
    const bool named =
        std::any_of(required.begin(), required.end(), [&](const auto& id) { return same_ignoring_case(id, w.id); }) ||
        std::any_of(plan.include.begin(), plan.include.end(), [&](const auto& id) { return same_ignoring_case(id, w.id); });
    // A writer the user named must take part: dropped out (--include-writer) or short of
    // anything (--require-writer) fails the run here.
    const bool must_be_whole =
        std::any_of(required.begin(), required.end(), [&](const auto& id) { return same_ignoring_case(id, w.id); });
    if ((named && p.dropped) || (must_be_whole && !p.in_full())) {
      std::vector<std::string> needed;
      for (const auto& l : p.left_out)
        for (const auto& v : l.volumes)
          if (std::find(needed.begin(), needed.end(), v) == needed.end()) needed.push_back(v);
      std::string list;
      for (const auto& v : needed) list += (list.empty() ? "" : ", ") + v;
      throw core::Error({core::hr::shadowctl_e_writer_data_outside_set, "writer " + w.name,
                         fmt::format("writer '{}' cannot take part in full: its data also need {}",
                                     w.name, list)});
    }
  }
  for (const auto& id : required)
    if (!takes_part(plan, id))
      throw core::Error({core::hr::shadowctl_e_writer_data_outside_set, "writer selection",
                         "a writer named by --require-writer is left out by --include-writer "
                         "or --exclude-writer"});
  if (!request.bootable_system_state) plan.bootable_system_state = system_state;
  return plan;
}

// Component mode: what the plan allows of each writer the creating object describes.
std::vector<std::pair<ComponentRef, std::string>> add_components(const System& system,
                                                                 const VolumeTable& volumes,
                                                                 BackupComponents& c,
                                                                 const CreateRequest& request,
                                                                 const Plan& plan) {
  std::vector<core::WriterMetadata> writers;
  require(c.writer_metadata(writers), "GetWriterMetadata");
  const VolumeOfPath volume_of = volume_finder(system, volumes);
  std::vector<std::pair<ComponentRef, std::string>> added;
  for (const auto& w : writers)
    for (const auto& component :
         plan_components(w, plan.described, request.volumes, volume_of).add) {
      spdlog::debug("AddComponent {} {}\\{}", w.name, component.logical_path, component.name);
      require(c.add_component(component), "AddComponent");
      added.emplace_back(component, w.name);
    }
  return added;
}

void write_file(Environment& environment, const std::string& path, const std::string& text,
                const char* option) {
  const PrivilegeSetAside aside(environment);  // the user's own path, with the user's rights
  const core::HResult hr = environment.write_file_atomically(path, text);
  if (core::failed(hr)) throw core::Error({hr, option, "cannot write '" + path + "'"});
}

void write_set_files(Environment& environment, const CreateRequest& request, const CreatedSet& made) {
  if (!request.script_path.empty()) {
    const auto text =
        set_script(made.set_id, made.shadows, script_kind_for(request.script_path));
    if (!text)
      throw core::Error({core::hr::e_invalidarg, "--script",
                         "a value cannot be written safely into a .cmd file"});
    write_file(environment, request.script_path, *text, "--script");
  }
  if (!request.document_path.empty())
    write_file(environment, request.document_path, made.backup_components_document, "--save-bcd");
}

// What a failed run's cleanup did, in its error: undone, or each cleanup call that failed
// and the sets it left, read back from the machine so that the error names exactly what
// is there.
core::Failure with_cleanup(const System& system, const VolumeTable& volumes, core::Failure f,
                           const Cleanup& done, bool persistent) {
  std::string undone;
  if (done.aborted && core::succeeded(done.abort_hr))
    undone = "AbortBackup called; no shadow copy was created";
  if (done.set_deleted)
    undone = "AbortBackup called where owed; the set this run made was deleted (" +
             core::shadow_copies_text(static_cast<std::size_t>(done.shadows_deleted)) + ")";
  f.cleanup_failures = done.failures();
  // Auto-release copies go when the object is released, whatever DeleteSnapshots said.
  if (core::failed(done.delete_hr) && persistent) {
    core::LeftBehind left{done.set_id, done.shadow_ids};
    try {
      ShadowSelection in_set;
      in_set.set_id = done.set_id;
      left.shadow_ids.clear();
      for (const auto& s : query_shadow_copies(system, volumes, in_set))
        left.shadow_ids.push_back(s.id);
    } catch (const core::Error& e) {
      spdlog::warn("could not read back what the failed cleanup left ({}); naming the whole set",
                   core::diagnose(e.failure().hr).name);
      left.shadow_ids = done.shadow_ids;
    }
    if (!left.shadow_ids.empty()) f.left_behind.push_back(std::move(left));
    undone.clear();
  }
  if (!f.cleanup_failures.empty())
    undone = "cleanup failed too" + std::string(f.left_behind.empty() ? "" : ": shadow copies were left behind");
  f.undone = undone;
  return f;
}

CreatedSet attempt(const System& system, const VolumeTable& volumes, const CreateRequest& request,
                   const Plan& plan, bool& used, const WaitPolicy& wait) {
  auto c = open_backup_components(system);
  const bool writers = (request.context & core::vss::attr::no_writers) == 0;
  const bool component_mode = writers && plan.component_mode;
  require(c->set_context(request.context | request.attributes), "SetContext");
  std::vector<std::pair<ComponentRef, std::string>> added;
  CreatedSet made;
  made.context = request.context;
  made.attributes = request.attributes;
  made.backup_type = request.backup_type;
  if (writers) {
    if (!plan.include.empty()) require(c->enable_writer_classes(plan.include), "EnableWriterClasses");
    if (!plan.exclude.empty())
      require(c->disable_writer_classes(plan.exclude), "DisableWriterClasses");
    if (!plan.exclude.empty())
      spdlog::debug("DisableWriterClasses {}", fmt::join(plan.exclude, ", "));
    made.bootable_system_state = plan.bootable_system_state;
    require(c->set_backup_state(component_mode, plan.bootable_system_state, request.backup_type,
                                false),
            "SetBackupState");
    run_phase(*c, &BackupComponents::gather_writer_metadata, "GatherWriterMetadata", wait);
    if (component_mode) added = add_components(system, volumes, *c, request, plan);
  }
  // Every volume is checked before anything starts: an unsupported one is named, and no set
  // is begun.
  for (const auto& volume : request.volumes) {
    bool supported = false;
    require(c->is_volume_supported(volume, request.provider_id, supported), "IsVolumeSupported");
    spdlog::debug("IsVolumeSupported {} -> {}", volume, supported ? "yes" : "no");
    if (!supported)
      throw core::Error({core::hr::vss_e_volume_not_supported, "IsVolumeSupported",
                         "no provider can shadow " + volume, {}, {}, {}, {}, {}, volume});
  }

  stop_if_cancelled(wait.cancel, "StartSnapshotSet");
  SnapshotSetGuard guard(*c);
  try {
    require(c->start_snapshot_set(made.set_id), "StartSnapshotSet");
    spdlog::info("StartSnapshotSet: set {}", made.set_id);
    guard.started(made.set_id);
    std::vector<std::string> shadow_ids;
    for (const auto& volume : request.volumes) {
      std::string id;
      require(c->add_to_snapshot_set(volume, request.provider_id, id), "AddToSnapshotSet");
      spdlog::info("AddToSnapshotSet {}: shadow copy {}", volume, id);
      shadow_ids.push_back(id);
    }
    if (writers) {
      run_phase(*c, &BackupComponents::prepare_for_backup, "PrepareForBackup", wait);
      fail_on_failed_writer(*c, "PrepareForBackup", wait);
    }
    bool committed_first = false;
    try {
      run_phase(*c, &BackupComponents::do_snapshot_set, "DoSnapshotSet", wait, &committed_first);
    } catch (const core::Error& e) {
      // Cancelled at the deadline or at Ctrl+C after it had committed: the set exists.
      if (committed_first) guard.created(shadow_ids, writers);
      if (e.failure().hr == core::hr::vss_e_insufficient_storage)
        throw core::Error(out_of_storage(e.failure(), volumes, request.volumes));
      throw;
    }
    guard.created(shadow_ids, writers);
    if (writers) fail_on_failed_writer(*c, "DoSnapshotSet", wait);
    for (const auto& id : shadow_ids) {
      core::ShadowCopy s;
      require(c->snapshot_properties(id, s), "GetSnapshotProperties");
      made.shadows.push_back(std::move(s));
    }
    volumes.name_origins(made.shadows);
    made.component_mode = component_mode;
    made.left_out = plan.left_out;
    for (const auto& [component, writer] : added)
      made.components.push_back({writer, component.logical_path, component.name});
    bool succeeded = true;
    if (request.use) {
      used = true;
      succeeded = request.use(*c, made);
      // Ctrl+C while the command ran: the backup is abandoned like any interrupted one.
      stop_if_cancelled(wait.cancel, "the command");
    }
    if (!succeeded) {
      // The backup was not made: writers are told it was abandoned, and the set goes.
      const Cleanup done = guard.undo();
      made.abandoned = true;
      made.deleted = done.set_deleted;
      for (const auto& f : done.failures())
        made.warnings.push_back({"cleanup_failed",
                                 fmt::format("{} failed ({}) after the command failed", f.call,
                                             core::diagnose(f.hr).name),
                                 f.call, f.hr});
      if (!done.set_deleted)
        made.warnings.push_back({"set_left_behind",
                                 fmt::format("the set could not be deleted; delete it with `{}`",
                                             core::delete_command_for({made.set_id, done.shadow_ids})),
                                 made.set_id});
      return made;
    }
    if (writers) {
      // Writers read each component's result before they may truncate logs.
      for (const auto& [component, writer] : added)
        require(c->set_backup_succeeded(component, true), "SetBackupSucceeded");
      // Saved once the requester is done with it, before writers are told it is over.
      if (!request.document_path.empty())
        require(c->save_as_xml(made.backup_components_document), "SaveAsXML");
    }
    // Files the run writes (--script, --save-bcd) go while a failure can still abort.
    write_set_files(system.environment, request, made);
    if (writers) {
      run_phase(*c, &BackupComponents::backup_complete, "BackupComplete", wait);
      guard.completed();
      // The copies exist and are kept: a writer failing now is reported, not fatal.
      for (const auto& f : failed_writers(*c, "BackupComplete", wait))
        made.warnings.push_back({"writer_failed_after_backup",
                                 f.detail + " (" + core::diagnose(f.hr).name +
                                     "); the shadow copies are kept, but the writer may not "
                                     "have recorded this backup",
                                 f.writer, f.hr});
      require(c->free_writer_metadata(), "FreeWriterMetadata");
    }
    if (request.keep) {
      guard.keep();
      made.undo_if_unreported = [&system, shadows = made.shadows, set_id = made.set_id] {
        const auto undone = delete_shadow_copies(system, shadows);
        return undone.failure ? "the set " + set_id + " it made could not all be deleted"
                              : "the set " + set_id + " it made was deleted";
      };
    } else {
      const Cleanup done = guard.undo();
      made.deleted = done.set_deleted;
      if (core::failed(done.delete_hr))
        made.warnings.push_back({"set_left_behind",
                                 fmt::format("the set could not be deleted ({}); delete it with `{}`",
                                             core::diagnose(done.delete_hr).name,
                                             core::delete_command_for({made.set_id, done.shadow_ids})),
                                 made.set_id, done.delete_hr});
    }
  } catch (core::Error& e) {
    // Interrupted: say so while cleaning up. The cleanup itself never reads the cancel
    // token, so a second Ctrl+C cannot cut it short.
    if (wait.cancel.requested() && wait.progress)
      wait.progress("interrupted: cleaning up, Ctrl+C again does not stop it",
                    std::chrono::milliseconds(0));
    // Undo now, so the error can say what was undone, and what could not be.
    throw core::Error(with_cleanup(system, volumes, e.failure(), guard.undo(),
                                   (request.context & core::vss::attr::no_auto_release) != 0));
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

std::chrono::milliseconds retry_wait_for(core::HResult hr) {
  switch (hr) {
    case core::hr::vss_e_flush_writes_timeout:
    case core::hr::vss_e_hold_writes_timeout:
    case core::hr::vss_e_provider_veto:
    case core::hr::vss_e_writererror_retryable:
    case core::hr::vss_e_writererror_timeout:
    case core::hr::vss_e_writererror_outofresources:
      return std::chrono::minutes(10);
    default:
      return std::chrono::seconds(10);
  }
}

CreatedSet create_snapshot_set(const System& system, const VolumeTable& volumes,
                               const CreateRequest& request, const WaitPolicy& wait) {
  const Plan plan = make_plan(system, volumes, request, wait);
  bool used = false;
  for (int attempt_number = 1;; ++attempt_number) {
    try {
      CreatedSet made = attempt(system, volumes, request, plan, used, wait);  // a fresh object each time
      made.attempts = attempt_number;
      // The providers' names, once the backup is over (not between its calls); a set that
      // was made stands even if they cannot be read.
      try {
        complete_shadow_copies(system, volumes, made.shadows);
      } catch (const core::Error& e) {
        spdlog::warn("the providers' names could not be read: {}", e.what());
      }
      return made;
    } catch (const core::Error& e) {
      const core::Diagnosis d = core::diagnose(e.failure().hr);
      // Once the set was used (exec ran its command), a second attempt would run it again;
      // one whose cleanup left something behind must be seen to first.
      if (attempt_number > request.retries || !d.retryable || wait.cancel.requested() || used ||
          !e.failure().cleanup_failures.empty())
        throw;
      const auto delay = request.retry_wait.value_or(retry_wait_for(e.failure().hr));
      spdlog::warn("attempt {} failed with {} during {}; retrying in {} s", attempt_number,
                   d.name, e.failure().phase, static_cast<double>(delay.count()) / 1000.0);
      backoff(delay, wait.cancel);
    }
  }
}

}  // namespace shadowctl::session
