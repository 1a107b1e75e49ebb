// A minimal VSS requester for the Wine tests of the emulator DLL: it loads vssapi.dll from
// System32 as shadowctl does and drives it through the SDK's vtables, printing one line per
// step. Modes:
//   create CONTEXT [no-abort|leak-ref]   the documented backup sequence on C:\ .
//   query                                count the shadow copies in VSS_CTX_ALL.
//   providers [keep-strings]             list providers through IVssAdmin.
//   writers [keep-names]                 list writers and their first component.
// keep-strings / keep-names skip the caller's frees, for the leak report's own tests.
//   release-first                        release the backup object, then wait on its IVssAsync.
//   storage MAXIMUM                      resize C:'s shadow storage and print it, through
//                                        IVssSnapshotMgmt and IVssDifferentialSoftwareSnapshotMgmt.
//   components CONTEXT                   the component-mode backup of C:\ in a writer context:
//                                        every writer's metadata read in full, every selectable
//                                        component added, the Backup Components Document read back.
//   exports FILE                         every export named in FILE (one a line) resolves, and
//                                        each kind of entry point answers as documented.
//   hold-set NAME                        another backup in progress: start a set of C:\ (no
//                                        writers), print "held", wait until released, then
//                                        AbortBackup and print "released".
//   release NAME                         release that holder and wait until it has aborted.
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>
#include <vsadmin.h>
#include <vsmgmt.h>

namespace {

using CreateFn = HRESULT(STDAPICALLTYPE*)(IVssBackupComponents**);
using FreeFn = void(APIENTRY*)(VSS_SNAPSHOT_PROP*);
using ExamineFn = HRESULT(STDAPICALLTYPE*)(BSTR, IVssExamineWriterMetadata**);
ExamineFn examine_fn = nullptr;  // CreateVssExamineWriterMetadataInternal, from vssapi.dll

HRESULT finish(IVssAsync* async) {
  async->Wait(INFINITE);
  HRESULT status = E_FAIL;
  async->QueryStatus(&status, nullptr);
  async->Release();
  return status;
}

// The sequence of "Shadow Copy Creation Details": with writers, SetBackupState,
// GatherWriterMetadata, PrepareForBackup and BackupComplete; without them (a context with
// VSS_VOLSNAP_ATTR_NO_WRITERS), none of these.
int create(IVssBackupComponents* c, FreeFn free_props, long context, bool abort_on_failure,
           bool leak_reference) {
  const bool writers = (context & VSS_VOLSNAP_ATTR_NO_WRITERS) == 0;
  VSS_ID set{}, shadow{};
  IVssAsync* async = nullptr;
  HRESULT hr = S_OK;
  hr = c->SetContext(context);
  std::printf("SetContext 0x%08lX\n", static_cast<unsigned long>(hr));
  if (FAILED(hr)) return 1;  // the object is released: nothing was started
  if (writers) {
    std::printf("SetBackupState 0x%08lX\n",
                static_cast<unsigned long>(c->SetBackupState(false, false, VSS_BT_COPY, false)));
    hr = c->GatherWriterMetadata(&async);
    std::printf("GatherWriterMetadata 0x%08lX\n",
                static_cast<unsigned long>(SUCCEEDED(hr) ? finish(async) : hr));
  }
  std::printf("StartSnapshotSet 0x%08lX\n", static_cast<unsigned long>(c->StartSnapshotSet(&set)));
  wchar_t volume[] = L"C:\\";
  std::printf("AddToSnapshotSet 0x%08lX\n",
              static_cast<unsigned long>(c->AddToSnapshotSet(volume, GUID_NULL, &shadow)));
  if (writers) {
    hr = c->PrepareForBackup(&async);
    std::printf("PrepareForBackup 0x%08lX\n",
                static_cast<unsigned long>(SUCCEEDED(hr) ? finish(async) : hr));
  }
  hr = c->DoSnapshotSet(&async);
  hr = SUCCEEDED(hr) ? finish(async) : hr;
  std::printf("DoSnapshotSet 0x%08lX\n", static_cast<unsigned long>(hr));
  if (hr != VSS_S_ASYNC_FINISHED) {
    if (abort_on_failure) std::printf("AbortBackup 0x%08lX\n", static_cast<unsigned long>(c->AbortBackup()));
    return 1;
  }
  VSS_SNAPSHOT_PROP prop{};
  if (SUCCEEDED(c->GetSnapshotProperties(shadow, &prop))) {
    std::printf("device %ls\n", prop.m_pwszSnapshotDeviceObject);
    free_props(&prop);
  }
  if (leak_reference) c->AddRef();
  if (writers) {
    hr = c->BackupComplete(&async);
    std::printf("BackupComplete 0x%08lX\n",
                static_cast<unsigned long>(SUCCEEDED(hr) ? finish(async) : hr));
    std::printf("FreeWriterMetadata 0x%08lX\n", static_cast<unsigned long>(c->FreeWriterMetadata()));
  }
  return 0;
}

// IVssAsync keeps its backup object: waiting after releasing the object is safe.
int release_first(IVssBackupComponents* c) {
  IVssAsync* async = nullptr;
  const HRESULT hr = c->GatherWriterMetadata(&async);
  std::printf("GatherWriterMetadata 0x%08lX\n", static_cast<unsigned long>(hr));
  if (FAILED(hr)) return 1;
  std::printf("Release %lu\n", static_cast<unsigned long>(c->Release()));
  std::printf("status 0x%08lX\n", static_cast<unsigned long>(finish(async)));
  return 0;
}

int query(IVssBackupComponents* c, FreeFn free_props) {
  c->SetContext(-1);  // VSS_CTX_ALL (0xffffffff) as the LONG the method takes
  IVssEnumObject* e = nullptr;
  const HRESULT hr = c->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, &e);
  int count = 0;
  // S_FALSE (nothing found) still hands out an empty enumerator to release.
  if (SUCCEEDED(hr) && e) {
    VSS_OBJECT_PROP prop{};
    ULONG fetched = 0;
    while (e->Next(1, &prop, &fetched) == S_OK && fetched == 1) {
      ++count;
      free_props(&prop.Obj.Snap);
    }
    e->Release();
  }
  std::printf("Query 0x%08lX shadows %d\n", static_cast<unsigned long>(hr), count);
  return 0;
}

int writers(IVssBackupComponents* c, bool keep_names) {
  IVssAsync* async = nullptr;
  HRESULT hr = c->GatherWriterMetadata(&async);
  std::printf("GatherWriterMetadata 0x%08lX\n",
              static_cast<unsigned long>(SUCCEEDED(hr) ? finish(async) : hr));
  UINT count = 0;
  c->GetWriterMetadataCount(&count);
  for (UINT i = 0; i < count; ++i) {
    VSS_ID instance{};
    IVssExamineWriterMetadata* metadata = nullptr;
    if (FAILED(c->GetWriterMetadata(i, &instance, &metadata))) continue;
    VSS_ID id{};
    BSTR name = nullptr;
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    metadata->GetIdentity(&instance, &id, &name, &usage, &source);
    UINT includes = 0, excludes = 0, components = 0;
    metadata->GetFileCounts(&includes, &excludes, &components);
    std::printf("writer %ls components %u", name, components);
    IVssWMComponent* component = nullptr;
    if (components > 0 && SUCCEEDED(metadata->GetComponent(0, &component))) {
      PVSSCOMPONENTINFO info = nullptr;
      if (SUCCEEDED(component->GetComponentInfo(&info))) {
        std::printf(" first %ls", info->bstrComponentName);
        component->FreeComponentInfo(info);
      }
      component->Release();
    }
    std::printf("\n");
    if (!keep_names) SysFreeString(name);
    metadata->Release();
  }
  std::printf("FreeWriterMetadata 0x%08lX\n", static_cast<unsigned long>(c->FreeWriterMetadata()));
  return 0;
}

void print_hr(const char* what, HRESULT hr) {
  std::printf("%s 0x%08lX\n", what, static_cast<unsigned long>(hr));
}

// The Windows SDK's IVssWriterComponentsExt: IVssWriterComponents, then IUnknown (MinGW's
// header declares the first vtable only).
struct SdkWriterComponentsExt : IVssWriterComponents, IUnknown {};

void release_writer_components(IVssWriterComponentsExt* w) {
  auto* sdk = static_cast<SdkWriterComponentsExt*>(reinterpret_cast<IVssWriterComponents*>(w));
  static_cast<IUnknown*>(sdk)->Release();
}

// Reads one file description and frees its strings.
void describe_file(const char* kind, IVssWMFiledesc* f) {
  BSTR path = nullptr, spec = nullptr, alternate = nullptr;
  f->GetPath(&path);
  f->GetFilespec(&spec);
  const HRESULT alt = f->GetAlternateLocation(&alternate);
  std::printf("  %s %ls\\%ls%s%ls\n", kind, path, spec, alt == S_OK ? " -> " : "",
              alt == S_OK ? alternate : L"");
  SysFreeString(path);
  SysFreeString(spec);
  SysFreeString(alternate);
  f->Release();
}

// Everything IVssExamineWriterMetadata(Ex2) tells a requester, with every string freed;
// adds each selectable component when `add` is set.
void read_writer(IVssBackupComponents* c, IVssExamineWriterMetadataEx2* m, bool add) {
  VSS_ID instance{}, writer{};
  BSTR name = nullptr, instance_name = nullptr;
  VSS_USAGE_TYPE usage{};
  VSS_SOURCE_TYPE source{};
  m->GetIdentityEx(&instance, &writer, &name, &instance_name, &usage, &source);
  std::printf("writer %ls instance %ls usage %d source %d\n", name,
              instance_name ? instance_name : L"(none)", static_cast<int>(usage),
              static_cast<int>(source));
  VSS_RESTOREMETHOD_ENUM method{};
  BSTR service_name = nullptr, procedure = nullptr;
  VSS_WRITERRESTORE_ENUM restore{};
  boolean reboot = false;
  UINT mappings = 0;
  const HRESULT rm =
      m->GetRestoreMethod(&method, &service_name, &procedure, &restore, &reboot, &mappings);
  std::printf("  restore 0x%08lX method %d service %ls reboot %d mappings %u\n",
              static_cast<unsigned long>(rm), static_cast<int>(method),
              service_name ? service_name : L"(none)", reboot ? 1 : 0, mappings);
  SysFreeString(service_name);
  SysFreeString(procedure);
  for (UINT i = 0; i < mappings; ++i) {
    IVssWMFiledesc* f = nullptr;
    if (SUCCEEDED(m->GetAlternateLocationMapping(i, &f))) describe_file("alternate", f);
  }
  DWORD schema = 0;
  m->GetBackupSchema(&schema);
  std::printf("  schema 0x%lx\n", static_cast<unsigned long>(schema));
  UINT includes = 0, excludes = 0, components = 0;
  m->GetFileCounts(&includes, &excludes, &components);
  for (UINT i = 0; i < excludes; ++i) {
    IVssWMFiledesc* f = nullptr;
    if (SUCCEEDED(m->GetExcludeFile(i, &f))) describe_file("excluded", f);
  }
  for (UINT i = 0; i < components; ++i) {
    IVssWMComponent* component = nullptr;
    if (FAILED(m->GetComponent(i, &component))) continue;
    PVSSCOMPONENTINFO info = nullptr;
    component->GetComponentInfo(&info);
    std::printf("  component %ls\\%ls type %d files %u databases %u logs %u dependencies %u\n",
                info->bstrLogicalPath ? info->bstrLogicalPath : L"", info->bstrComponentName,
                static_cast<int>(info->type), info->cFileCount, info->cDatabases, info->cLogFiles,
                info->cDependencies);
    for (UINT f = 0; f < info->cFileCount; ++f) {
      IVssWMFiledesc* d = nullptr;
      if (SUCCEEDED(component->GetFile(f, &d))) describe_file("file", d);
    }
    for (UINT f = 0; f < info->cDatabases; ++f) {
      IVssWMFiledesc* d = nullptr;
      if (SUCCEEDED(component->GetDatabaseFile(f, &d))) describe_file("database", d);
    }
    for (UINT f = 0; f < info->cLogFiles; ++f) {
      IVssWMFiledesc* d = nullptr;
      if (SUCCEEDED(component->GetDatabaseLogFile(f, &d))) describe_file("log", d);
    }
    for (UINT d = 0; d < info->cDependencies; ++d) {
      IVssWMDependency* dep = nullptr;
      if (FAILED(component->GetDependency(d, &dep))) continue;
      BSTR path = nullptr, dep_name = nullptr;
      dep->GetLogicalPath(&path);
      dep->GetComponentName(&dep_name);
      std::printf("  depends on %ls\\%ls\n", path, dep_name);
      SysFreeString(path);
      SysFreeString(dep_name);
      dep->Release();
    }
    if (add && info->bSelectable) {
      print_hr("  AddComponent", c->AddComponent(instance, writer, info->type,
                                                 info->bstrLogicalPath, info->bstrComponentName));
      wchar_t options[] = L"probe-options";
      print_hr("  SetBackupOptions", c->SetBackupOptions(writer, info->type, info->bstrLogicalPath,
                                                         info->bstrComponentName, options));
    }
    component->FreeComponentInfo(info);
    component->Release();
  }
  // The document round trip: SaveAsXML, then CreateVssExamineWriterMetadata.
  BSTR xml = nullptr;
  if (SUCCEEDED(m->SaveAsXML(&xml))) {
    IVssExamineWriterMetadata* copy = nullptr;
    const HRESULT hr = examine_fn(xml, &copy);
    BSTR copy_name = nullptr;
    if (SUCCEEDED(hr)) copy->GetIdentity(nullptr, nullptr, &copy_name, nullptr, nullptr);
    std::printf("  reloaded 0x%08lX %ls\n", static_cast<unsigned long>(hr),
                copy_name ? copy_name : L"");
    SysFreeString(copy_name);
    if (copy) copy->Release();
    SysFreeString(xml);
  }
  SysFreeString(name);
  SysFreeString(instance_name);
}

// A component-mode backup as "Overview of Processing a Backup Under VSS" lays it out.
int components(IVssBackupComponents* c, FreeFn free_props, long context) {
  IVssAsync* async = nullptr;
  HRESULT hr = S_OK;
  print_hr("SetContext", c->SetContext(context));
  print_hr("SetBackupState", c->SetBackupState(true, false, VSS_BT_FULL, false));
  hr = c->GatherWriterMetadata(&async);
  print_hr("GatherWriterMetadata", SUCCEEDED(hr) ? finish(async) : hr);
  auto* ex = static_cast<IVssBackupComponentsEx*>(nullptr);
  print_hr("QueryInterface Ex",
           c->QueryInterface(__uuidof(IVssBackupComponentsEx), reinterpret_cast<void**>(&ex)));
  UINT count = 0;
  c->GetWriterMetadataCount(&count);
  for (UINT i = 0; i < count; ++i) {
    VSS_ID instance{};
    IVssExamineWriterMetadataEx* metadata = nullptr;
    if (FAILED(ex->GetWriterMetadataEx(i, &instance, &metadata))) continue;
    IVssExamineWriterMetadataEx2* ex2 = nullptr;
    if (SUCCEEDED(metadata->QueryInterface(__uuidof(IVssExamineWriterMetadataEx2),
                                           reinterpret_cast<void**>(&ex2)))) {
      read_writer(c, ex2, true);
      ex2->Release();
    }
    metadata->Release();
  }
  ex->Release();
  VSS_ID set{}, shadow{};
  print_hr("StartSnapshotSet", c->StartSnapshotSet(&set));
  wchar_t volume[] = L"C:\\";
  print_hr("AddToSnapshotSet", c->AddToSnapshotSet(volume, GUID_NULL, &shadow));
  hr = c->PrepareForBackup(&async);
  print_hr("PrepareForBackup", SUCCEEDED(hr) ? finish(async) : hr);
  hr = c->DoSnapshotSet(&async);
  hr = SUCCEEDED(hr) ? finish(async) : hr;
  print_hr("DoSnapshotSet", hr);
  if (hr != VSS_S_ASYNC_FINISHED) {
    print_hr("AbortBackup", c->AbortBackup());
    return 1;
  }
  VSS_SNAPSHOT_PROP prop{};
  if (SUCCEEDED(c->GetSnapshotProperties(shadow, &prop))) free_props(&prop);
  // Each component's result, then BackupComplete, then the document read back.
  UINT writers_with_components = 0;
  print_hr("GetWriterComponentsCount", c->GetWriterComponentsCount(&writers_with_components));
  auto each_component = [&](auto&& visit) {
    for (UINT w = 0; w < writers_with_components; ++w) {
      IVssWriterComponentsExt* wc = nullptr;
      if (FAILED(c->GetWriterComponents(w, &wc))) continue;
      VSS_ID instance{}, writer{};
      wc->GetWriterInfo(&instance, &writer);
      UINT n = 0;
      wc->GetComponentCount(&n);
      for (UINT k = 0; k < n; ++k) {
        IVssComponent* component = nullptr;
        if (FAILED(wc->GetComponent(k, &component))) continue;
        visit(instance, writer, component);
        component->Release();
      }
      release_writer_components(wc);
    }
  };
  each_component([&](VSS_ID instance, VSS_ID writer, IVssComponent* component) {
    BSTR path = nullptr, name = nullptr;
    VSS_COMPONENT_TYPE type{};
    component->GetLogicalPath(&path);
    component->GetComponentName(&name);
    component->GetComponentType(&type);
    c->SetBackupSucceeded(instance, writer, type, path, name, true);
    SysFreeString(path);
    SysFreeString(name);
  });
  hr = c->BackupComplete(&async);
  print_hr("BackupComplete", SUCCEEDED(hr) ? finish(async) : hr);
  each_component([&](VSS_ID, VSS_ID, IVssComponent* component) {
    BSTR name = nullptr, options = nullptr;
    boolean succeeded = false;
    component->GetComponentName(&name);
    component->GetBackupSucceeded(&succeeded);
    component->GetBackupOptions(&options);
    std::printf("document %ls succeeded %d options %ls\n", name, succeeded ? 1 : 0,
                options ? options : L"(none)");
    SysFreeString(name);
    SysFreeString(options);
  });
  BSTR xml = nullptr;
  print_hr("SaveAsXML", c->SaveAsXML(&xml));
  SysFreeString(xml);
  print_hr("FreeWriterMetadata", c->FreeWriterMetadata());
  return 0;
}

// Every export named in `list` resolves; then each kind of entry point is called once with
// the arguments its page documents, and answers as Windows does.
int exports(HMODULE vssapi, const char* list) {
  std::ifstream in(list);
  std::string name;
  int missing = 0, names = 0;
  while (std::getline(in, name)) {
    if (name.empty()) continue;
    ++names;
    if (!GetProcAddress(vssapi, name.c_str())) {
      std::printf("missing %s\n", name.c_str());
      ++missing;
    }
  }
  std::printf("exports %d missing %d\n", names, missing);
  auto proc = [&](const char* n) { return reinterpret_cast<void*>(GetProcAddress(vssapi, n)); };
  // The requester's entry points under both their names.
  for (const char* n : {"CreateVssBackupComponentsInternal",
                        "?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z"}) {
    IVssBackupComponents* c = nullptr;
    print_hr(n, reinterpret_cast<CreateFn>(proc(n))(&c));
    if (c) c->Release();
  }
  for (const char* n : {"IsVolumeSnapshottedInternal", "IsVolumeSnapshotted"}) {
    WINBOOL present = TRUE;
    LONG capability = -1;
    wchar_t volume[] = L"C:\\";
    using Fn = HRESULT(APIENTRY*)(VSS_PWSZ, WINBOOL*, LONG*);
    print_hr(n, reinterpret_cast<Fn>(proc(n))(volume, &present, &capability));
  }
  for (const char* n : {"ShouldBlockRevertInternal", "ShouldBlockRevert"}) {
    boolean block = true;
    using Fn = HRESULT(APIENTRY*)(LPCWSTR, boolean*);
    const HRESULT hr = reinterpret_cast<Fn>(proc(n))(L"C:\\", &block);
    std::printf("%s 0x%08lX block %d\n", n, static_cast<unsigned long>(hr), block ? 1 : 0);
    print_hr(n, reinterpret_cast<Fn>(proc(n))(L"Q:\\", &block));
  }
  for (const char* n : {"GetProviderMgmtInterfaceInternal", "GetProviderMgmtInterface"}) {
    constexpr GUID kSoftwareProvider = {
        0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}};
    IUnknown* unknown = nullptr;
    using Fn = HRESULT(APIENTRY*)(VSS_ID, IID, IUnknown**);
    print_hr(n, reinterpret_cast<Fn>(proc(n))(
                    kSoftwareProvider, __uuidof(IVssDifferentialSoftwareSnapshotMgmt), &unknown));
    if (unknown) unknown->Release();
  }
  for (const char* n : {"VssFreeSnapshotPropertiesInternal", "VssFreeSnapshotProperties"}) {
    VSS_SNAPSHOT_PROP prop{};
    reinterpret_cast<FreeFn>(proc(n))(&prop);
    std::printf("%s freed\n", n);
  }
  for (const char* n :
       {"CreateVssExamineWriterMetadataInternal",
        "?CreateVssExamineWriterMetadata@@YAJPEAGPEAPEAVIVssExamineWriterMetadata@@@Z"}) {
    BSTR xml = SysAllocString(L"<WRITER_METADATA/>");
    IVssExamineWriterMetadata* m = nullptr;
    using Fn = HRESULT(STDAPICALLTYPE*)(BSTR, IVssExamineWriterMetadata**);
    print_hr(n, reinterpret_cast<Fn>(proc(n))(xml, &m));
    SysFreeString(xml);
  }
  // The writer side: no writer process is modelled.
  using Hr = HRESULT (*)(void*);
  using Bool = bool (*)(void*);
  print_hr("CVssWriter::Initialize",
           reinterpret_cast<Hr>(
               proc("?Initialize@CVssWriter@@QEAAJU_GUID@@PEBGW4VSS_USAGE_TYPE@@W4VSS_SOURCE_TYPE@@"
                    "W4_VSS_APPLICATION_LEVEL@@KW4VSS_ALTERNATE_WRITER_STATE@@_N1@Z"))(nullptr));
  print_hr("CreateVssExpressWriterInternal",
           reinterpret_cast<Hr>(proc("CreateVssExpressWriterInternal"))(nullptr));
  std::printf("CVssWriter::OnPrepareBackup %d\n",
              reinterpret_cast<Bool>(
                  proc("?OnPrepareBackup@CVssWriter@@UEAA_NPEAVIVssWriterComponents@@@Z"))(nullptr)
                  ? 1
                  : 0);
  return missing == 0 ? 0 : 1;
}

constexpr GUID kVssCoordinator = {0xe579ab5f, 0x1cc4, 0x44b4, {0xbe, 0xd9, 0xde, 0x09, 0x91, 0xff, 0x06, 0x23}};

int providers(bool keep_strings) {
  IVssAdmin* admin = nullptr;
  HRESULT hr = CoCreateInstance(kVssCoordinator, nullptr, CLSCTX_ALL, __uuidof(IVssAdmin),
                                reinterpret_cast<void**>(&admin));
  std::printf("CoCreateInstance 0x%08lX\n", static_cast<unsigned long>(hr));
  if (FAILED(hr)) return 1;
  IVssEnumObject* e = nullptr;
  hr = admin->QueryProviders(&e);
  std::printf("QueryProviders 0x%08lX\n", static_cast<unsigned long>(hr));
  VSS_OBJECT_PROP prop{};
  ULONG fetched = 0;
  while (SUCCEEDED(hr) && e->Next(1, &prop, &fetched) == S_OK && fetched == 1) {
    std::printf("provider %ls type %d\n", prop.Obj.Prov.m_pwszProviderName,
                static_cast<int>(prop.Obj.Prov.m_eProviderType));
    if (!keep_strings) {
      CoTaskMemFree(prop.Obj.Prov.m_pwszProviderName);
      CoTaskMemFree(prop.Obj.Prov.m_pwszProviderVersion);
    }
  }
  if (e) e->Release();
  admin->Release();
  return 0;
}

int storage(LONGLONG maximum) {
  IVssSnapshotMgmt* mgmt = nullptr;
  HRESULT hr = CoCreateInstance(kVssCoordinator, nullptr, CLSCTX_ALL, __uuidof(IVssSnapshotMgmt),
                                reinterpret_cast<void**>(&mgmt));
  std::printf("CoCreateInstance 0x%08lX\n", static_cast<unsigned long>(hr));
  if (FAILED(hr)) return 1;
  // The Microsoft Software Shadow Copy provider.
  constexpr GUID kSoftwareProvider = {0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}};
  IUnknown* unknown = nullptr;
  hr = mgmt->GetProviderMgmtInterface(kSoftwareProvider,
                                      __uuidof(IVssDifferentialSoftwareSnapshotMgmt), &unknown);
  std::printf("GetProviderMgmtInterface 0x%08lX\n", static_cast<unsigned long>(hr));
  if (FAILED(hr)) return 1;
  auto* diff = static_cast<IVssDifferentialSoftwareSnapshotMgmt*>(unknown);
  wchar_t volume[] = L"C:\\";
  std::printf("ChangeDiffAreaMaximumSize 0x%08lX\n",
              static_cast<unsigned long>(diff->ChangeDiffAreaMaximumSize(volume, volume, maximum)));
  IVssEnumMgmtObject* e = nullptr;
  hr = diff->QueryDiffAreasForVolume(volume, &e);
  VSS_MGMT_OBJECT_PROP prop{};
  ULONG fetched = 0;
  while (hr == S_OK && e->Next(1, &prop, &fetched) == S_OK && fetched == 1) {
    std::printf("diff area used %lld maximum %lld\n", prop.Obj.DiffArea.m_llUsedDiffSpace,
                prop.Obj.DiffArea.m_llMaximumDiffSpace);
    CoTaskMemFree(prop.Obj.DiffArea.m_pwszVolumeName);
    CoTaskMemFree(prop.Obj.DiffArea.m_pwszDiffAreaVolumeName);
  }
  if (e) e->Release();
  diff->Release();
  mgmt->Release();
  return 0;
}

}  // namespace

// The holder's two events: "release" (set by `release`) and "done" (set by the holder once
// its set is aborted). Named events: no timing between the two processes, no sleeping.
std::wstring event_name(const char* name, const wchar_t* which) {
  std::wstring wide;
  for (const char* p = name; *p; ++p) wide += static_cast<wchar_t>(*p);
  return L"shadowctl-probe-" + wide + L"-" + which;
}

int hold_set(IVssBackupComponents* c, const char* name) {
  HANDLE release = CreateEventW(nullptr, TRUE, FALSE, event_name(name, L"release").c_str());
  HANDLE done = CreateEventW(nullptr, TRUE, FALSE, event_name(name, L"done").c_str());
  if (!release || !done) return 5;
  VSS_ID set{}, shadow{};
  wchar_t volume[] = L"C:\\";
  if (FAILED(c->SetContext(static_cast<LONG>(VSS_CTX_FILE_SHARE_BACKUP) |
                           static_cast<LONG>(VSS_VOLSNAP_ATTR_NO_WRITERS))) ||
      FAILED(c->StartSnapshotSet(&set)) || FAILED(c->AddToSnapshotSet(volume, GUID_NULL, &shadow)))
    return 6;
  std::printf("held\n");
  std::fflush(stdout);
  WaitForSingleObject(release, INFINITE);
  const HRESULT aborted = c->AbortBackup();
  c->Release();
  std::printf("released 0x%08lX\n", static_cast<unsigned long>(aborted));
  std::fflush(stdout);
  SetEvent(done);
  return 0;
}

int release_holder(const char* name) {
  HANDLE done = OpenEventW(SYNCHRONIZE, FALSE, event_name(name, L"done").c_str());
  HANDLE release = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name(name, L"release").c_str());
  if (!done || !release || !SetEvent(release)) return 5;
  return WaitForSingleObject(done, INFINITE) == WAIT_OBJECT_0 ? 0 : 6;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  if (std::strcmp(argv[1], "release") == 0 && argc >= 3) return release_holder(argv[2]);
  CoInitializeEx(nullptr, COINIT_MULTITHREADED);
  if (std::strcmp(argv[1], "providers") == 0 || std::strcmp(argv[1], "storage") == 0) {
    const bool keep = argc >= 3 && std::strcmp(argv[2], "keep-strings") == 0;
    const int rc = argv[1][0] == 'p' ? providers(keep)
                                     : storage(argc >= 3 ? std::strtoll(argv[2], nullptr, 0) : -1);
    CoUninitialize();
    return rc;
  }
  HMODULE vssapi = LoadLibraryExW(L"vssapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (!vssapi) return 3;
  if (std::strcmp(argv[1], "exports") == 0 && argc >= 3) {
    const int rc = exports(vssapi, argv[2]);
    FreeLibrary(vssapi);
    CoUninitialize();
    return rc;
  }
  auto create_fn = reinterpret_cast<CreateFn>(
      reinterpret_cast<void*>(GetProcAddress(vssapi, "CreateVssBackupComponentsInternal")));
  auto free_fn = reinterpret_cast<FreeFn>(
      reinterpret_cast<void*>(GetProcAddress(vssapi, "VssFreeSnapshotPropertiesInternal")));
  examine_fn = reinterpret_cast<ExamineFn>(
      reinterpret_cast<void*>(GetProcAddress(vssapi, "CreateVssExamineWriterMetadataInternal")));
  IVssBackupComponents* c = nullptr;
  if (!create_fn || !free_fn || FAILED(create_fn(&c)) || FAILED(c->InitializeForBackup(nullptr)))
    return 4;
  int rc = 0;
  if (std::strcmp(argv[1], "hold-set") == 0 && argc >= 3) {
    rc = hold_set(c, argv[2]);  // releases c itself
    FreeLibrary(vssapi);
    CoUninitialize();
    return rc;
  }
  if (std::strcmp(argv[1], "release-first") == 0) {
    rc = release_first(c);  // releases c itself
    FreeLibrary(vssapi);
    CoUninitialize();
    return rc;
  }
  if (std::strcmp(argv[1], "create") == 0 && argc >= 3) {
    const char* option = argc >= 4 ? argv[3] : "";
    rc = create(c, free_fn, std::strtol(argv[2], nullptr, 0), std::strcmp(option, "no-abort") != 0,
                std::strcmp(option, "leak-ref") == 0);
  } else if (std::strcmp(argv[1], "components") == 0 && argc >= 3) {
    rc = components(c, free_fn, std::strtol(argv[2], nullptr, 0));
  } else if (std::strcmp(argv[1], "writers") == 0) {
    rc = writers(c, argc >= 3 && std::strcmp(argv[2], "keep-names") == 0);
  } else {
    rc = query(c, free_fn);
  }
  c->Release();
  FreeLibrary(vssapi);
  CoUninitialize();
  return rc;
}
