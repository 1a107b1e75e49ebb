#include "cli/app.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <optional>

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/completion.h"
#include "core/arguments.h"
#include "core/build_info.h"
#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "report/logging.h"
#include "report/reporter.h"
#include "session/events.h"
#include "session/output_file.h"
#include "session/privilege.h"

namespace shadowctl::cli {
namespace {
constexpr const char* kProgram = "shadowctl";
}  // namespace

report::Outcome usage_outcome(std::string command, std::string message) {
  core::Diagnosis d = core::diagnose(core::hr::shadowctl_e_usage);
  d.detail = std::move(message);
  // The help of the command that was refused, not the general advice.
  if (!command.empty() && command != kProgram)
    d.remedy = "Run `shadowctl " + command + " --help` for its options and an example.";
  report::Outcome outcome;
  outcome.command = std::move(command);
  outcome.error = d;
  outcome.exit = core::ExitStatus::usage;
  return outcome;
}

namespace {

// Options every command accepts, before or after its name.
struct GlobalOptions {
  bool json_value = false, version_value = false, quiet_value = false, no_color_value = false;
  CLI::Option* json = nullptr;
  CLI::Option* version = nullptr;
  CLI::Option* quiet = nullptr;
  CLI::Option* no_color = nullptr;
  int verbosity = 0;
  bool no_events = false;
  std::string log_file;
  std::string json_file;
};

// A table entry as registered with CLI11: its full name ("list shadows") and its runner
// (none for a group).
struct Registered {
  const Command* command = nullptr;
  std::string path;
  Runner runner;
};
using Registry = std::map<const CLI::App*, Registered>;

// `words`: the command line's words before "--". A command is registered, and its options
// set up, only when its name is among them: only then can CLI11 select it (names match whole
// words). Building every command's options was three quarters of a start-up's instructions
// (docs/performance.md). With -h or --help every command is registered, by name and
// summary, for the help to list them.
void add_commands(CLI::App& parent, const std::vector<Command>& commands,
                  const std::string& prefix, Registry& registry,
                  const std::vector<std::string>& words) {
  const auto named = [&](const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
  };
  const bool help = named("-h") || named("--help");
  for (const Command& c : commands) {
    if (!help && !named(c.name)) continue;
    CLI::App* sub = parent.add_subcommand(c.name, c.summary);
    sub->fallthrough();  // global options may follow the command's name
    Registered r{&c, prefix.empty() ? c.name : prefix + " " + c.name, nullptr};
    if (c.setup) {
      if (named(c.name)) r.runner = c.setup(*sub);
    } else {
      sub->allow_extras();  // an unknown word here is reported by name, below
      add_commands(*sub, c.children, r.path, registry, words);
    }
    registry[sub] = std::move(r);
  }
}

// The deepest command the command line selected: the root, a group or a command.
const CLI::App* selected(const CLI::App& app) {
  const CLI::App* node = &app;
  for (auto subs = node->get_subcommands(); !subs.empty(); subs = node->get_subcommands())
    node = subs.front();
  return node;
}

std::string path_of(const CLI::App* node, const Registry& registry) {
  const auto it = registry.find(node);
  return it == registry.end() ? kProgram : it->second.path;
}

std::string names_of(const std::vector<Command>& commands) {
  std::string names;
  for (const auto& c : commands) names += (names.empty() ? "" : ", ") + c.name;
  return names;
}

const std::vector<Command>& children_of(const CLI::App* node, const Registry& registry) {
  const auto it = registry.find(node);
  return it == registry.end() ? command_table() : it->second.command->children;
}

// A root or group with no command after it, or an unknown word where a command belongs.
report::Outcome missing_command(const CLI::App& app, const CLI::App* node,
                                const Registry& registry) {
  const std::string path = path_of(node, registry);
  const auto& children = children_of(node, registry);
  // Unknown words fall through to the root, whichever level they were typed at.
  const auto leftovers = app.remaining(true);
  for (const auto& word : leftovers) {
    if (word.empty() || word[0] == '-') continue;
    const std::string where = node->get_parent() ? "'" + path + "' command" : "shadowctl command";
    return usage_outcome(path, "'" + word + "' is not a " + where + "; the commands are: " +
                                   names_of(children));
  }
  if (!leftovers.empty()) return usage_outcome(path, "unknown option '" + leftovers.front() + "'");
  return usage_outcome(path, (node->get_parent() ? "'" + path + "' needs" : "shadowctl needs") +
                                 std::string(" a command: ") + names_of(children));
}

// CLI11's refusal in shadowctl's words, the specific first: which option or argument, what
// was wrong with it, what it takes. Its own wording ("1 required INT:INT in [1 - 86400]
// missing", "Could not convert: --event = abc", "volumes is required") is never shown.
std::string usage_message(const CLI::ParseError& e, const CLI::App* node, const std::string& path) {
  const std::string what = e.what();
  const std::string kind = e.get_name();
  // "NAME: rest" (ArgumentMismatch, ValidationError), and the option NAME names.
  const auto colon = what.find(": ");
  const std::string name = colon == std::string::npos ? std::string() : what.substr(0, colon);
  const std::string rest = colon == std::string::npos ? what : what.substr(colon + 2);
  const auto option_named = [node](const std::string& n) -> const CLI::Option* {
    for (const CLI::App* app = node; app; app = app->get_parent())
      if (const CLI::Option* o = app->get_option_no_throw(n)) return o;
    return nullptr;
  };
  if (kind == "RequiredError") {
    const std::string missing = what.substr(0, what.find(" is required"));
    if (const CLI::Option* o = option_named(missing))
      return fmt::format("`{}` needs {}: {}", path,
                         o->get_positional() ? o->get_name() : o->get_name() + " " + o->get_type_name(),
                         o->get_description());
    return fmt::format("`{}` needs {}", path, missing);
  }
  if (kind == "ValidationError" && !name.empty()) return name + " " + rest;
  if (kind == "ArgumentMismatch" && !name.empty()) {
    const CLI::Option* o = option_named(name);
    if (rest.find("required") != std::string::npos && rest.find("missing") != std::string::npos)
      return o ? fmt::format("{} needs a value: {}", name, o->get_type_name())
               : name + " needs a value";
    return o ? fmt::format("{} takes one value: {}", name, o->get_type_name()) : name + ": " + rest;
  }
  if (kind == "ConversionError") {
    // "Could not convert: NAME = VALUE"
    const auto equals = what.find(" = ");
    const auto start = what.find(": ");
    if (equals != std::string::npos && start != std::string::npos && start < equals) {
      const std::string option = what.substr(start + 2, equals - start - 2);
      const std::string value = what.substr(equals + 3);
      return fmt::format("{} '{}' is not a number", option, value);
    }
  }
  if (kind == "ExcludesError") return what + "; give one of them";
  return what;
}

nlohmann::json command_tree(const std::vector<Command>& commands) {
  nlohmann::json tree = nlohmann::json::array();
  for (const auto& c : commands) {
    nlohmann::json entry = {{"name", c.name}, {"summary", c.summary}};
    if (!c.children.empty()) entry["commands"] = command_tree(c.children);
    tree.push_back(std::move(entry));
  }
  return tree;
}

report::Outcome help_outcome(const CLI::App& app, const Registry& registry) {
  const CLI::App* node = selected(app);
  report::Outcome outcome;
  outcome.command = path_of(node, registry);
  std::string text = app.help();
  outcome.result = {{"help", text}, {"commands", command_tree(children_of(node, registry))}};
  outcome.human = [text](std::ostream& out, const report::Style&) { out << text; };
  return outcome;
}

report::Outcome version_outcome() {
  const core::BuildInfo& build = core::build_info();
  report::Outcome outcome;
  outcome.command = kProgram;
  outcome.result = {{"name", kProgram},           {"version", build.version},
                    {"commit", build.commit},     {"build_date", build.date},
                    {"compiler", build.compiler}, {"target", build.target}};
  outcome.human = [&build](std::ostream& out, const report::Style&) {
    out << kProgram << ' ' << build.version << '\n'
        << "commit    " << build.commit << '\n'
        << "built     " << build.date << " for " << build.target << '\n'
        << "compiler  " << build.compiler << '\n';
  };
  return outcome;
}

report::Outcome failure_outcome(std::string command, const core::Failure& f,
                                session::Environment& environment) {
  report::Outcome outcome;
  outcome.command = std::move(command);
  core::Diagnosis d = core::diagnose_failure(f, environment.system_message(f.hr));
  outcome.exit = d.exit == core::ExitStatus::success ? core::ExitStatus::failure : d.exit;
  outcome.error = std::move(d);
  return outcome;
}

// The log the user asked for lost lines (a full disk): the run fails, as a create whose
// report cannot be written does, and its set goes; a run that failed anyway says so too.
void log_lines_lost(report::Outcome& outcome, core::HResult why, const std::string& path,
                    session::Environment& environment) {
  const std::string lost = "cannot write --log-file '" + path + "'; log lines were lost";
  if (outcome.error) {
    outcome.warnings.push_back(
        {"log_lines_lost", lost + " (" + core::diagnose(why).name + ")", path, why});
    return;
  }
  core::Diagnosis d = core::diagnose(why, "--log-file", environment.system_message(why));
  d.detail = lost;
  if (outcome.undo_if_unreported) {
    d.detail += "; " + outcome.undo_if_unreported();
    outcome.undo_if_unreported = nullptr;
    outcome.result = nullptr;  // what it described is gone
    outcome.human = nullptr;
  }
  outcome.exit = d.exit == core::ExitStatus::success ? core::ExitStatus::failure : d.exit;
  outcome.error = std::move(d);
}

report::Outcome run_command(const Runner& runner, const std::string& path, Context& context) {
  // SeBackupPrivilege is for the command's VSS calls only: put back before the report and
  // --json-file are written, however the command ends.
  struct PrivilegeAfterCommand {
    session::Environment& environment;
    ~PrivilegeAfterCommand() { environment.restore_backup_privilege(); }
  } after{context.system.environment};
  try {
    return runner(context);
  } catch (const core::Error& e) {
    return failure_outcome(path, e.failure(), context.system.environment);
  } catch (const std::exception& e) {
    return failure_outcome(path, {core::hr::shadowctl_e_internal, path, e.what()},
                           context.system.environment);
  }
}

// CLI11 takes the word after an option as its value even when that word is another option:
// `create C: --script --json` would write a script named "--json" and print no JSON (found
// by fuzz_cli). A value that starts with "--" is refused, naming the option; a file so named
// is still reachable as .\--json.
void refuse_options_as_values(CLI::App& app) {
  for (CLI::Option* option : app.get_options())
    if (!option->get_positional() && option->get_expected_min() > 0)
      option->check(CLI::Validator(
          [](const std::string& value) {
            return value.rfind("--", 0) == 0
                       ? "'" + value + "' is an option, not a value (a file so named: .\\" +
                             value + ")"
                       : std::string();
          },
          "", "not an option"));
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; }))
    refuse_options_as_values(*command);
}

// The whole command line's grammar: global options and the command table, each command's
// options set up when `words` (the command line before "--") name it.
void build_app(CLI::App& app, GlobalOptions& global, Registry& registry,
               const std::vector<std::string>& words) {
  app.set_help_flag("-h,--help", "Print this help, or a command's, and exit");
  app.allow_extras();  // an unknown word is reported by name, below
  global.json = app.add_flag("--json", global.json_value, "Write one JSON document to stdout");
  global.version = app.add_flag("--version", global.version_value, "Print the version and exit");
  app.add_flag("-v,--verbose", global.verbosity, "More log detail on stderr (-v info, -vv debug)");
  global.quiet = app.add_flag("-q,--quiet", global.quiet_value, "Only errors on stderr");
  global.no_color = app.add_flag("--no-color", global.no_color_value, "No colour (also set by NO_COLOR)");
  app.add_option("--log-file", global.log_file, "Write the full debug log to this file");
  app.add_flag("--no-events", global.no_events,
               "Do not read the event log for the VSS, volsnap and writer events beside a "
               "failure");
  app.add_option("--json-file", global.json_file,
                 "Write the JSON document to this file instead of stdout");
  add_commands(app, command_table(), "", registry, words);
  refuse_options_as_values(app);
}

// The grammar and what its options are bound to, together.
class Grammar final : public CLI::App {
 public:
  explicit Grammar(const std::vector<std::string>& words) : CLI::App("shadowctl", kProgram) {
    std::vector<std::string> named = words;
    named.push_back("--help");  // every command by name and summary
    build_app(*this, global_, registry_, named);
  }

 private:
  GlobalOptions global_;
  Registry registry_;
};

// Where option parsing stops: the first "--", or the end.
std::size_t options_end(const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i)
    if (args[i] == "--") return i;
  return args.size();
}

// After parsing: the usage error the selected command line makes, if any.
std::optional<report::Outcome> usage_problem(const CLI::App& app, const Registry& registry,
                                             bool trailing) {
  const CLI::App* node = selected(app);
  const auto it = registry.find(node);
  if (it == registry.end() || !it->second.runner) return missing_command(app, node, registry);
  const std::string& path = it->second.path;
  if (const auto extras = app.remaining(true); !extras.empty()) {
    // `exec C: cmd /c echo hi`: the command was meant, without its "--".
    if (!trailing && (it->second.command->runs_child || it->second.command->takes_command))
      return usage_outcome(path, "unexpected argument '" + extras.front() +
                                     "': the command to run must follow `--`, as in `shadowctl " +
                                     path + " ... -- COMMAND ARGS`");
    return usage_outcome(path, "unexpected argument '" + extras.front() + "'");
  }
  if (trailing && !it->second.command->runs_child && !it->second.command->takes_command)
    return usage_outcome(path, "'--' and a command after it go with `exec`, `schedule add` and "
                               "`schedule run` only");
  return std::nullopt;
}

}  // namespace

int run(const std::vector<std::string>& args, Io io, session::System system,
        session::CancelToken& cancel) {
  // Events beside a failure are read from the minute the run started.
  const std::int64_t run_started_us =
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  // The hidden completion command, which the shells' glue calls (completion.h).
  if (args.size() > 1 && args[1] == "complete") return run_complete(args, io, system);
  CLI::App app{"shadowctl: check that VSS can work; list, create, expose, use (exec), read "
               "(ls, versions) and delete Windows shadow copies; explain any HRESULT",
               kProgram};
  GlobalOptions global;
  Registry registry;
  // Option parsing stops at the first "--": what follows is a command to run, taken from
  // the UTF-16 command line.
  std::optional<std::vector<std::u16string>> trailing;
  const std::size_t end = options_end(args);
  build_app(app, global, registry,
            std::vector<std::string>(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(end)));
  if (end < args.size()) {
    trailing.emplace();
    for (std::size_t k = end + 1; k < args.size(); ++k)
      trailing->push_back(k < io.wide_args.size() ? io.wide_args[k] : core::utf16(args[k]));
  }
  std::vector<const char*> argv;
  for (std::size_t i = 0; i < end; ++i) argv.push_back(args[i].c_str());

  std::optional<report::Outcome> early;
  bool asked_for_help = false;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    asked_for_help = true;
    early = help_outcome(app, registry);
  } catch (const CLI::ParseError& e) {
    const std::string path = path_of(selected(app), registry);
    early = usage_outcome(path, usage_message(e, selected(app), path));
  }
  // shadowctl's own arguments are read as UTF-8: one that is not valid UTF-16 would reach a
  // path or a name as U+FFFD, naming something else. Refused, and its document goes to
  // stdout, as --json-file may be that name (what follows "--" is passed on unchanged from
  // the UTF-16 command line).
  bool not_utf16 = false;
  for (std::size_t k = 1; k < end && k < io.wide_args.size() && !not_utf16; ++k)
    if (core::has_unpaired_surrogate(io.wide_args[k])) {
      not_utf16 = true;
      early = usage_outcome(path_of(selected(app), registry),
                            fmt::format("argument {} ('{}') is not valid UTF-16: it holds an "
                                        "unpaired surrogate (shown as U+FFFD), so it cannot be "
                                        "used as a name unchanged",
                                        k, args[k]));
    }
  // Counted by CLI11 as it parsed, so known even when parsing stopped at an error; and a
  // "--json" refused as another option's value still asked for JSON.
  const bool json = global.json->count() > 0 || !global.json_file.empty() ||
                    std::find(args.begin() + 1, args.begin() + static_cast<std::ptrdiff_t>(end),
                              "--json") != args.begin() + static_cast<std::ptrdiff_t>(end);
  report::JsonSink json_sink;
  // A refused --json-file gets its usage error on stdout, not through the file.
  const std::string json_file_refused =
      global.json_file.empty() ? std::string()
                               : session::refuse_output_file(system.environment, global.json_file);
  if (!global.json_file.empty() && json_file_refused.empty() && !not_utf16)
    json_sink = [&system, path = global.json_file](const std::string& document) {
      const session::PrivilegeSetAside aside(system.environment);
      const core::HResult hr = system.environment.write_file_atomically(path, document);
      return core::failed(hr) ? "cannot write --json-file '" + path + "': " +
                                    core::diagnose(hr).meaning
                              : std::string();
    };
  report::Reporter reporter(io.out, io.err,
                            {json, global.quiet->count() > 0,
                             io.color_allowed && global.no_color->count() == 0,
                             io.err_is_terminal});
  reporter.set_machine(system.environment.machine_name());
  if (json_sink) reporter.send_json_to(std::move(json_sink));
  // Even a refused command line of exec keeps stdout for the command (help is read as usual).
  if (const auto chosen = registry.find(selected(app));
      !asked_for_help && chosen != registry.end() && chosen->second.command &&
      chosen->second.command->runs_child)
    reporter.leave_stdout_to_child();
  if (early) return reporter.emit(*early);
  if (!json_file_refused.empty())
    return reporter.emit(
        usage_outcome(path_of(selected(app), registry),
                      "--json-file '" + global.json_file + "' is refused: " + json_file_refused));
  if (global.version->count() > 0) return reporter.emit(version_outcome());

  if (auto problem = usage_problem(app, registry, trailing.has_value()))
    return reporter.emit(*problem);
  const auto it = registry.find(selected(app));
  const std::string& path = it->second.path;

  std::unique_ptr<session::AppendFile> log_file;
  if (!global.log_file.empty()) {
    std::string why = session::refuse_output_file(system.environment, global.log_file);
    if (!why.empty())
      return reporter.emit(
          usage_outcome(path, "--log-file '" + global.log_file + "' is refused: " + why));
    why = "this build cannot write log files";
    if (io.open_log_file) log_file = io.open_log_file(global.log_file, why);
    if (!log_file)
      return reporter.emit(
          usage_outcome(path, "cannot open --log-file '" + global.log_file + "': " + why));
  }
  const session::AppendFile* log = log_file.get();  // lives in the logger until the run ends
  const report::LoggingForThisRun logging;
  report::setup_logging(reporter.human_err(), global.verbosity, global.quiet->count() > 0,
                        std::move(log_file));
  spdlog::debug("shadowctl {} ({}) {}", core::build_info().version, core::build_info().commit,
                path);

  Confirm confirm;
  if (io.interactive && io.in && !json) {
    confirm = [&io, &reporter](const std::string& question) {
      reporter.human_err() << question << " [y/N] " << std::flush;
      std::string answer;
      if (!std::getline(*io.in, answer)) return false;
      return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
    };
  }
  Context context{system, cancel, reporter.progress(), confirm, std::move(trailing), json,
                  global.log_file};
  report::Outcome outcome = run_command(it->second.runner, path, context);
  if (outcome.error && !global.no_events && session::is_vss_failure(*outcome.error))
    session::add_events(*outcome.error, system.environment, run_started_us);
  if (log && core::failed(log->write_error()))
    log_lines_lost(outcome, log->write_error(), global.log_file, system.environment);
  return reporter.emit(outcome);
}

std::unique_ptr<CLI::App> grammar(const std::vector<std::string>& words) {
  return std::make_unique<Grammar>(words);
}

std::string check_command_line(const std::vector<std::string>& args) {
  CLI::App app{"shadowctl", kProgram};
  GlobalOptions global;
  Registry registry;
  const std::size_t end = options_end(args);
  build_app(app, global, registry,
            std::vector<std::string>(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(end)));
  std::vector<const char*> argv;
  for (std::size_t i = 0; i < end; ++i) argv.push_back(args[i].c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    return {};
  } catch (const CLI::ParseError& e) {
    return usage_message(e, selected(app), path_of(selected(app), registry));
  }
  if (global.version->count() > 0) return {};
  const auto problem = usage_problem(app, registry, end < args.size());
  return problem ? problem->error->detail : std::string();
}

}  // namespace shadowctl::cli
