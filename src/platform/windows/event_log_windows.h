#pragma once

// The Event Log API calls behind session::EventLog (event_log_windows.cpp).

#include <string>
#include <vector>

#include "session/environment.h"

namespace shadowctl::platform {

core::HResult query_event_log(const std::string& log, const std::string& xpath, std::size_t most,
                              std::vector<session::RenderedEvent>& out);

}  // namespace shadowctl::platform
