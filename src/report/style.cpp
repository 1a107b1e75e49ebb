#include "report/style.h"

#include "report/terminal.h"

namespace shadowctl::report {

std::string Style::wrap(std::string_view code, std::string_view s) const {
  if (!color_) return std::string(s);
  std::string out{kOwnSequence, '\x1b', '['};
  out.append(code).append("m").append(s).append({kOwnSequence}).append("\x1b[0m");
  return out;
}

}  // namespace shadowctl::report
