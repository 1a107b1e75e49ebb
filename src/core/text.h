#pragma once

// Text compared and folded as Windows folds the names shadowctl meets (volume names, task
// names, size suffixes, environment variable names): ASCII letters only, whatever the locale.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace shadowctl::core {

bool same_ignoring_case(std::string_view a, std::string_view b);
std::string lower_ascii(std::string_view text);

// "12.4 GiB": binary units, one decimal below 100.
std::string human_bytes(std::uint64_t bytes);

// "1 shadow copy", "3 shadow copies": a count with its noun, singular only for one.
std::string counted(std::size_t n, std::string_view one, std::string_view many);
inline std::string shadow_copies_text(std::size_t n) {
  return counted(n, "shadow copy", "shadow copies");
}

}  // namespace shadowctl::core
