#include "cli/cmd_list.h"

#include "core/error_catalogue.h"
#include "core/vss.h"
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

void setup_list_writers(CLI::App& app, ListWritersOptions& options) {
  app.description(
      "List every VSS writer with its state and last failure. A writer in a failed state "
      "makes the exit code 5 (writer_failure) and is named in the error.");
  app.add_option("--timeout", options.timeout_seconds,
                 "Seconds each phase (GatherWriterMetadata, GatherWriterStatus) may take")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
}

report::Outcome run_list_writers(const ListWritersOptions& options, Context& context) {
  const auto writers = session::query_writers(
      context.system, wait_policy(context, std::chrono::seconds(options.timeout_seconds)));
  report::Outcome outcome;
  outcome.command = "list writers";
  outcome.result = nlohmann::json::array();
  for (const auto& w : writers) {
    outcome.result.push_back(report::writer_status_json(w));
    if (core::vss::writer_state_failed(w.state) && !outcome.error) {
      // The first failed writer is the run's error; each one is in the result.
      const auto state = core::vss::writer_state(w.state);
      core::Diagnosis d = core::diagnose(
          w.failure ? w.failure : core::hr::vss_e_unexpected_writer_error, "writer " + w.name);
      d.meaning = "writer '" + w.name + "' is in state " +
                  (state ? std::string(state->name) : std::to_string(w.state)) + ": " +
                  d.meaning;
      d.exit = core::ExitStatus::writer_failure;
      outcome.error = d;
      outcome.exit = core::ExitStatus::writer_failure;
    }
  }
  outcome.human = [writers](std::ostream& out, const report::Style&) {
    if (writers.empty()) {
      out << "No writers.\n";
      return;
    }
    report::Table table({"WRITER", "STATE", "LAST ERROR", "WRITER ID"});
    for (const auto& w : writers) {
      const auto state = core::vss::writer_state(w.state);
      // "VSS_WS_" dropped: the table is for reading, JSON keeps the full name.
      const std::string shown =
          state ? std::string(state->name.substr(7)) : std::to_string(w.state);
      table.add({w.name, shown, w.failure ? core::diagnose(w.failure).name : "-", w.id});
    }
    table.print(out);
  };
  return outcome;
}

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
  return make_group(
      "list", "List shadow copies and writers",
      {make_command<ListShadowsOptions>("shadows", "Every shadow copy, newest first",
                                        setup_list_shadows, run_list_shadows),
       make_command<ListWritersOptions>("writers", "Every writer, its state and last failure",
                                        setup_list_writers, run_list_writers)});
}

}  // namespace shadowctl::cli
