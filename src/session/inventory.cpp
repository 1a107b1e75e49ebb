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

std::vector<core::WriterStatus> query_writers(const System& system, const WaitPolicy& wait) {
  auto components = open_backup_components(system);
  // Writers answer status only once they have been asked to identify themselves.
  Async metadata;
  require(components->gather_writer_metadata(metadata), "GatherWriterMetadata");
  require(await_phase(*metadata, "GatherWriterMetadata", wait), "GatherWriterMetadata");
  Async status;
  require(components->gather_writer_status(status), "GatherWriterStatus");
  require(await_phase(*status, "GatherWriterStatus", wait), "GatherWriterStatus");
  std::vector<core::WriterStatus> writers;
  require(components->writer_status(writers), "GetWriterStatus");
  require(components->free_writer_status(), "FreeWriterStatus");
  require(components->free_writer_metadata(), "FreeWriterMetadata");
  std::stable_sort(writers.begin(), writers.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  return writers;
}

}  // namespace shadowctl::session
