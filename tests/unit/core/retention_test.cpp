// prune's rules (core/retention.h): worked examples as docs/commands/prune.md shows them, the
// edges (a repeated daylight-saving hour, a copy dated in the future, the cap), and a
// property test holding the rules to a reference written here independently.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <fmt/chrono.h>
#include <gtest/gtest.h>

#include "core/retention.h"

namespace shadowctl::core {
namespace {

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t kDay = 24 * kHour;

// 2026-12-07 12:00 UTC, a Monday.
constexpr std::int64_t kNow = 1'796'644'800 * kSecond;

const CivilTime kUtc = [](std::int64_t s) { return fmt::gmtime(static_cast<std::time_t>(s)); };

std::vector<std::string> joined(const std::vector<std::vector<std::string>>& verdicts) {
  std::vector<std::string> out;
  for (const auto& v : verdicts) {
    std::string line;
    for (const auto& rule : v) line += (line.empty() ? "" : ", ") + rule;
    out.push_back(line.empty() ? "deleted" : line);
  }
  return out;
}

TEST(Retention, TheWorkedExampleOfTheDocs) {
  // A copy every 12 hours for 10 days, newest first: 07 00:00, 06 12:00, 06 00:00, ...
  std::vector<std::int64_t> times;
  for (int i = 0; i < 20; ++i) times.push_back(kNow - 12 * kHour - i * 12 * kHour);
  RetentionPolicy policy;
  policy.keep_last = 2;
  policy.keep_daily = 3;
  policy.keep_weekly = 2;
  const auto v = joined(retention_verdicts(times, policy, kNow, kUtc));
  EXPECT_EQ(v[0], "last, daily 2026-12-07, weekly 2026-W50");
  EXPECT_EQ(v[1], "last, daily 2026-12-06, weekly 2026-W49");
  EXPECT_EQ(v[2], "deleted");  // 06 00:00: day 06 has its newest already
  EXPECT_EQ(v[3], "daily 2026-12-05");
  for (int i = 4; i < 20; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], "deleted") << i;
}

TEST(Retention, KeepWithinKeepsEveryCopyOfTheSpan) {
  const std::vector<std::int64_t> times{kNow - kHour, kNow - 35 * kHour, kNow - 37 * kHour};
  RetentionPolicy policy;
  policy.keep_within_us = 36 * kHour;
  EXPECT_EQ(joined(retention_verdicts(times, policy, kNow, kUtc)),
            (std::vector<std::string>{"within 36h", "within 36h", "deleted"}));
}

TEST(Retention, TheCapDropsTheOldestKept) {
  const std::vector<std::int64_t> times{kNow - 3 * kDay, kNow - kDay, kNow - 2 * kDay};
  RetentionPolicy policy;
  policy.keep_daily = 3;
  policy.max_count = 2;
  EXPECT_EQ(joined(retention_verdicts(times, policy, kNow, kUtc)),
            (std::vector<std::string>{"deleted", "daily 2026-12-06", "daily 2026-12-05"}));
}

TEST(Retention, ACopyDatedInTheFutureTakesNoRulesPlace) {
  // A clock set a year ahead made one copy: it is kept, and keep-last 1 still keeps today's.
  const std::vector<std::int64_t> times{kNow + 365 * kDay, kNow - kHour, kNow - 2 * kHour};
  RetentionPolicy policy;
  policy.keep_last = 1;
  policy.keep_yearly = 1;
  EXPECT_EQ(joined(retention_verdicts(times, policy, kNow, kUtc)),
            (std::vector<std::string>{"future", "last, yearly 2026", "deleted"}));
}

// Central Europe, by hand: UTC+1, and UTC+2 from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC.
const CivilTime kBerlin = [](std::int64_t s) {
  constexpr std::int64_t summer_from = 1'774'746'000, summer_to = 1'792'890'000;
  const std::int64_t offset = s >= summer_from && s < summer_to ? 7200 : 3600;
  return kUtc(s + offset);
};

TEST(Retention, TheHourADaylightSavingChangeRepeatsIsTwoBuckets) {
  // 2026-10-25: 02:30 local is 00:30 UTC (summer) and again 01:30 UTC (winter).
  const std::int64_t second = 1'792'891'800 * kSecond, first = second - kHour;
  RetentionPolicy policy;
  policy.keep_hourly = 2;
  const auto v = retention_verdicts({second, first}, policy, second + kHour, kBerlin);
  EXPECT_EQ(v[0], (std::vector<std::string>{"hourly 2026-10-25 02:00 +0100"}));
  EXPECT_EQ(v[1], (std::vector<std::string>{"hourly 2026-10-25 02:00 +0200"}));
  // Days are local days: 23:30 UTC on the 24th is the 25th in Berlin.
  policy = {};
  policy.keep_daily = 1;
  const std::int64_t late = 1'792'884'600 * kSecond;  // 2026-10-24 23:30 UTC, 01:30 local
  EXPECT_EQ(retention_verdicts({late}, policy, second, kBerlin)[0],
            (std::vector<std::string>{"daily 2026-10-25"}));
}

TEST(Retention, IsoWeeksCrossTheYear) {
  // 2027-01-01 is a Friday: ISO week 53 of 2026.
  const std::int64_t new_year = 1'798'761'600 * kSecond + 12 * kHour;
  RetentionPolicy policy;
  policy.keep_weekly = 1;
  EXPECT_EQ(retention_verdicts({new_year}, policy, new_year + kDay, kUtc)[0],
            (std::vector<std::string>{"weekly 2026-W53"}));
}

TEST(Retention, Durations) {
  EXPECT_EQ(parse_duration("36h"), 36 * kHour);
  EXPECT_EQ(parse_duration("10d"), 10 * kDay);
  EXPECT_EQ(parse_duration("2w"), 14 * kDay);
  EXPECT_EQ(parse_duration("90m"), 90 * 60 * kSecond);
  EXPECT_FALSE(parse_duration("h"));
  EXPECT_FALSE(parse_duration("10"));
  EXPECT_FALSE(parse_duration("-1d"));
  EXPECT_FALSE(parse_duration("1y"));
}

// The reference: each rule on its own, by grouping the copies into buckets (a key from the
// UTC date), ranking the buckets by their newest copy, and keeping the newest copy of the
// first N. Written apart from the product's single newest-first pass.
std::set<std::size_t> reference(const std::vector<std::int64_t>& times, const RetentionPolicy& p,
                                std::int64_t now) {
  std::set<std::size_t> kept;
  std::vector<std::size_t> past;
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (times[i] > now)
      kept.insert(i);
    else
      past.push_back(i);
  }
  std::stable_sort(past.begin(), past.end(),
                   [&](std::size_t a, std::size_t b) { return times[a] > times[b]; });
  for (int k = 0; k < p.keep_last && k < static_cast<int>(past.size()); ++k)
    kept.insert(past[static_cast<std::size_t>(k)]);
  const auto by_bucket = [&](int n, auto key) {
    std::map<std::int64_t, std::size_t> newest;  // bucket -> its newest copy
    for (const std::size_t i : past) {
      const std::int64_t b = key(times[i] / kSecond);
      if (!newest.count(b)) newest[b] = i;  // past is newest first
    }
    int taken = 0;
    for (auto it = newest.rbegin(); it != newest.rend() && taken < n; ++it, ++taken)
      kept.insert(it->second);
  };
  const auto tm_of = [](std::int64_t s) { return kUtc(s); };
  by_bucket(p.keep_hourly, [](std::int64_t s) { return s / 3600; });
  by_bucket(p.keep_daily, [](std::int64_t s) { return s / 86400; });
  by_bucket(p.keep_weekly, [](std::int64_t s) { return (s / 86400 + 3) / 7; });  // Monday starts
  by_bucket(p.keep_monthly, [&](std::int64_t s) {
    const std::tm t = tm_of(s);
    return std::int64_t{t.tm_year} * 12 + t.tm_mon;
  });
  by_bucket(p.keep_yearly, [&](std::int64_t s) { return std::int64_t{tm_of(s).tm_year}; });
  if (p.keep_within_us)
    for (const std::size_t i : past)
      if (now - times[i] <= *p.keep_within_us) kept.insert(i);
  if (p.max_count) {
    std::vector<std::size_t> order(kept.begin(), kept.end());
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return times[a] > times[b]; });
    for (std::size_t k = static_cast<std::size_t>(*p.max_count); k < order.size(); ++k)
      kept.erase(order[k]);
  }
  return kept;
}

TEST(RetentionProperty, RandomHistoriesAndPoliciesMatchTheReference) {
  std::mt19937_64 random(20261207);
  for (int round = 0; round < 300; ++round) {
    // Hundreds of copies at random times over two years, a few in the future.
    const std::size_t count = 50 + random() % 450;
    std::vector<std::int64_t> times;
    for (std::size_t i = 0; i < count; ++i)
      times.push_back(kNow - static_cast<std::int64_t>(random() % (730 * 24 * 3600)) * kSecond +
                      (random() % 50 == 0 ? 30 * kDay : 0));
    RetentionPolicy p;
    const auto some = [&](unsigned most) {
      return random() % 3 == 0 ? 0 : static_cast<int>(random() % most) + 1;
    };
    p.keep_last = some(10);
    p.keep_hourly = some(48);
    p.keep_daily = some(30);
    p.keep_weekly = some(12);
    p.keep_monthly = some(24);
    p.keep_yearly = some(3);
    if (random() % 3 == 0) p.keep_within_us = static_cast<std::int64_t>(random() % 240) * kHour;
    if (random() % 4 == 0) p.max_count = some(60);
    if (!p.keeps_something()) p.keep_last = 1;

    const auto verdicts = retention_verdicts(times, p, kNow, kUtc);
    std::set<std::size_t> kept;
    for (std::size_t i = 0; i < count; ++i)
      if (!verdicts[i].empty()) kept.insert(i);
    ASSERT_EQ(kept, reference(times, p, kNow)) << "round " << round;
    // Every copy kept names a rule that is in the policy.
    for (const std::size_t i : kept)
      for (const auto& rule : verdicts[i]) {
        const std::string name = rule.substr(0, rule.find(' '));
        const bool in_policy =
            (name == "last" && p.keep_last) || (name == "hourly" && p.keep_hourly) ||
            (name == "daily" && p.keep_daily) || (name == "weekly" && p.keep_weekly) ||
            (name == "monthly" && p.keep_monthly) || (name == "yearly" && p.keep_yearly) ||
            (name == "within" && p.keep_within_us) || name == "future";
        ASSERT_TRUE(in_policy) << rule;
      }
    // Pruning what is left deletes nothing.
    std::vector<std::int64_t> left;
    for (const std::size_t i : kept) left.push_back(times[i]);
    for (const auto& v : retention_verdicts(left, p, kNow, kUtc))
      ASSERT_FALSE(v.empty()) << "round " << round;
  }
}

}  // namespace
}  // namespace shadowctl::core
