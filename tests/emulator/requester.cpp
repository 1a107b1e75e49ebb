// The requester's lifecycle on one IVssBackupComponents object: initialisation, context,
// backup state, the snapshot set from StartSnapshotSet to BackupComplete, and AbortBackup.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/error_catalogue.h"
#include "lookup.h"
#include "model.h"
#include "os.h"

namespace shadowctl::emulator {

namespace hr = core::hr;
using core::HResult;

HResult Requester::call(const std::string& method, const std::string& args,
                        const std::function<HResult()>& model) {
  return service_.call(method, args, model, &calls_);
}

Requester::Requester(Service& service, std::string object_id)
    : service_(service), object_id_(std::move(object_id)) {}

// Releasing the object deletes the auto-release shadow copies it created
// (https://learn.microsoft.com/windows/win32/vss/shadow-copies-and-shadow-copy-sets). A set it
// started is owed an AbortBackup until the backup is over: AbortBackup "must be called if a
// backup operation terminates after ... StartSnapshotSet and before ... DoSnapshotSet
// returns", and "Aborting VSS Operations" has a requester that stops after PrepareForBackup
// abort too, so writers waiting for BackupComplete get OnAbort. With writers the backup is
// over when BackupComplete has completed; without them, when DoSnapshotSet has succeeded.
Requester::~Requester() {
  const bool over = reached(Phase::committed) && (!writers_take_part() || reached(Phase::complete));
  const bool set_open = reached(Phase::set_started) && !aborted_ && !over;
  const bool writers_waiting = reached(Phase::committed) && writers_take_part() && !aborted_ &&
                               !reached(Phase::complete);
  bool was_in_creation = false;
  service_.store().update([&](MachineState& m) {
    remove_shadows(m, [&](const Shadow& s) { return s.owner_object == object_id_; });
    if (m.in_creation && m.in_creation->object == object_id_) {
      was_in_creation = true;
      m.in_creation.reset();
    }
  });
  service_.journal().append({"Release", object_id_, hr::s_ok, now_us(), now_us()});
  if (set_open) {
    service_.enter([&](Ledger& l) {
      ++l.aborts_owed;
      if (was_in_creation && !reached(Phase::snapshot_called)) ++l.sets_left_unfinished;
      if (writers_waiting) ++l.writers_left_waiting;
    });
  }
}

// "InitializeForBackup ... must be called ... before any other method" and only once:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-initializeforbackup
HResult Requester::initialize_for_backup(const std::string& xml) {
  return call("InitializeForBackup", xml.empty() ? "NULL" : "xml", [&] {
    if (reached(Phase::initialized)) return hr::vss_e_bad_state;
    phase_ = Phase::initialized;
    return hr::s_ok;
  });
}

// SetContext "can be called only once, and it must be called prior to calling most VSS
// functions": after InitializeForBackup, before StartSnapshotSet.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setcontext
HResult Requester::set_context(long value) {
  return call("SetContext", fmt::format("0x{:x}", static_cast<unsigned long>(value)), [&] {
    if (!reached(Phase::initialized) || context_set_ || reached(Phase::set_started)) return hr::vss_e_bad_state;
    // A context, optionally OR'd with the attributes a requester may add
    // (core::vss::kRequesterAttributes, each with its page): any other bit, one that "should
    // not be used explicitly by requesters" such as PERSISTENT added to a context that lacks
    // it, makes the value no context at all.
    // https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_volume_snapshot_attributes
    const long base = value == context::all ? value : value & ~core::vss::kRequesterAttributes;
    const long modifiers = value == context::all ? 0 : value & core::vss::kRequesterAttributes;
    switch (base) {
      case context::backup:
      case context::file_share_backup:
      case context::nas_rollback:
      case context::app_rollback:
      case context::client_accessible:
      case context::client_accessible_writers:
      case context::all:
        break;
      default:
        return hr::e_invalidarg;
    }
    // One implementation or the other: "[differential | plex]" (diskshadow's set option).
    if ((modifiers & attr::differential) && (modifiers & attr::plex)) return hr::e_invalidarg;
    context_ = value;
    context_set_ = true;
    return hr::s_ok;
  });
}

// SetBackupState comes before PrepareForBackup; the backup type is a VSS_BACKUP_TYPE.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setbackupstate
HResult Requester::set_backup_state(bool select_components, bool bootable, int backup_type,
                                    bool partial_file_support) {
  const auto args = fmt::format("select={} bootable={} type={} partial={}", select_components,
                                bootable, backup_type, partial_file_support);
  return call("SetBackupState", args, [&] {
    if (!reached(Phase::initialized) || reached(Phase::prepared)) return hr::vss_e_bad_state;
    if (backup_type < 1 || backup_type > 6) return hr::e_invalidarg;  // FULL .. OTHER
    backup_state_set_ = true;
    select_components_ = select_components;
    backup_type_ = backup_type;
    return hr::s_ok;
  });
}

// One snapshot set in creation on the whole machine, from StartSnapshotSet to the return of
// DoSnapshotSet
// (https://learn.microsoft.com/windows/win32/vss/error-handling-in-shadow-copy-providers);
// VSS_E_SNAPSHOT_SET_IN_PROGRESS otherwise, VSS_E_BAD_STATE out of sequence:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-startsnapshotset
bool Requester::begin_operation(Operation wanted) {
  if (operation_ == Operation::none) operation_ = wanted;
  // A backup may expose its own copies (exec --mount); nothing else mixes.
  return operation_ == wanted || (operation_ == Operation::backup && wanted == Operation::expose);
}

// The system's software provider makes differential (copy-on-write) shadow copies only; a
// plex (a full clone) needs a hardware provider (_VSS_VOLUME_SNAPSHOT_ATTRIBUTES, PLEX).
bool Requester::provider_makes(const MachineState& m, const std::string& provider_id) const {
  if ((context_ & attr::plex) == 0 || context_ == context::all) return true;
  return std::any_of(m.providers.begin(), m.providers.end(), [&](const Provider& p) {
    return (provider_id.empty() || lower(p.id) == lower(provider_id)) &&
           p.type == core::vss::provider_type::hardware;
  });
}

HResult Requester::start_snapshot_set(std::string* set_id) {
  return call("StartSnapshotSet", "", [&] {
    if (phase_ != Phase::initialized || context_ == context::all) return hr::vss_e_bad_state;
    if (!begin_operation(Operation::backup)) return hr::vss_e_bad_state;
    HResult result = hr::s_ok;
    const std::string id = new_guid();
    service_.store().update([&](MachineState& m) {
      if (m.in_creation) {
        result = hr::vss_e_snapshot_set_in_progress;
        return;
      }
      m.in_creation = SetInCreation{id, os::current_process_id(), object_id_};
    });
    if (result != hr::s_ok) return result;
    set_id_ = id;
    phase_ = Phase::set_started;
    if (set_id) *set_id = id;
    return hr::s_ok;
  });
}

// AddToSnapshotSet takes "C:\", a mount folder or \\?\Volume{GUID}\, each with its trailing
// backslash; an unknown volume is VSS_E_OBJECT_NOT_FOUND, one no provider supports
// VSS_E_VOLUME_NOT_SUPPORTED, a volume at its shadow copy limit
// VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-addtosnapshotset
HResult Requester::add_to_snapshot_set(const std::string& volume, const std::string& provider_id,
                                       std::string* shadow_id) {
  return call("AddToSnapshotSet", fmt::format("{} {}", volume, provider_id), [&] {
    if (!reached(Phase::set_started) || reached(Phase::snapshot_called)) return hr::vss_e_bad_state;
    if (volume.empty() || volume.back() != '\\') return hr::e_invalidarg;
    HResult result = hr::s_ok;
    std::string volume_name;
    service_.store().update([&](MachineState& m) {
      const Volume* v = find_volume(m, volume);
      if (!v) {
        result = core::hr::vss_e_object_not_found;
        return;
      }
      if (!v->supported) {
        result = core::hr::vss_e_volume_not_supported;
        return;
      }
      if (!provider_id.empty() &&
          std::none_of(m.providers.begin(), m.providers.end(),
                       [&](const Provider& p) { return lower(p.id) == lower(provider_id); })) {
        result = core::hr::vss_e_provider_not_registered;
        return;
      }
      // "Persistent shadow copies can be made only for NTFS volumes" (Shadow Copy Context
      // Configurations): no provider supports the volume in that context. Nor does one that
      // cannot make the implementation asked for: "If no shadow copy provider installed on
      // the system supports the requested attributes, a VSS_E_VOLUME_NOT_SUPPORTED error will
      // be returned to IVssBackupComponents::AddToSnapshotSet" (_VSS_VOLUME_SNAPSHOT_ATTRIBUTES,
      // DIFFERENTIAL and PLEX).
      if (((context_ & attr::persistent) != 0 && lower(v->file_system) != "ntfs") ||
          !provider_makes(m, provider_id)) {
        result = provider_id.empty() ? core::hr::vss_e_volume_not_supported
                                     : core::hr::vss_e_volume_not_supported_by_provider;
        return;
      }
      if (std::find(set_volumes_.begin(), set_volumes_.end(), v->name) != set_volumes_.end()) {
        result = core::hr::vss_e_object_already_exists;
        return;
      }
      if (set_volumes_.size() >= kMaxVolumesPerSet) {
        result = core::hr::vss_e_maximum_number_of_volumes_reached;
        return;
      }
      int all = 0, client_accessible = 0;
      for (const auto& s : m.shadows) {
        if (s.original_volume != v->name) continue;
        ++all;
        client_accessible += (s.attributes & attr::client_accessible) != 0;
      }
      if (all >= kMaxShadowsPerVolume || ((context_ & attr::client_accessible) != 0 &&
                                          client_accessible >= m.max_client_accessible)) {
        result = core::hr::vss_e_maximum_number_of_snapshots_reached;
        return;
      }
      volume_name = v->name;
    });
    if (result != hr::s_ok) return result;
    set_volumes_.push_back(volume_name);
    set_shadow_ids_.push_back(new_guid());
    if (shadow_id) *shadow_id = set_shadow_ids_.back();
    return hr::s_ok;
  });
}

std::shared_ptr<Async> Requester::start_async(const std::string& method,
                                              Async::Completion complete) {
  const CallCount n = service_.count(method + ":async", &calls_);
  return std::make_shared<Async>(service_, method, std::move(complete),
                                 service_.scenario().async_fault_for(method, n));
}

// PrepareForBackup needs SetBackupState and a started set:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-prepareforbackup
HResult Requester::prepare_for_backup(std::shared_ptr<Async>* out) {
  return call("PrepareForBackup", "", [&] {
    // Without writers, PrepareForBackup "will return an error" ("Shadow Copy Creation
    // Details"); the page names no code: VSS_E_BAD_STATE, as for a call out of order.
    if (!writers_take_part()) return hr::vss_e_bad_state;
    if (!backup_state_set_ || phase_ != Phase::set_started) return hr::vss_e_bad_state;
    *out = start_async("PrepareForBackup", [this](std::optional<HResult> forced) {
      if (forced) return *forced;
      phase_ = Phase::prepared;
      apply_writer_faults("PrepareForBackup");
      tell_writers({"OnPrepareBackup"});
      return hr::s_ok;
    });
    return hr::s_ok;
  });
}

HResult Requester::commit_snapshot_set() {
  HResult result = hr::s_ok;
  service_.store().update([&](MachineState& m) {
    // No partial commit: a volume that left the machine since AddToSnapshotSet (dismounted by
    // another process) fails the whole set, with the provider's VSS_E_OBJECT_NOT_FOUND for
    // "a volume ... that was not found":
    // https://learn.microsoft.com/windows/win32/vss/error-handling-in-shadow-copy-providers
    for (const auto& name : set_volumes_)
      if (!find_volume(m, name)) {
        result = core::hr::vss_e_object_not_found;
        return;
      }
    for (const auto& name : set_volumes_) {
      auto storage = std::find_if(m.storage.begin(), m.storage.end(),
                                  [&](const Storage& s) { return s.for_volume == name; });
      if (storage == m.storage.end() || storage->used + kShadowStorageCharge > storage->maximum) {
        result = core::hr::vss_e_insufficient_storage;
        return;
      }
    }
    // The context's own bits and the attributes the requester added, with the provider's:
    // differential (a plex was refused at AddToSnapshotSet), no auto-recovery.
    const long attributes = (context_ & ~attr::transportable) | attr::differential |
                            attr::no_autorecovery;
    for (std::size_t i = 0; i < set_volumes_.size(); ++i) {
      auto storage = std::find_if(m.storage.begin(), m.storage.end(), [&](const Storage& s) {
        return s.for_volume == set_volumes_[i];
      });
      storage->used += kShadowStorageCharge;
      storage->allocated = std::max(storage->allocated, storage->used);
      Shadow s;
      s.id = set_shadow_ids_[i];
      s.set_id = set_id_;
      s.shadows_in_set = static_cast<long>(set_volumes_.size());
      const std::string device = fmt::format("HarddiskVolumeShadowCopy{}", m.next_device_number++);
      s.device_path = "\\\\?\\GLOBALROOT\\Device\\" + device;
      s.original_volume = set_volumes_[i];
      s.originating_machine = s.service_machine = m.machine_name;
      // The system's choice: the first provider that makes what the context asks for.
      const auto maker = std::find_if(m.providers.begin(), m.providers.end(), [&](const Provider& p) {
        return (context_ & attr::plex) == 0 || p.type == core::vss::provider_type::hardware;
      });
      s.provider_id = maker == m.providers.end() ? std::string() : maker->id;
      s.attributes = attributes;
      s.created_us = now_us();
      s.context = context_;
      // The volume as it is at this instant, frozen: what the shadow copy reads from now on.
      const Volume* v = find_volume(m, set_volumes_[i]);
      if (!v->content_root.empty() && !m.contents_store.empty()) {
        const std::string frozen = os::join_path(m.contents_store, device);
        s.contents_note = os::freeze_tree(v->content_root, frozen, kContentsMaxEntries,
                                          kContentsMaxBytes);
        if (s.contents_note.empty()) s.contents = frozen;
      } else {
        s.contents_note = v->content_root.empty() ? "the volume has no contents in the emulator"
                                                  : "the machine has no contents store";
      }
      if ((attributes & attr::no_auto_release) == 0) {
        s.owner_pid = os::current_process_id();
        s.owner_object = object_id_;
      }
      m.shadows.push_back(std::move(s));
    }
    if (m.in_creation && m.in_creation->object == object_id_) m.in_creation.reset();
  });
  return result;
}

// DoSnapshotSet needs PrepareForBackup and at least one volume (VSS_E_BAD_STATE); storage and
// provider failures come through QueryStatus. A failed set stays "in progress" until
// AbortBackup: https://learn.microsoft.com/windows/win32/vss/aborting-vss-operations
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-dosnapshotset
HResult Requester::do_snapshot_set(std::shared_ptr<Async>* out) {
  return call("DoSnapshotSet", "", [&] {
    // With writers: GatherWriterMetadata and PrepareForBackup first, and the set may be
    // empty (components need not name volumes). Without writers: neither, and at least one
    // volume. ("Shadow Copy Creation Details")
    if (phase_ != (writers_take_part() ? Phase::prepared : Phase::set_started))
      return hr::vss_e_bad_state;
    if (writers_take_part() ? !metadata_gathered() : set_volumes_.empty()) return hr::vss_e_bad_state;
    phase_ = Phase::snapshot_called;
    *out = start_async("DoSnapshotSet", [this](std::optional<HResult> forced) {
      const HResult result = forced ? *forced : commit_snapshot_set();
      const bool committed = result == hr::s_ok;
      phase_ = committed ? Phase::committed : Phase::snapshot_failed;
      if (writers_take_part()) {
        // Writers freeze before the provider commits, so a provider veto or a commit that
        // fails comes after the freeze, and VSS aborts the writers itself: "any failure of
        // the provider or VSS during the creation of a shadow copy following the
        // PrepareForSnapshot event" ("Aborting VSS Operations").
        tell_writers({"OnPrepareSnapshot", "OnFreeze"});
        if (committed) {
          tell_writers({"OnThaw", "OnPostSnapshot"});
        } else {
          tell_writers({"OnAbort"});
        }
        // VSS_WS_WAITING_FOR_BACKUP_COMPLETE until BackupComplete; a writer that failed at
        // freeze says so whether the set was made or not.
        if (committed) phase_state_ = 5;
        check_set_holds_components();
        apply_writer_faults("DoSnapshotSet");
      }
      return result;
    });
    return hr::s_ok;
  });
}

// BackupComplete only after a successful DoSnapshotSet:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-backupcomplete
HResult Requester::backup_complete(std::shared_ptr<Async>* out) {
  return call("BackupComplete", "", [&] {
    if (!writers_take_part()) return hr::vss_e_bad_state;  // as PrepareForBackup, above
    if (phase_ != Phase::committed) return hr::vss_e_bad_state;
    phase_ = Phase::completing;
    // Writers read each component's result: a requester in component mode reports every
    // one with SetBackupSucceeded first (SetBackupSucceeded's page).
    if (std::any_of(added_.begin(), added_.end(), [](const auto& c) { return !c.reported; }))
      service_.enter([](Ledger& l) { ++l.results_owed; });
    *out = start_async("BackupComplete", [this](std::optional<HResult> forced) {
      if (forced) return *forced;
      phase_state_ = 1;  // VSS_WS_STABLE
      record_backups();
      tell_writers({"OnBackupComplete"});
      apply_writer_faults("BackupComplete");
      phase_ = Phase::complete;
      return hr::s_ok;
    });
    return hr::s_ok;
  });
}

// A volume that does not exist is VSS_E_OBJECT_NOT_FOUND; an unknown provider
// VSS_E_PROVIDER_NOT_REGISTERED; otherwise S_OK with the answer in *supported:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-isvolumesupported
HResult Requester::is_volume_supported(const std::string& volume, const std::string& provider_id,
                                       bool* supported) {
  return call("IsVolumeSupported", volume, [&] {
    // Asked for a backup, in its context: not of an object that served a Query.
    if (!reached(Phase::initialized) || operation_ == Operation::query) return hr::vss_e_bad_state;
    const auto snapshot = service_.store().snapshot();
    const MachineState& m = *snapshot;
    if (!provider_id.empty() &&
        std::none_of(m.providers.begin(), m.providers.end(),
                     [&](const Provider& p) { return lower(p.id) == lower(provider_id); }))
      return hr::vss_e_provider_not_registered;
    const Volume* v = find_volume(m, volume);
    if (!v) return hr::vss_e_object_not_found;
    // "in the current context": persistent shadow copies only on NTFS, as AddToSnapshotSet
    // enforces (Shadow Copy Context Configurations).
    *supported = v->supported && provider_makes(m, provider_id) &&
                 ((context_ & attr::persistent) == 0 || context_ == context::all ||
                  lower(v->file_system) == "ntfs");
    return hr::s_ok;
  });
}

// AbortBackup ends the set in creation and sends writers OnAbort, after which they are
// stable again; the shadow copies a successful DoSnapshotSet made stay until deleted or
// released. The requester owes it after any failure between StartSnapshotSet and the end of
// the backup: https://learn.microsoft.com/windows/win32/vss/aborting-vss-operations
HResult Requester::abort_backup() {
  return call("AbortBackup", "", [&] {
    if (!reached(Phase::initialized)) return hr::vss_e_bad_state;
    service_.store().update([&](MachineState& m) {
      if (m.in_creation && m.in_creation->object == object_id_) m.in_creation.reset();
    });
    // An Abort event for writers that prepared and have not had one; OnAbort "will not be
    // called if the writer has called CVssWriter::OnPostSnapshot", and a writer that handled
    // OnAbort gets no further event of the operation (CVssWriter::OnAbort).
    if (prepared() && !reached(Phase::committed) && !writers_aborted())
      tell_writers({"OnAbort"});
    aborted_ = true;
    phase_state_ = 1;  // VSS_WS_STABLE after OnAbort
    return hr::s_ok;
  });
}

}  // namespace shadowctl::emulator
