#include "session/volumes.h"

#include <cctype>
#include <unordered_map>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "session/open.h"

namespace shadowctl::session {

VolumeTable VolumeTable::read(const System& system) {
  std::vector<core::Volume> volumes;
  require(system.environment.local_volumes(volumes), "FindFirstVolumeW");
  return VolumeTable(std::move(volumes));
}

const core::Volume* VolumeTable::by_name(const std::string& volume_name) const {
  for (const auto& v : volumes_)
    if (same_ignoring_case(v.name, volume_name)) return &v;
  return nullptr;
}

const core::Volume* VolumeTable::holding(const std::string& path) const {
  std::string p = path;
  if (p.empty() || p.back() != '\\') p += '\\';
  const core::Volume* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& v : volumes_) {
    for (const auto& mount : v.mount_points)
      if (mount.size() > best_length && mount.size() <= p.size() &&
          same_ignoring_case(p.substr(0, mount.size()), mount)) {
        best = &v;
        best_length = mount.size();
      }
    if (v.name.size() > best_length && v.name.size() <= p.size() &&
        same_ignoring_case(p.substr(0, v.name.size()), v.name)) {
      best = &v;
      best_length = v.name.size();
    }
  }
  return best;
}

std::string VolumeTable::display_name_of(const std::string& volume_name) const {
  const core::Volume* v = by_name(volume_name);
  return v ? core::display_name(*v) : volume_name;
}

void VolumeTable::name_origins(std::vector<core::ShadowCopy>& shadows) const {
  std::unordered_map<std::string, const std::vector<std::string>*> mount_points;
  for (const auto& v : volumes_)
    if (!v.mount_points.empty()) mount_points[lower_ascii(v.name)] = &v.mount_points;
  for (auto& s : shadows)
    if (auto it = mount_points.find(lower_ascii(s.original_volume)); it != mount_points.end()) {
      s.original_mount_points = *it->second;
      s.original_mount_point = it->second->front();
    }
}

void VolumeTable::name_storage(std::vector<core::StorageAssociation>& associations) const {
  for (auto& a : associations) {
    if (const core::Volume* v = by_name(a.for_volume)) a.for_mount_points = v->mount_points;
    if (const core::Volume* v = by_name(a.on_volume)) a.on_mount_points = v->mount_points;
  }
}

const core::Volume* VolumeTable::find(const core::VolumeSpec& spec) const {
  if (spec.kind == core::VolumeSpec::Kind::volume_name) return by_name(spec.text);
  for (const auto& v : volumes_)
    for (const auto& mount : v.mount_points)
      if (same_ignoring_case(mount, spec.text)) return &v;
  return nullptr;
}

std::vector<const core::Volume*> VolumeTable::resolve(
    const std::vector<std::string>& arguments) const {
  std::vector<const core::Volume*> found;
  for (const auto& argument : arguments) {
    const auto spec = core::parse_volume(argument);
    if (!spec)
      throw core::Error({core::hr::shadowctl_e_usage, "volume argument",
                         "'" + argument +
                             "' is not a volume: expected C, C:, C:\\, a mount folder such as "
                             "C:\\mnt\\data, or \\\\?\\Volume{GUID}\\"});
    const core::Volume* v = find(*spec);
    if (!v)
      throw core::Error({core::hr::vss_e_object_not_found, "volume argument",
                         "no local volume is " + spec->text + " ('" + argument + "')",
                         {},
                         {},
                         kVolumeNotFoundRemedy,
                         {},
                         {},
                         argument});
    found.push_back(v);
  }
  return found;
}

}  // namespace shadowctl::session
