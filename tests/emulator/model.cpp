#include "core/error_catalogue.h"
#include "model.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "os.h"

namespace shadowctl::emulator {

namespace hr = core::hr;
using core::HResult;

namespace {


std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const Volume* find_volume(const MachineState& m, const std::string& name) {
  const std::string wanted = lower(name);
  for (const auto& v : m.volumes) {
    if (lower(v.name) == wanted) return &v;
    for (const auto& mp : v.mount_points)
      if (lower(mp) == wanted) return &v;
  }
  return nullptr;
}

bool visible_in(long current_context, const Shadow& s) {
  return current_context == context::all || s.context == current_context;
}

}  // namespace

// ---- Service -----------------------------------------------------------------------------

Service::Service(Scenario scenario, Journal& journal, std::string state_path,
                 MachineState initial)
    : scenario_(std::move(scenario)),
      journal_(journal),
      store_(std::move(state_path), std::move(initial)) {}

int Service::count_call(const std::string& method) {
  std::lock_guard lock(mutex_);
  return ++calls_[method];
}

void Service::enter(const std::function<void(Ledger&)>& change) {
  std::lock_guard lock(mutex_);
  change(ledger_);
}

Ledger Service::ledger() const {
  std::lock_guard lock(mutex_);
  return ledger_;
}

HResult Service::call(const std::string& method, const std::string& args,
                      const std::function<HResult()>& model) {
  const int n = count_call(method);
  JournalEntry entry{method, args, 0, now_us(), 0};
  // A fault replaces the call: the model's rule does not run, so the call has no effect
  // (no set started, no volume added, nothing deleted), as a call that failed on Windows.
  const auto fault = scenario_.fault_for(method, n);
  entry.hr = fault ? *fault : model();
  entry.end_us = now_us();
  const HResult result = entry.hr;
  journal_.append(std::move(entry));
  return result;
}

HResult Service::not_served(const std::string& method) {
  return call(method, "not served by the emulator", [] { return hr::e_notimpl; });
}

HResult Service::create_backup_components(std::unique_ptr<Requester>& out) {
  return call("CreateVssBackupComponents", "", [&] {
    int n = 0;
    {
      std::lock_guard lock(mutex_);
      n = ++objects_created_;
    }
    out.reset(new Requester(*this, fmt::format("{}#{}", os::current_process_id(), n)));
    return hr::s_ok;
  });
}

HResult Service::query_providers(std::vector<Provider>* out) {
  return call("IVssAdmin::QueryProviders", "", [&] {
    *out = store_.read().providers;
    return hr::s_ok;
  });
}

HResult Service::query_volumes_supported(const std::string& provider_id, std::vector<Volume>* out) {
  return call("IVssSnapshotMgmt::QueryVolumesSupportedForSnapshots", provider_id, [&] {
    out->clear();
    const MachineState m = store_.read();
    if (std::none_of(m.providers.begin(), m.providers.end(),
                     [&](const Provider& p) { return lower(p.id) == lower(provider_id); }))
      return core::hr::vss_e_provider_not_registered;
    for (const auto& v : m.volumes)
      if (v.supported) out->push_back(v);
    return out->empty() ? hr::s_false : hr::s_ok;
  });
}

// The name must end in a backslash; a volume that does not exist is VSS_E_OBJECT_NOT_FOUND.
// The model disables no volume operation, so the capability mask is always 0:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-isvolumesnapshotted
HResult Service::is_volume_snapshotted(const std::string& volume, bool* present, long* capability) {
  return call("IsVolumeSnapshotted", volume, [&] {
    if (!present || !capability || volume.empty() || volume.back() != '\\')
      return hr::e_invalidarg;
    const MachineState m = store_.read();
    const Volume* v = find_volume(m, volume);
    if (!v) return core::hr::vss_e_object_not_found;
    *present = std::any_of(m.shadows.begin(), m.shadows.end(),
                           [&](const Shadow& s) { return lower(s.original_volume) == lower(v->name); });
    *capability = 0;
    return hr::s_ok;
  });
}

HResult Service::query_snapshots_by_volume(const std::string& volume, std::vector<Shadow>* out) {
  return call("IVssSnapshotMgmt::QuerySnapshotsByVolume", volume, [&] {
    out->clear();
    const MachineState m = store_.read();
    const Volume* v = find_volume(m, volume);
    if (!v) return core::hr::vss_e_object_not_found;
    for (const auto& s : m.shadows)
      if (s.original_volume == v->name) out->push_back(s);
    return out->empty() ? hr::s_false : hr::s_ok;
  });
}

// One association per original volume; both volumes must exist:
// https://learn.microsoft.com/windows/win32/api/vsmgmt/nf-vsmgmt-ivssdifferentialsoftwaresnapshotmgmt-adddiffarea
HResult Service::add_diff_area(const std::string& volume, const std::string& on_volume,
                               std::int64_t maximum) {
  return call("IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea",
              fmt::format("{} on {} max {}", volume, on_volume, maximum), [&] {
    HResult result = hr::s_ok;
    store_.update([&](MachineState& m) {
      const Volume* v = find_volume(m, volume);
      const Volume* on = find_volume(m, on_volume);
      if (!v || !on) {
        result = core::hr::vss_e_object_not_found;
        return;
      }
      if (std::any_of(m.storage.begin(), m.storage.end(),
                      [&](const Storage& s) { return s.for_volume == v->name; })) {
        result = core::hr::vss_e_object_already_exists;
        return;
      }
      m.storage.push_back({v->name, on->name, 0, 0,
                           maximum < 0 ? on->capacity : static_cast<std::uint64_t>(maximum)});
    });
    return result;
  });
}

// Lowering the maximum below what is used deletes the oldest shadow copies of the volume
// until the rest fit, as `vssadmin resize shadowstorage` warns:
// https://learn.microsoft.com/windows-server/administration/windows-commands/vssadmin-resize-shadowstorage
HResult Service::change_diff_area_maximum(const std::string& volume, const std::string& on_volume,
                                          std::int64_t maximum) {
  return call("IVssDifferentialSoftwareSnapshotMgmt::ChangeDiffAreaMaximumSize",
              fmt::format("{} on {} max {}", volume, on_volume, maximum), [&] {
    HResult result = hr::s_ok;
    store_.update([&](MachineState& m) {
      const Volume* v = find_volume(m, volume);
      const Volume* on = find_volume(m, on_volume);
      auto storage = std::find_if(m.storage.begin(), m.storage.end(), [&](const Storage& s) {
        return v && on && s.for_volume == v->name && s.on_volume == on->name;
      });
      if (storage == m.storage.end()) {
        result = core::hr::vss_e_object_not_found;
        return;
      }
      storage->maximum = maximum < 0 ? on->capacity : static_cast<std::uint64_t>(maximum);
      // Oldest first.
      std::stable_sort(m.shadows.begin(), m.shadows.end(),
                       [](const Shadow& a, const Shadow& b) { return a.created_us < b.created_us; });
      const std::string volume_name = storage->for_volume;
      remove_shadows(m, [&](const Shadow& s) {
        return s.original_volume == volume_name && storage->used > storage->maximum;
      });
    });
    return result;
  });
}

HResult Service::query_diff_areas(const std::string& volume, bool for_volume,
                                  std::vector<Storage>* out) {
  const char* method = for_volume ? "IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume"
                                  : "IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasOnVolume";
  return call(method, volume, [&] {
    out->clear();
    const MachineState m = store_.read();
    const Volume* v = find_volume(m, volume);
    if (!v) return core::hr::vss_e_object_not_found;
    for (const auto& s : m.storage)
      if ((for_volume ? s.for_volume : s.on_volume) == v->name) out->push_back(s);
    return out->empty() ? hr::s_false : hr::s_ok;
  });
}

// ---- Async -------------------------------------------------------------------------------

Async::Async(Service& service, std::string method, Completion complete,
             std::optional<AsyncFault> fault)
    : service_(service),
      method_(std::move(method)),
      complete_(std::move(complete)),
      fault_(std::move(fault)),
      started_(std::chrono::steady_clock::now()) {}

// An operation without a scenario of its own takes a little while, as on Windows: a
// requester that reads its status once without waiting sees VSS_S_ASYNC_PENDING.
constexpr std::chrono::milliseconds kDefaultDuration{20};

bool Async::due() const {
  if (!fault_) return std::chrono::steady_clock::now() >= started_ + kDefaultDuration;
  switch (fault_->kind) {
    case AsyncFault::Kind::hang: return false;
    case AsyncFault::Kind::fail: return true;
    case AsyncFault::Kind::late:
      return std::chrono::steady_clock::now() >=
             started_ + std::chrono::milliseconds(fault_->delay_ms);
  }
  return true;
}

void Async::finish_locked(std::optional<HResult> forced) {
  if (!forced && fault_ && fault_->kind == AsyncFault::Kind::fail) forced = fault_->hr;
  const HResult result = complete_(forced);
  status_ = result == hr::s_ok ? hr::vss_s_async_finished : result;
  done_ = true;
  service_.journal().append({method_ + ":complete", "", status_, now_us(), now_us()});
  changed_.notify_all();
}

// IVssAsync::Wait blocks until the operation ends or the time runs out; QueryStatus then says
// which. https://learn.microsoft.com/windows/win32/api/vss/nf-vss-ivssasync-wait
HResult Async::wait(std::uint32_t milliseconds) {
  std::unique_lock lock(mutex_);
  const auto deadline = milliseconds == 0xFFFFFFFFu
                            ? std::chrono::steady_clock::time_point::max()
                            : std::chrono::steady_clock::now() +
                                  std::chrono::milliseconds(milliseconds);
  while (!done_) {
    if (due()) {
      finish_locked(std::nullopt);
      break;
    }
    auto until = deadline;
    if (!fault_) until = std::min(until, started_ + kDefaultDuration);
    if (fault_ && fault_->kind == AsyncFault::Kind::late)
      until = std::min(until, started_ + std::chrono::milliseconds(fault_->delay_ms));
    if (changed_.wait_until(lock, until) == std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= deadline && !due())
      break;
  }
  // Wait answers the operation's own failure once it has failed (IVssAsync::Wait).
  return done_ && core::failed(status_) ? status_ : hr::s_ok;
}

// Cancel: S_OK when it cancelled, VSS_S_ASYNC_FINISHED or VSS_S_ASYNC_CANCELLED when the
// operation had already ended. https://learn.microsoft.com/windows/win32/api/vss/nf-vss-ivssasync-cancel
HResult Async::cancel() {
  std::unique_lock lock(mutex_);
  // After the end: its failure, or which way it ended (IVssAsync::Cancel).
  if (done_) {
    if (core::failed(status_)) return status_;
    return status_ == hr::vss_s_async_cancelled ? hr::vss_s_async_cancelled
                                                : hr::vss_s_async_finished;
  }
  finish_locked(hr::vss_s_async_cancelled);
  status_ = hr::vss_s_async_cancelled;
  return hr::s_ok;
}

HResult Async::query_status(HResult* status) {
  if (!status) return hr::e_invalidarg;
  std::unique_lock lock(mutex_);
  if (!done_ && due()) finish_locked(std::nullopt);
  *status = status_;
  return hr::s_ok;
}

// ---- Requester ---------------------------------------------------------------------------

Requester::Requester(Service& service, std::string object_id)
    : service_(service), object_id_(std::move(object_id)) {}

// Releasing the object deletes the auto-release shadow copies it created
// (https://learn.microsoft.com/windows/win32/vss/shadow-copies-and-shadow-copy-sets); a set it
// started and neither completed nor aborted is what "Aborting VSS Operations" warns about.
Requester::~Requester() {
  const bool set_open = !set_id_.empty() && !snapshot_succeeded_ && !aborted_;
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
      if (was_in_creation && !snapshot_started_) ++l.sets_left_unfinished;
    });
  }
}

// "InitializeForBackup ... must be called ... before any other method" and only once:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-initializeforbackup
HResult Requester::initialize_for_backup(const std::string& xml) {
  return service_.call("InitializeForBackup", xml.empty() ? "NULL" : "xml", [&] {
    if (initialized_) return hr::vss_e_bad_state;
    initialized_ = true;
    return hr::s_ok;
  });
}

// SetContext "can be called only once, and it must be called prior to calling most VSS
// functions": after InitializeForBackup, before StartSnapshotSet.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setcontext
HResult Requester::set_context(long value) {
  return service_.call("SetContext", fmt::format("0x{:x}", static_cast<unsigned long>(value)), [&] {
    if (!initialized_ || context_set_ || !set_id_.empty()) return hr::vss_e_bad_state;
    // A context, optionally OR'd with TRANSPORTABLE and with one of DIFFERENTIAL or PLEX
    // (_VSS_SNAPSHOT_CONTEXT: "can be combined with ... by a bitwise OR").
    constexpr long kModifiers = attr::transportable | attr::differential | attr::plex;
    const long base = value == context::all ? value : value & ~kModifiers;
    const long modifiers = value == context::all ? 0 : value & kModifiers;
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
  return service_.call("SetBackupState", args, [&] {
    if (!initialized_ || prepared_) return hr::vss_e_bad_state;
    if (backup_type < 1 || backup_type > 6) return hr::e_invalidarg;  // FULL .. OTHER
    backup_state_set_ = true;
    select_components_ = select_components;
    backup_type_ = backup_type;
    return hr::s_ok;
  });
}

// One snapshot set in creation on the whole machine, from StartSnapshotSet to the return of
// DoSnapshotSet (https://learn.microsoft.com/windows/win32/vss/error-handling-in-shadow-copy-providers);
// VSS_E_SNAPSHOT_SET_IN_PROGRESS otherwise, VSS_E_BAD_STATE out of sequence:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-startsnapshotset
HResult Requester::start_snapshot_set(std::string* set_id) {
  return service_.call("StartSnapshotSet", "", [&] {
    if (!initialized_ || !set_id_.empty() || context_ == context::all) return hr::vss_e_bad_state;
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
  return service_.call("AddToSnapshotSet", volume + " " + provider_id, [&] {
    if (!initialized_ || set_id_.empty() || snapshot_started_) return hr::vss_e_bad_state;
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
      if (all >= kMaxShadowsPerVolume ||
          ((context_ & attr::client_accessible) != 0 &&
           client_accessible >= kMaxClientAccessiblePerVolume)) {
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
  const int n = service_.count_call(method + ":async");
  return std::make_shared<Async>(service_, method, std::move(complete),
                                 service_.scenario().async_fault_for(method, n));
}

// A writer fault belongs to this call of this object: it is not written into the machine,
// so a retry or another process meets healthy writers unless the scenario says otherwise.
void Requester::apply_writer_faults(const std::string& phase) {
  const int n = service_.count_call(phase + ":writers");
  for (const auto& f : service_.scenario().writer_faults_at(phase, n))
    writer_overrides_[f.writer] = {f.state, f.failure};
}

// What GatherWriterStatus reports: the machine's writers, in the state this object's
// backup has brought them to, with this object's faults on top.
std::vector<Writer> Requester::current_writers() const {
  std::vector<Writer> writers = service_.store().read().writers;
  std::erase_if(writers, [&](const Writer& w) { return !writer_enabled(w); });
  for (auto& w : writers) {
    if (w.state == 1) w.state = phase_state_;  // a STABLE writer follows the backup's phase
    if (auto it = writer_overrides_.find(w.name); it != writer_overrides_.end()) {
      w.state = it->second.first;
      w.failure = it->second.second;
    }
  }
  return writers;
}

// PrepareForBackup needs SetBackupState and a started set:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-prepareforbackup
HResult Requester::prepare_for_backup(std::shared_ptr<Async>* out) {
  return service_.call("PrepareForBackup", "", [&] {
    // Without writers, PrepareForBackup "will return an error" ("Shadow Copy Creation
    // Details"); the page names no code: VSS_E_BAD_STATE, as for a call out of order.
    if (!writers_take_part()) return hr::vss_e_bad_state;
    if (!initialized_ || !backup_state_set_ || set_id_.empty() || prepared_)
      return hr::vss_e_bad_state;
    *out = start_async("PrepareForBackup", [this](std::optional<HResult> forced) {
      if (forced) return *forced;
      prepared_ = true;
      apply_writer_faults("PrepareForBackup");
      return hr::s_ok;
    });
    return hr::s_ok;
  });
}

HResult Requester::commit_snapshot_set() {
  HResult result = hr::s_ok;
  service_.store().update([&](MachineState& m) {
    for (const auto& name : set_volumes_) {
      auto storage = std::find_if(m.storage.begin(), m.storage.end(),
                                  [&](const Storage& s) { return s.for_volume == name; });
      if (storage == m.storage.end() || storage->used + kShadowStorageCharge > storage->maximum) {
        result = core::hr::vss_e_insufficient_storage;
        return;
      }
    }
    // The context's own bits, with the provider's: differential, no auto-recovery.
    const long attributes = (context_ & ~(attr::transportable | attr::plex)) |
                            attr::differential | attr::no_autorecovery;
    for (std::size_t i = 0; i < set_volumes_.size(); ++i) {
      auto storage = std::find_if(m.storage.begin(), m.storage.end(),
                                  [&](const Storage& s) { return s.for_volume == set_volumes_[i]; });
      storage->used += kShadowStorageCharge;
      storage->allocated = std::max(storage->allocated, storage->used);
      Shadow s;
      s.id = set_shadow_ids_[i];
      s.set_id = set_id_;
      s.snapshots_in_set = static_cast<long>(set_volumes_.size());
      s.device_object = fmt::format("\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy{}",
                                    m.next_device_number++);
      s.original_volume = set_volumes_[i];
      s.originating_machine = s.service_machine = m.machine_name;
      s.provider_id = m.providers.empty() ? std::string() : m.providers.front().id;
      s.attributes = attributes;
      s.created_us = now_us();
      s.context = context_;
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
  return service_.call("DoSnapshotSet", "", [&] {
    if (!initialized_ || set_id_.empty() || snapshot_started_) return hr::vss_e_bad_state;
    // With writers: GatherWriterMetadata and PrepareForBackup first, and the set may be
    // empty (components need not name volumes). Without writers: neither, and at least one
    // volume. ("Shadow Copy Creation Details")
    if (writers_take_part() ? (!metadata_gathered_ || !prepared_) : set_volumes_.empty())
      return hr::vss_e_bad_state;
    snapshot_started_ = true;
    *out = start_async("DoSnapshotSet", [this](std::optional<HResult> forced) {
      const HResult result = forced ? *forced : commit_snapshot_set();
      snapshot_succeeded_ = result == hr::s_ok;
      if (snapshot_succeeded_ && writers_take_part()) {
        phase_state_ = 5;  // VSS_WS_WAITING_FOR_BACKUP_COMPLETE until BackupComplete
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
  return service_.call("BackupComplete", "", [&] {
    if (!writers_take_part()) return hr::vss_e_bad_state;  // as PrepareForBackup, above
    if (!initialized_ || !snapshot_succeeded_) return hr::vss_e_bad_state;
    backup_completed_ = true;
    // Writers read each component's result: a requester in component mode reports every
    // one with SetBackupSucceeded first (SetBackupSucceeded's page).
    if (std::any_of(added_.begin(), added_.end(), [](const auto& c) { return !c.reported; }))
      service_.enter([](Ledger& l) { ++l.results_owed; });
    *out = start_async("BackupComplete", [this](std::optional<HResult> forced) {
      if (forced) return *forced;
      phase_state_ = 1;  // VSS_WS_STABLE
      apply_writer_faults("BackupComplete");
      return hr::s_ok;
    });
    return hr::s_ok;
  });
}

// GatherWriterMetadata "can be called only once per backup session", after
// InitializeForBackup; its results exist only once it has completed:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-gatherwritermetadata
HResult Requester::gather_writer_metadata(std::shared_ptr<Async>* out) {
  return service_.call("GatherWriterMetadata", "", [&] {
    if (!initialized_ || metadata_gather_started_) return hr::vss_e_bad_state;
    metadata_gather_started_ = true;
    *out = start_async("GatherWriterMetadata", [this](std::optional<HResult> forced) {
      if (forced) return *forced;
      writer_metadata_ = service_.store().read().writers;
      std::erase_if(writer_metadata_, [&](const Writer& w) { return !writer_enabled(w); });
      metadata_gathered_ = true;
      return hr::s_ok;
    });
    return hr::s_ok;
  });
}

HResult Requester::writer_metadata(std::vector<Writer>* out, const char* method) {
  return service_.call(method, "", [&] {
    if (!metadata_gathered_) return hr::vss_e_bad_state;
    *out = writer_metadata_;
    return hr::s_ok;
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-freewritermetadata
HResult Requester::free_writer_metadata() {
  return service_.call("FreeWriterMetadata", "", [&] {
    if (!metadata_gathered_) return hr::vss_e_bad_state;
    writer_metadata_.clear();
    metadata_gathered_ = false;
    return hr::s_ok;
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-gatherwriterstatus
HResult Requester::gather_writer_status(std::shared_ptr<Async>* out) {
  return service_.call("GatherWriterStatus", "", [&] {
    if (!initialized_) return hr::vss_e_bad_state;
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
  return service_.call(method, "", [&] {
    if (!writer_status_gathered_) return hr::vss_e_bad_state;
    *out = writer_states_;
    return hr::s_ok;
  });
}

// After FreeWriterStatus the status must be gathered again before it is read:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-freewriterstatus
HResult Requester::free_writer_status() {
  return service_.call("FreeWriterStatus", "", [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    writer_status_gathered_ = false;
    writer_states_.clear();
    return hr::s_ok;
  });
}

bool Requester::writer_enabled(const Writer& w) const {
  auto listed = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::any_of(ids.begin(), ids.end(), [&](const auto& x) { return lower(x) == lower(id); });
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
  return service_.call(method, args, [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    if (ids.empty()) return hr::e_invalidarg;
    if (!metadata_gather_started_) change();
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
bool same_component(const AddedComponent& a, const AddedComponent& b) {
  return lower(a.instance_id) == lower(b.instance_id) && lower(a.writer_id) == lower(b.writer_id) &&
         a.logical_path == b.logical_path && a.name == b.name;
}
}  // namespace

// AddComponent has meaning only in component mode (SetBackupState with selectComponents),
// after GatherWriterMetadata and before DoSnapshotSet; the emulator refuses it otherwise
// with VSS_E_BAD_STATE. The component must be one the writer instance described
// (E_INVALIDARG), and only once (VSS_E_OBJECT_ALREADY_EXISTS).
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-addcomponent
HResult Requester::add_component(const AddedComponent& c) {
  const auto args = fmt::format("{} {} {}\\{}", c.writer_id, c.type, c.logical_path, c.name);
  return service_.call("AddComponent", args, [&] {
    if (!initialized_ || !select_components_ || !metadata_gathered_ || snapshot_started_)
      return hr::vss_e_bad_state;
    if (c.name.empty()) return hr::e_invalidarg;
    const auto writer = std::find_if(writer_metadata_.begin(), writer_metadata_.end(), [&](const Writer& w) {
      return lower(w.instance_id) == lower(c.instance_id) && lower(w.id) == lower(c.writer_id);
    });
    if (writer == writer_metadata_.end()) return hr::e_invalidarg;
    const bool described = std::any_of(writer->components.begin(), writer->components.end(),
                                       [&](const Component& k) {
                                         return k.name == c.name && k.logical_path == c.logical_path &&
                                                k.type == c.type;
                                       });
    if (!described) return hr::e_invalidarg;
    if (std::any_of(added_.begin(), added_.end(), [&](const auto& a) { return same_component(a, c); }))
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
  return service_.call("SetBackupSucceeded", args, [&] {
    if (!initialized_ || !select_components_ || !snapshot_succeeded_ || backup_completed_)
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

namespace {
std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
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
  return service_.call("SaveAsXML", "", [&] {
    if (!initialized_ || !prepared_) return hr::vss_e_bad_state;
    static constexpr const char* kTypes[] = {"UNDEFINED", "FULL", "INCREMENTAL", "DIFFERENTIAL",
                                             "LOG", "COPY", "OTHER"};
    std::string doc = fmt::format(
        "<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\" version=\"1.2\" "
        "selectComponents=\"{}\" backupType=\"{}\" snapshotSetId=\"{}\">",
        select_components_ ? "yes" : "no", kTypes[backup_type_ >= 0 && backup_type_ <= 6 ? backup_type_ : 0],
        xml_escaped(set_id_));
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

// A volume that does not exist is VSS_E_OBJECT_NOT_FOUND; an unknown provider
// VSS_E_PROVIDER_NOT_REGISTERED; otherwise S_OK with the answer in *supported:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-isvolumesupported
HResult Requester::is_volume_supported(const std::string& volume, const std::string& provider_id,
                                       bool* supported) {
  return service_.call("IsVolumeSupported", volume, [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    const MachineState m = service_.store().read();
    if (!provider_id.empty() &&
        std::none_of(m.providers.begin(), m.providers.end(),
                     [&](const Provider& p) { return lower(p.id) == lower(provider_id); }))
      return hr::vss_e_provider_not_registered;
    const Volume* v = find_volume(m, volume);
    if (!v) return hr::vss_e_object_not_found;
    *supported = v->supported;
    return hr::s_ok;
  });
}

// AbortBackup ends the set in creation; the requester owes it after any failure between
// StartSnapshotSet and the return of DoSnapshotSet:
// https://learn.microsoft.com/windows/win32/vss/aborting-vss-operations
HResult Requester::abort_backup() {
  return service_.call("AbortBackup", "", [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    service_.store().update([&](MachineState& m) {
      if (m.in_creation && m.in_creation->object == object_id_) m.in_creation.reset();
    });
    aborted_ = true;
    return hr::s_ok;
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-getsnapshotproperties
HResult Requester::get_snapshot_properties(const std::string& shadow_id, Shadow* out) {
  return service_.call("GetSnapshotProperties", shadow_id, [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    for (const auto& s : service_.store().read().shadows)
      if (lower(s.id) == lower(shadow_id)) {
        *out = s;
        return hr::s_ok;
      }
    return core::hr::vss_e_object_not_found;
  });
}

// Query returns the shadow copies of the object's context only, all of them with VSS_CTX_ALL:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-query
HResult Requester::query(std::vector<Shadow>* out) {
  return service_.call("Query", fmt::format("context=0x{:x}", static_cast<unsigned long>(context_)), [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    out->clear();
    for (const auto& s : service_.store().read().shadows)
      if (visible_in(context_, s)) out->push_back(s);
    return out->empty() ? hr::s_false : hr::s_ok;
  });
}

// Exposing follows "Exposing and Surfacing Shadow Copied Volumes":
// https://learn.microsoft.com/windows/win32/vss/exposing-and-surfacing-shadow-copied-volumes
// - only persistent shadow copies made in VSS_CTX_APP_ROLLBACK or VSS_CTX_NAS_ROLLBACK can be
//   exposed locally; the emulator asks persistence of a remote exposure too;
// - VSS chooses the name only for a remote exposure (wszExpose NULL), so a local one needs a
//   drive letter "X:" or a mounted folder "X:\Folder":
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-exposesnapshot
// The pages do not name the code for a refused shadow copy or a name in use: the emulator
// answers E_INVALIDARG for the first and VSS_E_OBJECT_ALREADY_EXISTS for the second, and for
// a shadow copy that is already exposed.
HResult Requester::expose_snapshot(const std::string& shadow_id, bool remotely,
                                   const std::string& expose, std::string* exposed) {
  return service_.call("ExposeSnapshot", shadow_id + " " + expose, [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    const bool letter = expose.size() == 2 && std::isalpha(static_cast<unsigned char>(expose[0])) &&
                        expose[1] == ':';
    const bool folder = expose.size() > 3 && std::isalpha(static_cast<unsigned char>(expose[0])) &&
                        expose.compare(1, 2, ":\\") == 0;
    if (!remotely && !letter && !folder) return hr::e_invalidarg;
    HResult result = hr::s_ok;
    service_.store().update([&](MachineState& m) {
      auto shadow = std::find_if(m.shadows.begin(), m.shadows.end(),
                                 [&](const Shadow& s) { return lower(s.id) == lower(shadow_id); });
      if (shadow == m.shadows.end()) {
        result = core::hr::vss_e_object_not_found;
        return;
      }
      const long attributes = shadow->attributes;
      if ((attributes & attr::persistent) == 0 || (attributes & attr::client_accessible) != 0) {
        result = hr::e_invalidarg;
        return;
      }
      if ((attributes & (attr::exposed_locally | attr::exposed_remotely)) != 0) {
        result = core::hr::vss_e_object_already_exists;
        return;
      }
      auto in_use = [&](const std::string& name) {
        for (const auto& s : m.shadows)
          if (lower(s.exposed_name) == lower(name)) return true;
        for (const auto& v : m.volumes)
          for (const auto& mp : v.mount_points)
            if (lower(mp.substr(0, name.size())) == lower(name) &&
                (mp.size() == name.size() || mp[name.size()] == '\\'))
              return true;
        return false;
      };
      const std::string name =
          expose.empty() ? "shadow" + std::to_string(m.next_device_number++) : expose;
      if (in_use(name)) {
        result = core::hr::vss_e_object_already_exists;
        return;
      }
      shadow->exposed_name = name;
      shadow->exposed_path = remotely ? "\\" : "";
      shadow->attributes |= remotely ? attr::exposed_remotely : attr::exposed_locally;
      if (exposed) *exposed = name;
    });
    return result;
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponentsex2-unexposesnapshot
// A shadow copy that does not exist or is not exposed: VSS_E_OBJECT_NOT_FOUND.
HResult Requester::unexpose_snapshot(const std::string& shadow_id) {
  return service_.call("UnexposeSnapshot", shadow_id, [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    HResult result = core::hr::vss_e_object_not_found;
    service_.store().update([&](MachineState& m) {
      for (auto& s : m.shadows) {
        if (lower(s.id) != lower(shadow_id) || s.exposed_name.empty()) continue;
        s.exposed_name.clear();
        s.exposed_path.clear();
        s.attributes &= ~(attr::exposed_locally | attr::exposed_remotely);
        result = hr::s_ok;
      }
    });
    return result;
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-deletesnapshots
HResult Requester::delete_snapshots(const std::string& id, bool is_set, long* deleted) {
  return service_.call("DeleteSnapshots", fmt::format("{} {}", is_set ? "set" : "shadow", id), [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    long count = 0;
    service_.store().update([&](MachineState& m) {
      count = remove_shadows(m, [&](const Shadow& s) {
        return visible_in(context_, s) && lower(is_set ? s.set_id : s.id) == lower(id);
      });
    });
    if (deleted) *deleted = count;
    return count == 0 ? core::hr::vss_e_object_not_found : hr::s_ok;
  });
}

}  // namespace shadowctl::emulator
