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
  return c.logical_path.size() >= path.size() && same_ignoring_case(c.logical_path.substr(0, path.size()), path) &&
         (c.logical_path.size() == path.size() || c.logical_path[path.size()] == '\\');
}

}  // namespace

std::vector<std::string> resolve_writer_classes(const std::vector<std::string>& names,
                                                const std::vector<core::WriterStatus>& writers) {
  std::vector<std::string> ids;
  for (const auto& name : names) {
    const auto guid = core::parse_guid(name);
    const auto it = std::find_if(writers.begin(), writers.end(), [&](const auto& w) {
      return guid ? same_ignoring_case(w.id, *guid) : same_ignoring_case(w.name, name);
    });
    if (it == writers.end()) {
      std::vector<std::string> there;
      for (const auto& w : writers)
        if (std::find(there.begin(), there.end(), w.name) == there.end()) there.push_back(w.name);
      std::string list;
      for (const auto& n : there) list += (list.empty() ? "" : ", ") + n;
      throw core::Error({core::hr::vss_e_object_not_found, "writer selection",
                         "no writer is named '" + name + "'; the writers here are: " +
                             (list.empty() ? "none" : list),
                         {},
                         {},
                         "List the writers with `shadowctl list writers` and give a name or "
                         "writer id from it.",
                         {},
                         name});
    }
    if (std::none_of(ids.begin(), ids.end(), [&](const auto& id) { return same_ignoring_case(id, it->id); }))
      ids.push_back(it->id);
  }
  return ids;
}

namespace {

// The components a backup of `c` needs: itself, the components under it (they come with it),
// and, through each of these, the components they depend on (IVssWMDependency), in whichever
// writer describes them ("Overview of the Backup Discovery Phase").
std::vector<const core::WriterComponent*> needed_by(const core::WriterMetadata& writer,
                                                    const core::WriterComponent& c,
                                                    const std::vector<core::WriterMetadata>& all) {
  std::vector<const core::WriterComponent*> needed;
  std::vector<std::pair<const core::WriterMetadata*, const core::WriterComponent*>> todo{
      {&writer, &c}};
  while (!todo.empty()) {
    const auto [w, top] = todo.back();
    todo.pop_back();
    for (const auto& part : w->components) {
      if (&part != top && !is_ancestor(*top, part)) continue;
      if (std::find(needed.begin(), needed.end(), &part) != needed.end()) continue;
      needed.push_back(&part);
      for (const auto& d : part.dependencies)
        for (const auto& other : all) {
          if (!same_ignoring_case(other.id, d.writer_id)) continue;
          for (const auto& target : other.components)
            if (same_ignoring_case(target.logical_path, d.logical_path) && same_ignoring_case(target.name, d.name))
              todo.emplace_back(&other, &target);
        }
    }
  }
  return needed;
}

}  // namespace

ComponentPlan plan_components(const core::WriterMetadata& writer,
                              const std::vector<core::WriterMetadata>& all,
                              const std::vector<std::string>& set_volumes,
                              const VolumeOfPath& volume_of) {
  ComponentPlan plan;
  for (const auto& c : writer.components) {
    const bool implied = std::any_of(writer.components.begin(), writer.components.end(),
                                     [&](const auto& a) { return a.selectable && is_ancestor(a, c); });
    if (implied) continue;
    // Its own files and those of every component that comes with it or that it depends on.
    std::vector<std::string> outside;
    for (const core::WriterComponent* part : needed_by(writer, c, all)) {
      for (const auto& f : part->files) {
        const PathVolume v = volume_of(f.path);
        const bool in_set = !v.name.empty() &&
                            std::any_of(set_volumes.begin(), set_volumes.end(),
                                        [&](const auto& s) { return same_ignoring_case(s, v.name); });
        const std::string shown = v.name.empty() ? f.path : v.shown;
        if (!in_set && std::find(outside.begin(), outside.end(), shown) == outside.end())
          outside.push_back(shown);
      }
    }
    if (!outside.empty()) {
      std::string list;
      for (const auto& o : outside) list += (list.empty() ? "" : ", ") + o;
      plan.left_out.push_back({writer.name, writer.id, full_path(c), outside,
                               (c.selectable ? "its files lie on " : "it cannot be left out, and its files lie on ") +
                                   list + ", not in the set"});
      if (!c.selectable) plan.dropped = true;
      continue;
    }
    plan.add.push_back({writer.instance_id, writer.id,
                        c.type == "database" ? core::vss::component_type::database
                                             : core::vss::component_type::filegroup,
                        c.logical_path, c.name});
  }
  // A writer whose every component is left out takes no part either.
  if (plan.add.empty() && !plan.left_out.empty()) plan.dropped = true;
  if (plan.dropped) {
    plan.add.clear();
    std::vector<std::string> volumes;
    for (const auto& l : plan.left_out)
      for (const auto& v : l.volumes)
        if (std::find(volumes.begin(), volumes.end(), v) == volumes.end()) volumes.push_back(v);
    std::string list;
    for (const auto& v : volumes) list += (list.empty() ? "" : ", ") + v;
    plan.left_out.insert(plan.left_out.begin(),
                         {writer.name, writer.id, "", volumes,
                          "the writer takes no part: its data need " + list + ", not in the set"});
  }
  return plan;
}

}  // namespace shadowctl::session
