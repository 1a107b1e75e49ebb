#pragma once

#include <string>

namespace shadowctl::report {

// docs/errors.md, generated from the catalogue (a test keeps the committed file current).
std::string errors_markdown();

}  // namespace shadowctl::report
