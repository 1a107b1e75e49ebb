#pragma once

// Which writers take part in a backup, and which of their components are selected, the way
// Microsoft documents it for requesters: writer classes enabled or disabled before
// GatherWriterMetadata, then components added in component mode.

#include <functional>
#include <string>
#include <vector>

#include "core/vss_objects.h"
#include "session/vss_api.h"

namespace shadowctl::session {

// As the user typed them: writer names (any case) or class ids. At most one of include and
// exclude is set; all empty means every writer, without component mode. `require`: writers
// that must take part in full (--require-writer; component mode too).
struct WriterSelection {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::vector<std::string> require = {};
  bool empty() const { return include.empty() && exclude.empty() && require.empty(); }
};

// The class ids the names stand for, each once. Throws VSS_E_OBJECT_NOT_FOUND (exit 7)
// naming the first that matches no writer, with the names of the writers there are.
std::vector<std::string> resolve_writer_classes(const std::vector<std::string>& names,
                                                const std::vector<core::WriterStatus>& writers);

using core::LeftOut;

// What one writer contributes to a component-mode backup of a set.
struct ComponentPlan {
  std::vector<ComponentRef> add;
  std::vector<LeftOut> left_out;
  bool dropped = false;  // the writer takes no part: a component it cannot do without is out
  bool in_full() const { return !dropped && left_out.empty(); }
};

// The volume a file specification's path lies on, as its \\?\Volume{GUID}\ name and as
// people call it; name empty when the path is on no volume of this machine.
struct PathVolume {
  std::string name;
  std::string shown;
};
using VolumeOfPath = std::function<PathVolume(const std::string& path)>;

// The components a requester adds for one writer when the set holds `set_volumes`
// ("Overview of the Backup Discovery Phase", and the Windows SDK's vshadow sample): each
// with no selectable-for-backup ancestor ("Working with Selectability and Logical Paths"),
// whose files, and those of the components that come with it, all lie on volumes in the
// set. A selectable one that does not is left out; a non-selectable one that does not
// drops the whole writer (it cannot be backed up without it).
// `all`: every writer described, where the components it depends on are looked up.
ComponentPlan plan_components(const core::WriterMetadata& writer,
                              const std::vector<core::WriterMetadata>& all,
                              const std::vector<std::string>& set_volumes,
                              const VolumeOfPath& volume_of);

}  // namespace shadowctl::session
