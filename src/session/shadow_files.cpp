#include "session/shadow_files.h"

#include <algorithm>

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "session/inventory.h"

namespace shadowctl::session {
namespace {

core::Error usage(const std::string& detail) {
  return core::Error({core::hr::shadowctl_e_usage, "path argument", detail});
}

// "C:\x\" and "C:\x" name the same folder; a volume's root keeps its backslash.
std::string without_trailing_backslash(std::string path) {
  while (path.size() > 3 && path.back() == '\\') path.pop_back();
  return path;
}

}  // namespace

ShadowPath locate_in_shadow(const System& system, const VolumeTable& volumes,
                            const std::string& which, const std::string& path) {
  const bool absolute = path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) &&
                        path[1] == ':' && path[2] == '\\';
  if (!absolute)
    throw usage("'" + path + "' is not an absolute path on a local volume, such as C:\\Users");
  const core::Volume* volume = volumes.holding(path);
  if (!volume) throw usage("'" + path + "' is on no local volume");
  ShadowSelection selection;
  selection.volumes = {volume->name};
  if (which != "latest") {
    const auto id = core::parse_guid(which);
    if (!id) throw usage("'" + which + "' is neither a shadow copy id nor \"latest\"");
    selection.volumes.clear();
    selection.ids = {*id};
  }
  const auto found = query_shadow_copies(system, volumes, selection);
  if (found.empty())
    throw core::Error({core::hr::vss_e_object_not_found, "shadow copy",
                       which == "latest" ? "no shadow copy of " + core::display_name(*volume) +
                                               " exists"
                                         : "no shadow copy has the id " + which});
  const core::ShadowCopy& shadow = found.front();  // newest first
  if (!same_ignoring_case(shadow.original_volume, volume->name))
    throw usage("the shadow copy " + shadow.id + " is of " + core::display_volume(shadow) +
                ", and '" + path + "' is on " + core::display_name(*volume));
  // The path below the mount point that begins it, below the device.
  const std::string* mount = nullptr;
  for (const auto& m : volume->mount_points)
    if (path.size() + 1 >= m.size() && same_ignoring_case((path + "\\").substr(0, m.size()), m) &&
        (!mount || m.size() > mount->size()))
      mount = &m;
  const std::string below = mount && path.size() > mount->size() ? path.substr(mount->size()) : "";
  ShadowPath where{shadow, without_trailing_backslash(path), shadow.device_path};
  if (!below.empty()) where.device_path += "\\" + without_trailing_backslash(below);
  return where;
}

core::FolderListing list_shadow_folder(const System& system, const VolumeTable& volumes,
                                       const std::string& which, const std::string& path) {
  const ShadowPath where = locate_in_shadow(system, volumes, which, path);
  core::FolderListing listing{where.shadow.id, where.shadow.created_unix_us, where.path,
                              where.device_path, {}};
  const core::HResult hr = system.environment.list_folder(where.device_path, listing.entries);
  if (core::failed(hr))
    throw core::Error({hr, "FindFirstFileExW",
                       "cannot list " + where.path + " in the shadow copy " + where.shadow.id +
                           " (" + where.device_path + ")"});
  std::sort(listing.entries.begin(), listing.entries.end(), [](const auto& a, const auto& b) {
    return lower_ascii(a.name) < lower_ascii(b.name);
  });
  return listing;
}

}  // namespace shadowctl::session
