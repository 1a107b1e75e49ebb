#pragma once

#include <string>
#include <vector>

#include "core/arguments.h"
#include "core/text.h"
#include "core/vss_objects.h"
#include "session/system.h"

namespace shadowctl::session {

// What to do when a volume named was not found: list what there is.
inline constexpr const char* kVolumeNotFoundRemedy =
    "List the local volumes with `shadowctl list volumes` and give one as C:, C:\\, a mount "
    "folder or its \\\\?\\Volume{GUID}\\ path.";

// The machine's local volumes, read once, and the arguments that name them: every name a
// user types is resolved here, and the resolved \\?\Volume{GUID}\ name is used from then on.
class VolumeTable {
 public:
  explicit VolumeTable(std::vector<core::Volume> volumes) : volumes_(std::move(volumes)) {}
  // Reads them through the environment; throws core::Error when that fails.
  static VolumeTable read(const System& system);

  const std::vector<core::Volume>& all() const { return volumes_; }
  // The volume a parsed argument names (its GUID name, a drive letter or a mount folder it
  // is mounted at), or nullptr.
  const core::Volume* find(const core::VolumeSpec& spec) const;
  // The volume whose \\?\Volume{GUID}\ name this is, or nullptr.
  const core::Volume* by_name(const std::string& volume_name) const;
  // The volume a path lies on: the one mounted at the longest of its mount points that
  // begins the path (a volume mounted in a folder of C:\ is another volume), or nullptr.
  const core::Volume* holding(const std::string& path) const;
  // Resolves each argument; throws core::Error: SHADOWCTL_E_USAGE naming a malformed one,
  // VSS_E_OBJECT_NOT_FOUND naming one that is no volume here.
  std::vector<const core::Volume*> resolve(const std::vector<std::string>& arguments) const;
  // What people call the volume of this \\?\Volume{GUID}\ name (core::display_name): the
  // name itself when it is no volume here.
  std::string display_name_of(const std::string& volume_name) const;
  // Fills each copy's original_mount_point from its volume's first mount point: one pass
  // over the volumes, then a lookup per copy (listing 10,000 stays linear).
  void name_origins(std::vector<core::ShadowCopy>& shadows) const;
  // Fills in each association's volumes' mount points.
  void name_storage(std::vector<core::StorageAssociation>& associations) const;

 private:
  std::vector<core::Volume> volumes_;
};

// Case-insensitive (ASCII) equality, as Windows compares volume names, paths, GUIDs and
// writer names, and the lower-case form of a name as a map key that compares the same way.
using core::lower_ascii;
using core::same_ignoring_case;

}  // namespace shadowctl::session
