#include "journal.h"

#include <chrono>
#include <fstream>

#include <nlohmann/json.hpp>

namespace shadowctl::emulator {

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Journal::append(JournalEntry entry) {
  std::lock_guard lock(mutex_);
  if (!path_.empty()) {
    if (!file_.is_open()) file_.open(path_, std::ios::app | std::ios::binary);
    file_ << nlohmann::json{{"method", entry.method},
                            {"args", entry.args},
                            {"hresult", core::format_hresult(entry.hr)},
                            {"start_us", entry.start_us},
                            {"end_us", entry.end_us}}
                 .dump()
          << '\n'
          << std::flush;
  }
  entries_.push_back(std::move(entry));
}

std::vector<JournalEntry> Journal::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

std::vector<std::string> Journal::methods() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& e : entries_) names.push_back(e.method);
  return names;
}

}  // namespace shadowctl::emulator
