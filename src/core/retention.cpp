#include "core/retention.h"

#include <algorithm>
#include <array>
#include <numeric>

#include <fmt/format.h>

namespace shadowctl::core {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The ISO 8601 week-year and week of a date: weeks start on Monday, and week 1 holds the
// year's first Thursday.
std::pair<int, int> iso_week(int year, unsigned month, unsigned day) {
  const std::int64_t days = days_from_civil(year, month, day);
  const int weekday =
      static_cast<int>(((days % 7) + 7 + 3) % 7);  // Monday 0 (1970-01-01: Thursday)
  const std::int64_t thursday = days - weekday + 3;
  // The Thursday's year is the week-year; its week is counted from that year's 1 January.
  int week_year = year;
  if (thursday < days_from_civil(year, 1, 1)) week_year = year - 1;
  if (thursday >= days_from_civil(year + 1, 1, 1)) week_year = year + 1;
  const int week = static_cast<int>((thursday - days_from_civil(week_year, 1, 1)) / 7) + 1;
  return {week_year, week};
}

enum Bucket : std::size_t { hourly, daily, weekly, monthly, yearly, kBuckets };
constexpr std::array<const char*, kBuckets> kBucketNames = {"hourly", "daily", "weekly", "monthly",
                                                            "yearly"};

// The bucket a copy falls in, per rule, as the text its verdict names.
std::array<std::string, kBuckets> buckets_of(std::int64_t unix_us, const CivilTime& civil) {
  const std::int64_t seconds =
      unix_us >= 0 ? unix_us / 1'000'000 : -((-unix_us + 999'999) / 1'000'000);
  const std::tm t = civil(seconds);
  const int year = t.tm_year + 1900;
  const auto month = static_cast<unsigned>(t.tm_mon + 1);
  const auto day = static_cast<unsigned>(t.tm_mday);
  // The offset from UTC at that instant: the hour a daylight-saving change repeats has
  // another offset, so it is a bucket of its own.
  const std::int64_t local_seconds =
      days_from_civil(year, month, day) * 86400 + t.tm_hour * 3600 + t.tm_min * 60 + t.tm_sec;
  const std::int64_t offset_minutes = (local_seconds - seconds) / 60;
  const auto [week_year, week] = iso_week(year, month, day);
  return {fmt::format("{:04}-{:02}-{:02} {:02}:00{}", year, month, day, t.tm_hour,
                      offset_minutes == 0 ? std::string()
                                          : fmt::format(" {:+03}{:02}", offset_minutes / 60,
                                                        std::abs(offset_minutes % 60))),
          fmt::format("{:04}-{:02}-{:02}", year, month, day),
          fmt::format("{:04}-W{:02}", week_year, week), fmt::format("{:04}-{:02}", year, month),
          fmt::format("{:04}", year)};
}

std::string duration_text(std::int64_t us) {
  const std::int64_t minutes = us / 60'000'000;
  if (minutes % (60 * 24) == 0) return fmt::format("{}d", minutes / (60 * 24));
  if (minutes % 60 == 0) return fmt::format("{}h", minutes / 60);
  return fmt::format("{}m", minutes);
}

}  // namespace

std::vector<std::vector<std::string>> retention_verdicts(
    const std::vector<std::int64_t>& created_unix_us, const RetentionPolicy& policy,
    std::int64_t now_unix_us, const CivilTime& civil) {
  const std::size_t n = created_unix_us.size();
  std::vector<std::vector<std::string>> kept(n);
  // Newest first; copies of the same instant in the order given.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return created_unix_us[a] > created_unix_us[b];
  });
  const std::array<int, kBuckets> wanted = {policy.keep_hourly, policy.keep_daily,
                                            policy.keep_weekly, policy.keep_monthly,
                                            policy.keep_yearly};
  std::array<int, kBuckets> taken{};
  std::array<std::string, kBuckets> last_bucket;
  int last_taken = 0;
  for (const std::size_t i : order) {
    const std::int64_t at = created_unix_us[i];
    if (at > now_unix_us) {
      kept[i].push_back("future");
      continue;
    }
    if (last_taken < policy.keep_last) {
      ++last_taken;
      kept[i].push_back("last");
    }
    const auto buckets = buckets_of(at, civil);
    for (std::size_t b = 0; b < kBuckets; ++b) {
      // The newest copy of a bucket is the first met in it, newest first.
      if (taken[b] >= wanted[b] || buckets[b] == last_bucket[b]) continue;
      last_bucket[b] = buckets[b];
      ++taken[b];
      kept[i].push_back(std::string(kBucketNames[b]) + " " + buckets[b]);
    }
    if (policy.keep_within_us && now_unix_us - at <= *policy.keep_within_us)
      kept[i].push_back("within " + duration_text(*policy.keep_within_us));
  }
  if (policy.max_count) {
    int count = 0;
    for (const std::size_t i : order) {
      if (kept[i].empty()) continue;
      if (++count > *policy.max_count) kept[i].clear();  // past the cap: the oldest go
    }
  }
  return kept;
}

std::optional<std::int64_t> parse_duration(const std::string& text) {
  if (text.size() < 2 || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  constexpr std::int64_t minute = 60'000'000;
  switch (text.back()) {
    case 'm':
      return value * minute;
    case 'h':
      return value * 60 * minute;
    case 'd':
      return value * 24 * 60 * minute;
    case 'w':
      return value * 7 * 24 * 60 * minute;
    default:
      return std::nullopt;
  }
}

}  // namespace shadowctl::core
