#include "cli/cmd_list.h"

#include "report/shapes.h"
#include "report/table.h"
#include "session/inventory.h"

namespace shadowctl::cli {
namespace {

// Grouped by set, as vssadmin prints them; the input is newest first, so is each group.
void render_shadows(const std::vector<core::ShadowCopy>& shadows, std::ostream& out) {
  if (shadows.empty()) {
    out << "No shadow copies.\n";
    return;
  }
  std::vector<std::string> sets;
  for (const auto& s : shadows)
    if (std::find(sets.begin(), sets.end(), s.set_id) == sets.end()) sets.push_back(s.set_id);
  for (const auto& set : sets) {
    out << "Set " << set << '\n';
    report::Table table({"  ID", "VOLUME", "CREATED (UTC)", "ATTRIBUTES", "DEVICE"});
    for (const auto& s : shadows)
      if (s.set_id == set)
        table.add({"  " + s.id, s.original_volume, report::utc_timestamp(s.created_unix_us),
                   report::attribute_words(s.attributes), s.device_object});
    table.print(out);
  }
}

}  // namespace

void setup_list_shadows(CLI::App& app, ListShadowsOptions& /*options*/) {
  app.description("List every shadow copy on the machine, of every context, newest first.");
}

report::Outcome run_list_shadows(const ListShadowsOptions& /*options*/, Context& context) {
  const auto shadows = session::query_shadow_copies(context.system);
  report::Outcome outcome;
  outcome.command = "list shadows";
  outcome.result = nlohmann::json::array();
  for (const auto& s : shadows) outcome.result.push_back(report::shadow_copy_json(s));
  outcome.human = [shadows](std::ostream& out, const report::Style&) {
    render_shadows(shadows, out);
  };
  return outcome;
}

Command list_command() {
  return make_group("list", "List shadow copies",
                    {make_command<ListShadowsOptions>("shadows", "Every shadow copy, newest first",
                                                      setup_list_shadows, run_list_shadows)});
}

}  // namespace shadowctl::cli
