// The VSS emulator served as vssapi.dll: the real shadowctl.exe loads it from a test
// WINEPREFIX's System32 and drives it through the SDK's own IVssBackupComponents vtable.
// Every call goes through the shared model (../model.h), so the journal sees it; a slot the
// model does not serve yet answers E_NOTIMPL and is journalled as such.
#include <windows.h>

#include <atomic>
#include <memory>
#include <string>

#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

#include "model.h"

namespace shadowctl::emulator::dll {
namespace {

// The model's contexts are the SDK's.
static_assert(context::backup == VSS_CTX_BACKUP);
static_assert(context::file_share_backup == VSS_CTX_FILE_SHARE_BACKUP);
static_assert(context::nas_rollback == VSS_CTX_NAS_ROLLBACK);
static_assert(context::app_rollback == VSS_CTX_APP_ROLLBACK);
static_assert(context::client_accessible == VSS_CTX_CLIENT_ACCESSIBLE);
static_assert(context::client_accessible_writers == VSS_CTX_CLIENT_ACCESSIBLE_WRITERS);
static_assert(context::all == static_cast<long>(VSS_CTX_ALL));

std::string environment(const char* name) {
  char buffer[MAX_PATH * 4] = {};
  const DWORD n = GetEnvironmentVariableA(name, buffer, sizeof buffer);
  return n > 0 && n < sizeof buffer ? std::string(buffer, n) : std::string();
}

// COM references handed out and not yet released, for the leak report.
std::atomic<long> g_live_references{0};
bool g_scenario_unreadable = false;

Service& service() {
  static Journal journal(environment("SHADOWCTL_EMULATOR_JOURNAL"));
  static Service instance = [] {
    try {
      return Service(Scenario::load(environment("SHADOWCTL_EMULATOR_SCENARIO")), journal,
                     environment("SHADOWCTL_EMULATOR_STATE"));
    } catch (const std::exception&) {
      g_scenario_unreadable = true;  // every creation then fails: a test cannot miss it
      return Service({}, journal);
    }
  }();
  return instance;
}

class EmulatedBackupComponents final : public IVssBackupComponents {
 public:
  explicit EmulatedBackupComponents(std::unique_ptr<Requester> requester)
      : requester_(std::move(requester)) {
    ++g_live_references;
  }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    if (riid == __uuidof(IUnknown) || riid == __uuidof(IVssBackupComponents)) {
      *out = static_cast<IVssBackupComponents*>(this);
      AddRef();
      return S_OK;
    }
    *out = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override {
    ++g_live_references;
    return static_cast<ULONG>(++references_);
  }
  ULONG STDMETHODCALLTYPE Release() override {
    --g_live_references;
    const long left = --references_;
    if (left == 0) delete this;
    return static_cast<ULONG>(left);
  }

  HRESULT STDMETHODCALLTYPE InitializeForBackup(BSTR xml) override {
    return static_cast<HRESULT>(requester_->initialize_for_backup(xml ? "xml" : ""));
  }
  HRESULT STDMETHODCALLTYPE SetContext(LONG context) override {
    return static_cast<HRESULT>(requester_->set_context(context));
  }
  HRESULT STDMETHODCALLTYPE AbortBackup() override {
    return static_cast<HRESULT>(requester_->abort_backup());
  }

  // Not modelled yet: E_NOTIMPL, journalled.
  HRESULT STDMETHODCALLTYPE GetWriterComponentsCount(UINT *) override {
    return static_cast<HRESULT>(service().not_served("GetWriterComponentsCount"));
  }
  HRESULT STDMETHODCALLTYPE GetWriterComponents(UINT, IVssWriterComponentsExt **) override {
    return static_cast<HRESULT>(service().not_served("GetWriterComponents"));
  }
  HRESULT STDMETHODCALLTYPE SetBackupState(boolean, boolean, VSS_BACKUP_TYPE, boolean) override {
    return static_cast<HRESULT>(service().not_served("SetBackupState"));
  }
  HRESULT STDMETHODCALLTYPE InitializeForRestore(BSTR) override {
    return static_cast<HRESULT>(service().not_served("InitializeForRestore"));
  }
  HRESULT STDMETHODCALLTYPE SetRestoreState(VSS_RESTORE_TYPE) override {
    return static_cast<HRESULT>(service().not_served("SetRestoreState"));
  }
  HRESULT STDMETHODCALLTYPE GatherWriterMetadata(IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("GatherWriterMetadata"));
  }
  HRESULT STDMETHODCALLTYPE GetWriterMetadataCount(UINT *) override {
    return static_cast<HRESULT>(service().not_served("GetWriterMetadataCount"));
  }
  HRESULT STDMETHODCALLTYPE GetWriterMetadata(UINT, VSS_ID *, IVssExamineWriterMetadata **) override {
    return static_cast<HRESULT>(service().not_served("GetWriterMetadata"));
  }
  HRESULT STDMETHODCALLTYPE FreeWriterMetadata() override {
    return static_cast<HRESULT>(service().not_served("FreeWriterMetadata"));
  }
  HRESULT STDMETHODCALLTYPE AddComponent(VSS_ID, VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR) override {
    return static_cast<HRESULT>(service().not_served("AddComponent"));
  }
  HRESULT STDMETHODCALLTYPE PrepareForBackup(IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("PrepareForBackup"));
  }
  HRESULT STDMETHODCALLTYPE GatherWriterStatus(IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("GatherWriterStatus"));
  }
  HRESULT STDMETHODCALLTYPE GetWriterStatusCount(UINT *) override {
    return static_cast<HRESULT>(service().not_served("GetWriterStatusCount"));
  }
  HRESULT STDMETHODCALLTYPE FreeWriterStatus() override {
    return static_cast<HRESULT>(service().not_served("FreeWriterStatus"));
  }
  HRESULT STDMETHODCALLTYPE GetWriterStatus(UINT, VSS_ID *, VSS_ID *, BSTR *, VSS_WRITER_STATE *, HRESULT *) override {
    return static_cast<HRESULT>(service().not_served("GetWriterStatus"));
  }
  HRESULT STDMETHODCALLTYPE SetBackupSucceeded(VSS_ID, VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, boolean) override {
    return static_cast<HRESULT>(service().not_served("SetBackupSucceeded"));
  }
  HRESULT STDMETHODCALLTYPE SetBackupOptions(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) override {
    return static_cast<HRESULT>(service().not_served("SetBackupOptions"));
  }
  HRESULT STDMETHODCALLTYPE SetSelectedForRestore(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, boolean) override {
    return static_cast<HRESULT>(service().not_served("SetSelectedForRestore"));
  }
  HRESULT STDMETHODCALLTYPE SetRestoreOptions(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) override {
    return static_cast<HRESULT>(service().not_served("SetRestoreOptions"));
  }
  HRESULT STDMETHODCALLTYPE SetAdditionalRestores(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, boolean) override {
    return static_cast<HRESULT>(service().not_served("SetAdditionalRestores"));
  }
  HRESULT STDMETHODCALLTYPE SetPreviousBackupStamp(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) override {
    return static_cast<HRESULT>(service().not_served("SetPreviousBackupStamp"));
  }
  HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *) override {
    return static_cast<HRESULT>(service().not_served("SaveAsXML"));
  }
  HRESULT STDMETHODCALLTYPE BackupComplete(IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("BackupComplete"));
  }
  HRESULT STDMETHODCALLTYPE AddAlternativeLocationMapping(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, boolean, LPCWSTR) override {
    return static_cast<HRESULT>(service().not_served("AddAlternativeLocationMapping"));
  }
  HRESULT STDMETHODCALLTYPE AddRestoreSubcomponent(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, boolean) override {
    return static_cast<HRESULT>(service().not_served("AddRestoreSubcomponent"));
  }
  HRESULT STDMETHODCALLTYPE SetFileRestoreStatus(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, VSS_FILE_RESTORE_STATUS) override {
    return static_cast<HRESULT>(service().not_served("SetFileRestoreStatus"));
  }
  HRESULT STDMETHODCALLTYPE AddNewTarget(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, boolean, LPCWSTR) override {
    return static_cast<HRESULT>(service().not_served("AddNewTarget"));
  }
  HRESULT STDMETHODCALLTYPE SetRangesFilePath(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, UINT, LPCWSTR) override {
    return static_cast<HRESULT>(service().not_served("SetRangesFilePath"));
  }
  HRESULT STDMETHODCALLTYPE PreRestore(IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("PreRestore"));
  }
  HRESULT STDMETHODCALLTYPE PostRestore(IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("PostRestore"));
  }
  HRESULT STDMETHODCALLTYPE StartSnapshotSet(VSS_ID *) override {
    return static_cast<HRESULT>(service().not_served("StartSnapshotSet"));
  }
  HRESULT STDMETHODCALLTYPE AddToSnapshotSet(VSS_PWSZ, VSS_ID, VSS_ID *) override {
    return static_cast<HRESULT>(service().not_served("AddToSnapshotSet"));
  }
  HRESULT STDMETHODCALLTYPE DoSnapshotSet(IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("DoSnapshotSet"));
  }
  HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID, VSS_OBJECT_TYPE, WINBOOL, LONG *, VSS_ID *) override {
    return static_cast<HRESULT>(service().not_served("DeleteSnapshots"));
  }
  HRESULT STDMETHODCALLTYPE ImportSnapshots(IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("ImportSnapshots"));
  }
  HRESULT STDMETHODCALLTYPE BreakSnapshotSet(VSS_ID) override {
    return static_cast<HRESULT>(service().not_served("BreakSnapshotSet"));
  }
  HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID, VSS_SNAPSHOT_PROP *) override {
    return static_cast<HRESULT>(service().not_served("GetSnapshotProperties"));
  }
  HRESULT STDMETHODCALLTYPE Query(VSS_ID, VSS_OBJECT_TYPE, VSS_OBJECT_TYPE, IVssEnumObject **) override {
    return static_cast<HRESULT>(service().not_served("Query"));
  }
  HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_ID, VSS_PWSZ, WINBOOL *) override {
    return static_cast<HRESULT>(service().not_served("IsVolumeSupported"));
  }
  HRESULT STDMETHODCALLTYPE DisableWriterClasses(const VSS_ID *, UINT) override {
    return static_cast<HRESULT>(service().not_served("DisableWriterClasses"));
  }
  HRESULT STDMETHODCALLTYPE EnableWriterClasses(const VSS_ID *, UINT) override {
    return static_cast<HRESULT>(service().not_served("EnableWriterClasses"));
  }
  HRESULT STDMETHODCALLTYPE DisableWriterInstances(const VSS_ID *, UINT) override {
    return static_cast<HRESULT>(service().not_served("DisableWriterInstances"));
  }
  HRESULT STDMETHODCALLTYPE ExposeSnapshot(VSS_ID, VSS_PWSZ, LONG, VSS_PWSZ, VSS_PWSZ *) override {
    return static_cast<HRESULT>(service().not_served("ExposeSnapshot"));
  }
  HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID, WINBOOL) override {
    return static_cast<HRESULT>(service().not_served("RevertToSnapshot"));
  }
  HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ, IVssAsync **) override {
    return static_cast<HRESULT>(service().not_served("QueryRevertStatus"));
  }

 private:
  std::atomic<long> references_{1};
  std::unique_ptr<Requester> requester_;
};

// At unload, the references the tool never released (SHADOWCTL_EMULATOR_REPORT). Written
// with kernel32 only: at process exit the C++ runtime may already be gone.
void write_leak_report() {
  const std::string path = environment("SHADOWCTL_EMULATOR_REPORT");
  if (path.empty()) return;
  const std::string text =
      "{\"live_references\": " + std::to_string(g_live_references.load()) + "}\n";
  HANDLE file = CreateFileA(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return;
  DWORD written = 0;
  WriteFile(file, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
  CloseHandle(file);
}

}  // namespace
}  // namespace shadowctl::emulator::dll

using shadowctl::emulator::Requester;
using shadowctl::emulator::dll::EmulatedBackupComponents;

extern "C" HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents** out) {
  if (!out) return E_POINTER;
  *out = nullptr;
  auto& service = shadowctl::emulator::dll::service();
  if (shadowctl::emulator::dll::g_scenario_unreadable) return E_UNEXPECTED;
  std::unique_ptr<Requester> requester;
  const auto hr = service.create_backup_components(requester);
  if (shadowctl::core::succeeded(hr)) *out = new EmulatedBackupComponents(std::move(requester));
  return static_cast<HRESULT>(hr);
}

extern "C" void APIENTRY VssFreeSnapshotPropertiesInternal(VSS_SNAPSHOT_PROP* prop) {
  if (!prop) return;
  CoTaskMemFree(prop->m_pwszSnapshotDeviceObject);
  CoTaskMemFree(prop->m_pwszOriginalVolumeName);
  CoTaskMemFree(prop->m_pwszOriginatingMachine);
  CoTaskMemFree(prop->m_pwszServiceMachine);
  CoTaskMemFree(prop->m_pwszExposedName);
  CoTaskMemFree(prop->m_pwszExposedPath);
}

extern "C" BOOL WINAPI DllMain(HINSTANCE, DWORD reason, LPVOID) {
  if (reason == DLL_PROCESS_DETACH) shadowctl::emulator::dll::write_leak_report();
  return TRUE;
}
