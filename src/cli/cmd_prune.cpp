#include "cli/cmd_prune.h"

#include <algorithm>
#include <chrono>
#include <sstream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/cmd_delete.h"
#include "core/vss.h"
#include "report/shapes.h"
#include "report/table.h"
#include "report/terminal.h"
#include "session/prune.h"

namespace shadowctl::cli {

void setup_prune(CLI::App& app, PruneOptions& options) {
  app.description(
      "Thin a volume's shadow copies by a retention policy, as restic's forget does: a copy "
      "is kept if any --keep rule keeps it, and only the others are deleted. Each bucket rule "
      "keeps the newest copy of each of its N most recent hours, days, ISO weeks, months or "
      "years that hold one (local time; --utc for UTC). Judges the copies of the context "
      "create makes (app-rollback) unless told; never an auto-release copy, nor an exposed "
      "one unless told. More than one deletion asks first (--yes when not at a terminal).");
  app.add_option("--volume", options.volumes, "A volume whose copies are judged (repeatable)")
      ->required();
  // 0 is "not given": no default to show.
  const auto count = [&app](const std::string& name, int& value, const std::string& what) {
    add_number(app, name, value, "N", 1, 100000, what)->type_name("N (1-100000)");
  };
  count("--keep-last", options.keep_last, "Keep the N newest copies");
  count("--keep-hourly", options.keep_hourly,
        "Keep the newest copy of each of the last N hours that have one");
  count("--keep-daily", options.keep_daily, "The same for days");
  count("--keep-weekly", options.keep_weekly, "The same for ISO weeks (Monday first)");
  count("--keep-monthly", options.keep_monthly, "The same for months");
  count("--keep-yearly", options.keep_yearly, "The same for years");
  app.add_option("--keep-within", options.keep_within,
                 "Keep every copy made within this long before now: 90m, 36h, 10d, 2w");
  count("--max-count", options.max_count, "Then keep at most N copies, dropping the oldest kept ones");
  app.add_flag("--utc", options.utc, "Cut hours, days, weeks, months and years in UTC");
  std::vector<std::string> contexts;
  for (const auto& c : core::vss::kContexts) contexts.emplace_back(c.word);
  auto* context = one_of(app.add_option("--context", options.contexts,
                                        "Judge the copies of this context instead (repeatable)"),
                         contexts);
  app.add_flag("--all-contexts", options.all_contexts, "Judge the copies of every context")
      ->excludes(context);
  app.add_flag("--include-exposed", options.include_exposed, "Judge exposed copies too");
  app.add_flag("--dry-run", options.dry_run, "Show the verdicts; delete nothing");
  app.add_flag("-y,--yes", options.yes, "Delete without asking");
}

namespace {

void render_prune(const core::PruneReport& report, std::ostream& out) {
  report::Table table({"VOLUME", "SHADOW COPY", "CREATED", "VERDICT"});
  const auto failed_at = report.done.failed_id;
  for (const auto& v : report.verdicts) {
    std::string verdict;
    for (const auto& rule : v.kept_by) verdict += (verdict.empty() ? "kept: " : ", ") + rule;
    if (verdict.empty()) {
      const bool deleted = std::any_of(report.done.deleted.begin(), report.done.deleted.end(),
                                       [&](const auto& d) { return d.id == v.shadow.id; });
      verdict = report.dry_run             ? "would delete"
                : deleted                  ? "deleted"
                : v.shadow.id == failed_at ? "failed to delete"
                                           : "not deleted";
    }
    table.add({core::display_volume(v.shadow), v.shadow.id,
               report::local_time(v.shadow.created_unix_us), verdict});
  }
  for (const auto& l : report.left_alone)
    table.add({core::display_volume(l.shadow), l.shadow.id,
               report::local_time(l.shadow.created_unix_us), "left alone: " + l.reason});
  table.print(out);
}

}  // namespace

report::Outcome run_prune(const PruneOptions& options, Context& context) {
  session::PruneRequest request;
  const auto volumes = session::VolumeTable::read(context.system);
  for (const core::Volume* v : volumes.resolve(options.volumes)) request.volumes.push_back(v->name);
  auto& policy = request.policy;
  policy.keep_last = options.keep_last;
  policy.keep_hourly = options.keep_hourly;
  policy.keep_daily = options.keep_daily;
  policy.keep_weekly = options.keep_weekly;
  policy.keep_monthly = options.keep_monthly;
  policy.keep_yearly = options.keep_yearly;
  if (!options.keep_within.empty())
    policy.keep_within_us = duration_option(options.keep_within, "--keep-within");
  if (options.max_count > 0) policy.max_count = options.max_count;
  for (const auto& word : options.contexts)
    for (const auto& c : core::vss::kContexts)
      if (c.word == word) request.contexts.push_back(c.value);
  request.all_contexts = options.all_contexts;
  request.include_exposed = options.include_exposed;
  request.dry_run = options.dry_run;
  request.yes = options.yes;
  request.now_unix_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  request.civil =
      options.utc
          ? core::CivilTime([](std::int64_t s) { return fmt::gmtime(static_cast<std::time_t>(s)); })
          : core::CivilTime(
                [](std::int64_t s) { return fmt::localtime(static_cast<std::time_t>(s)); });

  session::ConfirmDeletion confirm;
  if (context.confirm)
    confirm = [&context](const std::string& question, const std::vector<core::ShadowCopy>& listed) {
      std::ostringstream text;
      for (const auto& s : listed)
        text << "  " << s.id << "  " << report::in_line(core::display_volume(s)) << "  "
             << report::local_time(s.created_unix_us) << '\n';
      // Previous Versions and System Restore live in the client-accessible context.
      if (std::any_of(listed.begin(), listed.end(), [](const auto& s) {
            return (s.attributes & core::vss::attr::client_accessible) != 0;
          }))
        text << "Some are client-accessible: Explorer's Previous Versions and System Restore use "
                "them.\n";
      return context.confirm(text.str() + question);
    };
  const auto pruned = session::prune(context.system, volumes, request, confirm);
  report::Outcome outcome;
  outcome.command = "prune";
  outcome.result = report::prune_json(pruned);
  stopped_part_way(pruned.done, context, outcome);
  outcome.human = [pruned](std::ostream& out, const report::Style&) {
    if (pruned.verdicts.empty() && pruned.left_alone.empty()) {
      out << "No shadow copy of the volumes named.\n";
      return;
    }
    render_prune(pruned, out);
    std::size_t kept = 0;
    for (const auto& v : pruned.verdicts) kept += v.kept_by.empty() ? 0u : 1u;
    const std::size_t judged = pruned.verdicts.size();
    out << '\n'
        << (pruned.dry_run
                ? fmt::format("Would delete {} of {} (dry run, nothing deleted); keep {}",
                              judged - kept, judged, kept)
                : fmt::format("Deleted {} of {}; kept {}", pruned.done.deleted.size(), judged,
                              kept))
        << (pruned.left_alone.empty() ? ""
                                      : fmt::format("; {} left alone", pruned.left_alone.size()))
        << ".\n";
  };
  return outcome;
}

Command prune_command() {
  return make_command<PruneOptions>("prune", "Thin shadow copies by a retention policy",
                                    setup_prune, run_prune);
}

}  // namespace shadowctl::cli
