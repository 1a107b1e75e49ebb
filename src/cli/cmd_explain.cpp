#include <fmt/format.h>

#include "cli/commands.h"
#include "core/errors.h"
#include "report/table.h"

namespace shadowctl::cli {
namespace {

nlohmann::json to_json(const core::Diagnosis& d) {
  return {
      {"hresult", core::format_hresult(d.hr)},
      {"decimal", static_cast<std::int32_t>(d.hr)},
      {"name", d.name},
      {"meaning", d.meaning},
      {"remedy", d.remedy},
      {"exit_code", core::to_int(d.exit)},
      {"exit_class", core::exit_status_name(d.exit)},
      {"retryable", d.retryable},
      {"known", d.known},
  };
}

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
    for (const auto& e : core::kErrorCatalogue) all.push_back(to_json(core::diagnose(e.value)));
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
  const core::Diagnosis d = core::diagnose(*value, {}, context.backend.system_message(*value));
  outcome.result = to_json(d);
  outcome.human = [d](std::ostream& out, const report::Style& style) { render_one(d, out, style); };
  return outcome;
}

}  // namespace shadowctl::cli
