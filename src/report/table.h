#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace shadowctl::report {

// A plain-text table whose columns are as wide as their widest cell. Cells are made
// terminal-safe first and measured as shown, in terminal columns, so escaped names,
// non-ASCII labels and wide characters line up.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void add(std::vector<std::string> row);
  // Writes the table; the last column is never padded.
  void print(std::ostream& out, bool with_headers = true) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Terminal columns a UTF-8 string takes: East Asian wide and emoji code points 2, combining
// marks and zero-width characters 0, every other code point 1 (Markus Kuhn's wcwidth,
// abridged to the ranges names hold).
std::size_t display_width(std::string_view s);

}  // namespace shadowctl::report
