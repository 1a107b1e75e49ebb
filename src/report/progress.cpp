#include "report/progress.h"

#include <fmt/format.h>

#include "report/table.h"
#include "report/terminal.h"

namespace shadowctl::report {

void Progress::show(std::string_view text, std::chrono::seconds elapsed) {
  if (!enabled_) return;
  const std::string line = fmt::format("{} ({} s)", terminal_safe(text), elapsed.count());
  const std::size_t width = display_width(line);
  // Pad over a longer previous line rather than rely on an erase sequence.
  err_ << '\r' << line << std::string(shown_ > width ? shown_ - width : 0, ' ') << std::flush;
  shown_ = width;
}

void Progress::clear() {
  if (!enabled_ || shown_ == 0) return;
  err_ << '\r' << std::string(shown_, ' ') << '\r' << std::flush;
  shown_ = 0;
}

}  // namespace shadowctl::report
