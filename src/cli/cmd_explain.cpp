#include <fmt/format.h>

#include "cli/cmd_explain.h"
#include "report/shapes.h"
#include "core/errors.h"
#include "report/table.h"

namespace shadowctl::cli {
namespace {

void render_one(const core::Diagnosis& d, std::ostream& out, const report::Style& style) {
  out << style.bold(d.name) << " (" << core::format_hresult(d.hr) << ", "
      << static_cast<std::int32_t>(d.hr) << ")\n"
      << "  meaning:    " << d.meaning << '\n'
      << "  remedy:     " << d.remedy << '\n'
      << "  exit code:  " << core::to_int(d.exit) << " (" << core::exit_status_name(d.exit)
      << ")\n"
      << "  retryable:  " << (d.retryable ? "yes" : "no") << '\n';
}

}  // namespace

void setup_explain(CLI::App& app, ExplainOptions& options) {
  app.description("Explain an HRESULT: its name, meaning, remedy and exit code.");
  app.add_option("code", options.code,
                 "0x8004230F, 2147754767, -2147212529, or a name such as VSS_E_PROVIDER_VETO");
  app.add_flag("--all", options.all, "Print the whole catalogue");
}

report::Outcome run_explain(const ExplainOptions& options, Context& context) {
  report::Outcome outcome;
  outcome.command = "explain";
  if (options.all == !options.code.empty())
    return usage_outcome("explain", "explain takes either one CODE or --all");

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

  const auto value = core::parse_error_code(options.code);
  if (!value)
    return usage_outcome(
        "explain",
        fmt::format("'{}' is not an error code: expected hex (0x8004230F), decimal "
                    "(2147754767 or -2147212529) or a symbolic name (VSS_E_PROVIDER_VETO)",
                    options.code));
  const core::Diagnosis d = core::diagnose(*value, {}, context.system.environment.system_message(*value));
  outcome.result = report::diagnosis_json(d);
  outcome.human = [d](std::ostream& out, const report::Style& style) { render_one(d, out, style); };
  return outcome;
}

Command explain_command() {
  return make_command<ExplainOptions>(
      "explain", "Explain an HRESULT: name, meaning, remedy, exit code", setup_explain,
      run_explain);
}

}  // namespace shadowctl::cli
