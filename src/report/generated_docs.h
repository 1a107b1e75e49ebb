#pragma once

#include <string>

namespace shadowctl::report {

// docs/errors.md, generated from the catalogue (a test keeps the committed file current).
std::string errors_markdown();

// docs/exit-codes.md, generated from core::kExitStatuses.
std::string exit_codes_markdown();

// docs/troubleshooting.md: first steps, then every event and every error, keyed by event ID
// and by error name, from the two catalogues.
std::string troubleshooting_markdown();

}  // namespace shadowctl::report
