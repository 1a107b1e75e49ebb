// Writers and components as one requester sees them: metadata, status, which writers take
// part, component mode (AddComponent, SetBackupSucceeded) and the Backup Components Document.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "event_log.h"
#include "core/error_catalogue.h"
#include "lookup.h"
#include "model.h"
#include "os.h"

namespace shadowctl::emulator {

namespace hr = core::hr;
using core::HResult;

// A writer fault belongs to this call of this object: it is not written into the machine,
// so a retry or another process meets healthy writers unless the scenario says otherwise.
void Requester::apply_writer_faults(const std::string& phase) {
  const CallCount n = service_.count(phase + ":writers", &calls_);
  std::vector<RecordedEvent> events;
  // Held for the loop: with a state file, each snapshot is a copy of its own.
  const auto machine = service_.store().snapshot();
  for (const auto& f : service_.scenario().writer_faults_at(phase, n)) {
    writer_overrides_[f.writer] = f;
    // A writer that fails a phase with an error rejects its event, which VSS logs.
    if (!f.missing && core::failed(f.failure))
      for (const Writer& w : machine->writers)
        if (w.name == f.writer) events.push_back(writer_rejected_event(w, f.failure, phase));
  }
  if (!events.empty())
    service_.store().update([&](MachineState& m) {
      for (auto& e : events) write_event(m, std::move(e));
    });
}

// A writer missing (its service stopped), or one that failed while describing itself, gives
// no metadata; the second still reports its failure through GatherWriterStatus.
bool Requester::writer_described(const Writer& w) const {
  const auto it = writer_overrides_.find(w.name);
  return it == writer_overrides_.end() ||
         (!it->second.missing && it->second.phase != "GatherWriterMetadata");
}

// What GatherWriterStatus reports: the machine's writers, in the state this object's
// backup has brought them to, with this object's faults on top.
std::vector<Writer> Requester::current_writers() const {
  std::vector<Writer> writers = service_.store().snapshot()->writers;
  std::erase_if(writers, [&](const Writer& w) {
    const auto it = writer_overrides_.find(w.name);
    return !writer_enabled(w) || (it != writer_overrides_.end() && it->second.missing);
  });
  for (auto& w : writers) {
    if (w.state == 1) w.state = phase_state_;  // a STABLE writer follows the backup's phase
    if (auto it = writer_overrides_.find(w.name); it != writer_overrides_.end()) {
      w.state = it->second.state;
      w.failure = it->second.failure;
    }
  }
  return writers;
}

// GatherWriterMetadata "can be called only once per backup session", after
// InitializeForBackup; its results exist only once it has completed:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-gatherwritermetadata
HResult Requester::gather_writer_metadata(std::shared_ptr<Async>* out) {
  return call("GatherWriterMetadata", "", [&] {
    if (!reached(Phase::initialized) || metadata_ != Metadata::none) return hr::vss_e_bad_state;
    metadata_ = Metadata::gathering;
    *out = start_async("GatherWriterMetadata", [this](std::optional<HResult> forced) {
      if (forced) return *forced;
      apply_writer_faults("GatherWriterMetadata");
      writer_metadata_ = service_.store().snapshot()->writers;
      std::erase_if(writer_metadata_,
                    [&](const Writer& w) { return !writer_enabled(w) || !writer_described(w); });
      metadata_ = Metadata::available;
      return hr::s_ok;
    });
    return hr::s_ok;
  });
}

HResult Requester::writer_metadata(std::vector<Writer>* out, const char* method) {
  return call(method, "", [&] {
    if (metadata_ != Metadata::available) return hr::vss_e_bad_state;
    *out = writer_metadata_;
    return hr::s_ok;
  });
}

// The metadata is gone once freed, but the backup goes on: it was gathered.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-freewritermetadata
HResult Requester::free_writer_metadata() {
  return call("FreeWriterMetadata", "", [&] {
    if (metadata_ != Metadata::available) return hr::vss_e_bad_state;
    writer_metadata_.clear();
    metadata_ = Metadata::freed;
    return hr::s_ok;
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-gatherwriterstatus
HResult Requester::gather_writer_status(std::shared_ptr<Async>* out) {
  return call("GatherWriterStatus", "", [&] {
    if (!reached(Phase::initialized)) return hr::vss_e_bad_state;
    *out = start_async("GatherWriterStatus", [this](std::optional<HResult> forced) {
      if (forced) return *forced;
      writer_states_ = current_writers();
      writer_status_gathered_ = true;
      return hr::s_ok;
    });
    return hr::s_ok;
  });
}

HResult Requester::writer_status(std::vector<Writer>* out, const char* method) {
  return call(method, "", [&] {
    if (!writer_status_gathered_) return hr::vss_e_bad_state;
    *out = writer_states_;
    return hr::s_ok;
  });
}

// After FreeWriterStatus the status must be gathered again before it is read:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-freewriterstatus
HResult Requester::free_writer_status() {
  return call("FreeWriterStatus", "", [&] {
    if (!reached(Phase::initialized)) return hr::vss_e_bad_state;
    writer_status_gathered_ = false;
    writer_states_.clear();
    return hr::s_ok;
  });
}

bool Requester::writer_enabled(const Writer& w) const {
  auto listed = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::any_of(ids.begin(), ids.end(),
                       [&](const auto& x) { return lower(x) == lower(id); });
  };
  if (enabled_classes_ && !listed(*enabled_classes_, w.id)) return false;
  return !listed(disabled_classes_, w.id) && !listed(disabled_instances_, w.instance_id);
}

// Called after GatherWriterMetadata, these succeed and change nothing: "the call ... has no
// effect" (DisableWriterClasses' page).
HResult Requester::change_writer_selection(const char* method, const std::vector<std::string>& ids,
                                           const std::function<void()>& change) {
  std::string args;
  for (const auto& id : ids) args += (args.empty() ? "" : " ") + id;
  return call(method, args, [&] {
    if (!reached(Phase::initialized)) return hr::vss_e_bad_state;
    if (ids.empty()) return hr::e_invalidarg;
    if (metadata_ == Metadata::none) change();
    return hr::s_ok;
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-disablewriterclasses
HResult Requester::disable_writer_classes(const std::vector<std::string>& ids) {
  return change_writer_selection("DisableWriterClasses", ids, [&] {
    disabled_classes_.insert(disabled_classes_.end(), ids.begin(), ids.end());
  });
}

// The first call enables only the classes it names; later ones add to them; it undoes
// earlier DisableWriterClasses calls.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-enablewriterclasses
HResult Requester::enable_writer_classes(const std::vector<std::string>& ids) {
  return change_writer_selection("EnableWriterClasses", ids, [&] {
    if (!enabled_classes_) enabled_classes_.emplace();
    disabled_classes_.clear();
    enabled_classes_->insert(enabled_classes_->end(), ids.begin(), ids.end());
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-disablewriterinstances
HResult Requester::disable_writer_instances(const std::vector<std::string>& ids) {
  return change_writer_selection("DisableWriterInstances", ids, [&] {
    disabled_instances_.insert(disabled_instances_.end(), ids.begin(), ids.end());
  });
}

namespace {

// A component named without an instance (SetBackupOptions, SetSelectedForRestore take the
// writer class only) is any instance's.
bool same_component(const AddedComponent& a, const AddedComponent& b) {
  const bool same_instance = a.instance_id.empty() || b.instance_id.empty() ||
                             lower(a.instance_id) == lower(b.instance_id);
  return same_instance && lower(a.writer_id) == lower(b.writer_id) &&
         a.logical_path == b.logical_path && a.name == b.name;
}
// The full logical path of a component: its logical path, then its name.
std::string full_path(const std::string& logical_path, const std::string& name) {
  return logical_path.empty() ? name : logical_path + "\\" + name;
}

// Whether `part` is `top` or comes with it (its logical path lies under top's full path).
bool comes_with(const Component& top, const Component& part) {
  if (&top == &part) return true;
  const std::string path = full_path(top.logical_path, top.name);
  return part.logical_path.size() >= path.size() &&
         part.logical_path.compare(0, path.size(), path) == 0 &&
         (part.logical_path.size() == path.size() || part.logical_path[path.size()] == '\\');
}

// Every component a backup of `top` needs: those that come with it and, through each, the
// components they depend on (IVssWMDependency), in whichever writer describes them.
std::vector<const Component*> needed_by(const Component& top, const Writer& writer,
                                        const std::vector<Writer>& writers) {
  std::vector<const Component*> needed;
  std::vector<std::pair<const Writer*, const Component*>> todo{{&writer, &top}};
  while (!todo.empty()) {
    const auto [w, c] = todo.back();
    todo.pop_back();
    for (const auto& part : w->components) {
      if (!comes_with(*c, part) ||
          std::find(needed.begin(), needed.end(), &part) != needed.end())
        continue;
      needed.push_back(&part);
      for (const auto& d : part.dependencies)
        for (const auto& other : writers)
          if (lower(other.id) == lower(d.writer_id))
            for (const auto& target : other.components)
              if (target.logical_path == d.logical_path && target.name == d.component_name)
                todo.emplace_back(&other, &target);
    }
  }
  return needed;
}
}  // namespace

// "Overview of the Backup Discovery Phase": a requester selects only components whose files
// lie on volumes in the set; writers such as SQL Server's refuse a set that splits a
// database from its volume, failing with VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT ("the
// shadow copy contains only a subset of the volumes needed by the writer to correctly back
// up the application component", vsserror.h / SetWriterFailureEx). A writer whose
// `checks_volumes` is false trusts the requester.
void Requester::check_set_holds_components() {
  const auto snapshot = service_.store().snapshot();
  const MachineState& m = *snapshot;
  for (const auto& w : writer_metadata_) {
    if (!w.checks_volumes) continue;
    bool inconsistent = false;
    for (const auto& a : added_) {
      if (lower(a.writer_id) != lower(w.id) || lower(a.instance_id) != lower(w.instance_id)) continue;
      for (const auto& top : w.components) {
        if (top.name != a.name || top.logical_path != a.logical_path) continue;
        for (const Component* part : needed_by(top, w, writer_metadata_)) {
          for (const auto* files : {&part->files, &part->log_files})
            for (const auto& f : *files) {
              const Volume* v = holding_volume(m, f.path);
              if (!v || std::find(set_volumes_.begin(), set_volumes_.end(), v->name) == set_volumes_.end())
                inconsistent = true;
            }
        }
      }
    }
    if (inconsistent)
      writer_overrides_[w.name] = WriterFault{w.name, 8, hr::vss_e_writererror_inconsistentsnapshot,
                                              "DoSnapshotSet", 0, false, false};
  }
}

// A writer that does not check what it was given keeps a backup history of what the
// requester told it: each component's result and the backup type, at BackupComplete.
// What writers handle is what VSS sends them: https://learn.microsoft.com/windows/win32/vss/overview-of-processing-a-backup-under-vss
void Requester::tell_writers(std::initializer_list<const char*> events) {
  const auto snapshot = service_.store().snapshot();
  if (std::none_of(snapshot->writers.begin(), snapshot->writers.end(),
                   [](const Writer& w) { return w.records_events; }))
    return;  // nothing to write to the machine's state
  service_.store().update([&](MachineState& m) {
    for (auto& w : m.writers)
      if (w.records_events && writer_enabled(w) && writer_described(w))
        w.recorded_events.insert(w.recorded_events.end(), events.begin(), events.end());
  });
}

bool Requester::writers_aborted() const {
  const auto snapshot = service_.store().snapshot();
  return std::any_of(snapshot->writers.begin(), snapshot->writers.end(), [&](const Writer& w) {
    return w.records_events && writer_enabled(w) && !w.recorded_events.empty() &&
           w.recorded_events.back() == "OnAbort";
  });
}

void Requester::record_backups() {
  service_.store().update([&](MachineState& m) {
    for (auto& w : m.writers) {
      if (w.checks_volumes) continue;
      for (const auto& a : added_)
        if (lower(a.writer_id) == lower(w.id))
          w.recorded_backups.push_back(fmt::format("{} {} {}", backup_type_,
                                                   full_path(a.logical_path, a.name),
                                                   a.succeeded ? "succeeded" : "failed"));
    }
  });
}

// AddComponent has meaning only in component mode (SetBackupState with selectComponents),
// after GatherWriterMetadata and before DoSnapshotSet; the emulator refuses it otherwise
// with VSS_E_BAD_STATE. The component must be one the writer instance described
// (E_INVALIDARG), and only once (VSS_E_OBJECT_ALREADY_EXISTS).
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-addcomponent
HResult Requester::add_component(const AddedComponent& c) {
  const auto args = fmt::format("{} {} {}\\{}", c.writer_id, c.type, c.logical_path, c.name);
  return call("AddComponent", args, [&] {
    if (!select_components_ || !metadata_gathered() || reached(Phase::snapshot_called))
      return hr::vss_e_bad_state;
    if (c.name.empty()) return hr::e_invalidarg;
    const auto writer =
        std::find_if(writer_metadata_.begin(), writer_metadata_.end(), [&](const Writer& w) {
          return lower(w.instance_id) == lower(c.instance_id) && lower(w.id) == lower(c.writer_id);
        });
    if (writer == writer_metadata_.end()) return hr::e_invalidarg;
    const bool described =
        std::any_of(writer->components.begin(), writer->components.end(), [&](const Component& k) {
          return k.name == c.name && k.logical_path == c.logical_path && k.type == c.type;
        });
    if (!described) return hr::e_invalidarg;
    if (std::any_of(added_.begin(), added_.end(),
                    [&](const auto& a) { return same_component(a, c); }))
      return core::hr::vss_e_object_already_exists;
    added_.push_back(c);
    return hr::s_ok;
  });
}

// After a successful DoSnapshotSet and before BackupComplete, for a component added
// (VSS_E_OBJECT_NOT_FOUND otherwise); never after a failed DoSnapshotSet.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setbackupsucceeded
HResult Requester::set_backup_succeeded(const AddedComponent& c, bool succeeded) {
  const auto args = fmt::format("{} {}\\{} {}", c.writer_id, c.logical_path, c.name, succeeded);
  return call("SetBackupSucceeded", args, [&] {
    if (!select_components_ || phase_ != Phase::committed)
      return hr::vss_e_bad_state;
    if (c.name.empty()) return hr::e_invalidarg;
    const auto added = std::find_if(added_.begin(), added_.end(),
                                    [&](const auto& a) { return same_component(a, c); });
    if (added == added_.end()) return core::hr::vss_e_object_not_found;
    added->reported = true;
    added->succeeded = succeeded;
    return hr::s_ok;
  });
}

// Options a writer reads at PrepareForBackup: for a component added, in component mode,
// before PrepareForBackup (VSS_E_BAD_STATE out of sequence, VSS_E_OBJECT_NOT_FOUND for a
// component not added).
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setbackupoptions
HResult Requester::set_backup_options(const AddedComponent& c, const std::string& options) {
  const auto args = fmt::format("{} {}\\{} {}", c.writer_id, c.logical_path, c.name, options);
  return call("SetBackupOptions", args, [&] {
    if (!reached(Phase::initialized) || !select_components_ || prepared()) return hr::vss_e_bad_state;
    if (c.name.empty()) return hr::e_invalidarg;
    const auto added = std::find_if(added_.begin(), added_.end(),
                                    [&](const auto& a) { return same_component(a, c); });
    if (added == added_.end()) return core::hr::vss_e_object_not_found;
    added->backup_options = options;
    return hr::s_ok;
  });
}

// SetSelectedForRestore "can only be called during a restore operation"; this emulator
// models backups only, so every object is a backup object: VSS_E_BAD_STATE.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setselectedforrestore
HResult Requester::set_selected_for_restore(const AddedComponent& c, bool selected) {
  const auto args = fmt::format("{} {}\\{} {}", c.writer_id, c.logical_path, c.name, selected);
  return call("SetSelectedForRestore", args, [&] { return hr::vss_e_bad_state; });
}

// The writers "that have had at least one of their components stored in the Backup
// Components Document by earlier calls to AddComponent", each with its components.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-getwritercomponentscount
HResult Requester::writer_components(std::vector<WriterComponents>* out, const char* method) {
  return call(method, "", [&] {
    if (!reached(Phase::initialized)) return hr::vss_e_bad_state;
    out->clear();
    for (const auto& c : added_) {
      auto writer = std::find_if(out->begin(), out->end(), [&](const WriterComponents& w) {
        return lower(w.instance_id) == lower(c.instance_id) &&
               lower(w.writer_id) == lower(c.writer_id);
      });
      if (writer == out->end()) writer = out->insert(out->end(), {c.instance_id, c.writer_id, {}});
      writer->components.push_back(c);
    }
    return hr::s_ok;
  });
}

namespace {

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}
}  // namespace

// "SaveAsXML should never be called prior to PrepareForBackup": VSS_E_BAD_STATE before it.
// The emulator's document is an abridged Backup Components Document: the backup's state, the
// set, and each component added with its result.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-saveasxml
HResult Requester::save_as_xml(std::string* xml) {
  return call("SaveAsXML", "", [&] {
    if (!prepared()) return hr::vss_e_bad_state;
    static constexpr const char* kTypes[] = {"UNDEFINED", "FULL", "INCREMENTAL", "DIFFERENTIAL",
                                             "LOG",       "COPY", "OTHER"};
    std::string doc = fmt::format(
        "<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"1.2\" "
        "selectComponents=\"{}\" backupType=\"{}\" snapshotSetId=\"{}\">",
        select_components_ ? "yes" : "no",
        kTypes[backup_type_ >= 0 && backup_type_ <= 6 ? backup_type_ : 0], xml_escaped(set_id_));
    for (const auto& c : added_)
      doc += fmt::format(
          "<WRITER_COMPONENTS instanceId=\"{}\" writerId=\"{}\"><COMPONENT logicalPath=\"{}\" "
          "componentName=\"{}\" componentType=\"{}\" backupSucceeded=\"{}\"/></WRITER_COMPONENTS>",
          xml_escaped(c.instance_id), xml_escaped(c.writer_id), xml_escaped(c.logical_path),
          xml_escaped(c.name), c.type == 1 ? "database" : "filegroup",
          c.reported && c.succeeded ? "yes" : "no");
    doc += "</BACKUP_COMPONENTS>";
    *xml = std::move(doc);
    return hr::s_ok;
  });
}

}  // namespace shadowctl::emulator
