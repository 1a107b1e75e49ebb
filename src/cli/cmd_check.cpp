#include <algorithm>

#include "cli/cmd_check.h"
#include "report/terminal.h"
#include "report/shapes.h"
#include "session/preflight.h"

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
  out << '\n' << (report.ok() ? style.good(report.verdict()) : style.bad(report.verdict())) << '\n';
}

}  // namespace

void setup_check(CLI::App& app, CheckOptions& options) {
  app.description(
      "Check that VSS can work here: architecture, elevation, SeBackupPrivilege, the VSS "
      "service, COM, vssapi.dll, a backup object; then warn about failed writers, full shadow "
      "storage and volumes near their shadow copy limits. Creates no shadow copy and takes "
      "nothing another backup could need (with --deep, the set-in-creation slot for a "
      "moment).");
  app.add_flag("--deep", options.deep,
               "Also ask whether another snapshot set is being created (StartSnapshotSet, then "
               "AbortBackup at once): a backup starting at that moment would fail");
  app.add_flag("--strict", options.strict,
               "Fail on what plain check only warns about: a failed writer (exit 5), shadow "
               "storage or shadow copy counts at 90% of their limits (exit 9)");
  add_timeout_option(app, options.timeout_seconds,
                     "Seconds the writer queries (GatherWriterMetadata, GatherWriterStatus) may take");
}

report::Outcome run_check(const CheckOptions& options, Context& context) {
  core::CheckReport result = session::run_preflight(
      context.system, wait_policy(context, std::chrono::seconds(options.timeout_seconds)),
      options.deep, options.strict);
  report::Outcome outcome;
  outcome.command = "check";
  outcome.result = report::check_report_json(result);
  for (const auto& c : result.checks)
    if (c.status == core::CheckStatus::warn)
      outcome.warnings.push_back({"check_warned", c.name + ": " + c.detail, c.name,
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
