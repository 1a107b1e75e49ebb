#include "report/logging.h"

#include <memory>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace shadowctl::report {

bool setup_logging(std::ostream& err, int verbosity, bool quiet, const std::string& log_file,
                   std::string* error_text) {
  auto console = std::make_shared<spdlog::sinks::ostream_sink_mt>(err, /*force_flush=*/true);
  console->set_pattern("%^%l%$: %v");
  console->set_level(quiet            ? spdlog::level::err
                     : verbosity >= 2 ? spdlog::level::debug
                     : verbosity == 1 ? spdlog::level::info
                                      : spdlog::level::warn);
  std::vector<spdlog::sink_ptr> sinks{console};
  bool ok = true;
  if (!log_file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file, false);
      file->set_formatter(std::make_unique<spdlog::pattern_formatter>(
          "%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc));
      file->set_level(spdlog::level::debug);
      sinks.push_back(file);
    } catch (const spdlog::spdlog_ex& e) {
      ok = false;
      if (error_text) *error_text = e.what();
    }
  }
  auto logger = std::make_shared<spdlog::logger>("shadowctl", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::debug);
  logger->flush_on(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  return ok;
}

}  // namespace shadowctl::report
