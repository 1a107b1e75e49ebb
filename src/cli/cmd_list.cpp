#include "cli/cmd_list.h"

#include <unordered_map>

#include <fmt/format.h>

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "core/vss.h"
#include "core/text.h"
#include "core/writer_services.h"
#include "report/shapes.h"
#include "report/table.h"
#include "report/terminal.h"
#include "session/deletion.h"
#include "session/inventory.h"

namespace shadowctl::cli {
namespace {

// A set's shadow copies in the order given (newest first); sets in the order first seen.
// One pass and one lookup per copy: linear in the number of copies.
std::vector<std::vector<const core::ShadowCopy*>> group_by_set(
    const std::vector<core::ShadowCopy>& shadows) {
  std::vector<std::vector<const core::ShadowCopy*>> groups;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& s : shadows) {
    const auto [it, added] = index.try_emplace(s.set_id, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(&s);
  }
  return groups;
}

std::string volume_label(const core::ShadowCopy& s) {
  return s.original_mount_point.empty() ? s.original_volume
                                        : s.original_mount_point + " (" + s.original_volume + ")";
}

std::string context_label(long attributes) {
  const auto c = core::vss::context_of(attributes);
  return c ? fmt::format("{} ({})", c->word, c->meaning) : "unknown";
}

void render_shadows(const std::vector<core::ShadowCopy>& shadows, bool filtered,
                    std::ostream& out) {
  if (shadows.empty()) {
    out << (filtered ? "No shadow copies match.\n" : "No shadow copies.\n");
    return;
  }
  const auto groups = group_by_set(shadows);
  for (const auto& group : groups) {
    out << "Set " << group.front()->set_id << "  (" << group.size() << " of "
        << core::shadow_copies_text(static_cast<std::size_t>(group.front()->shadows_in_set)) << ")\n";
    for (const core::ShadowCopy* s : group) {
      // What comes from the system is written in_line: one line, whatever it holds.
      using report::in_line;
      out << "  " << s->id << '\n'
          << "    volume      " << in_line(volume_label(*s)) << '\n'
          << "    device      " << in_line(s->device_path) << '\n'
          << "    created     " << report::local_time(s->created_unix_us) << '\n'
          << "    context     " << context_label(s->attributes) << '\n'
          << "    attributes  " << report::attribute_words(s->attributes) << '\n'
          << "    provider    "
          << in_line(s->provider_name.empty() ? s->provider_id : s->provider_name) << '\n';
      if (!s->exposed_name.empty())
        out << "    exposed     " << in_line(s->exposed_name)
            << in_line(s->exposed_path.empty() ? "" : " " + s->exposed_path) << '\n';
      out << "    machine     " << in_line(s->originating_machine);
      if (s->service_machine != s->originating_machine)
        out << " (served by " << in_line(s->service_machine) << ")";
      out << '\n';
    }
  }
  out << core::shadow_copies_text(shadows.size()) << " in "
      << groups.size() << (groups.size() == 1 ? " set.\n" : " sets.\n");
}

const core::WriterMetadata* metadata_of(const core::WriterStatus& w,
                                        const std::vector<core::WriterMetadata>& metadata) {
  for (const auto& m : metadata)
    if (m.instance_id == w.instance_id) return &m;
  for (const auto& m : metadata)
    if (m.id == w.id) return &m;
  return nullptr;
}

}  // namespace

void setup_list_shadows(CLI::App& app, ListShadowsOptions& options) {
  app.description("List every shadow copy on the machine, of every context, newest first.");
  app.add_option("--volume", options.volumes,
                 "Only shadow copies of this volume: C, C:, C:\\, a mount folder, or "
                 "\\\\?\\Volume{GUID}\\ (repeatable)");
  app.add_option("--set", options.set_id, "Only shadow copies of this snapshot set (a GUID)");
  app.add_option("--id", options.id, "Only the shadow copy with this id (a GUID)");
}

report::Outcome run_list_shadows(const ListShadowsOptions& options, Context& context) {
  session::ShadowSelection selection;
  selection.set_id = guid_option(options.set_id, "--set");
  if (const auto id = guid_option(options.id, "--id")) selection.ids.push_back(*id);
  const auto volumes = session::VolumeTable::read(context.system);
  for (const core::Volume* v : volumes.resolve(options.volumes))
    selection.volumes.push_back(v->name);
  auto shadows = session::query_shadow_copies(context.system, volumes, selection);

  report::Outcome outcome;
  outcome.command = "list shadows";
  // An id that names nothing is an error; a filter that matches nothing is an empty list.
  session::check_named_exist(selection, shadows);
  // Thousands of shadow copies: written one at a time (docs/performance.md).
  auto listed = std::make_shared<const std::vector<core::ShadowCopy>>(std::move(shadows));
  outcome.result_items = [listed](const auto& yield) {
    std::string item;
    for (const auto& s : *listed) {
      item.clear();
      report::append_shadow_copy_json(item, s, report::kResultItemIndent);
      yield(item);
    }
  };
  const bool filtered = !options.volumes.empty();
  outcome.human = [listed, filtered](std::ostream& out, const report::Style&) {
    render_shadows(*listed, filtered, out);
  };
  return outcome;
}

void setup_list_writers(CLI::App& app, ListWritersOptions& options) {
  app.description(
      "List every VSS writer with its state and last failure. A writer in a failed state "
      "makes the exit code 5 (writer_failure) and is named in the error.");
  app.add_flag("--detailed", options.detailed,
               "Also each writer's components: logical path, name, type, selectable, files");
  add_timeout_option(app, options.timeout_seconds,
                     "Seconds each phase (GatherWriterMetadata, GatherWriterStatus) may take");
}

report::Outcome run_list_writers(const ListWritersOptions& options, Context& context) {
  const auto inventory = session::query_writers(
      context.system, wait_policy(context, std::chrono::seconds(options.timeout_seconds)),
      options.detailed);
  report::Outcome outcome;
  outcome.command = "list writers";
  outcome.result = nlohmann::json::array();
  for (const auto& w : inventory.status) {
    auto entry = report::writer_status_json(w);
    if (options.detailed) {
      const core::WriterMetadata* m = metadata_of(w, inventory.metadata);
      entry["components"] = report::writer_components_json(m ? m->components : decltype(m->components){});
    }
    outcome.result.push_back(std::move(entry));
    if (core::vss::writer_state_failed(w.state) && !outcome.error) {
      // The first failed writer is the run's error; each one is in the result.
      const auto state = core::vss::writer_state(w.state);
      core::Diagnosis d = core::diagnose(
          w.failure ? w.failure : core::hr::vss_e_unexpected_writer_error, "writer " + w.name);
      d.detail = "writer '" + w.name + "' is in state " +
                 (state ? std::string(state->name) : std::to_string(w.state));
      d.remedy = core::writer_remedy(w.name, d.remedy);
      d.writer = w.name;
      d.exit = core::ExitStatus::writer_failure;
      outcome.error = d;
      outcome.exit = core::ExitStatus::writer_failure;
    }
  }
  const bool detailed = options.detailed;
  outcome.human = [inventory, detailed](std::ostream& out, const report::Style&) {
    if (inventory.status.empty()) {
      out << "No writers.\n";
      return;
    }
    report::Table table({"WRITER", "STATE", "LAST ERROR", "WRITER ID"});
    for (const auto& w : inventory.status) {
      const auto state = core::vss::writer_state(w.state);
      // "VSS_WS_" dropped: the table is for reading, JSON keeps the full name.
      const std::string shown =
          state ? std::string(state->name.substr(7)) : std::to_string(w.state);
      table.add({w.name, shown, w.failure ? core::diagnose(w.failure).name : "-", w.id});
    }
    table.print(out);
    if (!detailed) return;
    for (const auto& w : inventory.status) {
      const core::WriterMetadata* m = metadata_of(w, inventory.metadata);
      using report::in_line;
      // Labelled as vssadmin labels them: the class id every instance shares, and this one's.
      out << '\n' << in_line(w.name) << '\n'
          << "  writer id:    " << w.id << '\n'
          << "  instance id:  " << w.instance_id << '\n';
      if (!m || m->components.empty()) out << "  (no components)\n";
      if (!m) continue;
      for (const auto& c : m->components) {
        out << "  " << c.type << "  "
            << in_line(c.logical_path.empty() ? c.name : c.logical_path + "\\" + c.name)
            << (c.selectable ? "  selectable" : "") << '\n';
        for (const auto& f : c.files)
          out << "    " << in_line(f.path)
              << (f.path.empty() || f.path.back() == '\\' ? "" : "\\") << in_line(f.filespec)
              << (f.recursive ? "  (recursive)" : "") << '\n';
      }
    }
  };
  return outcome;
}

void setup_list_providers(CLI::App& app, ListProvidersOptions& /*options*/) {
  app.description("List the registered VSS providers: name, id, type, version.");
}

report::Outcome run_list_providers(const ListProvidersOptions& /*options*/, Context& context) {
  const auto providers = session::query_providers(context.system);
  report::Outcome outcome;
  outcome.command = "list providers";
  outcome.result = nlohmann::json::array();
  for (const auto& p : providers) outcome.result.push_back(report::provider_json(p));
  outcome.human = [providers](std::ostream& out, const report::Style&) {
    if (providers.empty()) {
      out << "No providers.\n";
      return;
    }
    report::Table table({"PROVIDER", "TYPE", "VERSION", "ID"});
    for (const auto& p : providers)
      table.add({p.name, report::provider_json(p)["type"].get<std::string>(), p.version, p.id});
    table.print(out);
  };
  return outcome;
}

void setup_list_volumes(CLI::App& app, ListVolumesOptions& /*options*/) {
  app.description(
      "List every local volume: mount points, file system, label, whether VSS can shadow it "
      "and how many shadow copies it has.");
}

report::Outcome run_list_volumes(const ListVolumesOptions& /*options*/, Context& context) {
  const auto volumes = session::query_volumes(context.system,
                                              session::VolumeTable::read(context.system));
  report::Outcome outcome;
  outcome.command = "list volumes";
  outcome.result = nlohmann::json::array();
  for (const auto& v : volumes) outcome.result.push_back(report::volume_json(v));
  outcome.human = [volumes](std::ostream& out, const report::Style&) {
    if (volumes.empty()) {
      out << "No local volumes.\n";
      return;
    }
    report::Table table({"MOUNTED AT", "FS", "LABEL", "VSS", "SHADOWS", "VOLUME"});
    for (const auto& v : volumes) {
      std::string mounts;
      for (const auto& m : v.volume.mount_points) mounts += (mounts.empty() ? "" : ", ") + m;
      table.add({mounts.empty() ? "-" : mounts, v.volume.file_system,
                 v.volume.label.empty() ? "-" : v.volume.label,
                 v.supported ? "supported" : "not supported", std::to_string(v.shadow_count),
                 v.volume.name});
    }
    table.print(out);
  };
  return outcome;
}

void setup_list_storage(CLI::App& app, ListStorageOptions& /*options*/) {
  app.description(
      "List shadow storage: for which volume, on which volume, used, allocated and maximum.");
}

report::Outcome run_list_storage(const ListStorageOptions& /*options*/, Context& context) {
  const auto volumes = session::VolumeTable::read(context.system);
  const auto storage = session::query_storage(context.system, volumes);
  report::Outcome outcome;
  outcome.command = "list storage";
  outcome.result = nlohmann::json::array();
  for (const auto& s : storage) outcome.result.push_back(report::storage_json(s));
  outcome.human = [storage, volumes](std::ostream& out, const report::Style&) {
    if (storage.empty()) {
      out << "No shadow storage associations.\n";
      return;
    }
    report::Table table({"FOR", "ON", "USED", "ALLOCATED", "MAXIMUM", "USED OF MAX"});
    for (const auto& s : storage)
      table.add({volumes.display_name_of(s.for_volume), volumes.display_name_of(s.on_volume), report::human_bytes(s.used),
                 report::human_bytes(s.allocated),
                 s.maximum == 0 ? "UNBOUNDED" : report::human_bytes(s.maximum),
                 s.maximum == 0 ? "-" : report::percent(s.used, s.maximum)});
    table.print(out);
  };
  return outcome;
}

Command list_command() {
  return make_group(
      "list", "List shadow copies, writers, providers, volumes and shadow storage",
      {make_command<ListShadowsOptions>("shadows", "Every shadow copy, newest first",
                                        setup_list_shadows, run_list_shadows),
       make_command<ListWritersOptions>("writers", "Every writer, its state and last failure",
                                        setup_list_writers, run_list_writers),
       make_command<ListProvidersOptions>("providers", "The registered VSS providers",
                                          setup_list_providers, run_list_providers),
       make_command<ListVolumesOptions>("volumes", "Every local volume and whether VSS can shadow it",
                                        setup_list_volumes, run_list_volumes),
       make_command<ListStorageOptions>("storage", "Shadow storage: used, allocated, maximum",
                                        setup_list_storage, run_list_storage)});
}

}  // namespace shadowctl::cli
