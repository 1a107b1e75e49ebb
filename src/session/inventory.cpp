#include "session/inventory.h"

#include <algorithm>

#include "core/vss.h"
#include "session/open.h"

namespace shadowctl::session {

std::vector<core::ShadowCopy> query_shadow_copies(const System& system) {
  auto components = open_backup_components(system);
  require(components->set_context(core::vss::context::all), "SetContext");
  std::vector<core::ShadowCopy> shadows;
  // S_FALSE: there are none.
  require(components->query_snapshots(shadows), "Query");
  std::stable_sort(shadows.begin(), shadows.end(), [](const auto& a, const auto& b) {
    return a.created_unix_us > b.created_unix_us;
  });
  return shadows;
}

}  // namespace shadowctl::session
