#pragma once

// The VSS enumerations shadowctl and its emulator use, with the names vss.h gives them.
// Platform-neutral, so the Linux build and the emulator share them; the Windows build
// static_asserts every value against the SDK header (platform/windows/vss_check.cpp).

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace shadowctl::core::vss {

// A value with its SDK name and what it means to an admin.
struct Named {
  long value;
  std::string_view name;
  std::string_view meaning;
};

// _VSS_SNAPSHOT_CONTEXT.
namespace context {
inline constexpr long backup = 0x0;
inline constexpr long file_share_backup = 0x10;
inline constexpr long nas_rollback = 0x19;
inline constexpr long app_rollback = 0x9;
inline constexpr long client_accessible = 0x1d;
inline constexpr long client_accessible_writers = 0xd;
inline constexpr long all = static_cast<long>(0xffffffff);
}  // namespace context

// _VSS_VOLUME_SNAPSHOT_ATTRIBUTES.
namespace attr {
inline constexpr long persistent = 0x1;
inline constexpr long no_autorecovery = 0x2;
inline constexpr long client_accessible = 0x4;
inline constexpr long no_auto_release = 0x8;
inline constexpr long no_writers = 0x10;
inline constexpr long transportable = 0x20;
inline constexpr long not_surfaced = 0x40;
inline constexpr long not_transacted = 0x80;
inline constexpr long hardware_assisted = 0x10000;
inline constexpr long differential = 0x20000;
inline constexpr long plex = 0x40000;
inline constexpr long imported = 0x80000;
inline constexpr long exposed_locally = 0x100000;
inline constexpr long exposed_remotely = 0x200000;
inline constexpr long autorecover = 0x400000;
inline constexpr long rollback_recovery = 0x800000;
inline constexpr long delayed_postsnapshot = 0x1000000;
inline constexpr long txf_recovery = 0x2000000;
inline constexpr long file_share = 0x4000000;
}  // namespace attr

// vss.h builds each context from attributes; so do these (checked where they are made).
static_assert(context::app_rollback == (attr::persistent | attr::no_auto_release));
static_assert(context::nas_rollback == (context::app_rollback | attr::no_writers));
static_assert(context::client_accessible == (attr::persistent | attr::client_accessible |
                                             attr::no_auto_release | attr::no_writers));
static_assert(context::client_accessible_writers ==
              (attr::persistent | attr::client_accessible | attr::no_auto_release));
static_assert(context::file_share_backup == attr::no_writers);

// _VSS_BACKUP_TYPE.
namespace backup_type {
inline constexpr int undefined = 0;
inline constexpr int full = 1;
inline constexpr int incremental = 2;
inline constexpr int differential = 3;
inline constexpr int log = 4;
inline constexpr int copy = 5;
inline constexpr int other = 6;
}  // namespace backup_type

// The backup types `--backup-type` takes, as it names them.
struct BackupTypeWord {
  std::string_view word;
  int value;
};
inline constexpr auto kBackupTypes = std::to_array<BackupTypeWord>({
    {"copy", backup_type::copy},
    {"full", backup_type::full},
    {"incremental", backup_type::incremental},
    {"differential", backup_type::differential},
    {"log", backup_type::log},
});

// VSS_COMPONENT_TYPE.
namespace component_type {
inline constexpr int database = 1;
inline constexpr int filegroup = 2;
}  // namespace component_type

// _VSS_OBJECT_TYPE.
namespace object_type {
inline constexpr int unknown = 0;
inline constexpr int none = 1;
inline constexpr int snapshot_set = 2;
inline constexpr int snapshot = 3;
inline constexpr int provider = 4;
}  // namespace object_type

// _VSS_PROVIDER_TYPE.
namespace provider_type {
inline constexpr int unknown = 0;
inline constexpr int system = 1;
inline constexpr int software = 2;
inline constexpr int hardware = 3;
inline constexpr int fileshare = 4;
}  // namespace provider_type

// _VSS_SNAPSHOT_STATE: the one a finished shadow copy has.
namespace snapshot_state {
inline constexpr int created = 12;
}  // namespace snapshot_state

// The per-volume limits of shadow copies (AddToSnapshotSet's
// VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED).
inline constexpr long kMaxShadowsPerVolume = 512;
inline constexpr long kMaxClientAccessiblePerVolume = 64;

// _VSS_WRITER_STATE, indexed by value.
inline constexpr auto kWriterStates = std::to_array<Named>({
    {0, "VSS_WS_UNKNOWN", "The writer's state is not known."},
    {1, "VSS_WS_STABLE", "The writer is ready: no backup is running, or it finished."},
    {2, "VSS_WS_WAITING_FOR_FREEZE", "Waiting for the freeze."},
    {3, "VSS_WS_WAITING_FOR_THAW", "Frozen, waiting for the thaw."},
    {4, "VSS_WS_WAITING_FOR_POST_SNAPSHOT", "Waiting for the post-snapshot event."},
    {5, "VSS_WS_WAITING_FOR_BACKUP_COMPLETE",
     "The shadow copy is made; the writer waits for the backup to complete."},
    {6, "VSS_WS_FAILED_AT_IDENTIFY", "The writer failed while describing itself."},
    {7, "VSS_WS_FAILED_AT_PREPARE_BACKUP", "The writer failed while preparing the backup."},
    {8, "VSS_WS_FAILED_AT_PREPARE_SNAPSHOT",
     "The writer failed while preparing the shadow copy."},
    {9, "VSS_WS_FAILED_AT_FREEZE", "The writer failed to freeze its data."},
    {10, "VSS_WS_FAILED_AT_THAW", "The writer failed to thaw its data."},
    {11, "VSS_WS_FAILED_AT_POST_SNAPSHOT", "The writer failed after the shadow copy was made."},
    {12, "VSS_WS_FAILED_AT_BACKUP_COMPLETE", "The writer failed when the backup completed."},
    {13, "VSS_WS_FAILED_AT_PRE_RESTORE", "The writer failed before a restore."},
    {14, "VSS_WS_FAILED_AT_POST_RESTORE", "The writer failed after a restore."},
    {15, "VSS_WS_FAILED_AT_BACKUPSHUTDOWN", "The writer failed when the backup shut down."},
});

// A writer state's SDK name, or nullopt for a value vss.h does not define.
constexpr std::optional<Named> writer_state(long value) {
  if (value < 0 || value >= static_cast<long>(kWriterStates.size())) return std::nullopt;
  return kWriterStates[static_cast<std::size_t>(value)];
}

// The FAILED_AT_* states: the writer took part and failed.
constexpr bool writer_state_failed(long value) { return value >= 6 && value <= 15; }

// A snapshot context as users name it (`--context app-rollback`) and as vss.h does.
struct ContextInfo {
  long value;
  std::string_view word;
  std::string_view sdk_name;
  std::string_view meaning;
  long without_writers;  // its writer-less counterpart (--no-writers), or itself
  long persistent;  // its persistent counterpart, same writers (exec --mount), or itself
};

// The contexts a shadow copy can be made in (VSS_CTX_ALL is for queries only).
inline constexpr auto kContexts = std::to_array<ContextInfo>({
    {context::backup, "backup", "VSS_CTX_BACKUP", "non-persistent, with writers",
     context::file_share_backup, context::app_rollback},
    {context::file_share_backup, "file-share-backup", "VSS_CTX_FILE_SHARE_BACKUP",
     "non-persistent, no writers", context::file_share_backup, context::nas_rollback},
    {context::nas_rollback, "nas-rollback", "VSS_CTX_NAS_ROLLBACK",
     "persistent, no writers, no auto-recovery", context::nas_rollback, context::nas_rollback},
    {context::app_rollback, "app-rollback", "VSS_CTX_APP_ROLLBACK", "persistent, with writers",
     context::nas_rollback, context::app_rollback},
    {context::client_accessible, "client-accessible", "VSS_CTX_CLIENT_ACCESSIBLE",
     "persistent, no writers, visible to Previous Versions", context::client_accessible,
     context::client_accessible},
    {context::client_accessible_writers, "client-accessible-writers",
     "VSS_CTX_CLIENT_ACCESSIBLE_WRITERS", "persistent, with writers, visible to Previous Versions",
     context::client_accessible, context::client_accessible_writers},
});

// Each counterpart is what its name says: no writers, or persistent, and otherwise the same.
static_assert([] {
  for (const auto& c : kContexts) {
    if ((c.without_writers & attr::no_writers) == 0 ||
        (c.without_writers & ~attr::no_writers) != (c.value & ~attr::no_writers))
      return false;
    if ((c.persistent & attr::persistent) == 0 ||
        (c.persistent & attr::no_writers) != (c.value & attr::no_writers))
      return false;
  }
  return true;
}());

// The attributes a requester may OR into SetContext's context, with the names diskshadow's
// `set option` gives them. The _VSS_VOLUME_SNAPSHOT_ATTRIBUTES page says of NO_AUTORECOVERY,
// DIFFERENTIAL and PLEX "a requester can modify a shadow copy context with a bitwise OR of
// this attribute"; TRANSPORTABLE, ROLLBACK_RECOVERY and TXF_RECOVERY are what diskshadow's
// `set option` adds (and a widely deployed guest agent sends 0x0200002B, which Windows
// accepts). Every other attribute "should not be used explicitly by requesters" or is
// "reserved for system use".
// https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_volume_snapshot_attributes
// https://learn.microsoft.com/windows-server/administration/windows-commands/set-option
struct SnapshotOption {
  long value;
  std::string_view word;  // as `create --option` takes it: diskshadow's word, hyphenated
  std::string_view sdk_name;
  std::string_view meaning;
  bool on_create;  // offered by `create --option` (the others need a hardware provider's import)
};

inline constexpr auto kSnapshotOptions = std::to_array<SnapshotOption>({
    {attr::no_autorecovery, "no-autorecover", "VSS_VOLSNAP_ATTR_NO_AUTORECOVERY",
     "read-only at once: writers and the file system make no recovery changes to the copy",
     true},
    {attr::txf_recovery, "txf-recover", "VSS_VOLSNAP_ATTR_TXF_RECOVERY",
     "the copy is made transactionally consistent (TxF) as it is created", true},
    {attr::differential, "differential", "VSS_VOLSNAP_ATTR_DIFFERENTIAL",
     "a copy-on-write shadow copy (what the system provider makes)", true},
    {attr::plex, "plex", "VSS_VOLSNAP_ATTR_PLEX",
     "a full clone of the volume (hardware providers only)", true},
    {attr::rollback_recovery, "rollback-recover", "VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY",
     "writers auto-recover the copy for a non-backup use", false},
    {attr::transportable, "transportable", "VSS_VOLSNAP_ATTR_TRANSPORTABLE",
     "the copy is to be imported elsewhere later", false},
});

// Every attribute a requester may add to a context (kSnapshotOptions).
inline constexpr long kRequesterAttributes = [] {
  long all = 0;
  for (const auto& o : kSnapshotOptions) all |= o.value;
  return all;
}();

// The context a shadow copy was made in, read from its attributes (each context is a
// combination of attribute bits); nullopt when they match none.
constexpr std::optional<ContextInfo> context_of(long attributes) {
  constexpr long kContextBits =
      attr::persistent | attr::client_accessible | attr::no_auto_release | attr::no_writers;
  for (const auto& c : kContexts)
    if ((attributes & kContextBits) == c.value) return c;
  return std::nullopt;
}

}  // namespace shadowctl::core::vss
