#pragma once

// Text compared and folded as Windows folds the names shadowctl meets (volume names, task
// names, size suffixes, environment variable names): ASCII letters only, whatever the locale.

#include <string>
#include <string_view>

namespace shadowctl::core {

bool same_ignoring_case(std::string_view a, std::string_view b);
std::string lower_ascii(std::string_view text);

}  // namespace shadowctl::core
