// The VSS emulator served as vssapi.dll: the real shadowctl.exe loads it from a test
// WINEPREFIX's System32 and drives it through the SDK's own IVssBackupComponents vtable.
// Every call goes through the shared model (../model.h), so the journal sees it; a slot the
// model does not serve yet answers E_NOTIMPL and is journalled as such.
#include "backup_components.h"

#include <memory>
#include <vector>

#include <oleauto.h>

#include "com_object.h"
#include "convert.h"
#include "writer_metadata.h"
#include "platform/windows/unicode.h"

namespace shadowctl::emulator::dll {
namespace {

HRESULT to_hresult(core::HResult hr) { return static_cast<HRESULT>(hr); }

HRESULT not_served(const char* method) { return to_hresult(service().not_served(method)); }

// An IVssAsync holds a reference to the object that started it, as Windows' does: a
// requester may release IVssBackupComponents first and still Wait on or Cancel the operation.
class EmulatedAsync final : public ComObject<EmulatedAsync, IVssAsync> {
 public:
  EmulatedAsync(std::shared_ptr<Async> async, IUnknown* owner)
      : async_(std::move(async)), owner_(owner) {
    owner_->AddRef();
  }
  ~EmulatedAsync() { owner_->Release(); }
  EmulatedAsync(const EmulatedAsync&) = delete;
  EmulatedAsync& operator=(const EmulatedAsync&) = delete;
  HRESULT STDMETHODCALLTYPE Cancel() override { return to_hresult(async_->cancel()); }
  HRESULT STDMETHODCALLTYPE Wait(DWORD milliseconds) override {
    return to_hresult(async_->wait(milliseconds));
  }
  HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT* status, INT*) override {
    if (!status) return E_INVALIDARG;  // IVssAsync::QueryStatus's page
    core::HResult s = 0;
    const auto hr = async_->query_status(&s);
    *status = to_hresult(s);
    return to_hresult(hr);
  }

 private:
  std::shared_ptr<Async> async_;
  IUnknown* owner_;
};

// Starts one of the requester's async operations and hands out its IVssAsync.
HRESULT start_async(Requester& requester, IUnknown* owner,
                    core::HResult (Requester::*start)(std::shared_ptr<Async>*), IVssAsync** out) {
  if (!out) return E_INVALIDARG;
  std::shared_ptr<Async> async;
  const auto hr = (requester.*start)(&async);
  if (core::succeeded(hr) && async) *out = new EmulatedAsync(std::move(async), owner);
  return to_hresult(hr);
}

// One object answers for IVssBackupComponents and each of its extensions, Ex to Ex4, as
// Windows' does: each interface's vtable begins with the one it extends.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nl-vsbackup-ivssbackupcomponentsex2
class EmulatedBackupComponents final
    : public ComObject<EmulatedBackupComponents, IVssBackupComponentsEx4> {
 public:
  explicit EmulatedBackupComponents(std::unique_ptr<Requester> requester)
      : requester_(std::move(requester)) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (out && (riid == __uuidof(IVssBackupComponents) ||
                riid == __uuidof(IVssBackupComponentsEx) ||
                riid == __uuidof(IVssBackupComponentsEx2) ||
                riid == __uuidof(IVssBackupComponentsEx3))) {
      *out = static_cast<IVssBackupComponentsEx4*>(this);
      AddRef();
      return S_OK;
    }
    return ComObject::QueryInterface(riid, out);
  }

  HRESULT STDMETHODCALLTYPE InitializeForBackup(BSTR xml) override {
    return to_hresult(requester_->initialize_for_backup(xml ? "xml" : ""));
  }
  HRESULT STDMETHODCALLTYPE SetContext(LONG context) override {
    return to_hresult(requester_->set_context(context));
  }
  HRESULT STDMETHODCALLTYPE SetBackupState(boolean select_components, boolean bootable,
                                           VSS_BACKUP_TYPE type, boolean partial) override {
    return to_hresult(requester_->set_backup_state(select_components, bootable,
                                                   static_cast<int>(type), partial));
  }
  HRESULT STDMETHODCALLTYPE StartSnapshotSet(VSS_ID* set_id) override {
    if (!set_id) return E_INVALIDARG;
    std::string id;
    const auto hr = requester_->start_snapshot_set(&id);
    if (core::succeeded(hr)) *set_id = guid_from_text(id);
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE AddToSnapshotSet(VSS_PWSZ volume, VSS_ID provider,
                                             VSS_ID* shadow_id) override {
    if (!volume || !shadow_id) return E_INVALIDARG;
    std::string id;
    const auto hr = requester_->add_to_snapshot_set(
        platform::to_utf8(volume), provider == GUID_NULL ? std::string() : guid_text(provider),
        &id);
    if (core::succeeded(hr)) *shadow_id = guid_from_text(id);
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE PrepareForBackup(IVssAsync** out) override {
    return start_async(*requester_, this, &Requester::prepare_for_backup, out);
  }
  HRESULT STDMETHODCALLTYPE DoSnapshotSet(IVssAsync** out) override {
    return start_async(*requester_, this, &Requester::do_snapshot_set, out);
  }
  HRESULT STDMETHODCALLTYPE BackupComplete(IVssAsync** out) override {
    return start_async(*requester_, this, &Requester::backup_complete, out);
  }
  HRESULT STDMETHODCALLTYPE GatherWriterMetadata(IVssAsync** out) override {
    return start_async(*requester_, this, &Requester::gather_writer_metadata, out);
  }
  HRESULT STDMETHODCALLTYPE GetWriterMetadataCount(UINT* count) override {
    if (!count) return E_INVALIDARG;
    std::vector<Writer> writers;
    const auto hr = requester_->writer_metadata(&writers, "GetWriterMetadataCount");
    if (core::succeeded(hr)) *count = static_cast<UINT>(writers.size());
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE GetWriterMetadata(UINT index, VSS_ID* instance,
                                              IVssExamineWriterMetadata** out) override {
    if (!instance || !out) return E_INVALIDARG;
    std::vector<Writer> writers;
    const auto hr = requester_->writer_metadata(&writers);
    if (core::failed(hr)) return to_hresult(hr);
    if (index >= writers.size()) return E_INVALIDARG;
    *instance = guid_from_text(writers[index].instance_id);
    *out = new_writer_metadata(writers[index]);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE FreeWriterMetadata() override {
    return to_hresult(requester_->free_writer_metadata());
  }
  HRESULT STDMETHODCALLTYPE GatherWriterStatus(IVssAsync** out) override {
    return start_async(*requester_, this, &Requester::gather_writer_status, out);
  }
  HRESULT STDMETHODCALLTYPE GetWriterStatusCount(UINT* count) override {
    if (!count) return E_INVALIDARG;
    std::vector<Writer> writers;
    const auto hr = requester_->writer_status(&writers, "GetWriterStatusCount");
    if (core::succeeded(hr)) *count = static_cast<UINT>(writers.size());
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE FreeWriterStatus() override {
    return to_hresult(requester_->free_writer_status());
  }
  HRESULT STDMETHODCALLTYPE GetWriterStatus(UINT index, VSS_ID* instance, VSS_ID* writer,
                                            BSTR* name, VSS_WRITER_STATE* state,
                                            HRESULT* failure) override {
    std::vector<Writer> writers;
    const auto hr = requester_->writer_status(&writers);
    if (core::failed(hr)) return to_hresult(hr);
    if (index >= writers.size()) return E_INVALIDARG;
    const Writer& w = writers[index];
    if (instance) *instance = guid_from_text(w.instance_id);
    if (writer) *writer = guid_from_text(w.id);
    if (name) *name = caller_freed_bstr(w.name);
    if (state) *state = static_cast<VSS_WRITER_STATE>(w.state);
    if (failure) *failure = to_hresult(w.failure);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE AbortBackup() override {
    return to_hresult(requester_->abort_backup());
  }
  HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID id, VSS_SNAPSHOT_PROP* prop) override {
    if (!prop) return E_INVALIDARG;
    Shadow shadow;
    const auto hr = requester_->get_snapshot_properties(guid_text(id), &shadow);
    if (core::succeeded(hr)) fill_snapshot_prop(shadow, prop);
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE Query(VSS_ID, VSS_OBJECT_TYPE queried, VSS_OBJECT_TYPE returned,
                                  IVssEnumObject** out) override {
    // The documented forms: GUID_NULL, VSS_OBJECT_NONE, and VSS_OBJECT_SNAPSHOT or
    // VSS_OBJECT_PROVIDER.
    if (!out || queried != VSS_OBJECT_NONE ||
        (returned != VSS_OBJECT_SNAPSHOT && returned != VSS_OBJECT_PROVIDER))
      return E_INVALIDARG;
    if (returned == VSS_OBJECT_PROVIDER) {
      std::vector<Provider> providers;
      const auto hr = requester_->query_providers(&providers);
      if (core::succeeded(hr)) *out = provider_enum(providers);
      return to_hresult(hr);
    }
    std::vector<Shadow> shadows;
    const auto hr = requester_->query(&shadows);
    if (core::succeeded(hr)) *out = shadow_enum(shadows);
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE ExposeSnapshot(VSS_ID id, VSS_PWSZ path_from_root, LONG attributes,
                                           VSS_PWSZ expose, VSS_PWSZ* exposed) override {
    if (!exposed) return E_INVALIDARG;
    *exposed = nullptr;
    const bool remotely = attributes == VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY;
    if (!remotely && attributes != VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY) return E_INVALIDARG;
    if (!remotely && path_from_root) return E_INVALIDARG;  // must be NULL when local
    std::string name;
    const auto hr = requester_->expose_snapshot(
        guid_text(id), remotely, expose ? platform::to_utf8(expose) : std::string(), &name);
    if (core::succeeded(hr)) *exposed = caller_freed_string(name);
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID id, VSS_OBJECT_TYPE type, WINBOOL,
                                            LONG* deleted, VSS_ID* not_deleted) override {
    if (!deleted || !not_deleted) return E_INVALIDARG;
    if (type != VSS_OBJECT_SNAPSHOT && type != VSS_OBJECT_SNAPSHOT_SET) return E_INVALIDARG;
    long count = 0;
    std::string failed;
    const auto hr = requester_->delete_snapshots(guid_text(id), type == VSS_OBJECT_SNAPSHOT_SET,
                                                 &count, &failed);
    *deleted = count;
    *not_deleted = failed.empty() ? GUID_NULL : guid_from_text(failed);
    return to_hresult(hr);
  }

  // Component mode and writer selection.
  HRESULT STDMETHODCALLTYPE AddComponent(VSS_ID instance, VSS_ID writer, VSS_COMPONENT_TYPE type,
                                         LPCWSTR logical_path, LPCWSTR name) override {
    if (!name) return E_INVALIDARG;  // "cannot be NULL"
    return to_hresult(requester_->add_component(component(instance, writer, type, logical_path, name)));
  }
  HRESULT STDMETHODCALLTYPE SetBackupSucceeded(VSS_ID instance, VSS_ID writer,
                                               VSS_COMPONENT_TYPE type, LPCWSTR logical_path,
                                               LPCWSTR name, boolean succeeded) override {
    if (!name) return E_INVALIDARG;
    return to_hresult(requester_->set_backup_succeeded(
        component(instance, writer, type, logical_path, name), succeeded != 0));
  }
  HRESULT STDMETHODCALLTYPE DisableWriterClasses(const VSS_ID* ids, UINT count) override {
    if (!ids && count) return E_INVALIDARG;
    return to_hresult(requester_->disable_writer_classes(guids(ids, count)));
  }
  HRESULT STDMETHODCALLTYPE EnableWriterClasses(const VSS_ID* ids, UINT count) override {
    if (!ids && count) return E_INVALIDARG;
    return to_hresult(requester_->enable_writer_classes(guids(ids, count)));
  }
  HRESULT STDMETHODCALLTYPE DisableWriterInstances(const VSS_ID* ids, UINT count) override {
    if (!ids && count) return E_INVALIDARG;
    return to_hresult(requester_->disable_writer_instances(guids(ids, count)));
  }

  HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR* xml) override {
    if (!xml) return E_INVALIDARG;
    *xml = nullptr;
    std::string document;
    const auto hr = requester_->save_as_xml(&document);
    if (core::succeeded(hr)) *xml = caller_freed_bstr(document);
    return to_hresult(hr);
  }

  // IVssBackupComponentsEx2.
  HRESULT STDMETHODCALLTYPE UnexposeSnapshot(VSS_ID id) override {
    return to_hresult(requester_->unexpose_snapshot(guid_text(id)));
  }
  // IVssBackupComponentsEx3: GetWriterStatus with the application's own failure, which the
  // emulator's writers do not set.
  HRESULT STDMETHODCALLTYPE GetWriterStatusEx(UINT index, VSS_ID* instance, VSS_ID* writer,
                                              BSTR* name, VSS_WRITER_STATE* state,
                                              HRESULT* failure, HRESULT* application,
                                              BSTR* message) override {
    if (application) *application = S_OK;
    if (message) *message = nullptr;
    return GetWriterStatus(index, instance, writer, name, state, failure);
  }

  HRESULT STDMETHODCALLTYPE GetWriterMetadataEx(UINT index, VSS_ID* instance,
                                                IVssExamineWriterMetadataEx** out) override {
    if (!instance || !out) return E_INVALIDARG;
    std::vector<Writer> writers;
    const auto hr = requester_->writer_metadata(&writers, "GetWriterMetadataEx");
    if (core::failed(hr)) return to_hresult(hr);
    if (index >= writers.size()) return E_INVALIDARG;
    *instance = guid_from_text(writers[index].instance_id);
    *out = new_writer_metadata(writers[index]);
    return S_OK;
  }

  // Restore, recovery and revert are not modelled: E_NOTIMPL, journalled.
  HRESULT STDMETHODCALLTYPE SetSelectedForRestoreEx(VSS_ID writer, VSS_COMPONENT_TYPE type,
                                                    LPCWSTR logical_path, LPCWSTR name,
                                                    boolean selected, VSS_ID instance) override {
    if (!name) return E_INVALIDARG;
    return to_hresult(requester_->set_selected_for_restore(
        component(instance, writer, type, logical_path, name), selected != 0));
  }
  HRESULT STDMETHODCALLTYPE SetAuthoritativeRestore(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR,
                                                    LPCWSTR, boolean) override {
    return not_served("SetAuthoritativeRestore");
  }
  HRESULT STDMETHODCALLTYPE SetRollForward(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR,
                                           VSS_ROLLFORWARD_TYPE, LPCWSTR) override {
    return not_served("SetRollForward");
  }
  HRESULT STDMETHODCALLTYPE SetRestoreName(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR,
                                           LPCWSTR) override {
    return not_served("SetRestoreName");
  }
  HRESULT STDMETHODCALLTYPE BreakSnapshotSetEx(VSS_ID, DWORD, IVssAsync**) override {
    return not_served("BreakSnapshotSetEx");
  }
  HRESULT STDMETHODCALLTYPE PreFastRecovery(VSS_ID, DWORD, IVssAsync**) override {
    return not_served("PreFastRecovery");
  }
  HRESULT STDMETHODCALLTYPE FastRecovery(VSS_ID, DWORD, IVssAsync**) override {
    return not_served("FastRecovery");
  }
  HRESULT STDMETHODCALLTYPE AddSnapshotToRecoverySet(VSS_ID, DWORD, VSS_PWSZ) override {
    return not_served("AddSnapshotToRecoverySet");
  }
  HRESULT STDMETHODCALLTYPE RecoverSet(DWORD, IVssAsync**) override {
    return not_served("RecoverSet");
  }
  HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID*) override { return not_served("GetSessionId"); }
  HRESULT STDMETHODCALLTYPE GetRootAndLogicalPrefixPaths(VSS_PWSZ, VSS_PWSZ*, VSS_PWSZ*,
                                                         WINBOOL) override {
    return not_served("GetRootAndLogicalPrefixPaths");
  }
  HRESULT STDMETHODCALLTYPE GetWriterComponentsCount(UINT* count) override {
    if (!count) return E_INVALIDARG;
    std::vector<WriterComponents> document;
    const auto hr = requester_->writer_components(&document, "GetWriterComponentsCount");
    if (core::succeeded(hr)) *count = static_cast<UINT>(document.size());
    return to_hresult(hr);
  }
  // The object has the SDK's IVssWriterComponentsExt layout; MinGW's header declares only
  // its first vtable, which is where the pointer points.
  HRESULT STDMETHODCALLTYPE GetWriterComponents(UINT index,
                                                IVssWriterComponentsExt** out) override {
    if (!out) return E_INVALIDARG;
    *out = nullptr;
    std::vector<WriterComponents> document;
    const auto hr = requester_->writer_components(&document);
    if (core::failed(hr)) return to_hresult(hr);
    if (index >= document.size()) return E_INVALIDARG;
    *out = reinterpret_cast<IVssWriterComponentsExt*>(new_writer_components(document[index]));
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE InitializeForRestore(BSTR) override {
    return not_served("InitializeForRestore");
  }
  HRESULT STDMETHODCALLTYPE SetRestoreState(VSS_RESTORE_TYPE) override {
    return not_served("SetRestoreState");
  }
  HRESULT STDMETHODCALLTYPE SetBackupOptions(VSS_ID writer, VSS_COMPONENT_TYPE type,
                                             LPCWSTR logical_path, LPCWSTR name,
                                             LPCWSTR options) override {
    if (!name || !options) return E_INVALIDARG;
    // The instance is not a parameter: the component is the writer class's.
    return to_hresult(requester_->set_backup_options(
        component_of_class(writer, type, logical_path, name), platform::to_utf8(options)));
  }
  HRESULT STDMETHODCALLTYPE SetSelectedForRestore(VSS_ID writer, VSS_COMPONENT_TYPE type,
                                                  LPCWSTR logical_path, LPCWSTR name,
                                                  boolean selected) override {
    if (!name) return E_INVALIDARG;
    return to_hresult(requester_->set_selected_for_restore(
        component_of_class(writer, type, logical_path, name), selected != 0));
  }
  HRESULT STDMETHODCALLTYPE SetRestoreOptions(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) override {
    return not_served("SetRestoreOptions");
  }
  HRESULT STDMETHODCALLTYPE SetAdditionalRestores(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, boolean) override {
    return not_served("SetAdditionalRestores");
  }
  HRESULT STDMETHODCALLTYPE SetPreviousBackupStamp(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) override {
    return not_served("SetPreviousBackupStamp");
  }
  HRESULT STDMETHODCALLTYPE AddAlternativeLocationMapping(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, boolean, LPCWSTR) override {
    return not_served("AddAlternativeLocationMapping");
  }
  HRESULT STDMETHODCALLTYPE AddRestoreSubcomponent(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, boolean) override {
    return not_served("AddRestoreSubcomponent");
  }
  HRESULT STDMETHODCALLTYPE SetFileRestoreStatus(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, VSS_FILE_RESTORE_STATUS) override {
    return not_served("SetFileRestoreStatus");
  }
  HRESULT STDMETHODCALLTYPE AddNewTarget(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, boolean, LPCWSTR) override {
    return not_served("AddNewTarget");
  }
  HRESULT STDMETHODCALLTYPE SetRangesFilePath(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, UINT, LPCWSTR) override {
    return not_served("SetRangesFilePath");
  }
  HRESULT STDMETHODCALLTYPE PreRestore(IVssAsync **) override {
    return not_served("PreRestore");
  }
  HRESULT STDMETHODCALLTYPE PostRestore(IVssAsync **) override {
    return not_served("PostRestore");
  }
  HRESULT STDMETHODCALLTYPE ImportSnapshots(IVssAsync **) override {
    return not_served("ImportSnapshots");
  }
  HRESULT STDMETHODCALLTYPE BreakSnapshotSet(VSS_ID) override {
    return not_served("BreakSnapshotSet");
  }
  HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_ID provider, VSS_PWSZ volume,
                                              WINBOOL* supported) override {
    if (!volume || !supported) return E_INVALIDARG;
    bool answer = false;
    const auto hr = requester_->is_volume_supported(
        platform::to_utf8(volume), provider == GUID_NULL ? std::string() : guid_text(provider),
        &answer);
    *supported = answer ? TRUE : FALSE;
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID, WINBOOL) override {
    return not_served("RevertToSnapshot");
  }
  HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ, IVssAsync **) override {
    return not_served("QueryRevertStatus");
  }

 private:
  static AddedComponent component(VSS_ID instance, VSS_ID writer, VSS_COMPONENT_TYPE type,
                                  LPCWSTR logical_path, LPCWSTR name) {
    return {guid_text(instance), guid_text(writer), static_cast<int>(type),
            logical_path ? platform::to_utf8(logical_path) : std::string(), platform::to_utf8(name),
            false};
  }
  // A component named by writer class only (no instance parameter): any instance's.
  static AddedComponent component_of_class(VSS_ID writer, VSS_COMPONENT_TYPE type,
                                           LPCWSTR logical_path, LPCWSTR name) {
    AddedComponent c = component(GUID_NULL, writer, type, logical_path, name);
    c.instance_id.clear();
    return c;
  }
  static std::vector<std::string> guids(const VSS_ID* ids, UINT count) {
    std::vector<std::string> out;
    for (UINT i = 0; i < count; ++i) out.push_back(guid_text(ids[i]));
    return out;
  }

  std::unique_ptr<Requester> requester_;
};

}  // namespace

HRESULT create_backup_components(IVssBackupComponents** out) {
  if (!out) return E_POINTER;
  *out = nullptr;
  if (scenario_unreadable()) return E_UNEXPECTED;
  std::unique_ptr<Requester> requester;
  const auto hr = service().create_backup_components(requester);
  if (core::succeeded(hr))
    *out = static_cast<IVssBackupComponentsEx4*>(new EmulatedBackupComponents(std::move(requester)));
  return to_hresult(hr);
}

HRESULT is_volume_snapshotted(VSS_PWSZ volume, WINBOOL* present, LONG* capability) {
  bool answer = false;
  long mask = 0;
  const auto hr = service().is_volume_snapshotted(volume ? platform::to_utf8(volume) : std::string(),
                                                  present ? &answer : nullptr,
                                                  capability ? &mask : nullptr);
  if (core::succeeded(hr)) {
    *present = answer ? TRUE : FALSE;
    *capability = mask;
  }
  return to_hresult(hr);
}

}  // namespace shadowctl::emulator::dll
