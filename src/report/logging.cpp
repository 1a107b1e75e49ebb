#include "report/logging.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "report/terminal.h"

namespace shadowctl::report {
namespace {

// Each message is one line: a name from the system holding a line break (a component named
// "x\r\nerror: FORGED") cannot fake another log line. `storage` holds the escaped text.
spdlog::details::log_msg one_line_message(const spdlog::details::log_msg& msg,
                                          std::string& storage) {
  storage = one_line(std::string_view(msg.payload.data(), msg.payload.size()));
  spdlog::details::log_msg copy = msg;
  copy.payload = spdlog::string_view_t(storage.data(), storage.size());
  return copy;
}

// stderr's sink (spdlog's ostream sink, with each message made one line), flushed at once.
class OneLineConsoleSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit OneLineConsoleSink(std::ostream& out) : out_(out) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string payload;
    spdlog::memory_buf_t formatted;
    formatter_->format(one_line_message(msg, payload), formatted);
    out_.write(formatted.data(), static_cast<std::streamsize>(formatted.size()));
    out_.flush();
  }
  void flush_() override { out_.flush(); }

 private:
  std::ostream& out_;
};

// A sink over a file the platform opened (never through a planted link): spdlog's own file
// sink opens by name with fopen, which follows links and, on Windows, reads the name in the
// ANSI code page.
class LogFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit LogFileSink(std::unique_ptr<std::streambuf> file)
      : file_(std::move(file)), out_(file_.get()) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    std::string payload;
    formatter_->format(one_line_message(msg, payload), formatted);
    // Read with `type` or `Get-Content` at a console too: escaped like stderr.
    const std::string safe = terminal_safe(std::string_view(formatted.data(), formatted.size()));
    out_.write(safe.data(), static_cast<std::streamsize>(safe.size()));
  }
  void flush_() override { out_.flush(); }

 private:
  std::unique_ptr<std::streambuf> file_;
  std::ostream out_;
};

}  // namespace

void setup_logging(std::ostream& err, int verbosity, bool quiet,
                   std::unique_ptr<std::streambuf> log_file) {
  auto console = std::make_shared<OneLineConsoleSink>(err);
  // -vv: each line stamped as the log file stamps it, to read the calls' timing.
  if (verbosity >= 2)
    console->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%fZ %^%l%$: %v", spdlog::pattern_time_type::utc));
  else
    console->set_pattern("%^%l%$: %v");
  console->set_level(quiet            ? spdlog::level::err
                     : verbosity >= 2 ? spdlog::level::debug
                     : verbosity == 1 ? spdlog::level::info
                                      : spdlog::level::warn);
  std::vector<spdlog::sink_ptr> sinks{console};
  if (log_file) {
    auto file = std::make_shared<LogFileSink>(std::move(log_file));
    file->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc));
    file->set_level(spdlog::level::debug);
    sinks.push_back(file);
  }
  auto logger = std::make_shared<spdlog::logger>("shadowctl", sinks.begin(), sinks.end());
  // The lowest level any sink takes: a message no sink wants is never formatted (each VSS
  // call logs at debug; docs/performance.md).
  auto lowest = spdlog::level::off;
  for (const auto& sink : sinks) lowest = std::min(lowest, sink->level());
  logger->set_level(lowest);
  logger->flush_on(spdlog::level::debug);
  spdlog::set_default_logger(logger);
}

void end_logging() {
  auto silent = std::make_shared<spdlog::logger>("shadowctl");
  silent->set_level(spdlog::level::off);
  spdlog::set_default_logger(silent);
}

}  // namespace shadowctl::report
