#include "session/prune.h"

#include <algorithm>
#include <map>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/vss.h"
#include "session/inventory.h"

namespace shadowctl::session {
namespace {

// Why a copy is out of scope whatever the policy; "" when it is in.
std::string out_of_scope(const core::ShadowCopy& s, const PruneRequest& request) {
  const long a = s.attributes;
  if ((a & core::vss::attr::persistent) == 0) return "auto-release: its process holds it";
  if (!request.include_exposed &&
      (a & (core::vss::attr::exposed_locally | core::vss::attr::exposed_remotely)) != 0)
    return "exposed" + (s.exposed_name.empty() ? std::string() : " as " + s.exposed_name) +
           " (--include-exposed to judge it)";
  if (request.all_contexts) return "";
  const auto made_in = core::vss::context_of(a);
  const std::vector<long> wanted = request.contexts.empty()
                                       ? std::vector<long>{core::vss::context::app_rollback}
                                       : request.contexts;
  if (!made_in || std::find(wanted.begin(), wanted.end(), made_in->value) == wanted.end())
    return "another context (" + std::string(made_in ? made_in->word : "unknown") +
           "; --context or --all-contexts to judge it)";
  return "";
}

}  // namespace

core::PruneReport prune(const System& system, const VolumeTable& volumes,
                        const PruneRequest& request, const ConfirmDeletion& confirm) {
  if (!request.policy.keeps_something())
    throw core::Error({core::hr::shadowctl_e_usage, "prune policy",
                       "prune needs at least one --keep-* rule; it never deletes everything"});
  ShadowSelection selection;
  selection.volumes = request.volumes;
  core::PruneReport report;
  report.dry_run = request.dry_run;
  // Each volume's copies in scope, newest first (as listed).
  std::map<std::string, std::vector<core::ShadowCopy>> by_volume;
  for (auto& s : query_shadow_copies(system, volumes, selection)) {
    if (std::string why = out_of_scope(s, request); !why.empty())
      report.left_alone.push_back({std::move(s), std::move(why)});
    else
      by_volume[lower_ascii(s.original_volume)].push_back(std::move(s));
  }
  std::vector<core::ShadowCopy> doomed;
  for (auto& [volume, shadows] : by_volume) {
    std::vector<std::int64_t> times;
    for (const auto& s : shadows) times.push_back(s.created_unix_us);
    auto verdicts =
        core::retention_verdicts(times, request.policy, request.now_unix_us, request.civil);
    for (std::size_t i = 0; i < shadows.size(); ++i) {
      if (verdicts[i].empty()) doomed.push_back(shadows[i]);
      report.verdicts.push_back({std::move(shadows[i]), std::move(verdicts[i])});
    }
  }
  if (request.dry_run) return report;
  report.done =
      confirm_then_delete(system, doomed, doomed.size() > 1, request.yes, confirm, "prune");
  return report;
}

}  // namespace shadowctl::session
