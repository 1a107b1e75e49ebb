#pragma once

#include <string>
#include <string_view>

namespace shadowctl::report {

// ANSI colour for terminals, nothing otherwise (NO_COLOR, --no-color, redirected output).
class Style {
 public:
  explicit Style(bool color) : color_(color) {}
  std::string good(std::string_view s) const { return wrap("32", s); }
  std::string warn(std::string_view s) const { return wrap("33", s); }
  std::string bad(std::string_view s) const { return wrap("31", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string bold(std::string_view s) const { return wrap("1", s); }

 private:
  std::string wrap(std::string_view code, std::string_view s) const;
  bool color_;
};

}  // namespace shadowctl::report
