#include "session/shadow_files.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <vector>

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "session/inventory.h"

namespace shadowctl::session {
namespace {

core::Error path_usage(const std::string& detail) {
  return core::Error({core::hr::shadowctl_e_usage, "path argument", detail});
}

}  // namespace

std::string without_trailing_backslash(std::string path) {
  while (path.size() > 3 && path.back() == '\\') path.pop_back();
  return path;
}

const core::Volume& volume_of(const VolumeTable& volumes, const std::string& path) {
  const bool absolute = path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) &&
                        path[1] == ':' && path[2] == '\\';
  if (!absolute)
    throw path_usage("'" + path + "' is not an absolute path on a local volume, such as C:\\Users");
  // Appended below a device path (\\?\...), which Windows does not normalise: a . or ..
  // would be handed to the file system as a name, or climb out of the copy.
  for (std::size_t start = 3; start <= path.size();) {
    const std::size_t end = std::min(path.find('\\', start), path.size());
    const std::string part = path.substr(start, end - start);
    if (part == "." || part == "..")
      throw path_usage("'" + path + "' holds a . or .. component: give the folder's own path");
    start = end + 1;
  }
  const core::Volume* volume = volumes.holding(path);
  if (!volume) throw path_usage("'" + path + "' is on no local volume");
  return *volume;
}

std::string inside(const core::ShadowCopy& shadow, const core::Volume& volume,
                   const std::string& path) {
  const std::string* mount = nullptr;
  for (const auto& m : volume.mount_points)
    if (path.size() + 1 >= m.size() && same_ignoring_case((path + "\\").substr(0, m.size()), m) &&
        (!mount || m.size() > mount->size()))
      mount = &m;
  const std::string below = mount && path.size() > mount->size() ? path.substr(mount->size()) : "";
  return below.empty() ? shadow.device_path
                       : shadow.device_path + "\\" + without_trailing_backslash(below);
}

namespace {

// The entry `name` of `folder`, whatever its case, or nullopt; hr: why the folder could not
// be listed (0 when it was).
std::optional<core::FileEntry> find_entry(Environment& environment, const std::string& folder,
                                          const std::string& name, core::HResult& hr) {
  std::vector<core::FileEntry> entries;
  hr = environment.list_folder(folder, entries);
  for (auto& e : entries)
    if (same_ignoring_case(e.name, name)) return std::move(e);
  return std::nullopt;
}

}  // namespace

ShadowPath locate_in_shadow(const System& system, const VolumeTable& volumes,
                            const std::string& which, const std::string& path) {
  const core::Volume& volume = volume_of(volumes, path);
  ShadowSelection selection;
  selection.volumes = {volume.name};
  if (which != "latest") {
    const auto id = core::parse_guid(which);
    if (!id) throw path_usage("'" + which + "' is neither a shadow copy id nor \"latest\"");
    selection.volumes.clear();
    selection.ids = {*id};
  }
  const auto found = query_shadow_copies(system, volumes, selection);
  if (found.empty())
    throw core::Error({core::hr::vss_e_object_not_found, "shadow copy",
                       which == "latest" ? "no shadow copy of " + core::display_name(volume) +
                                               " exists"
                                         : "no shadow copy has the id " + which});
  const core::ShadowCopy& shadow = found.front();  // newest first
  if (!same_ignoring_case(shadow.original_volume, volume.name))
    throw path_usage("the shadow copy " + shadow.id + " is of " + core::display_volume(shadow) +
                ", and '" + path + "' is on " + core::display_name(volume));
  return {shadow, without_trailing_backslash(path), inside(shadow, volume, path)};
}

bool same_bytes(Environment& environment, const std::string& a, const std::string& b,
                core::HResult& hr) {
  std::unique_ptr<FileReader> first, second;
  environment.enable_backup_privilege();
  hr = environment.open_to_read(a, first);
  if (core::succeeded(hr)) hr = environment.open_to_read(b, second);
  environment.restore_backup_privilege();
  if (core::failed(hr)) return false;
  std::vector<char> x(1 << 16), y(1 << 16);
  for (;;) {
    std::size_t got_x = 0, got_y = 0;
    if (hr = first->read(x.data(), x.size(), got_x); core::failed(hr)) return false;
    // A read may return less than asked: fill the second to the first's length.
    while (got_y < got_x) {
      std::size_t more = 0;
      if (hr = second->read(y.data() + got_y, got_x - got_y, more); core::failed(hr)) return false;
      if (more == 0) return false;
      got_y += more;
    }
    if (got_x == 0) {
      std::size_t more = 0;
      hr = second->read(y.data(), 1, more);
      return core::succeeded(hr) && more == 0;
    }
    if (!std::equal(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(got_x), y.begin()))
      return false;
  }
}

core::FileVersions file_versions(const System& system, const VolumeTable& volumes,
                                 const std::string& path, bool compare_contents) {
  const core::Volume& volume = volume_of(volumes, path);
  const std::string file = without_trailing_backslash(path);
  const auto slash = file.rfind('\\');
  if (slash + 1 >= file.size())
    throw path_usage("'" + path + "' names a volume, not a file or folder in it");
  const std::string parent = slash == 2 ? file.substr(0, 3) : file.substr(0, slash);  // C:\ keeps it
  const std::string name = file.substr(slash + 1);
  core::FileVersions result;
  result.path = file;
  result.contents_compared = compare_contents;
  core::HResult hr = 0;
  result.live = find_entry(system.environment, parent, name, hr);
  ShadowSelection selection;
  selection.volumes = {volume.name};
  for (const auto& shadow : query_shadow_copies(system, volumes, selection)) {
    const std::string folder = inside(shadow, volume, parent);
    auto entry = find_entry(system.environment, folder, name, hr);
    // A folder the copy does not have is a copy without the file; any other failure is said.
    if (core::failed(hr) && hr != core::hr::error_path_not_found &&
        hr != core::hr::error_file_not_found) {
      result.unreadable.push_back({shadow.id, hr});
      continue;
    }
    if (!entry) continue;
    bool differs = !result.live || result.live->size != entry->size ||
                   result.live->written_unix_us != entry->written_unix_us ||
                   result.live->is_folder() != entry->is_folder();
    const bool files = result.live && !result.live->is_folder() && !entry->is_folder() &&
                       !result.live->is_reparse_point() && !entry->is_reparse_point();
    if (compare_contents && files && result.live->size == entry->size) {
      core::HResult read_hr = 0;
      differs = !same_bytes(system.environment, file, folder + "\\" + entry->name, read_hr);
      if (core::failed(read_hr)) {
        result.unreadable.push_back({shadow.id, read_hr});
        continue;
      }
    }
    result.versions.push_back({shadow.id, shadow.created_unix_us,
                               folder + "\\" + entry->name, std::move(*entry), differs});
  }
  return result;
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
