#pragma once

// Reading the files a shadow copy holds: which copy a path means, where the path lies inside
// it, and what is there. What `ls` uses today and restore, versions and diff will use.

#include <string>

#include "core/results.h"
#include "session/system.h"
#include "session/volumes.h"

namespace shadowctl::session {

// A path as a shadow copy holds it.
struct ShadowPath {
  core::ShadowCopy shadow;
  std::string path;         // absolute, as the user knows it (C:\Users\ann)
  std::string device_path;  // the same inside the copy (\\?\GLOBALROOT\Device\...\Users\ann)
};

// The volume an absolute path (C:\x) lies on. Throws SHADOWCTL_E_USAGE naming the path when
// it is not absolute on a local volume, or holds a . or .. component (appended below a
// device path, which Windows does not normalise, it would be a name, or climb out of the copy).
const core::Volume& volume_of(const VolumeTable& volumes, const std::string& path);

// `path` (on `volume`) inside a copy of that volume: below the mount point that begins it,
// below the copy's device path.
std::string inside(const core::ShadowCopy& shadow, const core::Volume& volume,
                   const std::string& path);

// "C:\x\" and "C:\x" name the same folder; a volume's root keeps its backslash.
std::string without_trailing_backslash(std::string path);

// `which` is a shadow copy id, or "latest": the newest copy of the volume that holds `path`.
// Throws core::Error: SHADOWCTL_E_USAGE for a path that is not absolute on a local volume,
// or an id whose copy is of another volume; VSS_E_OBJECT_NOT_FOUND for an id no copy has,
// or a volume without copies. Asks VSS only for the list of copies.
ShadowPath locate_in_shadow(const System& system, const VolumeTable& volumes,
                            const std::string& which, const std::string& path);

// Whether two files hold the same bytes; hr says why one could not be read (then false).
// Each is opened with backup semantics, SeBackupPrivilege enabled for the opens alone.
bool same_bytes(Environment& environment, const std::string& a, const std::string& b,
                core::HResult& hr);

// Every version of a file or folder the volume's shadow copies hold, newest first, beside
// the live one: what Explorer's Previous Versions tab shows. A copy that does not hold it is
// left out; one that cannot be read is named in `unreadable`. Compares size, last-write time
// and kind; with `compare_contents` (--compare) a file of the live one's size is read in
// both and differs only when its bytes do.
core::FileVersions file_versions(const System& system, const VolumeTable& volumes,
                                 const std::string& path, bool compare_contents = false);

// The folder `path` as the copy holds it, entries sorted by name (case-insensitively, as
// Windows shows them); links listed as themselves. Throws core::Error naming the folder
// when it cannot be listed (not there in the copy: ERROR_PATH_NOT_FOUND).
core::FolderListing list_shadow_folder(const System& system, const VolumeTable& volumes,
                                       const std::string& which, const std::string& path);

}  // namespace shadowctl::session
