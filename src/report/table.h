#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace shadowctl::report {

// A plain-text table whose columns are as wide as their widest cell. Widths count UTF-8
// code points, so non-ASCII labels and paths line up.
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

// Display width of a UTF-8 string, in code points.
std::size_t display_width(const std::string& s);

}  // namespace shadowctl::report
