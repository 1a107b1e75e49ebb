#include "session/inventory.h"

#include <algorithm>
#include <unordered_map>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/vss.h"
#include "session/open.h"

namespace shadowctl::session {
namespace {

// Shadow copies of every context, in the order VSS gave them.
std::vector<core::ShadowCopy> query_all(BackupComponents& components) {
  require(components.set_context(core::vss::context::all), "SetContext");
  std::vector<core::ShadowCopy> shadows;
  require(components.query_snapshots(shadows), "Query");  // S_FALSE: there are none
  return shadows;
}

}  // namespace

bool ShadowSelection::matches(const core::ShadowCopy& s) const {
  if (!ids.empty() &&
      std::none_of(ids.begin(), ids.end(), [&](const auto& id) { return same_ignoring_case(id, s.id); }))
    return false;
  if (set_id && !same_ignoring_case(*set_id, s.set_id)) return false;
  if (!volumes.empty() && std::none_of(volumes.begin(), volumes.end(), [&](const auto& v) {
        return same_ignoring_case(v, s.original_volume);
      }))
    return false;
  if (context) {
    const auto made_in = core::vss::context_of(s.attributes);
    if (!made_in || made_in->value != *context) return false;
  }
  if (created_before_unix_us && s.created_unix_us >= *created_before_unix_us) return false;
  return true;
}

bool ShadowSelection::by_id_only() const {
  return !ids.empty() && volumes.empty() && !set_id && !context && !created_before_unix_us &&
         newest == 0 && oldest == 0;
}

void complete_shadow_copies(const System& system, const VolumeTable& volumes,
                            std::vector<core::ShadowCopy>& shadows) {
  // One pass over each list, then a lookup per shadow copy: linear in the number of copies.
  std::unordered_map<std::string, std::string> provider_names;
  if (!shadows.empty()) {
    std::vector<core::Provider> providers;
    require(system.vss.query_providers(providers), "IVssAdmin::QueryProviders");
    for (const auto& p : providers) provider_names[lower_ascii(p.id)] = p.name;
  }
  volumes.name_origins(shadows);
  for (auto& s : shadows)
    if (auto it = provider_names.find(lower_ascii(s.provider_id)); it != provider_names.end())
      s.provider_name = it->second;
}

std::vector<core::ShadowCopy> query_shadow_copies(const System& system, const VolumeTable& volumes,
                                                  const ShadowSelection& selection) {
  auto components = open_backup_components(system);
  std::vector<core::ShadowCopy> shadows = query_all(*components);
  std::erase_if(shadows, [&](const auto& s) { return !selection.matches(s); });
  complete_shadow_copies(system, volumes, shadows);
  // Newest first. The order is sorted as indices and each copy moved once: moving whole
  // ShadowCopy records through a merge sort was a tenth of listing 10,000.
  std::vector<std::size_t> order(shadows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return shadows[a].created_unix_us > shadows[b].created_unix_us;
  });
  std::vector<core::ShadowCopy> sorted;
  sorted.reserve(shadows.size());
  for (std::size_t i : order) sorted.push_back(std::move(shadows[i]));
  shadows = std::move(sorted);
  if (selection.newest != 0 || selection.oldest != 0) {
    // Newest first: a copy's rank in its volume counts from 0 at the newest.
    std::unordered_map<std::string, std::size_t> count, seen;
    for (const auto& s : shadows) ++count[lower_ascii(s.original_volume)];
    std::vector<core::ShadowCopy> kept;
    for (auto& s : shadows) {
      const std::string volume = lower_ascii(s.original_volume);
      const std::size_t rank = seen[volume]++;
      if (rank < selection.newest || count[volume] - rank <= selection.oldest)
        kept.push_back(std::move(s));
    }
    shadows = std::move(kept);
  }
  return shadows;
}

WriterInventory query_writers(const System& system, const WaitPolicy& wait, bool metadata) {
  auto components = open_backup_components(system);
  WriterInventory inventory;
  // Writers answer status only once they have been asked to identify themselves.
  Async gathered;
  require(components->gather_writer_metadata(gathered), "GatherWriterMetadata");
  require(await_phase(*gathered, "GatherWriterMetadata", wait), "GatherWriterMetadata");
  if (metadata) require(components->writer_metadata(inventory.metadata), "GetWriterMetadata");
  Async status;
  require(components->gather_writer_status(status), "GatherWriterStatus");
  require(await_phase(*status, "GatherWriterStatus", wait), "GatherWriterStatus");
  require(components->writer_status(inventory.status), "GetWriterStatus");
  require(components->free_writer_status(), "FreeWriterStatus");
  require(components->free_writer_metadata(), "FreeWriterMetadata");
  auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
  std::stable_sort(inventory.status.begin(), inventory.status.end(), by_name);
  std::stable_sort(inventory.metadata.begin(), inventory.metadata.end(), by_name);
  return inventory;
}

std::vector<core::Provider> query_providers(const System& system) {
  open_vss(system);
  std::vector<core::Provider> providers;
  require(system.vss.query_providers(providers), "IVssAdmin::QueryProviders");
  std::stable_sort(providers.begin(), providers.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  return providers;
}

std::vector<core::VolumeShadowing> query_volumes(const System& system, const VolumeTable& volumes,
                                                 long context) {
  std::unordered_map<std::string, long> counts;
  for (const auto& s : query_all(*open_backup_components(system))) ++counts[lower_ascii(s.original_volume)];
  // IsVolumeSupported answers "in the current context", on an object of its own: the Query
  // object serves only its Query (CreateVssBackupComponents).
  auto components = open_backup_components(system);
  require(components->set_context(context), "SetContext");
  std::vector<core::VolumeShadowing> out;
  for (const auto& v : volumes.all()) {
    core::VolumeShadowing row{v, false, false, 0};
    // A volume no provider knows is VSS_E_OBJECT_NOT_FOUND: one VSS cannot shadow.
    const core::HResult supported = components->is_volume_supported(v.name, {}, row.supported);
    if (supported != core::hr::vss_e_object_not_found) require(supported, "IsVolumeSupported");
    // Windows answers VSS_E_OBJECT_NOT_FOUND for a volume no provider knows: not an error
    // of the inventory, just a volume without shadow copies.
    const core::HResult snapshotted = system.vss.is_volume_snapshotted(v.name, row.snapshotted);
    if (snapshotted != core::hr::vss_e_object_not_found) require(snapshotted, "IsVolumeSnapshotted");
    if (auto it = counts.find(lower_ascii(v.name)); it != counts.end()) row.shadow_count = it->second;
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<core::StorageAssociation> query_storage(const System& system,
                                                    const VolumeTable& volumes) {
  open_vss(system);
  std::vector<core::StorageAssociation> out;
  for (const auto& v : volumes.all()) {
    std::vector<core::StorageAssociation> found;
    const core::HResult hr = system.vss.query_storage(v.name, found);
    // A volume the software provider cannot shadow has no associations to list.
    if (hr == core::hr::vss_e_object_not_found || hr == core::hr::vss_e_volume_not_supported)
      continue;
    require(hr, "QueryDiffAreasForVolume");
    out.insert(out.end(), found.begin(), found.end());
  }
  volumes.name_storage(out);
  return out;
}

}  // namespace shadowctl::session
