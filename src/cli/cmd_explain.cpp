#include <fmt/format.h>

#include "cli/cmd_explain.h"
#include "core/diagnosis.h"
#include "core/event_catalogue.h"
#include "report/shapes.h"
#include "report/table.h"

namespace shadowctl::cli {
namespace {

void render_one(const core::Diagnosis& d, std::optional<std::uint32_t> win32, std::ostream& out,
                const report::Style& style) {
  if (win32)
    out << "Win32 error " << *win32 << ", as the HRESULT " << core::format_hresult(d.hr)
        << " (HRESULT_FROM_WIN32)\n";
  out << style.bold(d.name) << " (" << core::format_hresult(d.hr) << ", "
      << static_cast<std::int32_t>(d.hr) << ")\n"
      << "  meaning:    " << d.meaning << '\n'
      << "  remedy:     " << d.remedy << '\n'
      << "  exit code:  " << core::to_int(d.exit) << " (" << core::exit_status_name(d.exit)
      << ")\n"
      << "  retryable:  " << (d.retryable ? "yes" : "no") << '\n';
}

std::string known_event_ids() {
  std::string ids;
  std::uint32_t last = 0;
  for (const auto& e : core::kEventCatalogue) {
    if (e.id == last) continue;
    ids += (ids.empty() ? "" : ", ") + std::to_string(e.id);
    last = e.id;
  }
  return ids;
}

report::Outcome explain_event(std::uint32_t id, const std::string& source) {
  if (!source.empty() && !core::is_event_source(source))
    return usage_outcome("explain",
                         fmt::format("--source '{}' is not a source shadowctl knows: VSS "
                                     "(Application log) or volsnap (System log)",
                                     source));
  const auto events = core::find_events(id, source);
  if (events.empty())
    return usage_outcome(
        "explain", fmt::format("event {}{} is not in shadowctl's event catalogue; it knows {}", id,
                               source.empty() ? "" : " from " + source, known_event_ids()));
  report::Outcome outcome;
  outcome.command = "explain";
  outcome.result = report::events_json(id, events);
  outcome.human = [events](std::ostream& out, const report::Style& style) {
    bool first = true;
    for (const auto* e : events) {
      if (!first) out << '\n';
      first = false;
      out << style.bold(fmt::format("{} event {}", e->source, e->id)) << " (" << e->log << " log, "
          << e->level << ")\n"
          << "  meaning:  " << e->meaning << '\n'
          << "  causes:   " << e->causes << '\n'
          << "  remedy:   " << e->remedy << '\n';
    }
  };
  return outcome;
}

}  // namespace

void setup_explain(CLI::App& app, ExplainOptions& options) {
  app.description(
      "Explain an HRESULT, a Win32 error code or a VSS event ID: its name, meaning, remedy "
      "and exit code.");
  app.add_option("code", options.code,
                 "0x8004230F, 2147754767, -2147212529, a name such as VSS_E_PROVIDER_VETO, "
                 "or a Win32 error code below 65536 such as 5");
  app.add_flag("--all", options.all, "Print the whole error catalogue");
  app.add_option("--event", options.event,
                 "A VSS or volsnap event ID from the event log, such as 8193 or 12298");
  app.add_option("--source", options.source,
                 "With --event: the event's source, VSS (Application log) or volsnap "
                 "(System log)");
}

report::Outcome run_explain(const ExplainOptions& options, Context& context) {
  report::Outcome outcome;
  outcome.command = "explain";
  const int asked =
      (options.all ? 1 : 0) + (options.code.empty() ? 0 : 1) + (options.event ? 1 : 0);
  if (asked != 1)
    return usage_outcome("explain", "explain takes one of: a CODE, --all, or --event ID");
  if (!options.source.empty() && !options.event)
    return usage_outcome("explain", "--source goes with --event only");
  if (options.event) return explain_event(*options.event, options.source);

  if (options.all) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& e : core::kErrorCatalogue) all.push_back(report::diagnosis_json(core::diagnose(e.value)));
    outcome.result = all;
    outcome.human = [](std::ostream& out, const report::Style&) {
      report::Table table({"VALUE", "NAME", "EXIT", "RETRY", "MEANING"});
      for (const auto& e : core::kErrorCatalogue)
        table.add({core::format_hresult(e.value), std::string(e.name),
                   std::to_string(core::to_int(e.exit)), e.retryable ? "yes" : "no",
                   std::string(e.meaning)});
      table.print(out);
    };
    return outcome;
  }

  // A bare decimal below 65536 is what a Win32 message shows ("error 5"): read as a Win32
  // code. S_FALSE and other small HRESULTs stay reachable as hex (0x1) or by name.
  const auto win32 = core::parse_win32_code(options.code);
  const auto value = win32 ? std::optional(core::hresult_from_win32(*win32))
                           : core::parse_error_code(options.code);
  if (!value)
    return usage_outcome(
        "explain",
        fmt::format("'{}' is not an error code: expected hex (0x8004230F), decimal "
                    "(2147754767 or -2147212529), a symbolic name (VSS_E_PROVIDER_VETO) or a "
                    "Win32 error code below 65536 (5)",
                    options.code));
  const core::Diagnosis d = core::diagnose(*value, {}, context.system.environment.system_message(*value));
  outcome.result = report::diagnosis_json(d);
  if (win32) outcome.result["win32_code"] = *win32;
  outcome.human = [d, win32](std::ostream& out, const report::Style& style) {
    render_one(d, win32, out, style);
  };
  return outcome;
}

Command explain_command() {
  return make_command<ExplainOptions>(
      "explain", "Explain an HRESULT, Win32 error or VSS event ID: meaning, remedy, exit code",
      setup_explain, run_explain);
}

}  // namespace shadowctl::cli
