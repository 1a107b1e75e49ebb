// The VSS entry point on Windows: COM, vssapi.dll from System32 only, and the
// IVssBackupComponents calls of the requester sequence. Every call is logged with its
// HRESULT and duration at debug level (-vv).
#include <windows.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <objbase.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>
#include <vsadmin.h>
#include <vsmgmt.h>

#include <spdlog/spdlog.h>

#include "core/error_catalogue.h"
#include "platform/platform.h"
#include "platform/windows/com.h"
#include "platform/windows/unicode.h"

namespace shadowctl::platform {
namespace {

using core::HResult;

HResult last_error() { return core::hresult_from_win32(GetLastError()); }

template <typename Call>
HResult logged(const char* name, Call&& call) {
  const auto start = std::chrono::steady_clock::now();
  const HResult hr = static_cast<HResult>(call());
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  spdlog::debug("{} -> {} ({:.1f} ms)", name, core::format_hresult(hr), took.count());
  return hr;
}

using CreateFn = HRESULT(STDAPICALLTYPE*)(IVssBackupComponents**);
using FreePropertiesFn = void(APIENTRY*)(VSS_SNAPSHOT_PROP*);
using IsSnapshottedFn = HRESULT(APIENTRY*)(VSS_PWSZ, WINBOOL*, LONG*);

// The Microsoft Software Shadow Copy provider: the one that keeps shadow storage.
constexpr GUID kSoftwareProvider = {
    0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}};

// vssapi.dll, loaded once. Every object from it holds this, so the library is freed only
// after the last of them is released, whatever the order of destruction.
class VssLibrary {
 public:
  explicit VssLibrary(HMODULE module) : module_(module) {
    // The SDK's CreateVssBackupComponents and VssFreeSnapshotProperties are wrappers
    // around these exports.
    create = reinterpret_cast<CreateFn>(
        reinterpret_cast<void*>(GetProcAddress(module, "CreateVssBackupComponentsInternal")));
    free_properties = reinterpret_cast<FreePropertiesFn>(
        reinterpret_cast<void*>(GetProcAddress(module, "VssFreeSnapshotPropertiesInternal")));
    is_snapshotted = reinterpret_cast<IsSnapshottedFn>(
        reinterpret_cast<void*>(GetProcAddress(module, "IsVolumeSnapshottedInternal")));
  }
  ~VssLibrary() { FreeLibrary(module_); }
  VssLibrary(const VssLibrary&) = delete;
  VssLibrary& operator=(const VssLibrary&) = delete;

  CreateFn create = nullptr;
  FreePropertiesFn free_properties = nullptr;
  IsSnapshottedFn is_snapshotted = nullptr;

 private:
  HMODULE module_;
};

// One VSS_SNAPSHOT_PROP whose strings VSS allocated; freed through vssapi.dll.
class SnapshotProperties {
 public:
  explicit SnapshotProperties(std::shared_ptr<VssLibrary> library)
      : library_(std::move(library)) {}
  ~SnapshotProperties() {
    if (library_->free_properties) library_->free_properties(&prop);
  }
  SnapshotProperties(const SnapshotProperties&) = delete;
  SnapshotProperties& operator=(const SnapshotProperties&) = delete;
  VSS_SNAPSHOT_PROP prop{};

 private:
  std::shared_ptr<VssLibrary> library_;
};

std::string text(const wchar_t* s) { return s ? to_utf8(s) : std::string(); }

core::ShadowCopy to_core(const VSS_SNAPSHOT_PROP& p) {
  core::ShadowCopy s;
  s.id = guid_text(p.m_SnapshotId);
  s.set_id = guid_text(p.m_SnapshotSetId);
  s.shadows_in_set = p.m_lSnapshotsCount;
  s.device_path = text(p.m_pwszSnapshotDeviceObject);
  s.original_volume = text(p.m_pwszOriginalVolumeName);
  s.originating_machine = text(p.m_pwszOriginatingMachine);
  s.service_machine = text(p.m_pwszServiceMachine);
  s.exposed_name = text(p.m_pwszExposedName);
  s.exposed_path = text(p.m_pwszExposedPath);
  s.provider_id = guid_text(p.m_ProviderId);
  s.attributes = p.m_lSnapshotAttributes;
  // VSS_TIMESTAMP is a FILETIME: 100 ns ticks since 1601.
  s.created_unix_us = (p.m_tsCreationTimestamp - 116444736000000000LL) / 10;
  s.state = static_cast<int>(p.m_eStatus);
  return s;
}

// GUID_NULL for "", as VSS takes it for "the system's choice".
bool parse_id(const std::string& text_id, GUID& out) {
  out = GUID_NULL;
  return text_id.empty() || guid_from_text(text_id, out);
}

// One IVssWMFiledesc, read and released; its BSTRs freed.
template <typename Get>
HResult read_file(Get&& get, std::vector<core::FileSpec>& out) {
  ComPtr<IVssWMFiledesc> file;
  HResult hr = static_cast<HResult>(get(file.put()));
  if (core::failed(hr) || !file) return hr;
  Bstr path, filespec;
  boolean recursive = false;
  hr = static_cast<HResult>(file->GetPath(path.put()));
  if (core::succeeded(hr)) hr = static_cast<HResult>(file->GetFilespec(filespec.put()));
  if (core::succeeded(hr)) hr = static_cast<HResult>(file->GetRecursive(&recursive));
  if (core::succeeded(hr)) out.push_back({to_utf8(path.get()), to_utf8(filespec.get()), recursive != 0});
  return hr;
}

// Reads an IVssEnumObject or IVssEnumMgmtObject one item at a time and hands each to
// visit, which owns (and frees) what the item points to. The enumeration's own failure, or 0.
template <typename Item, typename Enum, typename Visit>
HResult for_each_item(Enum& items, Visit&& visit) {
  for (;;) {
    Item item{};
    ULONG fetched = 0;
    const HResult next = static_cast<HResult>(items.Next(1, &item, &fetched));
    if (core::failed(next)) return next;
    if (fetched == 0) return core::hr::s_ok;
    visit(item);
  }
}

class WindowsAsync final : public session::AsyncOperation {
 public:
  WindowsAsync(ComPtr<IVssAsync> async, const char* method, std::shared_ptr<VssLibrary> library)
      : async_(std::move(async)), method_(method), library_(std::move(library)) {}
  HResult wait(std::chrono::milliseconds limit) override {
    const auto ms = static_cast<DWORD>(
        std::min<std::chrono::milliseconds::rep>(limit.count(), INFINITE - 1));
    const HResult waited = static_cast<HResult>(async_->Wait(ms));
    if (core::failed(waited)) return waited;
    HRESULT status = S_OK;
    const HResult queried = static_cast<HResult>(async_->QueryStatus(&status, nullptr));
    if (core::failed(queried)) return queried;
    return static_cast<HResult>(status);
  }
  HResult cancel() override {
    return logged(method_, [&] { return async_->Cancel(); });
  }

 private:
  ComPtr<IVssAsync> async_;
  const char* method_;
  std::shared_ptr<VssLibrary> library_;  // released before the library goes
};

class WindowsBackupComponents final : public session::BackupComponents {
 public:
  WindowsBackupComponents(ComPtr<IVssBackupComponents> p, std::shared_ptr<VssLibrary> library)
      : p_(std::move(p)), library_(std::move(library)) {}
  ~WindowsBackupComponents() override { p_.reset(); }  // before library_ lets the DLL go

  HResult initialize_for_backup() override {
    return logged("InitializeForBackup", [&] { return p_->InitializeForBackup(nullptr); });
  }
  HResult set_context(long context) override {
    return logged("SetContext", [&] { return p_->SetContext(context); });
  }
  HResult set_backup_state(bool select, bool bootable, int type, bool partial) override {
    return logged("SetBackupState", [&] {
      return p_->SetBackupState(select, bootable, static_cast<VSS_BACKUP_TYPE>(type), partial);
    });
  }
  HResult gather_writer_metadata(session::Async& out) override {
    return start("GatherWriterMetadata",
                 [&](IVssAsync** a) { return p_->GatherWriterMetadata(a); }, out);
  }
  HResult writer_metadata(std::vector<core::WriterMetadata>& out) override {
    out.clear();
    UINT count = 0;
    HResult hr = logged("GetWriterMetadataCount", [&] { return p_->GetWriterMetadataCount(&count); });
    for (UINT i = 0; core::succeeded(hr) && i < count; ++i) {
      VSS_ID instance{};
      ComPtr<IVssExamineWriterMetadata> metadata;
      hr = logged("GetWriterMetadata", [&] { return p_->GetWriterMetadata(i, &instance, metadata.put()); });
      if (core::failed(hr)) break;
      VSS_ID writer_instance{}, writer_id{};
      Bstr name;
      VSS_USAGE_TYPE usage{};
      VSS_SOURCE_TYPE source{};
      hr = static_cast<HResult>(
          metadata->GetIdentity(&writer_instance, &writer_id, name.put(), &usage, &source));
      if (core::failed(hr)) break;
      core::WriterMetadata w{guid_text(writer_id), guid_text(writer_instance), to_utf8(name.get()), {}};
      UINT include = 0, exclude = 0, components = 0;
      hr = static_cast<HResult>(metadata->GetFileCounts(&include, &exclude, &components));
      for (UINT index = 0; core::succeeded(hr) && index < components; ++index) {
        ComPtr<IVssWMComponent> component;
        hr = static_cast<HResult>(metadata->GetComponent(index, component.put()));
        if (core::failed(hr)) break;
        PVSSCOMPONENTINFO info = nullptr;
        hr = static_cast<HResult>(component->GetComponentInfo(&info));
        if (core::failed(hr)) break;
        core::WriterComponent c;
        c.logical_path = text(info->bstrLogicalPath);
        c.name = text(info->bstrComponentName);
        c.type = info->type == VSS_CT_DATABASE ? "database" : "filegroup";
        c.selectable = info->bSelectable != 0;
        const UINT files = info->cFileCount, databases = info->cDatabases, logs = info->cLogFiles,
                   dependencies = info->cDependencies;
        component->FreeComponentInfo(info);
        for (UINT f = 0; core::succeeded(hr) && f < files; ++f)
          hr = read_file([&](IVssWMFiledesc** d) { return component->GetFile(f, d); }, c.files);
        for (UINT f = 0; core::succeeded(hr) && f < databases; ++f)
          hr = read_file([&](IVssWMFiledesc** d) { return component->GetDatabaseFile(f, d); },
                         c.files);
        for (UINT f = 0; core::succeeded(hr) && f < logs; ++f)
          hr = read_file([&](IVssWMFiledesc** d) { return component->GetDatabaseLogFile(f, d); },
                         c.files);
        // What the component depends on: its files must be in the set too.
        // https://learn.microsoft.com/windows/win32/api/vswriter/nf-vswriter-ivsswmcomponent-getdependency
        for (UINT d = 0; core::succeeded(hr) && d < dependencies; ++d) {
          ComPtr<IVssWMDependency> dependency;
          hr = static_cast<HResult>(component->GetDependency(d, dependency.put()));
          if (core::failed(hr)) break;
          VSS_ID writer{};
          Bstr path, dependency_name;
          hr = static_cast<HResult>(dependency->GetWriterId(&writer));
          if (core::succeeded(hr)) hr = static_cast<HResult>(dependency->GetLogicalPath(path.put()));
          if (core::succeeded(hr))
            hr = static_cast<HResult>(dependency->GetComponentName(dependency_name.put()));
          if (core::succeeded(hr))
            c.dependencies.push_back({guid_text(writer), text(path.get()), text(dependency_name.get())});
        }
        w.components.push_back(std::move(c));
      }
      out.push_back(std::move(w));
    }
    return hr;
  }
  HResult save_as_xml(std::string& xml) override {
    Bstr document;
    const HResult hr = logged("SaveAsXML", [&] { return p_->SaveAsXML(document.put()); });
    if (core::succeeded(hr)) xml = text(document.get());
    return hr;
  }
  HResult enable_writer_classes(const std::vector<std::string>& ids) override {
    std::vector<VSS_ID> classes = guids(ids);
    return logged("EnableWriterClasses", [&] {
      return p_->EnableWriterClasses(classes.data(), static_cast<UINT>(classes.size()));
    });
  }
  HResult disable_writer_classes(const std::vector<std::string>& ids) override {
    std::vector<VSS_ID> classes = guids(ids);
    return logged("DisableWriterClasses", [&] {
      return p_->DisableWriterClasses(classes.data(), static_cast<UINT>(classes.size()));
    });
  }
  HResult add_component(const session::ComponentRef& c) override {
    GUID instance, writer;
    if (!guid_from_text(c.instance_id, instance) || !guid_from_text(c.writer_id, writer))
      return core::hr::e_invalidarg;
    const std::wstring path = to_wide(c.logical_path), name = to_wide(c.name);
    return logged("AddComponent", [&] {
      return p_->AddComponent(instance, writer, static_cast<VSS_COMPONENT_TYPE>(c.type),
                              path.empty() ? nullptr : path.c_str(), name.c_str());
    });
  }
  HResult set_backup_succeeded(const session::ComponentRef& c, bool succeeded) override {
    GUID instance, writer;
    if (!guid_from_text(c.instance_id, instance) || !guid_from_text(c.writer_id, writer))
      return core::hr::e_invalidarg;
    const std::wstring path = to_wide(c.logical_path), name = to_wide(c.name);
    return logged("SetBackupSucceeded", [&] {
      return p_->SetBackupSucceeded(instance, writer, static_cast<VSS_COMPONENT_TYPE>(c.type),
                                    path.empty() ? nullptr : path.c_str(), name.c_str(),
                                    succeeded);
    });
  }
  HResult free_writer_metadata() override {
    return logged("FreeWriterMetadata", [&] { return p_->FreeWriterMetadata(); });
  }
  HResult start_snapshot_set(std::string& set_id) override {
    VSS_ID id{};
    const HResult hr = logged("StartSnapshotSet", [&] { return p_->StartSnapshotSet(&id); });
    if (core::succeeded(hr)) set_id = guid_text(id);
    return hr;
  }
  HResult is_volume_supported(const std::string& volume, const std::string& provider,
                              bool& supported) override {
    GUID provider_id;
    if (!parse_id(provider, provider_id)) return core::hr::e_invalidarg;
    std::wstring name = to_wide(volume);
    BOOL answer = FALSE;
    const HResult hr = logged("IsVolumeSupported", [&] {
      return p_->IsVolumeSupported(provider_id, name.data(), &answer);
    });
    supported = answer != FALSE;
    return hr;
  }
  HResult add_to_snapshot_set(const std::string& volume, const std::string& provider,
                              std::string& shadow_id) override {
    GUID provider_id;
    if (!parse_id(provider, provider_id)) return core::hr::e_invalidarg;
    std::wstring name = to_wide(volume);
    VSS_ID id{};
    const HResult hr = logged("AddToSnapshotSet", [&] {
      return p_->AddToSnapshotSet(name.data(), provider_id, &id);
    });
    if (core::succeeded(hr)) shadow_id = guid_text(id);
    return hr;
  }
  HResult prepare_for_backup(session::Async& out) override {
    return start("PrepareForBackup", [&](IVssAsync** a) { return p_->PrepareForBackup(a); }, out);
  }
  HResult gather_writer_status(session::Async& out) override {
    return start("GatherWriterStatus", [&](IVssAsync** a) { return p_->GatherWriterStatus(a); },
                 out);
  }
  HResult writer_status(std::vector<core::WriterStatus>& out) override {
    out.clear();
    UINT count = 0;
    HResult hr = logged("GetWriterStatusCount", [&] { return p_->GetWriterStatusCount(&count); });
    for (UINT i = 0; core::succeeded(hr) && i < count; ++i) {
      VSS_ID instance{}, writer{};
      Bstr name;
      VSS_WRITER_STATE state{};
      HRESULT failure = S_OK;
      hr = logged("GetWriterStatus", [&] {
        return p_->GetWriterStatus(i, &instance, &writer, name.put(), &state, &failure);
      });
      if (core::succeeded(hr))
        out.push_back({guid_text(writer), guid_text(instance), to_utf8(name.get()),
                       static_cast<int>(state), static_cast<HResult>(failure)});
    }
    return hr;
  }
  HResult free_writer_status() override {
    return logged("FreeWriterStatus", [&] { return p_->FreeWriterStatus(); });
  }
  HResult do_snapshot_set(session::Async& out) override {
    return start("DoSnapshotSet", [&](IVssAsync** a) { return p_->DoSnapshotSet(a); }, out);
  }
  HResult snapshot_properties(const std::string& shadow_id, core::ShadowCopy& out) override {
    GUID id;
    if (!guid_from_text(shadow_id, id)) return core::hr::e_invalidarg;
    SnapshotProperties props(library_);
    const HResult hr =
        logged("GetSnapshotProperties", [&] { return p_->GetSnapshotProperties(id, &props.prop); });
    if (core::succeeded(hr)) out = to_core(props.prop);
    return hr;
  }
  HResult backup_complete(session::Async& out) override {
    return start("BackupComplete", [&](IVssAsync** a) { return p_->BackupComplete(a); }, out);
  }
  HResult abort_backup() override {
    return logged("AbortBackup", [&] { return p_->AbortBackup(); });
  }
  HResult query_snapshots(std::vector<core::ShadowCopy>& out) override {
    out.clear();
    ComPtr<IVssEnumObject> items;
    const HResult hr = logged("Query", [&] {
      return p_->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, items.put());
    });
    if (core::failed(hr) || !items) return hr;
    const HResult listed = for_each_item<VSS_OBJECT_PROP>(*items.get(), [&](VSS_OBJECT_PROP& object) {
      SnapshotProperties props(library_);
      props.prop = object.Obj.Snap;  // freed with the properties' own strings
      out.push_back(to_core(props.prop));
    });
    return core::failed(listed) ? listed : hr;
  }
  HResult delete_snapshots(const std::string& id, bool whole_set,
                           session::DeleteResult& out) override {
    GUID source;
    if (!guid_from_text(id, source)) return core::hr::e_invalidarg;
    LONG deleted = 0;
    VSS_ID failed{};
    const HResult hr = logged("DeleteSnapshots", [&] {
      return p_->DeleteSnapshots(source, whole_set ? VSS_OBJECT_SNAPSHOT_SET : VSS_OBJECT_SNAPSHOT,
                                 TRUE, &deleted, &failed);
    });
    out.deleted = deleted;
    out.failed_id = core::failed(hr) ? guid_text(failed) : std::string();
    return hr;
  }
  HResult expose_snapshot(const std::string& shadow_id, bool remotely, const std::string& expose,
                          std::string& exposed) override {
    GUID id;
    if (!guid_from_text(shadow_id, id)) return core::hr::e_invalidarg;
    std::wstring target = to_wide(expose);
    wchar_t whole_volume[] = L"\\";
    VSS_PWSZ result = nullptr;
    const HResult hr = logged("ExposeSnapshot", [&] {
      // Remotely, the share is the whole volume: its path from the root is "\".
      return p_->ExposeSnapshot(
          id, remotely ? whole_volume : nullptr,
          remotely ? VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY : VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY,
          target.empty() ? nullptr : target.data(), &result);
    });
    CoTaskMemString owned(result);
    if (core::succeeded(hr)) exposed = text(owned.get());
    return hr;
  }
  HResult unexpose_snapshot(const std::string& shadow_id) override {
    GUID id;
    if (!guid_from_text(shadow_id, id)) return core::hr::e_invalidarg;
    HRESULT asked = S_OK;
    ComPtr<IVssBackupComponentsEx2> ex2 = p_.as<IVssBackupComponentsEx2>(&asked);
    if (!ex2) return logged("QueryInterface(IVssBackupComponentsEx2)", [&] { return asked; });
    return logged("UnexposeSnapshot", [&] { return ex2->UnexposeSnapshot(id); });
  }

 private:
  // Ids already checked by the session layer; one that is not a GUID becomes GUID_NULL.
  static std::vector<VSS_ID> guids(const std::vector<std::string>& ids) {
    std::vector<VSS_ID> out(ids.size(), GUID_NULL);
    for (std::size_t i = 0; i < ids.size(); ++i) guid_from_text(ids[i], out[i]);
    return out;
  }

  template <typename Call>
  HResult start(const char* method, Call&& call, session::Async& out) {
    ComPtr<IVssAsync> async;
    const HResult hr = logged(method, [&] { return call(async.put()); });
    if (core::succeeded(hr) && async)
      out = std::make_unique<WindowsAsync>(std::move(async), method, library_);
    return hr;
  }

  ComPtr<IVssBackupComponents> p_;
  std::shared_ptr<VssLibrary> library_;
};

class WindowsVssApi final : public session::VssApi {
 public:
  // Once per process: CoInitializeSecurity a second time would answer RPC_E_TOO_LATE.
  HResult initialize_com() override {
    if (com_result_) return *com_result_;
    const HResult init = logged("CoInitializeEx", [&] { return apartment_.initialize(); });
    if (core::failed(init)) return *(com_result_ = init);
    // As "Security Considerations for Requesters" advises (docs/security.md): writers and
    // the VSS service call back into the requester, so any caller is let in (a null
    // descriptor; refusing them is event 8194), each call encrypted and signed (packet
    // privacy); outgoing calls let the callee identify shadowctl but not impersonate it
    // (RPC_C_IMP_LEVEL_IDENTIFY, what the Windows SDK's vshadow sample sets; every text that
    // names the level says the same: the catalogue, check's line, docs/security.md);
    // dynamic cloaking presents the thread's token; no activate-as-activator and no custom
    // marshalling, neither of which VSS uses.
    const HResult security = logged("CoInitializeSecurity", [] {
      return CoInitializeSecurity(
          nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IDENTIFY,
          nullptr, EOAC_DYNAMIC_CLOAKING | EOAC_DISABLE_AAA | EOAC_NO_CUSTOM_MARSHAL, nullptr);
    });
    if (core::failed(security)) return *(com_result_ = security);
    // COM must not swallow a crash inside a call and carry on in a broken state (the same
    // page): COMGLB_EXCEPTION_DONOT_HANDLE. Not fatal when COM lacks the object.
    logged("IGlobalOptions::Set(COMGLB_EXCEPTION_HANDLING)", [] {
      ComPtr<IGlobalOptions> options;
      HRESULT hr = CoCreateInstance(CLSID_GlobalOptions, nullptr, CLSCTX_INPROC_SERVER,
                                    IID_PPV_ARGS(options.put()));
      if (SUCCEEDED(hr))
        hr = options->Set(COMGLB_EXCEPTION_HANDLING, COMGLB_EXCEPTION_DONOT_HANDLE);
      return static_cast<HResult>(hr);
    });
    return *(com_result_ = security);
  }

  session::LibraryFacts load_vssapi() override {
    if (library_facts_) return *library_facts_;
    return *(library_facts_ = load());
  }

  HResult query_providers(std::vector<core::Provider>& out) override {
    out.clear();
    ComPtr<IVssAdmin> admin;
    HResult hr = logged("CoCreateInstance(VSSCoordinator)", [&] {
      return CoCreateInstance(__uuidof(VSSCoordinator), nullptr, CLSCTX_ALL, __uuidof(IVssAdmin),
                              reinterpret_cast<void**>(admin.put()));
    });
    if (core::failed(hr)) return hr;
    ComPtr<IVssEnumObject> items;
    hr = logged("IVssAdmin::QueryProviders", [&] { return admin->QueryProviders(items.put()); });
    if (core::failed(hr) || !items) return hr;
    const HResult listed = for_each_item<VSS_OBJECT_PROP>(*items.get(), [&](VSS_OBJECT_PROP& object) {
      const VSS_PROVIDER_PROP& p = object.Obj.Prov;
      CoTaskMemString name(p.m_pwszProviderName), version(p.m_pwszProviderVersion);
      out.push_back({guid_text(p.m_ProviderId), text(name.get()), text(version.get()),
                     static_cast<int>(p.m_eProviderType)});
    });
    if (core::failed(listed)) return listed;
    return hr;
  }

  // The system provider's shadow storage management (IVssSnapshotMgmt::GetProviderMgmtInterface):
  // https://learn.microsoft.com/windows/win32/api/vsmgmt/nf-vsmgmt-ivsssnapshotmgmt-getprovidermgmtinterface
  HResult storage_management(ComPtr<IVssDifferentialSoftwareSnapshotMgmt>& diff) {
    ComPtr<IVssSnapshotMgmt> management;
    HResult hr = logged("CoCreateInstance(VssSnapshotMgmt)", [&] {
      return CoCreateInstance(__uuidof(VssSnapshotMgmt), nullptr, CLSCTX_ALL,
                              __uuidof(IVssSnapshotMgmt),
                              reinterpret_cast<void**>(management.put()));
    });
    if (core::failed(hr)) return hr;
    ComPtr<IUnknown> unknown;
    hr = logged("GetProviderMgmtInterface", [&] {
      return management->GetProviderMgmtInterface(
          kSoftwareProvider, __uuidof(IVssDifferentialSoftwareSnapshotMgmt), unknown.put());
    });
    if (core::failed(hr)) return hr;
    diff = unknown.as<IVssDifferentialSoftwareSnapshotMgmt>();
    return diff ? hr : core::hr::e_unexpected;
  }

  HResult add_storage(const std::string& for_volume, const std::string& on_volume,
                      std::int64_t maximum) override {
    ComPtr<IVssDifferentialSoftwareSnapshotMgmt> diff;
    if (const HResult hr = storage_management(diff); core::failed(hr)) return hr;
    std::wstring volume = to_wide(for_volume), on = to_wide(on_volume);
    return logged("AddDiffArea", [&] { return diff->AddDiffArea(volume.data(), on.data(), maximum); });
  }

  HResult change_storage_maximum(const std::string& for_volume, const std::string& on_volume,
                                 std::int64_t maximum) override {
    ComPtr<IVssDifferentialSoftwareSnapshotMgmt> diff;
    if (const HResult hr = storage_management(diff); core::failed(hr)) return hr;
    std::wstring volume = to_wide(for_volume), on = to_wide(on_volume);
    return logged("ChangeDiffAreaMaximumSize", [&] {
      return diff->ChangeDiffAreaMaximumSize(volume.data(), on.data(), maximum);
    });
  }

  HResult query_storage(const std::string& volume,
                        std::vector<core::StorageAssociation>& out) override {
    out.clear();
    ComPtr<IVssDifferentialSoftwareSnapshotMgmt> diff;
    HResult hr = storage_management(diff);
    if (core::failed(hr)) return hr;
    std::wstring name = to_wide(volume);
    ComPtr<IVssEnumMgmtObject> items;
    hr = logged("QueryDiffAreasForVolume", [&] {
      return diff->QueryDiffAreasForVolume(name.data(), items.put());
    });
    if (core::failed(hr) || !items) return hr;
    const HResult listed =
        for_each_item<VSS_MGMT_OBJECT_PROP>(*items.get(), [&](VSS_MGMT_OBJECT_PROP& object) {
          const VSS_DIFF_AREA_PROP& d = object.Obj.DiffArea;
          CoTaskMemString for_volume(d.m_pwszVolumeName), on_volume(d.m_pwszDiffAreaVolumeName);
          auto bytes = [](LONGLONG n) { return n < 0 ? 0ull : static_cast<std::uint64_t>(n); };
          // A maximum of -1 is "no limit": 0 in the inventory.
          out.push_back({text(for_volume.get()), text(on_volume.get()),
                         bytes(d.m_llUsedDiffSpace), bytes(d.m_llAllocatedDiffSpace),
                         bytes(d.m_llMaximumDiffSpace)});
        });
    if (core::failed(listed)) return listed;
    return hr;
  }

  HResult is_volume_snapshotted(const std::string& volume, bool& snapshotted) override {
    if (!library_ || !library_->is_snapshotted) return core::hr::error_proc_not_found;
    std::wstring name = to_wide(volume);
    WINBOOL present = FALSE;
    LONG capability = 0;
    const HResult hr = logged("IsVolumeSnapshotted", [&] {
      return library_->is_snapshotted(name.data(), &present, &capability);
    });
    snapshotted = present != FALSE;
    return hr;
  }

 private:
  session::LibraryFacts load() {
    // System32 only: a vssapi.dll planted beside shadowctl.exe or on PATH is never loaded.
    HMODULE module = LoadLibraryExW(L"vssapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!module) return {last_error(), {}};
    wchar_t path[MAX_PATH * 2] = {};
    GetModuleFileNameW(module, path, static_cast<DWORD>(std::size(path)));
    library_ = std::make_shared<VssLibrary>(module);
    if (!library_->create) return {core::hr::error_proc_not_found, to_utf8(path)};
    spdlog::info("loaded {}", to_utf8(path));
    return {0, to_utf8(path)};
  }


 public:
  HResult create_backup_components(std::unique_ptr<session::BackupComponents>& out) override {
    if (!library_ || !library_->create) return core::hr::error_proc_not_found;
    ComPtr<IVssBackupComponents> components;
    const HResult hr =
        logged("CreateVssBackupComponents", [&] { return library_->create(components.put()); });
    if (core::failed(hr)) return hr;
    out = std::make_unique<WindowsBackupComponents>(std::move(components), library_);
    return hr;
  }

 private:
  // Destroyed in reverse: the library (once no object holds it), then the apartment.
  ComApartment apartment_;
  std::optional<HResult> com_result_;
  std::shared_ptr<VssLibrary> library_;
  std::optional<session::LibraryFacts> library_facts_;
};

}  // namespace

std::unique_ptr<session::VssApi> make_vss_api() { return std::make_unique<WindowsVssApi>(); }

}  // namespace shadowctl::platform
