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

}  // namespace shadowctl::report
