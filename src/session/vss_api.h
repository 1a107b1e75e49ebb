#pragma once

// The VSS entry point and the objects it hands out. The Windows implementation wraps COM
// and vssapi.dll (platform/windows); the tests' one wraps the VSS emulator. The session
// layer drives VSS only through these, so its call order and cleanup rules are written
// once and tested against the emulator.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/hresult.h"
#include "core/vss_objects.h"

namespace shadowctl::session {

// Where vssapi.dll was loaded from, or why it was not.
struct LibraryFacts {
  core::HResult error = 0;
  std::string path;
};

// One IVssAsync: a VSS operation running in the service.
class AsyncOperation {
 public:
  virtual ~AsyncOperation() = default;
  // Blocks up to `limit`; returns the operation's status (VSS_S_ASYNC_PENDING while running).
  virtual core::HResult wait(std::chrono::milliseconds limit) = 0;
  // Asks VSS to cancel; the operation then finishes with VSS_S_ASYNC_CANCELLED.
  virtual core::HResult cancel() = 0;
};

using Async = std::unique_ptr<AsyncOperation>;

// What DeleteSnapshots did: how many went, and the id it stopped at when it failed.
struct DeleteResult {
  long deleted = 0;
  std::string failed_id;
};

// One component of one writer instance, as AddComponent and SetBackupSucceeded name it.
struct ComponentRef {
  std::string instance_id;
  std::string writer_id;
  int type = 0;  // core::vss::component_type
  std::string logical_path;
  std::string name;
};

// One IVssBackupComponents, with the calls of the requester sequence in their documented
// order. Destroying it releases the object, which deletes the auto-release shadow copies it
// created. Ids are GUIDs in VSS's printed form; volumes are \\?\Volume{GUID}\ names.
class BackupComponents {
 public:
  virtual ~BackupComponents() = default;
  virtual core::HResult initialize_for_backup() = 0;
  virtual core::HResult set_context(long context) = 0;
  virtual core::HResult set_backup_state(bool select_components, bool bootable_system_state,
                                         int backup_type, bool partial_file_support) = 0;
  // Before GatherWriterMetadata: only these writer classes take part / these do not.
  virtual core::HResult enable_writer_classes(const std::vector<std::string>& writer_ids) = 0;
  virtual core::HResult disable_writer_classes(const std::vector<std::string>& writer_ids) = 0;
  virtual core::HResult gather_writer_metadata(Async& out) = 0;
  virtual core::HResult writer_metadata(std::vector<core::WriterMetadata>& out) = 0;
  virtual core::HResult free_writer_metadata() = 0;
  // Component mode: selects a component, after GatherWriterMetadata and before DoSnapshotSet.
  virtual core::HResult add_component(const ComponentRef& component) = 0;
  // Component mode: its result, after DoSnapshotSet and before BackupComplete.
  virtual core::HResult set_backup_succeeded(const ComponentRef& component, bool succeeded) = 0;
  // SaveAsXML: the Backup Components Document, once writers and requester are done with it.
  virtual core::HResult save_as_xml(std::string& xml) = 0;
  virtual core::HResult start_snapshot_set(std::string& set_id) = 0;
  virtual core::HResult is_volume_supported(const std::string& volume,
                                            const std::string& provider_id, bool& supported) = 0;
  // provider_id empty: the system chooses.
  virtual core::HResult add_to_snapshot_set(const std::string& volume,
                                            const std::string& provider_id,
                                            std::string& shadow_id) = 0;
  virtual core::HResult prepare_for_backup(Async& out) = 0;
  virtual core::HResult gather_writer_status(Async& out) = 0;
  virtual core::HResult writer_status(std::vector<core::WriterStatus>& out) = 0;
  virtual core::HResult free_writer_status() = 0;
  virtual core::HResult do_snapshot_set(Async& out) = 0;
  virtual core::HResult snapshot_properties(const std::string& shadow_id,
                                            core::ShadowCopy& out) = 0;
  virtual core::HResult backup_complete(Async& out) = 0;
  virtual core::HResult abort_backup() = 0;
  // Every shadow copy the object's context sees (SetContext(VSS_CTX_ALL) for all of them).
  virtual core::HResult query_snapshots(std::vector<core::ShadowCopy>& out) = 0;
  // One shadow copy, or a whole set (whole_set).
  virtual core::HResult delete_snapshots(const std::string& id, bool whole_set,
                                         DeleteResult& out) = 0;
  // Locally: expose is a drive letter "X:" or a mounted folder; remotely: a share name (empty:
  // VSS chooses it), sharing the whole volume.
  virtual core::HResult expose_snapshot(const std::string& shadow_id, bool remotely,
                                        const std::string& expose, std::string& exposed) = 0;
  // IVssBackupComponentsEx2::UnexposeSnapshot (E_NOINTERFACE before Windows Vista).
  virtual core::HResult unexpose_snapshot(const std::string& shadow_id) = 0;
};

// The VSS entry point of one process.
class VssApi {
 public:
  virtual ~VssApi() = default;
  // CoInitializeEx(MULTITHREADED) then CoInitializeSecurity, once per process.
  virtual core::HResult initialize_com() = 0;
  // Loads vssapi.dll from System32 only and resolves CreateVssBackupComponents.
  virtual LibraryFacts load_vssapi() = 0;
  virtual core::HResult create_backup_components(std::unique_ptr<BackupComponents>& out) = 0;
  // IVssAdmin::QueryProviders (CLSID_VSSCoordinator).
  virtual core::HResult query_providers(std::vector<core::Provider>& out) = 0;
  // IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume (CLSID_VssSnapshotMgmt,
  // the system software provider): the shadow storage of `volume`.
  virtual core::HResult query_storage(const std::string& volume,
                                      std::vector<core::StorageAssociation>& out) = 0;
  // IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea: a shadow storage association for
  // `for_volume` on `on_volume` (both \\?\Volume{GUID}\ names) of at most `maximum` bytes, -1
  // for no limit.
  virtual core::HResult add_storage(const std::string& for_volume, const std::string& on_volume,
                                    std::int64_t maximum) = 0;
  // IVssDifferentialSoftwareSnapshotMgmt::ChangeDiffAreaMaximumSize: a new maximum; 0
  // deletes the association (VSS_E_VOLUME_IN_USE while copies are stored in it), -1 no limit.
  virtual core::HResult change_storage_maximum(const std::string& for_volume,
                                               const std::string& on_volume,
                                               std::int64_t maximum) = 0;
  // vssapi.dll's IsVolumeSnapshotted: whether the volume has shadow copies.
  virtual core::HResult is_volume_snapshotted(const std::string& volume, bool& snapshotted) = 0;
};

}  // namespace shadowctl::session
