#include "session/writer_selection.h"

#include <algorithm>

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/vss.h"
#include "session/volumes.h"

namespace shadowctl::session {
namespace {

// A component's full logical path: its logical path, then its name.
std::string full_path(const core::WriterComponent& c) {
  return c.logical_path.empty() ? c.name : c.logical_path + "\\" + c.name;
}

bool is_ancestor(const core::WriterComponent& ancestor, const core::WriterComponent& c) {
  const std::string path = full_path(ancestor);
  return c.logical_path.size() >= path.size() && same_path(c.logical_path.substr(0, path.size()), path) &&
         (c.logical_path.size() == path.size() || c.logical_path[path.size()] == '\\');
}

}  // namespace

std::vector<std::string> resolve_writer_classes(const std::vector<std::string>& names,
                                                const std::vector<core::WriterStatus>& writers) {
  std::vector<std::string> ids;
  for (const auto& name : names) {
    const auto guid = core::parse_guid(name);
    const auto it = std::find_if(writers.begin(), writers.end(), [&](const auto& w) {
      return guid ? same_path(w.id, *guid) : same_path(w.name, name);
    });
    if (it == writers.end()) {
      std::vector<std::string> there;
      for (const auto& w : writers)
        if (std::find(there.begin(), there.end(), w.name) == there.end()) there.push_back(w.name);
      std::string list;
      for (const auto& n : there) list += (list.empty() ? "" : ", ") + n;
      throw core::Error({core::hr::vss_e_object_not_found, "writer selection",
                         "no writer is named '" + name + "'; the writers here are: " +
                             (list.empty() ? "none" : list)});
    }
    if (std::none_of(ids.begin(), ids.end(), [&](const auto& id) { return same_path(id, it->id); }))
      ids.push_back(it->id);
  }
  return ids;
}

std::vector<ComponentRef> components_to_add(const core::WriterMetadata& writer) {
  std::vector<ComponentRef> out;
  for (const auto& c : writer.components) {
    const bool implied = std::any_of(writer.components.begin(), writer.components.end(),
                                     [&](const auto& a) { return a.selectable && is_ancestor(a, c); });
    if (implied) continue;
    out.push_back({writer.instance_id, writer.id,
                   c.type == "database" ? core::vss::component_type::database
                                        : core::vss::component_type::filegroup,
                   c.logical_path, c.name});
  }
  return out;
}

}  // namespace shadowctl::session
