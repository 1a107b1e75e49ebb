#pragma once

// The read-only half of the tool: what `list` shows and `check` warns about, and the one
// selection of shadow copies that list, delete (session/deletion.h) and prune share. Each query
// opens what it needs, asks, frees what VSS handed out, and throws core::Error naming the
// call that failed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/failure.h"
#include "core/vss_objects.h"
#include "core/vss.h"
#include "session/async_wait.h"
#include "session/system.h"
#include "session/volumes.h"

namespace shadowctl::session {

// Which shadow copies a command means; empty fields select everything, and a copy must
// pass every field that is set. Ids are in the form core::parse_guid gives; volumes are
// \\?\Volume{GUID}\ names. list, delete and (later) prune share it.
struct ShadowSelection {
  std::vector<std::string> volumes;
  std::optional<std::string> set_id;
  std::vector<std::string> ids;  // any of them
  std::optional<long> context;   // made in this context (core::vss::context_of its attributes)
  std::optional<std::int64_t> created_before_unix_us;  // made before this instant: by age
  // Rank within each volume, among the copies the fields above let through: not 0, the
  // newest N, or the oldest M (delete --oldest: 1); with both, a copy that is either.
  std::size_t newest = 0;
  std::size_t oldest = 0;
  // Whether a copy passes every field but the rank (which needs the others' copies).
  bool matches(const core::ShadowCopy& s) const;
  // Whether it names its copies by id and nothing else (what needs no confirmation).
  bool by_id_only() const;
};

// A shadow copy as every command shows it, complete: its volume's mount point and its
// provider's name filled in, which GetSnapshotProperties and Query do not give.
void complete_shadow_copies(const System& system, const VolumeTable& volumes,
                            std::vector<core::ShadowCopy>& shadows);

// Every shadow copy of every context (Query in VSS_CTX_ALL) the selection matches, newest
// first, complete (complete_shadow_copies).
std::vector<core::ShadowCopy> query_shadow_copies(const System& system, const VolumeTable& volumes,
                                                  const ShadowSelection& selection = {});

// Every writer with its state and last failure, as GatherWriterStatus reports them after
// GatherWriterMetadata (what `vssadmin list writers` shows), sorted by name; with
// `metadata`, also what each writer described (its components and their files).
struct WriterInventory {
  std::vector<core::WriterStatus> status;
  std::vector<core::WriterMetadata> metadata;  // empty unless asked for
};
WriterInventory query_writers(const System& system, const WaitPolicy& wait, bool metadata = false);

// The registered providers (IVssAdmin::QueryProviders).
std::vector<core::Provider> query_providers(const System& system);

// Every local volume as VSS sees it: supported (IsVolumeSupported in `context`, by default the
// one `create` uses), snapshotted (IsVolumeSnapshotted), and its number of shadow copies of
// every context.
std::vector<core::VolumeShadowing> query_volumes(const System& system, const VolumeTable& volumes,
                                                 long context = core::vss::context::app_rollback);

// The shadow storage associations of every local volume VSS can shadow.
std::vector<core::StorageAssociation> query_storage(const System& system,
                                                    const VolumeTable& volumes);

}  // namespace shadowctl::session
