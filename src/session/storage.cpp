#include "session/storage.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/text.h"
#include "session/inventory.h"
#include "session/open.h"

namespace shadowctl::session {
namespace {

[[noreturn]] void refuse_change(const std::string& command, const std::string& detail) {
  throw core::Error({core::hr::shadowctl_e_usage, command, detail});
}

const core::Volume& volume(const VolumeTable& volumes, const std::string& name) {
  const core::Volume* v = volumes.by_name(name);
  if (!v) throw core::Error({core::hr::vss_e_object_not_found, "volume", "no local volume is " + name,
                       {}, {}, kVolumeNotFoundRemedy});
  return *v;
}

// The volume's association: the one on `on` when given, else its only one.
std::optional<core::StorageAssociation> association(const System& system,
                                                    const VolumeTable& volumes,
                                                    const std::string& for_volume,
                                                    const std::string& on) {
  std::vector<core::StorageAssociation> found;
  const core::HResult hr = system.vss.query_storage(for_volume, found);
  if (core::failed(hr) && hr != core::hr::vss_e_object_not_found)
    throw core::Error({hr, "QueryDiffAreasForVolume", for_volume});
  volumes.name_storage(found);
  for (const auto& a : found)
    if (on.empty() || a.on_volume == on) return a;
  return std::nullopt;
}

// The change as reported: its volumes' mount points filled in.
core::StorageChange named(core::StorageChange change, const VolumeTable& volumes) {
  if (const core::Volume* v = volumes.by_name(change.for_volume))
    change.for_mount_points = v->mount_points;
  if (const core::Volume* v = volumes.by_name(change.on_volume))
    change.on_mount_points = v->mount_points;
  return change;
}

// The volume's shadow copies, oldest first: the order Windows deletes them in.
std::vector<core::ShadowCopy> copies_oldest_first(const System& system, const VolumeTable& volumes,
                                                  const std::string& for_volume) {
  ShadowSelection selection;
  selection.volumes = {for_volume};
  auto copies = query_shadow_copies(system, volumes, selection);
  std::stable_sort(copies.begin(), copies.end(), [](const auto& a, const auto& b) {
    return a.created_unix_us < b.created_unix_us;
  });
  return copies;
}

std::string copies_text(std::size_t n) { return core::shadow_copies_text(n); }

// "2 shadow copies ({a}, {b})": what a refusal names.
std::string copies_named(const std::vector<core::ShadowCopy>& copies) {
  std::string ids;
  for (const auto& c : copies) ids += (ids.empty() ? "" : ", ") + c.id;
  return copies_text(copies.size()) + " (" + ids + ")";
}

// The storage volume's size, read only for a percentage; then the size checked against the
// documented minimum. Returns the maximum as the management interface takes it.
std::int64_t checked_maximum(const System& system, const core::StorageSize& size,
                             const core::Volume& on, const char* command) {
  const bool percent = size.kind == core::StorageSize::Kind::percent;
  const std::uint64_t capacity = percent ? system.environment.volume_capacity(on.name) : 0;
  if (percent && capacity == 0)
    refuse_change(command, "the size of " + core::display_name(on) +
                        " is not known, so a percentage cannot be turned into bytes: give the "
                        "maximum in bytes (such as 20GB)");
  if (const std::string why = core::storage_size_problem(size, capacity); !why.empty())
    refuse_change(command, "--max " + why);
  return core::storage_maximum(size, capacity);
}

// Those of `before` that `after` no longer holds.
std::vector<core::ShadowCopy> gone(const std::vector<core::ShadowCopy>& before,
                                   const std::vector<core::ShadowCopy>& after) {
  std::vector<core::ShadowCopy> out;
  for (const auto& b : before)
    if (std::none_of(after.begin(), after.end(), [&](const auto& a) { return a.id == b.id; }))
      out.push_back(b);
  return out;
}

// resize and delete: VSS opened and the association they change found, on --on when given
// (VSS_E_OBJECT_NOT_FOUND naming the volumes when there is none).
core::StorageChange of_existing(const System& system, const VolumeTable& volumes,
                                const StorageRequest& request, const char* action) {
  open_vss(system);
  core::StorageChange change;
  change.action = action;
  change.for_volume = request.for_volume;
  change.dry_run = request.dry_run;
  change.before = association(system, volumes, request.for_volume, request.on_volume);
  if (!change.before)
    throw core::Error(
        {core::hr::vss_e_object_not_found, "QueryDiffAreasForVolume",
         "no shadow storage for " + core::display_name(volume(volumes, request.for_volume)) +
             (request.on_volume.empty()
                  ? std::string()
                  : " on " + core::display_name(volume(volumes, request.on_volume))),
         {},
         {},
         "`shadowctl list storage` shows the associations there are; `shadowctl storage add` "
         "makes one."});
  change.on_volume = change.before->on_volume;
  return change;
}

}  // namespace

core::StorageChange add_storage(const System& system, const VolumeTable& volumes,
                                const StorageRequest& request) {
  core::StorageChange change;
  change.action = "add";
  change.for_volume = request.for_volume;
  change.on_volume = request.on_volume;
  change.dry_run = request.dry_run;
  const core::Volume& on = volume(volumes, request.on_volume);
  change.maximum = checked_maximum(system, request.size, on, "storage add");
  open_vss(system);
  change.before = association(system, volumes, request.for_volume, "");
  if (request.dry_run) return named(change, volumes);
  const core::HResult hr = system.vss.add_storage(request.for_volume, request.on_volume, change.maximum);
  if (core::failed(hr))
    throw core::Error({hr, "AddDiffArea",
                       fmt::format("{} on {}", core::display_name(volume(volumes, request.for_volume)),
                                   core::display_name(on))});
  change.after = association(system, volumes, request.for_volume, request.on_volume);
  return named(change, volumes);
}

core::StorageChange resize_storage(const System& system, const VolumeTable& volumes,
                                   const StorageRequest& request, const ConfirmDeletion& confirm) {
  core::StorageChange change = of_existing(system, volumes, request, "resize");
  const core::Volume& of = volume(volumes, request.for_volume);
  const core::Volume& on = volume(volumes, change.on_volume);
  change.maximum = checked_maximum(system, request.size, on, "storage resize");
  const auto copies = copies_oldest_first(system, volumes, request.for_volume);
  if (change.maximum >= 0) {
    const std::size_t n = core::copies_a_maximum_purges(
        copies.size(), change.before->used, static_cast<std::uint64_t>(change.maximum));
    change.at_risk.assign(copies.begin(), copies.begin() + static_cast<std::ptrdiff_t>(n));
  }
  if (request.dry_run) return named(change, volumes);
  if (!change.at_risk.empty() && !request.yes) {
    const std::string what = fmt::format(
        "a maximum below the {} bytes used makes Windows delete the oldest shadow copies of {} "
        "until the rest fit: about {}",
        change.before->used, core::display_name(of), copies_named(change.at_risk));
    if (!confirm)
      refuse_change("storage resize", "refusing: " + what +
                                   ", without --yes when no one can confirm at a terminal; "
                                   "nothing was changed (see them with --dry-run)");
    if (!confirm("Resize anyway, deleting " + copies_text(change.at_risk.size()) + "?",
                 change.at_risk))
      throw core::Error({core::hr::shadowctl_e_not_confirmed, "storage resize",
                         "not confirmed; nothing was changed"});
  }
  const core::HResult hr =
      system.vss.change_storage_maximum(request.for_volume, change.on_volume, change.maximum);
  if (core::failed(hr))
    throw core::Error({hr, "ChangeDiffAreaMaximumSize",
                       core::display_name(of) + " on " + core::display_name(on)});
  change.after = association(system, volumes, request.for_volume, change.on_volume);
  change.gone = gone(copies, copies_oldest_first(system, volumes, request.for_volume));
  return named(change, volumes);
}

core::StorageChange delete_storage(const System& system, const VolumeTable& volumes,
                                   const StorageRequest& request, const ConfirmDeletion& confirm) {
  core::StorageChange change = of_existing(system, volumes, request, "delete");
  const core::Volume& of = volume(volumes, request.for_volume);
  change.at_risk = copies_oldest_first(system, volumes, request.for_volume);
  if (request.dry_run) return named(change, volumes);
  if (!change.at_risk.empty() && !request.yes && !confirm)
    refuse_change("storage delete",
                  "refusing: the storage of " + core::display_name(of) + " holds " +
                      copies_named(change.at_risk) +
                      ", which would be deleted with it; --yes deletes them when no one can "
                      "confirm at a terminal; nothing was deleted");
  // The copies stored there go first, through the one delete flow, asked for as delete asks.
  change.deleted = confirm_then_delete(system, change.at_risk, true, request.yes, confirm,
                                       "storage delete");
  change.gone = change.deleted.deleted;
  change.gone.insert(change.gone.end(), change.deleted.gone.begin(), change.deleted.gone.end());
  // Stopped part-way: the association stays (it still holds copies); the command says what
  // was deleted and what was not.
  if (change.deleted.failure) return named(change, volumes);
  const core::HResult hr = system.vss.change_storage_maximum(request.for_volume, change.on_volume, 0);
  if (core::failed(hr))
    throw core::Error({hr, "ChangeDiffAreaMaximumSize",
                       core::display_name(of) + " on " +
                           core::display_name(volume(volumes, change.on_volume)) + " (delete)"});
  change.after = association(system, volumes, request.for_volume, change.on_volume);
  return named(change, volumes);
}

}  // namespace shadowctl::session
