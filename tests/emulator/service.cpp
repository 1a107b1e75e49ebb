// The service's machine-wide side: running and journalling every call, creating backup
// components objects, and the management interfaces (providers, volumes, shadow storage).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "event_log.h"
#include "core/error_catalogue.h"
#include "lookup.h"
#include "model.h"
#include "os.h"

namespace shadowctl::emulator {

namespace hr = core::hr;
using core::HResult;

Service::Service(Scenario scenario, Journal& journal, std::string state_path, MachineState initial)
    : scenario_(std::move(scenario)),
      journal_(journal),
      store_(std::move(state_path), std::move(initial)) {}

CallCount Service::count(const std::string& method, CallCounts* object_calls) {
  std::lock_guard lock(mutex_);
  return {++calls_[method], object_calls ? ++(*object_calls)[method] : 0};
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
                      const std::function<HResult()>& model, CallCounts* object_calls) {
  const auto fault = scenario_.fault_for(method, count(method, object_calls));
  JournalEntry entry{method, args, 0, now_us(), 0};
  // "The process dies here": journalled first, so a test sees where it died.
  if (fault && fault->die) {
    entry.args = "the process dies here";
    entry.end_us = entry.start_us;
    journal_.append(std::move(entry));
    os::die_now();
  }
  if (fault && !fault->run.empty()) {
    // The other process acts first; this call then meets the machine as it left it.
    const int exit_code = os::run_another_process(fault->run);
    journal_.append(
        {"another process",
         fmt::format("at {}: {} (exit {})", method, fmt::join(fault->run, " "), exit_code), 0,
         entry.start_us, now_us()});
    entry.start_us = now_us();
  }
  // A fault replaces the call: the model's rule does not run, so the call has no effect
  // (no set started, no volume added, nothing deleted), as a call that failed on Windows.
  entry.hr = fault && fault->run.empty() ? fault->hr : model();
  entry.end_us = now_us();
  // A call the fault failed in the service: what the service logs for it.
  if (fault && fault->run.empty())
    if (auto events = events_for_failed_call(method, fault->hr); !events.empty())
      store_.update([&](MachineState& m) {
        for (auto& e : events) write_event(m, std::move(e));
      });
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
    *out = store_.snapshot()->providers;
    return hr::s_ok;
  });
}

HResult Service::query_volumes_supported(const std::string& provider_id, std::vector<Volume>* out) {
  return call("IVssSnapshotMgmt::QueryVolumesSupportedForSnapshots", provider_id, [&] {
    out->clear();
    const auto snapshot = store_.snapshot();
    const MachineState& m = *snapshot;
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
    if (!present || !capability || volume.empty() || volume.back() != '\\') return hr::e_invalidarg;
    const auto snapshot = store_.snapshot();
    const MachineState& m = *snapshot;
    const Volume* v = find_volume(m, volume);
    if (!v) return core::hr::vss_e_object_not_found;
    *present = std::any_of(m.shadows.begin(), m.shadows.end(), [&](const Shadow& s) {
      return lower(s.original_volume) == lower(v->name);
    });
    *capability = 0;
    return hr::s_ok;
  });
}

// The name ends in a backslash, as for IsVolumeSnapshotted; a volume that does not exist is
// VSS_E_OBJECT_NOT_FOUND:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-shouldblockrevert
HResult Service::should_block_revert(const std::string& volume, bool* block) {
  return call("ShouldBlockRevert", volume, [&] {
    if (!block || volume.empty() || volume.back() != '\\') return hr::e_invalidarg;
    if (!find_volume(*store_.snapshot(), volume)) return core::hr::vss_e_object_not_found;
    *block = false;
    return hr::s_ok;
  });
}

HResult Service::query_snapshots_by_volume(const std::string& volume, std::vector<Shadow>* out) {
  return call("IVssSnapshotMgmt::QuerySnapshotsByVolume", volume, [&] {
    out->clear();
    const auto snapshot = store_.snapshot();
    const MachineState& m = *snapshot;
    const Volume* v = find_volume(m, volume);
    if (!v) return core::hr::vss_e_object_not_found;
    for (const auto& s : m.shadows)
      if (s.original_volume == v->name) out->push_back(s);
    return out->empty() ? hr::s_false : hr::s_ok;
  });
}

// One association per original volume; both volumes must exist; the maximum "must be at
// least 320 MB" or -1 (no limit), else one of the parameters is not valid; the system
// provider keeps shadow storage on NTFS volumes only:
// https://learn.microsoft.com/windows/win32/api/vsmgmt/nf-vsmgmt-ivssdifferentialsoftwaresnapshotmgmt-adddiffarea
HResult Service::add_diff_area(const std::string& volume, const std::string& on_volume,
                               std::int64_t maximum) {
  return call(
      "IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea",
      fmt::format("{} on {} max {}", volume, on_volume, maximum), [&] {
        HResult result = hr::s_ok;
        store_.update([&](MachineState& m) {
          const Volume* v = find_volume(m, volume);
          const Volume* on = find_volume(m, on_volume);
          if (!v || !on) {
            result = core::hr::vss_e_object_not_found;
            return;
          }
          if (maximum != -1 && maximum < static_cast<std::int64_t>(kShadowStorageMinimum)) {
            result = core::hr::e_invalidarg;
            return;
          }
          if (on->file_system != "NTFS") {
            result = core::hr::vss_e_volume_not_supported;
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
// A maximum of 0 deletes the association, refused with VSS_E_VOLUME_IN_USE while shadow
// copies are stored in it; -1 is no limit; no association between the two volumes is
// VSS_E_OBJECT_NOT_FOUND:
// https://learn.microsoft.com/windows/win32/api/vsmgmt/nf-vsmgmt-ivssdifferentialsoftwaresnapshotmgmt-changediffareamaximumsize
HResult Service::change_diff_area_maximum(const std::string& volume, const std::string& on_volume,
                                          std::int64_t maximum) {
  return call(
      "IVssDifferentialSoftwareSnapshotMgmt::ChangeDiffAreaMaximumSize",
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
          if (maximum == 0) {
            const std::string for_volume = storage->for_volume;
            if (std::any_of(m.shadows.begin(), m.shadows.end(),
                            [&](const Shadow& s) { return s.original_volume == for_volume; })) {
              result = core::hr::vss_e_volume_in_use;
              return;
            }
            m.storage.erase(storage);
            return;
          }
          storage->maximum = maximum < 0 ? on->capacity : static_cast<std::uint64_t>(maximum);
          // Oldest first.
          std::stable_sort(
              m.shadows.begin(), m.shadows.end(),
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
    const auto snapshot = store_.snapshot();
    const MachineState& m = *snapshot;
    const Volume* v = find_volume(m, volume);
    if (!v) return core::hr::vss_e_object_not_found;
    for (const auto& s : m.storage)
      if ((for_volume ? s.for_volume : s.on_volume) == v->name) out->push_back(s);
    return out->empty() ? hr::s_false : hr::s_ok;
  });
}

}  // namespace shadowctl::emulator
