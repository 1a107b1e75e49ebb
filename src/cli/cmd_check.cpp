#include <algorithm>
#include <chrono>


#include "cli/cmd_check.h"
#include "report/terminal.h"
#include "report/shapes.h"
#include "session/preflight.h"
#include "session/volumes.h"

namespace shadowctl::cli {
namespace {

std::string status_label(core::CheckStatus status, const report::Style& style) {
  switch (status) {
    case core::CheckStatus::ok: return style.good("ok  ");
    case core::CheckStatus::warn: return style.warn("warn");
    case core::CheckStatus::fail: return style.bad("FAIL");
    case core::CheckStatus::skip: return style.dim("skip");
  }
  return "?";
}

void render(const core::CheckReport& report, std::ostream& out, const report::Style& style) {
  std::size_t width = 0;
  for (const auto& c : report.checks) width = std::max(width, c.name.size());
  for (const auto& c : report.checks) {
    out << status_label(c.status, style) << "  " << c.name
        << std::string(width - c.name.size() + 2, ' ') << report::in_line(c.detail);
    if (c.diagnosis) out << " [" << c.diagnosis->name << "]";
    out << '\n';
    if (!c.remedy.empty())
      out << std::string(6 + width + 2, ' ') << style.dim("hint: ") << c.remedy << '\n';
  }
  if (!report.events.empty()) {
    out << "\nEvents since " << report::local_time(report.events_since_unix_us) << ":\n";
    report::render_logged_events(out, style, report.events, "  ");
  }
  out << '\n' << (report.ok() ? style.good(report.verdict()) : style.bad(report.verdict())) << '\n';
}

}  // namespace

void setup_check(CLI::App& app, CheckOptions& options) {
  app.description(
      "Check that VSS can work here: architecture, elevation, SeBackupPrivilege, the VSS "
      "service, COM, vssapi.dll, a backup object; then warn about failed writers, full shadow "
      "storage and volumes near their shadow copy limits. Creates no shadow copy. With "
      "--deep, prove that a backup would work: a trial shadow copy of each volume (made and "
      "deleted at once), the shadow storage's headroom, the VSS, volsnap and writer events "
      "of the last day, and whether another set is being created.");
  app.add_option("volumes", options.volumes,
                 "With --deep: the volumes to try (C, C:, C:\\, a mount folder or "
                 "\\\\?\\Volume{GUID}\\); default every local volume");
  app.add_flag("--deep", options.deep,
               "Also make a trial shadow copy of each volume (writer-less, non-persistent, "
               "deleted at once), measure each volume's shadow storage headroom, read the "
               "events of the last day, and ask whether another snapshot set is being created");
  app.add_flag("--writers", options.writers,
               "With --deep: a trial with the writers too (copy backup type: no writer "
               "truncates anything), and each writer's state after the freeze");
  app.add_option("--since", options.since,
                 "With --deep: the events from how long ago: 90m, 36h, 10d, 2w (default 24h)");
  app.add_flag("--strict", options.strict,
               "Fail on what plain check only warns about: a failed writer (exit 5), shadow "
               "storage or shadow copy counts at 90% of their limits (exit 9)");
  add_timeout_option(app, options.timeout_seconds,
                     "Seconds each VSS phase may take (the writer queries; with --deep, each "
                     "phase of a trial)");
}

report::Outcome run_check(const CheckOptions& options, Context& context) {
  if (!options.deep && (options.writers || !options.volumes.empty() || options.since != "24h"))
    return usage_outcome("check", "volumes, --writers and --since go with --deep");
  const std::int64_t since = duration_option(options.since, "--since");
  session::PreflightOptions preflight{options.deep, options.strict, options.writers, {}, 0};
  if (!options.volumes.empty()) {
    const auto volumes = session::VolumeTable::read(context.system);
    for (const core::Volume* v : volumes.resolve(options.volumes))
      preflight.volumes.push_back(v->name);
  }
  preflight.events_since_unix_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count() -
                                   since;
  core::CheckReport result = session::run_preflight(
      context.system, wait_policy(context, std::chrono::seconds(options.timeout_seconds)),
      preflight);
  report::Outcome outcome;
  outcome.command = "check";
  outcome.result = report::check_report_json(result);
  for (const auto& c : result.checks)
    if (c.status == core::CheckStatus::warn)
      outcome.warnings.push_back({"check_warned", c.name + ": " + c.detail,
                                  c.about.empty() ? c.name : c.about,
                                  c.diagnosis ? c.diagnosis->hr : 0});
  outcome.error = result.first_failure;
  outcome.exit = result.first_failure ? result.first_failure->exit : core::ExitStatus::success;
  outcome.human = [result](std::ostream& out, const report::Style& style) {
    render(result, out, style);
  };
  return outcome;
}

Command check_command() {
  return make_command<CheckOptions>("check", "Check that VSS can work here (creates nothing)",
                                    setup_check, run_check);
}

}  // namespace shadowctl::cli
