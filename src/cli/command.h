#pragma once

// The command table's vocabulary: what every command runs against, and one entry per
// command. Each command lives in its own cmd_<name>.{h,cpp} with an options struct, a
// setup_ and a run_ function, and is listed once, in commands.cpp.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "report/progress.h"
#include "report/reporter.h"
#include "session/async_wait.h"
#include "session/cancel.h"
#include "session/system.h"

namespace shadowctl::cli {

// Asks the person at the console a yes/no question; false when no one can answer.
using Confirm = std::function<bool(const std::string& question)>;

// What every command runs against.
struct Context {
  session::System system;
  session::CancelToken& cancel;
  report::Progress& progress;
  Confirm confirm;  // empty when stdin or stderr is not a terminal
  // What followed the first "--" on the command line, as UTF-16 (exec's COMMAND ARGS);
  // nullopt when there was no "--".
  std::optional<std::vector<std::u16string>> command;
  bool json = false;  // the run reports in JSON (--json or --json-file)
  std::string log_file;  // --log-file as given, or ""
};

// A command, once its options are parsed.
using Runner = std::function<report::Outcome(Context&)>;

// One entry of the command table: a command (setup set), or a group of commands (children
// set, as `list shadows`, `list writers`).
struct Command {
  std::string name;
  std::string summary;
  // Declares the command's options on its CLI11 app and returns what runs it.
  std::function<Runner(CLI::App&)> setup;
  std::vector<Command> children;
  // The command runs a program (exec): it takes COMMAND ARGS after "--", and stdout is that
  // program's alone, so shadowctl reports on stderr.
  bool runs_child = false;
  // The command takes words after "--" without running them itself (schedule add: the
  // steps a task will run); stdout stays shadowctl's.
  bool takes_command = false;
};

// A table entry from a command's options struct and its setup_ and run_ functions.
template <typename Options>
Command make_command(std::string name, std::string summary,
                     void (*setup)(CLI::App&, Options&),
                     report::Outcome (*run)(const Options&, Context&)) {
  return {std::move(name), std::move(summary),
          [setup, run](CLI::App& app) -> Runner {
            auto options = std::make_shared<Options>();
            setup(app, *options);
            return [options, run](Context& context) { return run(*options, context); };
          },
          {}};
}

// A group entry: its children are its subcommands.
inline Command make_group(std::string name, std::string summary, std::vector<Command> children) {
  return {std::move(name), std::move(summary), nullptr, std::move(children)};
}

// Every command, in the order --help lists them.
const std::vector<Command>& command_table();

// How the command's async phases wait: the timeout, the cancel token, and the progress
// line on stderr.
session::WaitPolicy wait_policy(Context& context,
                                std::chrono::milliseconds timeout = std::chrono::minutes(10));

// --timeout SECONDS (1 to a day), bound to seconds, its default shown in --help.
void add_timeout_option(CLI::App& app, int& seconds, const std::string& what);

// A whole-number option shown in --help as "UNIT (LO-HI, default D)" (the default only when
// `value` has one), whose refusals are in shadowctl's words, not CLI11's.
CLI::Option* add_number(CLI::App& app, const std::string& name, int& value, const std::string& unit,
                        int lo, int hi, const std::string& description);
CLI::Option* add_number(CLI::App& app, const std::string& name, std::optional<int>& value,
                        const std::string& unit, int lo, int hi, const std::string& description);

// Restricts an option to `words`, shown in --help as "a|b|c (default a)" (the default when
// `shown_default` is not empty); a refusal lists the words.
CLI::Option* one_of(CLI::Option* option, const std::vector<std::string>& words,
                    const std::string& shown_default = {});

// A GUID option in the form VSS prints, or nullopt when empty; throws a usage error naming
// the option when it is not a GUID.
std::optional<std::string> guid_option(const std::string& text, const char* option);

// A duration option ("90m", "36h", "10d", "2w") in microseconds; throws a usage error
// naming the option when it is not one.
std::int64_t duration_option(const std::string& text, const char* option);

// An outcome for a command line that is not valid.
report::Outcome usage_outcome(std::string command, std::string message);

}  // namespace shadowctl::cli
