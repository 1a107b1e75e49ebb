#pragma once

// Thinning old shadow copies by a retention policy (core/retention.h): which copies of the
// named volumes are in scope, the verdict on each, and the deletion of the rest through the
// one delete flow (session/deletion.h).

#include <cstdint>
#include <string>
#include <vector>

#include "core/results.h"
#include "core/retention.h"
#include "session/deletion.h"
#include "session/system.h"
#include "session/volumes.h"

namespace shadowctl::session {

struct PruneRequest {
  std::vector<std::string> volumes;  // \\?\Volume{GUID}\ names, resolved
  core::RetentionPolicy policy;
  // Contexts in scope (core::vss::context values); empty: the one `create` makes by default
  // (app-rollback). all_contexts: every context.
  std::vector<long> contexts;
  bool all_contexts = false;
  bool include_exposed = false;
  bool dry_run = false;
  bool yes = false;
  std::int64_t now_unix_us = 0;
  core::CivilTime civil;  // the zone buckets are cut in: local time, or UTC with --utc
};

// Judges each volume's copies on their own (a set with several volumes is judged per
// volume). Never in scope: an auto-release copy (its process holds it), an exposed copy
// unless include_exposed, a copy of another context. Throws SHADOWCTL_E_USAGE for a policy
// that keeps nothing, or a refused confirmation (more than one copy to delete asks first),
// with nothing deleted. Deletes nothing in a dry run.
core::PruneReport prune(const System& system, const VolumeTable& volumes,
                        const PruneRequest& request, const ConfirmDeletion& confirm);

}  // namespace shadowctl::session
