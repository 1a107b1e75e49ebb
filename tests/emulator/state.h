#pragma once

// The emulated machine: what VSS knows about, persisted as JSON so that separate processes
// see the same shadow copies, as they do on Windows.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/hresult.h"
#include "core/vss.h"
#include "os.h"

namespace shadowctl::emulator {

namespace attr = core::vss::attr;

struct Volume {
  std::string name;                      // \\?\Volume{GUID}\ form
  std::vector<std::string> mount_points;  // "C:\", "D:\Data\"
  std::string file_system = "NTFS";
  std::string label;
  bool supported = true;  // a provider can shadow it
  std::uint64_t capacity = 0;
  // The folder holding the volume's files (empty: a volume without contents). A shadow copy
  // of it holds the tree as it was at the commit of DoSnapshotSet.
  std::string content_root = {};
  std::uint64_t used_space = 0;  // what its files take (the free space is the rest, less storage)
};

struct Provider {
  std::string id;
  std::string name;
  std::string version;
  int type = 2;  // VSS_PROV_SOFTWARE
};

// One file specification of a component (IVssWMFiledesc).
struct ComponentFile {
  std::string path;
  std::string filespec;
  bool recursive = false;
};

// A component another component depends on (IVssWMDependency).
struct Dependency {
  std::string writer_id;
  std::string logical_path;
  std::string component_name;
};

// One component a writer describes (IVssWMComponent). In the state file a component may
// also be written as its name alone.
struct Component {
  std::string name;
  std::string logical_path;
  int type = 2;  // VSS_CT_FILEGROUP; 1 is VSS_CT_DATABASE, whose files are database files
  bool selectable = true;
  std::vector<ComponentFile> files;
  std::vector<ComponentFile> log_files = {};  // a database's log files (GetDatabaseLogFile)
  std::vector<Dependency> dependencies = {};
};

// How a writer wants its data restored (IVssExamineWriterMetadata::GetRestoreMethod);
// method 0 (VSS_RME_UNDEFINED) is "no restore method", answered with S_FALSE.
struct RestoreMethod {
  int method = 0;       // VSS_RESTOREMETHOD_ENUM
  std::string service;  // for VSS_RME_STOP_RESTORE_START and VSS_RME_RESTORE_STOP_START
  std::string user_procedure;
  int writer_restore = 1;  // VSS_WRITERRESTORE_ENUM: VSS_WRE_NEVER
  bool reboot_required = false;
};

// Where a file set goes when it cannot be restored in place (GetAlternateLocationMapping).
struct AlternateMapping {
  std::string path;
  std::string filespec;
  bool recursive = false;
  std::string destination;
};

struct Writer {
  std::string id;
  std::string instance_id;
  std::string name;
  int state = 1;  // VSS_WS_STABLE
  core::HResult failure = 0;
  std::vector<Component> components;
  std::string instance_name = {};  // GetIdentityEx
  int usage = 3;                   // VSS_USAGE_TYPE: VSS_UT_USERDATA
  int source = 3;                  // VSS_SOURCE_TYPE: VSS_ST_OTHER
  RestoreMethod restore = {};
  std::vector<ComponentFile> excluded = {};  // GetExcludeFile
  std::vector<AlternateMapping> alternate_locations = {};
  std::uint32_t backup_schema = 0;  // VSS_BACKUP_SCHEMA bits: 0 is full backups only
  std::vector<ComponentFile> excluded_from_snapshot = {};  // IVssExamineWriterMetadataEx2
  // Whether the writer checks, at the freeze, that the set holds every volume its selected
  // components' files lie on (true for the emulator's writers, as for SQL Server's and
  // Exchange's); one that does not trusts the requester and records what it was told.
  bool checks_volumes = true;
  // What a writer that does not check recorded at BackupComplete: one line a component,
  // "BACKUP_TYPE LOGICAL\PATH\NAME succeeded|failed".
  std::vector<std::string> recorded_backups = {};
  // A writer that records the events it handles ("OnPrepareBackup", "OnPrepareSnapshot",
  // "OnFreeze", "OnThaw", "OnPostSnapshot", "OnAbort", "OnBackupComplete"), one per event,
  // for tests of what a backup told it.
  bool records_events = false;
  std::vector<std::string> recorded_events = {};
};

// One shadow copy, with every VSS_SNAPSHOT_PROP field.
// What the emulator charges a new shadow copy in shadow storage, and gives back when it goes.
inline constexpr std::uint64_t kShadowStorageCharge = 320ull * 1024 * 1024;

struct Shadow {
  std::string id;
  std::string set_id;
  long shadows_in_set = 1;
  std::string device_path;  // \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN
  std::string original_volume;
  std::string originating_machine;
  std::string service_machine;
  std::string exposed_name;
  std::string exposed_path;
  std::string provider_id;
  long attributes = 0;
  std::int64_t created_us = 0;
  int state = 12;  // VSS_SS_CREATED
  long context = 0;
  // Auto-release shadows die with the object (and process) that created them.
  std::uint64_t owner_pid = 0;
  std::string owner_object;
  // Where the frozen tree is kept (MachineState::contents_store\HarddiskVolumeShadowCopyN),
  // or empty: served without contents, and contents_note says why.
  std::string contents = {};
  std::string contents_note = {};
  // What this copy holds in its volume's shadow storage: the charge at its commit, grown by
  // writes to the volume while it is the newest (machine_change write).
  std::uint64_t storage_bytes = kShadowStorageCharge;
};

// Shadow storage (diff area) for one volume.
struct Storage {
  std::string for_volume;
  std::string on_volume;
  std::uint64_t used = 0;
  std::uint64_t allocated = 0;
  std::uint64_t maximum = 0;
};

// The one snapshot set the whole machine may have in creation.
struct SetInCreation {
  std::string set_id;
  std::uint64_t pid = 0;
  std::string object;
};

// One event in the emulated machine's Application or System log, as the service or the
// volume shadow copy driver wrote it (event_log.h), or as a scenario put it there.
struct RecordedEvent {
  std::string log = "Application";  // the channel
  std::string source = "VSS";       // the provider (a classic event source)
  std::uint32_t id = 0;
  int level = 2;  // 1 critical, 2 error, 3 warning, 4 information
  std::int64_t time_us = 0;  // written at, microseconds since 1970 UTC
  std::vector<std::string> data = {};  // the insertion strings %1, %2, ...
  std::uint64_t record_id = 0;  // EventRecordID: the log's own order
};

struct MachineState {
  std::string machine_name = "EMULATED";
  // HKLM\System\CurrentControlSet\Services\VSS\Settings\MaxShadowCopies: client-accessible
  // shadow copies per volume (64 by default, 1 to 512).
  int max_client_accessible = 64;
  std::vector<Volume> volumes;
  std::vector<Provider> providers;
  std::vector<Writer> writers;
  std::vector<Shadow> shadows;
  std::vector<Storage> storage;
  std::optional<SetInCreation> in_creation;
  std::uint64_t next_device_number = 1;
  // The folder below which shadow copies keep their frozen trees, one folder a device named
  // as its device path ends (HarddiskVolumeShadowCopyN); empty: no shadow copy has contents.
  // Under Wine it is the prefix's dosdevices\globalroot\Device, so the device path serves them.
  std::string contents_store = {};
  // The Application and System logs' events from the sources the emulator models.
  std::vector<RecordedEvent> events = {};
  std::uint64_t next_event_record = 1;
};

// The most a volume's tree may hold to be frozen into a shadow copy: copying the tree at the
// commit is a faithful model only of small volumes (a prefix's C: is hundreds of MiB).
inline constexpr std::uint64_t kContentsMaxBytes = 64ull * 1024 * 1024;
inline constexpr std::uint64_t kContentsMaxEntries = 2000;

// AddDiffArea's smallest maximum, "at least 320 MB" (core::kShadowStorageMinimum).
inline constexpr std::uint64_t kShadowStorageMinimum = 320ull * 1024 * 1024;

// Removes the shadow copies that match and gives their shadow storage back to the volumes'
// associations, however they go (deleted, auto-released, their process dead). Returns how
// many went.
template <typename Match>
long remove_shadows(MachineState& m, Match&& match) {
  long removed = 0;
  for (auto it = m.shadows.begin(); it != m.shadows.end();) {
    if (!match(*it)) {
      ++it;
      continue;
    }
    for (auto& s : m.storage)
      if (s.for_volume == it->original_volume) s.used -= std::min(s.used, it->storage_bytes);
    if (os::is_drive_letter(it->exposed_name)) os::hide_drive(it->exposed_name);
    if (!it->contents.empty()) os::remove_tree(it->contents);
    it = m.shadows.erase(it);
    ++removed;
  }
  return removed;
}

// The in-process default: C: and D: NTFS, the Microsoft Software Shadow Copy provider and a
// handful of common writers, storage of 10 GiB maximum per volume.
MachineState default_machine();

std::string to_json_text(const MachineState& state);
MachineState from_json_text(const std::string& text);

// Windows names need not be valid UTF-16, and the state file may hold a lone surrogate as
// its JSON escape (\uD800). JSON readers refuse those, so before parsing each becomes its
// stand-in: U+10F800 + (surrogate - 0xD800), in plane 16's private use area, a valid code
// point the model carries as UTF-8. The DLL hands a stand-in to the requester as the lone
// surrogate it stands for (lone_surrogates_back), as Windows would hand the name.
inline constexpr char32_t kLoneSurrogateStandIns = 0x10F800;
std::string with_stand_ins_for_lone_surrogates(const std::string& json_text);
// UTF-16 text with each stand-in turned back into its lone surrogate.
std::u16string lone_surrogates_back(std::u16string text);
// One writer's metadata as JSON, for the emulator's writer metadata documents (SaveAsXML).
std::string writer_to_json_text(const Writer& writer);
// Throws on text that is not a writer's JSON.
Writer writer_from_json_text(const std::string& text);

// A random GUID as VSS prints it: {xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx}, lower case.
std::string new_guid();

// The machine's state, in memory or in a JSON file shared by processes. Every change runs
// under a machine-wide lock, reads the file fresh and writes it back, so two processes at
// once neither corrupt it nor lose an update.
class StateStore {
 public:
  // An empty path keeps the state in memory, starting from `initial`.
  StateStore(std::string path, MachineState initial);

  // Runs change on the current state and saves it. Before that, drops what belonged to
  // processes that have died (their auto-release shadows, their set in creation).
  void update(const std::function<void(MachineState&)>& change);
  // Shows the current state without writing it back (what died is left out, not purged).
  void view(const std::function<void(const MachineState&)>& see);
  // The current state, shared and never changed: no copy in memory (a change copies first).
  std::shared_ptr<const MachineState> snapshot();
  MachineState read();

 private:
  void purge_dead_processes(MachineState& state) const;

  std::string path_;
  std::mutex mutex_;  // threads of this process; the file lock covers other processes
  // In memory, copied on write: a snapshot handed out stays as it was (snapshot()).
  std::shared_ptr<MachineState> memory_;
  MachineState& writable_memory();
};

}  // namespace shadowctl::emulator
