#pragma once

// Which shadow copies a retention policy keeps (`prune`): keep-last, the hourly, daily,
// weekly, monthly and yearly buckets, keep-within and a cap, as restic's `forget` reads
// them. Pure: the copies' times, the policy, "now" and the clock's time zone in, a verdict
// per copy out, so the rules are tested over any history and zone.

#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace shadowctl::core {

struct RetentionPolicy {
  int keep_last = 0;
  int keep_hourly = 0;
  int keep_daily = 0;
  int keep_weekly = 0;  // ISO weeks (Monday first; the week-year of ISO 8601)
  int keep_monthly = 0;
  int keep_yearly = 0;
  std::optional<std::int64_t> keep_within_us;  // made no longer than this before now
  std::optional<int> max_count;                // then at most this many, the oldest dropped
  // Whether any rule keeps anything: a policy without one is refused, never "delete all".
  bool keeps_something() const {
    return keep_last > 0 || keep_hourly > 0 || keep_daily > 0 || keep_weekly > 0 ||
           keep_monthly > 0 || keep_yearly > 0 || keep_within_us.has_value();
  }
};

// The broken-down time of an instant (seconds since 1970 UTC) in the zone buckets are cut in:
// the machine's local time (fmt::localtime) or UTC (fmt::gmtime).
using CivilTime = std::function<std::tm(std::int64_t unix_seconds)>;

// For each copy, in the order given, the rules that keep it ("last", "hourly 2026-12-05
// 14:00", "daily 2026-12-05", "weekly 2026-W49", "monthly 2026-12", "yearly 2026", "within
// 36h", "future"), or none: it is to be deleted. Each bucket rule keeps the newest copy of
// each of its N most recent buckets that hold a copy. A copy dated after `now` (a clock set
// wrong) is kept as "future" and takes no rule's place, so it cannot push a real copy out.
// An hour is told apart by its UTC offset too, so the hour a daylight-saving change repeats
// is two buckets. The cap then drops the oldest kept copies beyond max_count.
std::vector<std::vector<std::string>> retention_verdicts(
    const std::vector<std::int64_t>& created_unix_us, const RetentionPolicy& policy,
    std::int64_t now_unix_us, const CivilTime& civil);

// "36h", "10d", "2w", "90m" as microseconds; nullopt when it is not one of those.
std::optional<std::int64_t> parse_duration(const std::string& text);

}  // namespace shadowctl::core
