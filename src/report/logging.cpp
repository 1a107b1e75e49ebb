#include "report/logging.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "report/terminal.h"

namespace shadowctl::report {
namespace {

// A file sink that owns its stream and opens the path as UTF-8: spdlog's own file sink
// passes the name to fopen, which on Windows reads it in the ANSI code page.
class Utf8FileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit Utf8FileSink(const std::string& utf8_path)
      : out_(std::filesystem::path(std::u8string(utf8_path.begin(), utf8_path.end())),
             std::ios::binary | std::ios::app) {}
  bool is_open() const { return out_.is_open(); }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    // Read with `type` or `Get-Content` at a console too: escaped like stderr.
    const std::string safe = terminal_safe(std::string_view(formatted.data(), formatted.size()));
    out_.write(safe.data(), static_cast<std::streamsize>(safe.size()));
  }
  void flush_() override { out_.flush(); }

 private:
  std::ofstream out_;
};

}  // namespace

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
    auto file = std::make_shared<Utf8FileSink>(log_file);
    if (file->is_open()) {
      file->set_formatter(std::make_unique<spdlog::pattern_formatter>(
          "%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc));
      file->set_level(spdlog::level::debug);
      sinks.push_back(file);
    } else {
      ok = false;
      if (error_text) *error_text = "it cannot be opened for writing";
    }
  }
  auto logger = std::make_shared<spdlog::logger>("shadowctl", sinks.begin(), sinks.end());
  // The lowest level any sink takes: a message no sink wants is never formatted (each VSS
  // call logs at debug; docs/performance.md).
  auto lowest = spdlog::level::off;
  for (const auto& sink : sinks) lowest = std::min(lowest, sink->level());
  logger->set_level(lowest);
  logger->flush_on(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  return ok;
}

}  // namespace shadowctl::report
