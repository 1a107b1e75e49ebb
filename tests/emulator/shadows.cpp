// The shadow copies a requester reads, exposes and deletes.
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

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-getsnapshotproperties
HResult Requester::get_snapshot_properties(const std::string& shadow_id, Shadow* out) {
  return call("GetSnapshotProperties", shadow_id, [&] {
    if (!reached(Phase::initialized)) return hr::vss_e_bad_state;
    const auto machine = service_.store().snapshot();  // held: a range-for would drop it
    for (const auto& s : machine->shadows)
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
  return call("Query", fmt::format("context=0x{:x}", static_cast<unsigned long>(context_)), [&] {
    if (!reached(Phase::initialized) || !begin_operation(Operation::query)) return hr::vss_e_bad_state;
    out->clear();
    service_.store().view([&](const MachineState& m) {
      for (const auto& s : m.shadows)
        if (visible_in(context_, s)) out->push_back(s);
    });
    return out->empty() ? hr::s_false : hr::s_ok;
  });
}

// Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_PROVIDER) lists the registered providers, in
// any context (the Query page names the two forms).
HResult Requester::query_providers(std::vector<Provider>* out) {
  return call("Query", "providers", [&] {
    if (!reached(Phase::initialized)) return hr::vss_e_bad_state;
    *out = service_.store().snapshot()->providers;
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
// a shadow copy that is already exposed. A mounted folder must exist and be empty, as a
// volume mount point must (SetVolumeMountPoint): E_INVALIDARG, "one of the parameter values
// is not valid", otherwise.
HResult Requester::expose_snapshot(const std::string& shadow_id, bool remotely,
                                   const std::string& expose, std::string* exposed) {
  return call("ExposeSnapshot", fmt::format("{} {}", shadow_id, expose), [&] {
    if (!reached(Phase::initialized) || !begin_operation(Operation::expose)) return hr::vss_e_bad_state;
    const bool letter = expose.size() == 2 && std::isalpha(static_cast<unsigned char>(expose[0])) &&
                        expose[1] == ':';
    const bool folder = expose.size() > 3 && std::isalpha(static_cast<unsigned char>(expose[0])) &&
                        expose.compare(1, 2, ":\\") == 0;
    if (!remotely && !letter && !folder) return hr::e_invalidarg;
    if (!remotely && folder && service_.folder(expose) != FolderState::empty_folder)
      return hr::e_invalidarg;
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
      // A share is the whole volume, "\\"; assign() sidesteps GCC 12's -Wrestrict false
      // positive at -O3 on a conditional string literal.
      shadow->exposed_path.assign(remotely ? 1 : 0, '\\');
      shadow->attributes |= remotely ? attr::exposed_remotely : attr::exposed_locally;
      if (!remotely && os::is_drive_letter(name) && !shadow->contents.empty())
        os::show_at_drive(name, shadow->contents);  // X:\ shows the volume as it was
      if (exposed) *exposed = name;
    });
    return result;
  });
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponentsex2-unexposesnapshot
// A shadow copy that does not exist or is not exposed: VSS_E_OBJECT_NOT_FOUND.
HResult Requester::unexpose_snapshot(const std::string& shadow_id) {
  return call("UnexposeSnapshot", shadow_id, [&] {
    if (!reached(Phase::initialized) || !begin_operation(Operation::expose)) return hr::vss_e_bad_state;
    HResult result = core::hr::vss_e_object_not_found;
    service_.store().update([&](MachineState& m) {
      for (auto& s : m.shadows) {
        if (lower(s.id) != lower(shadow_id) || s.exposed_name.empty()) continue;
        if (os::is_drive_letter(s.exposed_name)) os::hide_drive(s.exposed_name);
        s.exposed_name.clear();
        s.exposed_path.clear();
        s.attributes &= ~(attr::exposed_locally | attr::exposed_remotely);
        result = hr::s_ok;
      }
    });
    return result;
  });
}

// The shadow copies of a set go one at a time; at the first that fails DeleteSnapshots returns
// at once with that failure, the count deleted so far and the id that was not deleted, and
// the rest stay (a scenario's "delete_fails" names that shadow copy):
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-deletesnapshots
HResult Requester::delete_snapshots(const std::string& id, bool is_set, long* deleted,
                                    std::string* not_deleted) {
  return call("DeleteSnapshots", fmt::format("{} {}", is_set ? "set" : "shadow", id), [&] {
    if (!reached(Phase::initialized)) return hr::vss_e_bad_state;
    long count = 0;
    HResult result = hr::s_ok;
    service_.store().update([&](MachineState& m) {
      std::vector<std::string> ids;
      for (const auto& s : m.shadows)
        if (visible_in(context_, s) && lower(is_set ? s.set_id : s.id) == lower(id))
          ids.push_back(s.id);
      if (ids.empty()) result = core::hr::vss_e_object_not_found;
      for (const auto& shadow : ids) {
        if (const auto fault = service_.scenario().delete_fault_for(shadow)) {
          result = *fault;
          if (not_deleted) *not_deleted = shadow;
          return;
        }
        count += remove_shadows(m, [&](const Shadow& s) { return s.id == shadow; });
      }
    });
    if (deleted) *deleted = count;
    return result;
  });
}

}  // namespace shadowctl::emulator
