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
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>
#include <vsadmin.h>
#include <vsmgmt.h>

namespace {

using CreateFn = HRESULT(STDAPICALLTYPE*)(IVssBackupComponents**);
using FreeFn = void(APIENTRY*)(VSS_SNAPSHOT_PROP*);

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
  std::printf("SetContext 0x%08lX\n", static_cast<unsigned long>(c->SetContext(context)));
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

int main(int argc, char** argv) {
  if (argc < 2) return 2;
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
  auto create_fn = reinterpret_cast<CreateFn>(
      reinterpret_cast<void*>(GetProcAddress(vssapi, "CreateVssBackupComponentsInternal")));
  auto free_fn = reinterpret_cast<FreeFn>(
      reinterpret_cast<void*>(GetProcAddress(vssapi, "VssFreeSnapshotPropertiesInternal")));
  IVssBackupComponents* c = nullptr;
  if (!create_fn || !free_fn || FAILED(create_fn(&c)) || FAILED(c->InitializeForBackup(nullptr)))
    return 4;
  int rc = 0;
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
