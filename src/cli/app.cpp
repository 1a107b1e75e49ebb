#include "core/error_catalogue.h"
#include "cli/app.h"

#include <algorithm>
#include <exception>

#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "core/failure.h"
#include "report/logging.h"
#include "report/reporter.h"
#include "shadowctl_version.h"

namespace shadowctl::cli {

report::Outcome usage_outcome(std::string command, std::string message) {
  report::Outcome outcome;
  outcome.command = std::move(command);
  core::Diagnosis d = core::diagnose(core::hr::shadowctl_e_usage);
  d.meaning = std::move(message);
  outcome.error = d;
  outcome.exit = core::ExitStatus::usage;
  return outcome;
}

namespace {

// The first word that is not a global option names the command: CLI11 would only say that
// a subcommand is required, not which word it did not know.
std::string unknown_command(const std::vector<std::string>& args, const CLI::App& app) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--log-file") {
      ++i;
      continue;
    }
    if (a.empty() || a[0] == '-') continue;
    for (const auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == a) return {};
    }
    return a;
  }
  return {};
}

struct GlobalOptions {
  bool json = false;
  int verbosity = 0;
  bool quiet = false;
  bool no_color = false;
  std::string log_file;
};

report::Outcome failure_outcome(std::string command, const core::Failure& f,
                                session::Backend& backend) {
  report::Outcome outcome;
  outcome.command = std::move(command);
  core::Diagnosis d = core::diagnose(f.hr, f.phase, backend.system_message(f.hr));
  if (!f.detail.empty()) d.meaning += " (" + f.detail + ")";
  outcome.exit = d.exit == core::ExitStatus::success ? core::ExitStatus::failure : d.exit;
  outcome.error = std::move(d);
  return outcome;
}

}  // namespace

int run(const std::vector<std::string>& args, Io io, session::Backend& backend,
        session::CancelToken& cancel) {
  GlobalOptions global;
  // Known before parsing, so that a command line CLI11 rejects still gets a JSON answer.
  global.json = std::find(args.begin(), args.end(), "--json") != args.end();

  CLI::App app{"shadowctl: check, list, create and delete Windows shadow copies (VSS)",
               "shadowctl"};
  app.set_version_flag("--version", std::string("shadowctl ") + SHADOWCTL_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_flag("--json", global.json, "Write one JSON document to stdout");
  app.add_flag("-v,--verbose", global.verbosity, "More log detail on stderr (-v info, -vv debug)");
  app.add_flag("-q,--quiet", global.quiet, "Only errors on stderr");
  app.add_flag("--no-color", global.no_color, "No colour (also set by NO_COLOR)");
  app.add_option("--log-file", global.log_file, "Write the full debug log to this file");

  CheckOptions check_options;
  setup_check(*app.add_subcommand("check"), check_options);
  ExplainOptions explain_options;
  setup_explain(*app.add_subcommand("explain"), explain_options);

  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::string command = "shadowctl";

  auto reporter = [&] {
    return report::Reporter(io.out, io.err,
                            {global.json, global.quiet, io.color_allowed && !global.no_color});
  };

  if (const std::string word = unknown_command(args, app); !word.empty()) {
    return reporter().emit(usage_outcome(
        command, "'" + word + "' is not a shadowctl command; the commands are: check, explain"));
  }

  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::ParseError& e) {
    for (const auto* sub : app.get_subcommands()) command = sub->get_name();
    return reporter().emit(usage_outcome(command, e.what()));
  }
  command = app.get_subcommands().front()->get_name();

  std::string log_error;
  if (!report::setup_logging(io.err, global.verbosity, global.quiet, global.log_file,
                             &log_error)) {
    return reporter().emit(
        usage_outcome(command, "cannot open --log-file '" + global.log_file + "': " + log_error));
  }
  spdlog::debug("shadowctl {} {}", SHADOWCTL_VERSION, command);

  Context context{backend, cancel};
  report::Outcome outcome;
  try {
    if (command == "check") {
      outcome = run_check(check_options, context);
    } else {
      outcome = run_explain(explain_options, context);
    }
  } catch (const core::Error& e) {
    outcome = failure_outcome(command, e.failure(), backend);
  } catch (const std::exception& e) {
    outcome = failure_outcome(command, {core::hr::shadowctl_e_internal, command, e.what()},
                              backend);
  }
  return reporter().emit(outcome);
}

}  // namespace shadowctl::cli
