#pragma once

// Which writers take part in a backup, and which of their components are selected, the way
// Microsoft documents it for requesters: writer classes enabled or disabled before
// GatherWriterMetadata, then components added in component mode.

#include <string>
#include <vector>

#include "core/inventory.h"
#include "session/vss_api.h"

namespace shadowctl::session {

// As the user typed them: writer names (any case) or class ids. At most one list is set;
// both empty means every writer, without component mode.
struct WriterSelection {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool empty() const { return include.empty() && exclude.empty(); }
};

// The class ids the names stand for, each once. Throws VSS_E_OBJECT_NOT_FOUND (exit 7)
// naming the first that matches no writer, with the names of the writers there are.
std::vector<std::string> resolve_writer_classes(const std::vector<std::string>& names,
                                                const std::vector<core::WriterStatus>& writers);

// The components a requester adds for one writer: each with no selectable-for-backup
// ancestor in its logical path; the others come with their ancestor ("Working with
// Selectability and Logical Paths").
std::vector<ComponentRef> components_to_add(const core::WriterMetadata& writer);

}  // namespace shadowctl::session
