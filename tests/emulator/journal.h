#pragma once

#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "core/hresult.h"

namespace shadowctl::emulator {

// One call the tool made into the emulator.
struct JournalEntry {
  std::string method;
  std::string args;
  core::HResult hr = 0;
  std::int64_t start_us = 0;  // microseconds since the epoch
  std::int64_t end_us = 0;
};

// Every call, kept in memory and appended as a JSON line to a file (SHADOWCTL_EMULATOR_JOURNAL)
// so that tests can assert sequences across processes.
class Journal {
 public:
  explicit Journal(std::string path = {}) : path_(std::move(path)) {}
  void append(JournalEntry entry);
  std::vector<JournalEntry> entries() const;
  // Method names in call order: what most assertions want.
  std::vector<std::string> methods() const;

 private:
  std::string path_;
  // Kept open: opening the file for every call cost the tool's measured time a quarter of a
  // millisecond per call under Wine (docs/performance.md). Each line is flushed at once, so
  // a process that dies leaves every line it wrote.
  std::ofstream file_;
  mutable std::mutex mutex_;
  std::vector<JournalEntry> entries_;
};

// Microseconds since the epoch, for journal times.
std::int64_t now_us();

}  // namespace shadowctl::emulator
