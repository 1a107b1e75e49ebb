#pragma once

#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "session/system.h"
#include "session/cancel.h"

namespace shadowctl::cli {

// The process's streams and what main knows about them.
struct Io {
  std::ostream& out;
  std::ostream& err;
  bool color_allowed = false;    // stdout is a terminal and NO_COLOR is not set
  bool err_is_terminal = false;  // stderr is a terminal: progress may be shown there
  std::istream* in = nullptr;    // answers to confirmations
  bool interactive = false;      // stdin and stderr are a terminal: a person can answer
  // The same command line as UTF-16, read from the system (GetCommandLineW): what follows
  // the first "--" is passed on from here, never through UTF-8. Empty: taken from args.
  std::vector<std::u16string> wide_args;
  // Opens --log-file (platform::open_log_file); unset: --log-file is refused.
  std::function<std::unique_ptr<session::AppendFile>(const std::string& path, std::string& why)>
      open_log_file;
};

// Runs one shadowctl command line (args[0] is the program name) and returns the exit code.
// Everything the command prints goes through one Reporter; nothing escapes as an exception.
int run(const std::vector<std::string>& args, Io io, session::System system,
        session::CancelToken& cancel);

// The command line's grammar for these words (after the program's name), as run() builds it:
// the global options, every command by name and summary, and the options of the commands
// the words name. What completion reads (completion.h).
std::unique_ptr<CLI::App> grammar(const std::vector<std::string>& words);

// Parses a command line as run() would, without running it: "" when it is one shadowctl
// accepts (the commands and options exist and their values have the right form), else the
// usage error. The docs' examples are checked with it.
std::string check_command_line(const std::vector<std::string>& args);

}  // namespace shadowctl::cli
