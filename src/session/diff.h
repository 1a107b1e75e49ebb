#pragma once

// What changed below a folder between a shadow copy and the live volume, or between two
// copies of the same volume: the two trees walked side by side, never following a link.

#include <string>

#include "core/results.h"
#include "session/cancel.h"
#include "session/system.h"
#include "session/volumes.h"

namespace shadowctl::session {

struct DiffRequest {
  std::string from;         // a shadow copy id, or "latest" (needs `path`, which names the volume)
  std::string to = "live";  // a copy of the same volume (id or "latest"), or "live"
  std::string path;         // absolute; empty: the whole volume of `from`, at its first mount point
  bool compare_contents = false;  // --compare: read files of the same size on both sides
};

// Walks both sides of `request.path`. An entry on one side only is added or removed (a
// folder with everything it holds); one on both is changed when its size, last-write time,
// the read-only, hidden, system or archive attributes, or its kind (file, folder, link)
// differ, or with compare_contents its bytes. A folder's own time is not compared: it moves
// whenever an entry in it does, which is listed already. Names match without regard to case,
// as Windows matches them. A folder or file that cannot be read on a side is named in
// `unreadable` and the rest goes on. Changes come sorted by path, a folder before what it
// holds. Throws core::Error: SHADOWCTL_E_USAGE for a bad path, `latest` without a path, or
// two copies of different volumes; VSS_E_OBJECT_NOT_FOUND for a copy that does not exist;
// ERROR_PATH_NOT_FOUND when neither side holds the path; ERROR_CANCELLED on Ctrl+C.
core::TreeDiff diff_trees(const System& system, const VolumeTable& volumes,
                          const DiffRequest& request, const CancelToken& cancel);

}  // namespace shadowctl::session
