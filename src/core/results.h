#pragma once

// What a flow came to, as plain values: the session layer returns them (inside its own
// result structs, which add what only the session needs) and report/shapes.h shapes them,
// so the report layer never needs the session's types.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/failure.h"
#include "core/file_entry.h"
#include "core/vss_objects.h"

namespace shadowctl::core {

// A snapshot set made by create or exec: how it was asked for, and what it holds.
struct MadeSet {
  std::string set_id;
  long context = 0;     // the context, without the attributes --option added
  long attributes = 0;  // what --option added (vss::kSnapshotOptions)
  int backup_type = 0;  // vss::backup_type
  // One per volume, in the order asked, original_mount_point filled from the volume table.
  std::vector<ShadowCopy> shadows;
  int attempts = 1;
  bool component_mode = false;                // SetBackupState selected components
  std::vector<SelectedComponent> components;  // empty unless in component mode
  std::vector<LeftOut> left_out;  // component mode: what the set's volumes could not hold
  bool bootable_system_state = false;  // what SetBackupState was told
  bool deleted = false;    // exec, or a failed --keep: the set was deleted afterwards
  bool abandoned = false;  // exec's command failed: AbortBackup, then the set was deleted
};

// The command exec ran against a set.
struct CommandRun {
  std::string program;                 // the file found
  std::vector<std::string> arguments;  // as given, after the program
  int exit_code = 0;
  std::int64_t run_time_ms = 0;
  std::vector<std::pair<std::string, std::string>> mounts;  // volume, where it was exposed
};

// What deleting a list of copies did: those deleted, in order, those another process deleted
// first, and where it stopped if it failed.
struct DeleteOutcome {
  std::vector<ShadowCopy> deleted;
  std::vector<ShadowCopy> gone;
  std::optional<Failure> failure;
  std::string failed_id;
};

// What a delete request came to: the copies selected, and unless it was a dry run what
// happened to each.
struct DeletionReport {
  std::vector<ShadowCopy> selected;
  bool dry_run = false;
  DeleteOutcome done;
};

// A folder as a shadow copy holds it (ls): which copy, where the folder is in it, and its
// entries sorted by name.
struct FolderListing {
  std::string shadow_id;
  std::int64_t shadow_created_unix_us = 0;
  std::string path;         // as the user knows it: C:\Users\ann
  std::string device_path;  // where it is read: \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN\Users\ann
  std::vector<FileEntry> entries;
};

// One version of a file in a shadow copy, and whether it differs from the live one (size,
// last-write time, or kind).
struct FileVersion {
  std::string shadow_id;
  std::int64_t shadow_created_unix_us = 0;
  std::string device_path;  // where it is read
  FileEntry entry;
  bool differs = false;
};

// A shadow copy that could not be read, and why.
struct UnreadableCopy {
  std::string shadow_id;
  HResult hr = 0;
};

// versions: the live file (nullopt: gone today) and every copy's version, newest first.
struct FileVersions {
  std::string path;
  bool contents_compared = false;  // --compare: "differs" of a same-size file is its bytes
  std::optional<FileEntry> live;
  std::vector<FileVersion> versions;
  std::vector<UnreadableCopy> unreadable;
};

// Where one PATH of a restore is read from: the copy chosen for it, and where PATH is in it.
struct RestoreSource {
  std::string path;         // as the user knows it: C:\Users\ann\report.docx
  std::string shadow_id;
  std::int64_t shadow_created_unix_us = 0;
  std::string device_path;  // PATH inside the copy
};

// What restore does with one file or folder of the copy.
enum class RestoreAction {
  create,   // nothing is at the destination: written there (a folder: made)
  merge,    // a folder already at the destination: what the copy holds goes into it
  replace,  // a file is there: replaced (--overwrite, or in place; kept_as says where it went)
  skip,     // left alone; reason says why
};
// How far it got.
enum class RestoreState {
  planned,      // a dry run, or the run stopped before it
  done,
  failed,       // error says why; the destination is as it was
};

struct RestoreItem {
  std::string path;         // as the user knows it, in the copy
  std::string source;       // where it is read: the device path
  std::string destination;  // where it is written
  FileEntry entry;          // as the copy holds it
  RestoreAction action = RestoreAction::create;
  std::string reason;       // skip: why; replace: what was there
  std::string kept_as;      // in place: where the file it replaced was moved
  RestoreState state = RestoreState::planned;
  HResult error = 0;
};

// What restore came to: every item in the order written (a folder before its contents), and
// what stopped it early (the destination full, Ctrl+C) when something did.
struct RestoreReport {
  std::vector<RestoreSource> sources;
  std::string destination;  // --to, or "" in place
  bool in_place = false;
  bool dry_run = false;
  std::vector<RestoreItem> items;
  std::optional<Failure> stopped;
  // Counted over items: files and bytes written (or to be, in a dry run), folders made,
  // items skipped, items failed.
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  std::uint64_t folders = 0;
  std::uint64_t skipped = 0;
  std::uint64_t failed = 0;
};

// diff: one entry that differs between the two sides.
enum class ChangeKind { added, removed, changed };
// What differs of an entry both sides hold (bits of TreeChange::what).
namespace difference {
inline constexpr std::uint32_t size = 0x1;
inline constexpr std::uint32_t time = 0x2;        // last-write time
inline constexpr std::uint32_t attributes = 0x4;  // read-only, hidden, system, archive
inline constexpr std::uint32_t kind = 0x8;        // file, folder or link
inline constexpr std::uint32_t contents = 0x10;   // --compare: the bytes
}  // namespace difference

struct TreeChange {
  ChangeKind kind = ChangeKind::changed;
  std::string path;                 // as the user knows it: C:\Users\ann\report.docx
  std::optional<FileEntry> before;  // the first side's (the older copy): none when added
  std::optional<FileEntry> after;   // the second side's (a newer copy, or the live volume)
  std::uint32_t what = 0;           // changed: difference bits
};

// A folder that could not be listed on a side, or a file not read for --compare.
struct UnreadablePath {
  std::string path;  // where it was read (a file not compared: as the user knows it)
  HResult hr = 0;
};

// diff: what changed below `path` from one shadow copy to a newer one, or to the live volume.
struct TreeDiff {
  std::string path;  // as the user knows it: the folder (or file) compared
  std::string from_id;
  std::int64_t from_created_unix_us = 0;
  std::string from_device_path;
  std::string to_id;  // "" for the live volume
  std::int64_t to_created_unix_us = 0;
  std::string to_device_path;  // where the second side is read (the live path when live)
  bool contents_compared = false;
  std::vector<TreeChange> changes;  // in the order walked: a folder, then what it holds
  std::vector<UnreadablePath> unreadable;
  std::uint64_t entries = 0;  // entries compared: each name either side holds, once
  std::uint64_t added = 0, removed = 0, changed = 0;
  // Bytes of the files added, of those removed, and of the changed ones as they are now.
  std::uint64_t added_bytes = 0, removed_bytes = 0, changed_bytes = 0;
};

// prune: one shadow copy in scope, and the rules that keep it (none: it is deleted).
struct PruneVerdict {
  ShadowCopy shadow;
  std::vector<std::string> kept_by;  // "last", "daily 2026-12-03", ...; empty: to delete
};

// A copy of the named volumes that prune leaves alone whatever the policy, and why.
struct LeftAlone {
  ShadowCopy shadow;
  std::string reason;  // "exposed as X:", "auto-release", "another context (backup)"
};

// What prune came to: each volume's copies in scope, newest first, with their verdicts; the
// copies out of scope; and unless a dry run, what the deletion did.
struct PruneReport {
  std::vector<PruneVerdict> verdicts;
  std::vector<LeftAlone> left_alone;
  bool dry_run = false;
  DeleteOutcome done;
};

// storage add|resize|delete: the association before and after, the copies the change puts
// at risk (named before it is made), and those that went.
struct StorageChange {
  std::string action;  // "add", "resize", "delete"
  std::string for_volume, on_volume;  // \\?\Volume{GUID}\ names
  std::vector<std::string> for_mount_points, on_mount_points;
  std::optional<StorageAssociation> before, after;
  std::int64_t maximum = 0;  // what was asked: bytes, -1 no limit, 0 delete
  // resize: the oldest copies a smaller maximum is estimated to make Windows delete;
  // delete: every copy stored in the association (deleted first).
  std::vector<ShadowCopy> at_risk;
  std::vector<ShadowCopy> gone;  // the copies of the volume that went, as listed after
  bool dry_run = false;
  DeleteOutcome deleted;  // delete: the copies deleted first
};

}  // namespace shadowctl::core
