#pragma once

// The VSS emulator's model of the service: one implementation of the rules, served
// in-process (sim_backend.h) and by the emulator vssapi.dll (dll/). Each rule names the
// Microsoft page it follows; docs/emulator.md lists them.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error_catalogue.h"
#include "core/hresult.h"
#include "core/vss.h"
#include "journal.h"
#include "scenario.h"
#include "state.h"

namespace shadowctl::emulator {

// The contexts, attributes and states are the product's own (core/vss.h).
namespace context = core::vss::context;

// The per-volume limits of shadow copies.
using core::vss::kMaxShadowsPerVolume;
using core::vss::kMaxClientAccessiblePerVolume;
inline constexpr int kMaxVolumesPerSet = 64;

class Service;

// What is at a mount folder a requester exposes a shadow copy at.
enum class FolderState { empty_folder, missing, not_a_folder, not_empty };
// How the service looks at a folder: Windows' file system in the DLL, the test's machine
// facts in-process.
using FolderProbe = std::function<FolderState(const std::string& path)>;

// What the cleanup rules left undone, for the leak report.
struct Ledger {
  int sets_left_unfinished = 0;  // released while its set was still in creation
  int aborts_owed = 0;           // a started set ended without success and without AbortBackup
  int results_owed = 0;  // BackupComplete in component mode before SetBackupSucceeded for each
  // Released after a successful DoSnapshotSet with writers waiting for a BackupComplete or an
  // AbortBackup that never came (they get no OnAbort: "Aborting VSS Operations").
  int writers_left_waiting = 0;
};

// One component a requester added with AddComponent.
struct AddedComponent {
  std::string instance_id;
  std::string writer_id;
  int type = 0;
  std::string logical_path;
  std::string name;
  bool reported = false;  // SetBackupSucceeded called for it
  bool succeeded = false;
  std::string backup_options = {};  // SetBackupOptions
};

// The components one writer instance has in the Backup Components Document
// (GetWriterComponents: IVssWriterComponentsExt).
struct WriterComponents {
  std::string instance_id;
  std::string writer_id;
  std::vector<AddedComponent> components;
};

// One IVssAsync. `complete` runs the operation's effects once: with nullopt for a normal
// completion, or with the status it is forced to end with (a fault, or a cancel). It returns
// the final status.
class Async {
 public:
  using Completion = std::function<core::HResult(std::optional<core::HResult> forced)>;
  Async(Service& service, std::string method, Completion complete,
        std::optional<AsyncFault> fault);

  core::HResult wait(std::uint32_t milliseconds);       // IVssAsync::Wait
  core::HResult cancel();                               // IVssAsync::Cancel
  core::HResult query_status(core::HResult* status);    // IVssAsync::QueryStatus

 private:
  // A scenario's fault on this IVssAsync method of this operation, journalled when it fires.
  std::optional<core::HResult> own_fault(const char* method);

  void finish_locked(std::optional<core::HResult> forced);
  bool due() const;

  Service& service_;
  std::string method_;
  Completion complete_;
  std::optional<AsyncFault> fault_;
  std::chrono::steady_clock::time_point started_;
  bool done_ = false;
  core::HResult status_ = core::hr::vss_s_async_pending;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, int> calls_;  // this IVssAsync's own calls, for per-object faults
};

// How many times each method was called, for a scenario's `when`.
using CallCounts = std::map<std::string, int>;

// The state of one IVssBackupComponents object. Destroying it is Release: its auto-release
// shadow copies go, and what it left unfinished is entered in the ledger.
class Requester {
 public:
  ~Requester();
  Requester(const Requester&) = delete;
  Requester& operator=(const Requester&) = delete;

  core::HResult initialize_for_backup(const std::string& xml);
  core::HResult set_context(long context);
  core::HResult set_backup_state(bool select_components, bool bootable, int backup_type,
                                 bool partial_file_support);
  core::HResult start_snapshot_set(std::string* set_id);
  core::HResult add_to_snapshot_set(const std::string& volume, const std::string& provider_id,
                                    std::string* shadow_id);
  core::HResult prepare_for_backup(std::shared_ptr<Async>* out);
  core::HResult do_snapshot_set(std::shared_ptr<Async>* out);
  core::HResult backup_complete(std::shared_ptr<Async>* out);
  core::HResult gather_writer_metadata(std::shared_ptr<Async>* out);
  // The writers as GatherWriterMetadata found them (GetWriterMetadataCount/GetWriterMetadata).
  // method: the call it serves, as the journal names it (GetWriterMetadataCount too).
  core::HResult writer_metadata(std::vector<Writer>* out, const char* method = "GetWriterMetadata");
  core::HResult free_writer_metadata();
  core::HResult gather_writer_status(std::shared_ptr<Async>* out);
  core::HResult writer_status(std::vector<Writer>* out, const char* method = "GetWriterStatus");
  core::HResult free_writer_status();
  // DisableWriterClasses, EnableWriterClasses, DisableWriterInstances: which writers take part.
  core::HResult disable_writer_classes(const std::vector<std::string>& ids);
  core::HResult enable_writer_classes(const std::vector<std::string>& ids);
  core::HResult disable_writer_instances(const std::vector<std::string>& ids);
  // Component mode: AddComponent before DoSnapshotSet, SetBackupSucceeded before BackupComplete.
  core::HResult add_component(const AddedComponent& component);
  core::HResult set_backup_succeeded(const AddedComponent& component, bool succeeded);
  // SetBackupOptions: a writer's private options for a component added, before PrepareForBackup.
  core::HResult set_backup_options(const AddedComponent& component, const std::string& options);
  // SetSelectedForRestore: meaningful in a restore only; a backup object refuses it.
  core::HResult set_selected_for_restore(const AddedComponent& component, bool selected);
  // GetWriterComponentsCount / GetWriterComponents: the Backup Components Document by writer.
  core::HResult writer_components(std::vector<WriterComponents>* out,
                                  const char* method = "GetWriterComponents");
  // SaveAsXML: the Backup Components Document, never before PrepareForBackup.
  core::HResult save_as_xml(std::string* xml);
  // IsVolumeSupported: whether a provider (provider_id empty: any) can shadow the volume.
  core::HResult is_volume_supported(const std::string& volume, const std::string& provider_id,
                                    bool* supported);
  core::HResult abort_backup();
  core::HResult get_snapshot_properties(const std::string& shadow_id, Shadow* out);
  core::HResult query(std::vector<Shadow>* out);
  // Exposes a persistent shadow copy locally (as a drive letter "X:" or a mounted folder) or
  // remotely (as a share; `expose` empty lets the emulator choose its name).
  core::HResult expose_snapshot(const std::string& shadow_id, bool remotely,
                                const std::string& expose, std::string* exposed);
  // IVssBackupComponentsEx2::UnexposeSnapshot.
  core::HResult unexpose_snapshot(const std::string& shadow_id);
  // Deletes one shadow copy (is_set false) or a whole set; on a failure part-way,
  // not_deleted is the shadow copy it stopped at.
  core::HResult delete_snapshots(const std::string& id, bool is_set, long* deleted,
                                 std::string* not_deleted = nullptr);
  // Query with VSS_OBJECT_PROVIDER: the registered providers.
  core::HResult query_providers(std::vector<Provider>* out);

  long context() const { return context_; }
  const std::string& object_id() const { return object_id_; }

 private:
  friend class Service;
  Requester(Service& service, std::string object_id);
  // Service::call, counting per object too.
  core::HResult call(const std::string& method, const std::string& args,
                     const std::function<core::HResult()>& model);
  std::shared_ptr<Async> start_async(const std::string& method, Async::Completion complete);
  void apply_writer_faults(const std::string& phase);
  std::vector<Writer> current_writers() const;
  // Whether a writer gave this object its metadata (not missing, not failed at identify).
  bool writer_described(const Writer& w) const;
  // Whether a writer receives this object's events (Enable/DisableWriterClasses/Instances).
  bool writer_enabled(const Writer& w) const;
  core::HResult change_writer_selection(const char* method, const std::vector<std::string>& ids,
                                        const std::function<void()>& change);
  // Writers take part unless the context carries VSS_VOLSNAP_ATTR_NO_WRITERS.
  bool writers_take_part() const { return (context_ & attr::no_writers) == 0; }
  // Whether the provider named (empty: any) can make what the context asks for.
  bool provider_makes(const MachineState& m, const std::string& provider_id) const;
  core::HResult commit_snapshot_set();
  // "The IVssBackupComponents object can be used for only a single backup, restore, or Query
  // operation" (CreateVssBackupComponents): the first call that starts one fixes the object's
  // operation; a call of another is VSS_E_BAD_STATE. Exposing belongs to a backup, or is one
  // of its own.
  enum class Operation { none, query, backup, expose };
  bool begin_operation(Operation wanted);
  // At the freeze: a writer that checks fails with VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT when
  // a component added for it has files on a volume outside the set.
  void check_set_holds_components();
  // At BackupComplete: a writer that does not check records what it was told.
  void record_backups();
  // The writer events of one phase, in order, to the writers taking part that record them.
  void tell_writers(std::initializer_list<const char*> events);
  // Whether the writers taking part last handled OnAbort: they get no other event of this
  // backup (CVssWriter::OnAbort).
  bool writers_aborted() const;

  Service& service_;
  std::string object_id_;
  CallCounts calls_;
  // How far the backup has come, in the order of "Shadow Copy Creation Details": each call
  // moves it on, and each rule asks how far it is (a writer-less backup goes from
  // set_started to snapshot_called, with no PrepareForBackup or BackupComplete).
  enum class Phase {
    created,          // CreateVssBackupComponents
    initialized,      // InitializeForBackup
    set_started,      // StartSnapshotSet: a set in creation
    prepared,         // PrepareForBackup completed
    snapshot_called,  // DoSnapshotSet called, not yet completed
    snapshot_failed,  // DoSnapshotSet completed with a failure
    committed,        // DoSnapshotSet succeeded: the shadow copies exist
    completing,       // BackupComplete called
    complete,         // BackupComplete completed: nothing more is owed
  };
  bool reached(Phase p) const { return phase_ >= p; }
  // PrepareForBackup completed: only ever with writers, which a writer-less backup skips.
  bool prepared() const { return writers_take_part() && reached(Phase::prepared); }
  Phase phase_ = Phase::created;
  bool aborted_ = false;  // AbortBackup called, at whatever phase
  bool context_set_ = false;       // SetContext: once
  bool backup_state_set_ = false;  // SetBackupState: before PrepareForBackup
  // GatherWriterMetadata's results: once per object, readable until FreeWriterMetadata.
  enum class Metadata { none, gathering, available, freed };
  Metadata metadata_ = Metadata::none;
  bool metadata_gathered() const { return metadata_ == Metadata::available || metadata_ == Metadata::freed; }
  bool writer_status_gathered_ = false;  // GatherWriterStatus completed, not freed since
  std::vector<Writer> writer_metadata_;
  long context_ = context::backup;
  Operation operation_ = Operation::none;
  std::string set_id_;
  std::vector<std::string> set_volumes_;  // volume GUID names
  std::vector<std::string> set_shadow_ids_;
  std::vector<Writer> writer_states_;
  int phase_state_ = 1;  // the state a healthy writer is in for this backup: STABLE, or 5
  std::map<std::string, WriterFault> writer_overrides_;  // this object's writer faults, by name
  bool select_components_ = false;
  int backup_type_ = 0;
  std::optional<std::vector<std::string>> enabled_classes_;  // set by EnableWriterClasses
  std::vector<std::string> disabled_classes_;
  std::vector<std::string> disabled_instances_;
  std::vector<AddedComponent> added_;
};

// The VSS service of one machine.
class Service {
 public:
  // state_path: the JSON file shared by processes (SHADOWCTL_EMULATOR_STATE), or "" to keep
  // the machine in memory.
  Service(Scenario scenario, Journal& journal, std::string state_path = {},
          MachineState initial = default_machine());

  // CreateVssBackupComponents.
  core::HResult create_backup_components(std::unique_ptr<Requester>& out);

  // Runs one call: journals it, or lets the scenario replace it with a fault (then the
  // model's rule does not run: the call has no effect) or end the process there.
  // object_calls: the calling object's own counts, for faults counted per object.
  core::HResult call(const std::string& method, const std::string& args,
                     const std::function<core::HResult()>& model,
                     CallCounts* object_calls = nullptr);
  // Counts one call of method in the process and, when given, in the object.
  CallCount count(const std::string& method, CallCounts* object_calls);

  // Journals a call the emulator does not model: E_NOTIMPL.
  core::HResult not_served(const std::string& method);

  // IVssAdmin::QueryProviders.
  core::HResult query_providers(std::vector<Provider>* out);
  // IVssSnapshotMgmt::QueryVolumesSupportedForSnapshots and QuerySnapshotsByVolume.
  core::HResult query_volumes_supported(const std::string& provider_id, std::vector<Volume>* out);
  core::HResult query_snapshots_by_volume(const std::string& volume, std::vector<Shadow>* out);
  // IsVolumeSnapshotted (vssapi.dll's IsVolumeSnapshottedInternal).
  core::HResult is_volume_snapshotted(const std::string& volume, bool* present,
                                      long* capability);
  // ShouldBlockRevert: whether a writer asks that reverts of the volume be blocked; the
  // emulator's writers never do.
  core::HResult should_block_revert(const std::string& volume, bool* block);
  // IVssDifferentialSoftwareSnapshotMgmt: shadow storage associations.
  core::HResult add_diff_area(const std::string& volume, const std::string& on_volume,
                              std::int64_t maximum);
  core::HResult change_diff_area_maximum(const std::string& volume, const std::string& on_volume,
                                         std::int64_t maximum);
  // for_volume true: the associations for `volume`; false: those stored on it.
  core::HResult query_diff_areas(const std::string& volume, bool for_volume,
                                 std::vector<Storage>* out);

  Journal& journal() { return journal_; }
  StateStore& store() { return store_; }
  // Without a probe every folder is missing.
  void set_folder_probe(FolderProbe probe) { folder_probe_ = std::move(probe); }
  FolderState folder(const std::string& path) const {
    return folder_probe_ ? folder_probe_(path) : FolderState::missing;
  }
  const Scenario& scenario() const { return scenario_; }
  Ledger ledger() const;

 private:
  friend class Requester;
  friend class Async;
  void enter(const std::function<void(Ledger&)>& change);

  Scenario scenario_;
  Journal& journal_;
  StateStore store_;
  mutable std::mutex mutex_;
  CallCounts calls_;
  Ledger ledger_;
  FolderProbe folder_probe_;
  int objects_created_ = 0;
};

}  // namespace shadowctl::emulator
