#pragma once

#include <string>

namespace shadowctl::report {

// docs/errors.md, generated from the catalogue (a test keeps the committed file current).
std::string errors_markdown();

// docs/exit-codes.md, generated from core::kExitStatuses.
std::string exit_codes_markdown();

}  // namespace shadowctl::report
