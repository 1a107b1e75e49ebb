#include "report/reporter.h"

#include "core/hresult.h"
#include "report/shapes.h"

namespace shadowctl::report {

Reporter::Reporter(std::ostream& out, std::ostream& err, OutputOptions options)
    : out_(out),
      err_(err),
      options_(options),
      style_(options.color),
      progress_(err, options.err_is_terminal && !options.json && !options.quiet) {}

int Reporter::emit(const Outcome& outcome) {
  const int code = core::to_int(outcome.exit);
  progress_.clear();
  if (options_.json) {
    nlohmann::json doc = {
        {"schema", "shadowctl/v1"},
        {"command", outcome.command},
        {"ok", !outcome.error && outcome.exit == core::ExitStatus::success},
        {"exit_code", code},
        {"result", outcome.result},
        {"warnings", outcome.warnings},
        {"error", outcome.error ? diagnosis_json(*outcome.error) : nlohmann::json(nullptr)},
    };
    // Invalid UTF-8 from the system must not make the one document unparseable.
    const std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
    if (json_sink_) {
      const std::string error = json_sink_(text);
      if (error.empty()) return code;
      err_ << style_.bad("error: ") << error << '\n';
      err_.flush();
      return code == 0 ? core::to_int(core::ExitStatus::failure) : code;
    }
    out_ << text;
    out_.flush();
    return code;
  }

  if (outcome.human) outcome.human(out_, style_);
  out_.flush();
  if (!options_.quiet)
    for (const auto& w : outcome.warnings) err_ << style_.warn("warning: ") << w << '\n';
  if (outcome.error) {
    const core::Diagnosis& d = *outcome.error;
    err_ << style_.bad("error: ") << d.name << " (" << core::format_hresult(d.hr) << ")";
    if (!d.phase.empty()) err_ << " during " << d.phase;
    err_ << ": " << d.meaning << '\n' << style_.dim("hint: ") << d.remedy << '\n';
  }
  err_.flush();
  return code;
}

}  // namespace shadowctl::report
