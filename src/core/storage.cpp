#include "core/storage.h"

#include <array>
#include <cctype>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "core/text.h"

namespace shadowctl::core {
namespace {

std::string mib(std::uint64_t bytes) { return fmt::format("{} MB", bytes / (1024 * 1024)); }

}  // namespace

std::optional<StorageSize> parse_storage_size(std::string_view text) {
  const std::string t = lower_ascii(text);
  if (t == "unbounded") return StorageSize{StorageSize::Kind::unbounded, 0, 0};
  std::size_t digits = 0;
  bool point = false;
  while (digits < t.size() && (std::isdigit(static_cast<unsigned char>(t[digits])) ||
                               (t[digits] == '.' && !point))) {
    point = point || t[digits] == '.';
    ++digits;
  }
  if (digits == 0 || t[0] == '.' || t[digits - 1] == '.') return std::nullopt;
  const double number = std::stod(t.substr(0, digits));
  const std::string suffix = t.substr(digits);
  if (suffix == "%") {
    if (!(number > 0 && number <= 100)) return std::nullopt;
    return StorageSize{StorageSize::Kind::percent, 0, number};
  }
  static constexpr std::array<std::pair<const char*, int>, 13> kSuffixes = {{{"", 0},
                                                                            {"b", 0},
                                                                            {"k", 1},
                                                                            {"kb", 1},
                                                                            {"m", 2},
                                                                            {"mb", 2},
                                                                            {"g", 3},
                                                                            {"gb", 3},
                                                                            {"t", 4},
                                                                            {"tb", 4},
                                                                            {"p", 5},
                                                                            {"pb", 5},
                                                                            {"e", 6}}};
  int power = -1;
  for (const auto& [word, p] : kSuffixes)
    if (suffix == word) power = p;
  if (suffix == "eb") power = 6;
  if (power < 0 || (point && power == 0)) return std::nullopt;
  const double bytes = number * std::pow(1024.0, power);
  if (bytes >= 9.2e18) return std::nullopt;  // beyond what a LONGLONG holds
  return StorageSize{StorageSize::Kind::bytes, static_cast<std::uint64_t>(bytes), 0};
}

std::int64_t storage_maximum(const StorageSize& size, std::uint64_t capacity) {
  switch (size.kind) {
    case StorageSize::Kind::unbounded: return -1;
    case StorageSize::Kind::percent:
      return static_cast<std::int64_t>(static_cast<double>(capacity) * size.percent / 100.0);
    case StorageSize::Kind::bytes: break;
  }
  return static_cast<std::int64_t>(size.bytes);
}

std::string storage_size_problem(const StorageSize& size, std::uint64_t capacity) {
  if (size.kind == StorageSize::Kind::unbounded) return {};
  const auto bytes = static_cast<std::uint64_t>(storage_maximum(size, capacity));
  if (bytes < kShadowStorageMinimum)
    return fmt::format("{} is below the smallest maximum Windows takes: 320 MB ({} bytes)",
                       size.kind == StorageSize::Kind::percent
                           ? fmt::format("{}% of {}", size.percent, mib(capacity))
                           : mib(bytes),
                       kShadowStorageMinimum);
  return {};
}

std::size_t copies_a_maximum_purges(std::size_t count, std::uint64_t used, std::uint64_t maximum) {
  if (count == 0 || used <= maximum) return 0;
  const double each = static_cast<double>(used) / static_cast<double>(count);
  const auto over = static_cast<double>(used - maximum);
  const auto n = static_cast<std::size_t>(std::ceil(over / each - 1e-9));
  return n > count ? count : n;
}

}  // namespace shadowctl::core
