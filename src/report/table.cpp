#include "report/table.h"

#include <algorithm>
#include <iterator>

#include "report/terminal.h"

namespace shadowctl::report {

namespace {

struct Range {
  char32_t first, last;
};

// Combining marks and zero-width characters: no column of their own.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF}};
// East Asian wide and fullwidth characters, and emoji: two columns.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},  {0x23E9, 0x23EC}, {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},  {0xA000, 0xA4CF}, {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},  {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};

bool in(const Range* begin, const Range* end, char32_t c) {
  const Range* r =
      std::upper_bound(begin, end, c, [](char32_t v, const Range& x) { return v < x.first; });
  return r != begin && c <= (r - 1)->last;
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t length = lead < 0x80    ? 1
                               : lead >= 0xF0 ? 4
                               : lead >= 0xE0 ? 3
                               : lead >= 0xC0 ? 2
                                              : 1;
    char32_t c = lead;
    if (length > 1) c &= 0x7Fu >> length;  // the lead byte's payload bits
    for (std::size_t k = 1; k < length && i + k < s.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    i += length;
    if (in(std::begin(kZeroWidth), std::end(kZeroWidth), c)) continue;
    width += in(std::begin(kWide), std::end(kWide), c) ? 2u : 1u;
  }
  return width;
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add(std::vector<std::string> row) {
  row.resize(headers_.size());
  // Escaped here, not on the way out: an escape is wider than what it stands for.
  for (auto& cell : row) cell = one_line(cell);  // a cell is one line
  rows_.push_back(std::move(row));
}

void Table::print(std::ostream& out, bool with_headers) const {
  std::vector<std::size_t> widths(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  };
  if (with_headers) measure(headers_);
  for (const auto& r : rows_) measure(r);

  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t i = 0; i < row.size(); ++i) {
      text += row[i];
      if (i + 1 < row.size()) text.append(widths[i] - display_width(row[i]) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  if (with_headers) line(headers_);
  for (const auto& r : rows_) line(r);
}

}  // namespace shadowctl::report
