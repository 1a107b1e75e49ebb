#pragma once

// Shadow storage (diff area) associations: add one, change its maximum, delete it, through
// the system provider's management interface (session::VssApi's add_storage and
// change_storage_maximum). Whatever a change would delete is named before it is made, and
// what went is listed after.

#include <optional>
#include <string>

#include "core/results.h"
#include "core/storage.h"
#include "session/deletion.h"
#include "session/system.h"
#include "session/volumes.h"

namespace shadowctl::session {

struct StorageRequest {
  std::string for_volume;  // \\?\Volume{GUID}\ names, resolved
  std::string on_volume;   // "" for resize and delete: the association the volume has
  core::StorageSize size;  // add and resize
  bool dry_run = false;
  bool yes = false;
};

// AddDiffArea. Refused before any call (SHADOWCTL_E_USAGE) below the documented minimum.
core::StorageChange add_storage(const System& system, const VolumeTable& volumes,
                                const StorageRequest& request);

// ChangeDiffAreaMaximumSize. A maximum below what is used makes Windows delete the oldest
// copies of the volume until the rest fit: those estimated to go are named first (a dry run
// stops there), and asked for (`confirm`; --yes where no one can answer), then the copies
// that went are listed. Refused before any call below the documented minimum.
core::StorageChange resize_storage(const System& system, const VolumeTable& volumes,
                                   const StorageRequest& request, const ConfirmDeletion& confirm);

// ChangeDiffAreaMaximumSize with 0. Shadow copies stored in the association would be
// deleted: they are named, asked for, deleted through the one delete flow, and only then
// is the association deleted.
core::StorageChange delete_storage(const System& system, const VolumeTable& volumes,
                                   const StorageRequest& request, const ConfirmDeletion& confirm);

}  // namespace shadowctl::session
