#pragma once

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

namespace shadowctl::report {

// Sends spdlog's default logger to `err` at warning level, raised by each -v (info, then
// debug) and lowered by --quiet to errors only; a log file, already opened, gets the full
// debug log whatever the console level.
void setup_logging(std::ostream& err, int verbosity, bool quiet,
                   std::unique_ptr<std::streambuf> log_file);

// Ends what setup_logging began: the log file is closed and nothing is logged to `err`
// any more, which may not outlive the run (a process running shadowctl twice, the tests).
void end_logging();

// The logging of one run, ended whichever way the run ends.
struct LoggingForThisRun {
  LoggingForThisRun() = default;
  LoggingForThisRun(const LoggingForThisRun&) = delete;
  LoggingForThisRun& operator=(const LoggingForThisRun&) = delete;
  ~LoggingForThisRun() { end_logging(); }
};

}  // namespace shadowctl::report
