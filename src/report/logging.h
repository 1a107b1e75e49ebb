#pragma once

#include <ostream>
#include <string>

namespace shadowctl::report {

// Sends spdlog's default logger to `err` at warning level, raised by each -v (info, then
// debug) and lowered by --quiet to errors only; with a log file, the file gets the full
// debug log whatever the console level. Returns false when the log file cannot be opened.
bool setup_logging(std::ostream& err, int verbosity, bool quiet, const std::string& log_file,
                   std::string* error_text);

}  // namespace shadowctl::report
