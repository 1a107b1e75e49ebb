#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>

namespace shadowctl::report {

// The progress channel: one line on stderr, redrawn in place, for long phases. Owned by the
// Reporter; silent with --json, -q, or when stderr is not a terminal, so it never mixes
// with a document or a log.
class Progress {
 public:
  Progress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  // Shows "text (12 s)", replacing the line shown before.
  void show(std::string_view text, std::chrono::seconds elapsed);
  // Removes the line, so that what stderr prints next starts clean.
  void clear();

 private:
  std::ostream& err_;
  bool enabled_;
  std::size_t shown_ = 0;  // width of the line on screen
};

}  // namespace shadowctl::report
