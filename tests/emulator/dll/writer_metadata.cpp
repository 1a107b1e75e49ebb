// The writer side a requester reads: IVssExamineWriterMetadata (to Ex2) for each writer
// GatherWriterMetadata found, its components (IVssWMComponent), their files (IVssWMFiledesc)
// and dependencies (IVssWMDependency); and the Backup Components Document by writer
// (IVssWriterComponentsExt, IVssComponent).
#include "writer_metadata.h"

#include <oleauto.h>

#include <optional>
#include <string_view>

#include "accounting.h"
#include "com_object.h"
#include "convert.h"
#include "core/error_catalogue.h"
#include "platform/windows/unicode.h"

namespace shadowctl::emulator::dll {
namespace {

HRESULT not_served(const char* method) {
  return static_cast<HRESULT>(service().not_served(method));
}

BSTR bstr(const std::string& utf8) { return SysAllocString(wide_name(utf8).c_str()); }

// Hands out a caller-freed BSTR; an empty value is "no value": S_FALSE and NULL, as the
// IVssComponent getters document.
HRESULT give(const std::string& text, BSTR* out, bool empty_is_false = false) {
  if (!out) return E_POINTER;
  if (empty_is_false && text.empty()) {
    *out = nullptr;
    return S_FALSE;
  }
  *out = caller_freed_bstr(text);
  return S_OK;
}

// One file specification; its strings are the caller's to SysFreeString.
class Filedesc final : public ComObject<Filedesc, IVssWMFiledesc> {
 public:
  explicit Filedesc(ComponentFile file, std::string alternate = {})
      : file_(std::move(file)), alternate_(std::move(alternate)) {}
  HRESULT STDMETHODCALLTYPE GetPath(BSTR* out) override { return give(file_.path, out); }
  HRESULT STDMETHODCALLTYPE GetFilespec(BSTR* out) override { return give(file_.filespec, out); }
  HRESULT STDMETHODCALLTYPE GetRecursive(boolean* out) override {
    if (!out) return E_POINTER;
    *out = file_.recursive;
    return S_OK;
  }
  // An alternate location mapping's destination; a file without one: S_FALSE and NULL.
  HRESULT STDMETHODCALLTYPE GetAlternateLocation(BSTR* out) override {
    return give(alternate_, out, true);
  }
  HRESULT STDMETHODCALLTYPE GetBackupTypeMask(DWORD* out) override {
    if (!out) return E_POINTER;
    *out = VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED;
    return S_OK;
  }

 private:
  ComponentFile file_;
  std::string alternate_;
};

// https://learn.microsoft.com/windows/win32/api/vswriter/nl-vswriter-ivsswmdependency
class WMDependency final : public ComObject<WMDependency, IVssWMDependency> {
 public:
  explicit WMDependency(Dependency d) : d_(std::move(d)) {}
  HRESULT STDMETHODCALLTYPE GetWriterId(VSS_ID* out) override {
    if (!out) return E_POINTER;
    *out = guid_from_text(d_.writer_id);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR* out) override {
    return give(d_.logical_path, out);
  }
  HRESULT STDMETHODCALLTYPE GetComponentName(BSTR* out) override {
    return give(d_.component_name, out);
  }

 private:
  Dependency d_;
};

// An index past a list's end is E_INVALIDARG, as each getter's page documents.
template <typename T, typename Make>
HRESULT element(const std::vector<T>& list, UINT index, Make make) {
  if (index >= list.size()) return E_INVALIDARG;
  make(list[index]);
  return S_OK;
}

class Component final : public ComObject<Component, IVssWMComponent> {
 public:
  explicit Component(emulator::Component component) : component_(std::move(component)) {}

  // The info block and its BSTRs are ours until FreeComponentInfo, so they are counted.
  // A database component's files are its database files and log files; a file group's are
  // its files.
  HRESULT STDMETHODCALLTYPE GetComponentInfo(PVSSCOMPONENTINFO* out) override {
    if (!out) return E_POINTER;
    auto* info = new VSS_COMPONENTINFO{};
    info->type = static_cast<VSS_COMPONENT_TYPE>(component_.type);
    info->bstrLogicalPath =
        component_.logical_path.empty() ? nullptr : bstr(component_.logical_path);
    info->bstrComponentName = bstr(component_.name);
    info->bstrCaption = bstr(component_.name);
    info->bSelectable = component_.selectable;
    info->bSelectableForRestore = true;
    const auto files = static_cast<UINT>(component_.files.size());
    (is_database() ? info->cDatabases : info->cFileCount) = files;
    info->cLogFiles = is_database() ? static_cast<UINT>(component_.log_files.size()) : 0;
    info->cDependencies = static_cast<UINT>(component_.dependencies.size());
    track(info);
    *out = info;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE FreeComponentInfo(PVSSCOMPONENTINFO info) override {
    if (!info) return S_OK;
    if (!untrack(info)) return E_INVALIDARG;
    SysFreeString(info->bstrLogicalPath);
    SysFreeString(info->bstrComponentName);
    SysFreeString(info->bstrCaption);
    delete info;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetFile(UINT index, IVssWMFiledesc** out) override {
    return is_database() ? refuse(out) : file(component_.files, index, out);
  }
  HRESULT STDMETHODCALLTYPE GetDatabaseFile(UINT index, IVssWMFiledesc** out) override {
    return is_database() ? file(component_.files, index, out) : refuse(out);
  }
  HRESULT STDMETHODCALLTYPE GetDatabaseLogFile(UINT index, IVssWMFiledesc** out) override {
    return is_database() ? file(component_.log_files, index, out) : refuse(out);
  }
  HRESULT STDMETHODCALLTYPE GetDependency(UINT index, IVssWMDependency** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    return element(component_.dependencies, index,
                   [&](const Dependency& d) { *out = new WMDependency(d); });
  }

 private:
  bool is_database() const { return component_.type == VSS_CT_DATABASE; }
  static HRESULT refuse(IVssWMFiledesc** out) {
    if (out) *out = nullptr;
    return E_INVALIDARG;
  }
  static HRESULT file(const std::vector<ComponentFile>& files, UINT index, IVssWMFiledesc** out) {
    if (!out) return E_POINTER;
    *out = nullptr;
    return element(files, index, [&](const ComponentFile& f) { *out = new Filedesc(f); });
  }
  emulator::Component component_;
};

// The emulator's writer metadata document: an abridged Writer Metadata Document whose body
// carries the writer as JSON, so that CreateVssExamineWriterMetadata and LoadFromXML give
// back exactly what SaveAsXML saved.
constexpr std::string_view kDocumentHead =
    "<WRITER_METADATA xmlns=\"x-schema:#VssWriterMetadataInfo\"><![CDATA[";
constexpr std::string_view kDocumentTail = "]]></WRITER_METADATA>";

std::optional<Writer> writer_from_document(const std::string& xml) {
  if (xml.size() < kDocumentHead.size() + kDocumentTail.size() || !xml.starts_with(kDocumentHead) ||
      !xml.ends_with(kDocumentTail))
    return std::nullopt;
  try {
    return writer_from_json_text(
        xml.substr(kDocumentHead.size(), xml.size() - kDocumentHead.size() - kDocumentTail.size()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// https://learn.microsoft.com/windows/win32/api/vsbackup/nl-vsbackup-ivssexaminewritermetadata
class WriterMetadata final : public ComObject<WriterMetadata, IVssExamineWriterMetadataEx2> {
 public:
  explicit WriterMetadata(Writer writer) : writer_(std::move(writer)) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (out && (riid == __uuidof(IVssExamineWriterMetadata) ||
                riid == __uuidof(IVssExamineWriterMetadataEx) ||
                riid == __uuidof(IVssExamineWriterMetadataEx2))) {
      *out = static_cast<IVssExamineWriterMetadataEx2*>(this);
      AddRef();
      return S_OK;
    }
    return ComObject::QueryInterface(riid, out);
  }

  HRESULT STDMETHODCALLTYPE GetIdentity(VSS_ID* instance, VSS_ID* id, BSTR* name,
                                        VSS_USAGE_TYPE* usage, VSS_SOURCE_TYPE* source) override {
    return GetIdentityEx(instance, id, name, nullptr, usage, source);
  }
  // Include files are "not supported" (GetFileCounts' page): always 0.
  HRESULT STDMETHODCALLTYPE GetFileCounts(UINT* includes, UINT* excludes, UINT* components) override {
    if (includes) *includes = 0;
    if (excludes) *excludes = static_cast<UINT>(writer_.excluded.size());
    if (components) *components = static_cast<UINT>(writer_.components.size());
    return S_OK;
  }
  // "Not supported" and "reserved for system use" on Microsoft's pages: E_NOTIMPL.
  HRESULT STDMETHODCALLTYPE GetIncludeFile(UINT, IVssWMFiledesc**) override {
    return not_served("IVssExamineWriterMetadata::GetIncludeFile");
  }
  HRESULT STDMETHODCALLTYPE GetExcludeFile(UINT index, IVssWMFiledesc** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    return element(writer_.excluded, index,
                   [&](const ComponentFile& f) { *out = new Filedesc(f); });
  }
  HRESULT STDMETHODCALLTYPE GetComponent(UINT index, IVssWMComponent** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    return element(writer_.components, index,
                   [&](const emulator::Component& c) { *out = new Component(c); });
  }
  // S_FALSE when the writer declares no restore method; the service name only for the
  // stop-and-start methods, else NULL.
  // https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssexaminewritermetadata-getrestoremethod
  HRESULT STDMETHODCALLTYPE GetRestoreMethod(VSS_RESTOREMETHOD_ENUM* method, BSTR* service_name,
                                             BSTR* user_procedure, VSS_WRITERRESTORE_ENUM* restore,
                                             boolean* reboot, UINT* mappings) override {
    if (!method || !service_name || !user_procedure || !restore || !reboot || !mappings)
      return E_INVALIDARG;
    const RestoreMethod& r = writer_.restore;
    *method = static_cast<VSS_RESTOREMETHOD_ENUM>(r.method);
    const bool has_service =
        r.method == VSS_RME_STOP_RESTORE_START || r.method == VSS_RME_RESTORE_STOP_START;
    *service_name = has_service ? caller_freed_bstr(r.service) : nullptr;
    *user_procedure = r.user_procedure.empty() ? nullptr : caller_freed_bstr(r.user_procedure);
    *restore = static_cast<VSS_WRITERRESTORE_ENUM>(r.writer_restore);
    *reboot = r.reboot_required;
    *mappings = static_cast<UINT>(writer_.alternate_locations.size());
    return r.method == VSS_RME_UNDEFINED ? S_FALSE : S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT index, IVssWMFiledesc** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    return element(writer_.alternate_locations, index, [&](const AlternateMapping& a) {
      *out = new Filedesc({a.path, a.filespec, a.recursive}, a.destination);
    });
  }
  HRESULT STDMETHODCALLTYPE GetBackupSchema(DWORD* schema) override {
    if (!schema) return E_INVALIDARG;
    *schema = writer_.backup_schema;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument**) override {
    return not_served("IVssExamineWriterMetadata::GetDocument");
  }
  HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR* xml) override {
    if (!xml) return E_INVALIDARG;
    *xml = caller_freed_bstr(std::string(kDocumentHead) + writer_to_json_text(writer_) +
                             std::string(kDocumentTail));
    return S_OK;
  }
  // A document this emulator did not save is VSS_E_INVALID_XML_DOCUMENT.
  HRESULT STDMETHODCALLTYPE LoadFromXML(BSTR xml) override {
    if (!xml) return E_INVALIDARG;
    auto loaded = writer_from_document(platform::to_utf8(xml));
    if (!loaded) return static_cast<HRESULT>(core::hr::vss_e_invalid_xml_document);
    writer_ = std::move(*loaded);
    return S_OK;
  }
  // IVssExamineWriterMetadataEx: the writer instance's name, NULL when it has none.
  HRESULT STDMETHODCALLTYPE GetIdentityEx(VSS_ID* instance, VSS_ID* id, BSTR* name,
                                          BSTR* instance_name, VSS_USAGE_TYPE* usage,
                                          VSS_SOURCE_TYPE* source) override {
    if (instance) *instance = guid_from_text(writer_.instance_id);
    if (id) *id = guid_from_text(writer_.id);
    if (name) *name = caller_freed_bstr(writer_.name);
    if (instance_name)
      *instance_name =
          writer_.instance_name.empty() ? nullptr : caller_freed_bstr(writer_.instance_name);
    if (usage) *usage = static_cast<VSS_USAGE_TYPE>(writer_.usage);
    if (source) *source = static_cast<VSS_SOURCE_TYPE>(writer_.source);
    return S_OK;
  }
  // IVssExamineWriterMetadataEx2.
  HRESULT STDMETHODCALLTYPE GetVersion(DWORD* major, DWORD* minor) override {
    if (!major || !minor) return E_INVALIDARG;
    *major = 1;
    *minor = 0;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetExcludeFromSnapshotCount(UINT* count) override {
    if (!count) return E_INVALIDARG;
    *count = static_cast<UINT>(writer_.excluded_from_snapshot.size());
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetExcludeFromSnapshotFile(UINT index, IVssWMFiledesc** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    return element(writer_.excluded_from_snapshot, index,
                   [&](const ComponentFile& f) { *out = new Filedesc(f); });
  }

 private:
  Writer writer_;
};

// One component in the Backup Components Document, as a requester reads it back.
// https://learn.microsoft.com/windows/win32/api/vswriter/nl-vswriter-ivsscomponent
class DocumentComponent final : public ComObject<DocumentComponent, IVssComponent> {
 public:
  explicit DocumentComponent(AddedComponent c) : c_(std::move(c)) {}
  HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR* out) override {
    return give(c_.logical_path, out, true);
  }
  HRESULT STDMETHODCALLTYPE GetComponentType(VSS_COMPONENT_TYPE* out) override {
    if (!out) return E_INVALIDARG;
    *out = static_cast<VSS_COMPONENT_TYPE>(c_.type);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetComponentName(BSTR* out) override { return give(c_.name, out); }
  HRESULT STDMETHODCALLTYPE GetBackupSucceeded(boolean* out) override {
    if (!out) return E_INVALIDARG;
    *out = c_.reported && c_.succeeded;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetBackupOptions(BSTR* out) override {
    return give(c_.backup_options, out, true);
  }
  // The emulator's writers store no private metadata, stamps, partial or differenced files,
  // and the object is a backup's: each list is empty, each string "no value" (S_FALSE).
  HRESULT STDMETHODCALLTYPE GetAlternateLocationMappingCount(UINT* out) override {
    return zero(out);
  }
  HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT, IVssWMFiledesc** out) override {
    return none(out);
  }
  HRESULT STDMETHODCALLTYPE GetBackupMetadata(BSTR* out) override { return give({}, out, true); }
  HRESULT STDMETHODCALLTYPE GetPartialFileCount(UINT* out) override { return zero(out); }
  HRESULT STDMETHODCALLTYPE GetPartialFile(UINT, BSTR*, BSTR*, BSTR*, BSTR*) override {
    return E_INVALIDARG;
  }
  HRESULT STDMETHODCALLTYPE IsSelectedForRestore(boolean* out) override { return flag(out); }
  HRESULT STDMETHODCALLTYPE GetAdditionalRestores(boolean* out) override { return flag(out); }
  HRESULT STDMETHODCALLTYPE GetNewTargetCount(UINT* out) override { return zero(out); }
  HRESULT STDMETHODCALLTYPE GetNewTarget(UINT, IVssWMFiledesc** out) override { return none(out); }
  HRESULT STDMETHODCALLTYPE GetDirectedTargetCount(UINT* out) override { return zero(out); }
  HRESULT STDMETHODCALLTYPE GetDirectedTarget(UINT, BSTR*, BSTR*, BSTR*, BSTR*, BSTR*,
                                              BSTR*) override {
    return E_INVALIDARG;
  }
  HRESULT STDMETHODCALLTYPE GetRestoreMetadata(BSTR* out) override { return give({}, out, true); }
  HRESULT STDMETHODCALLTYPE GetRestoreTarget(VSS_RESTORE_TARGET* out) override {
    if (!out) return E_INVALIDARG;
    *out = VSS_RT_ORIGINAL;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetPreRestoreFailureMsg(BSTR* out) override {
    return give({}, out, true);
  }
  HRESULT STDMETHODCALLTYPE GetPostRestoreFailureMsg(BSTR* out) override {
    return give({}, out, true);
  }
  HRESULT STDMETHODCALLTYPE GetBackupStamp(BSTR* out) override { return give({}, out, true); }
  HRESULT STDMETHODCALLTYPE GetPreviousBackupStamp(BSTR* out) override {
    return give({}, out, true);
  }
  HRESULT STDMETHODCALLTYPE GetRestoreOptions(BSTR* out) override { return give({}, out, true); }
  HRESULT STDMETHODCALLTYPE GetRestoreSubcomponentCount(UINT* out) override { return zero(out); }
  HRESULT STDMETHODCALLTYPE GetRestoreSubcomponent(UINT, BSTR*, BSTR*, boolean*) override {
    return E_INVALIDARG;
  }
  HRESULT STDMETHODCALLTYPE GetFileRestoreStatus(VSS_FILE_RESTORE_STATUS* out) override {
    if (!out) return E_INVALIDARG;
    *out = VSS_RS_UNDEFINED;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetDifferencedFilesCount(UINT* out) override { return zero(out); }
  HRESULT STDMETHODCALLTYPE GetDifferencedFile(UINT, BSTR*, BSTR*, WINBOOL*, BSTR*,
                                               FILETIME*) override {
    return E_INVALIDARG;
  }
  // Only a writer may change a component ("Only a writer can call this method" on each
  // setter's page): a requester calling one gets VSS_E_BAD_STATE, journalled.
  HRESULT STDMETHODCALLTYPE SetBackupMetadata(LPCWSTR) override {
    return writer_only("SetBackupMetadata");
  }
  HRESULT STDMETHODCALLTYPE AddPartialFile(LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR) override {
    return writer_only("AddPartialFile");
  }
  HRESULT STDMETHODCALLTYPE AddDirectedTarget(LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR,
                                              LPCWSTR) override {
    return writer_only("AddDirectedTarget");
  }
  HRESULT STDMETHODCALLTYPE SetRestoreMetadata(LPCWSTR) override {
    return writer_only("SetRestoreMetadata");
  }
  HRESULT STDMETHODCALLTYPE SetRestoreTarget(VSS_RESTORE_TARGET) override {
    return writer_only("SetRestoreTarget");
  }
  HRESULT STDMETHODCALLTYPE SetPreRestoreFailureMsg(LPCWSTR) override {
    return writer_only("SetPreRestoreFailureMsg");
  }
  HRESULT STDMETHODCALLTYPE SetPostRestoreFailureMsg(LPCWSTR) override {
    return writer_only("SetPostRestoreFailureMsg");
  }
  HRESULT STDMETHODCALLTYPE SetBackupStamp(LPCWSTR) override {
    return writer_only("SetBackupStamp");
  }
  HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyTime(LPCWSTR, LPCWSTR, WINBOOL,
                                                                FILETIME) override {
    return writer_only("AddDifferencedFilesByLastModifyTime");
  }
  HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyLSN(LPCWSTR, LPCWSTR, WINBOOL,
                                                               BSTR) override {
    return writer_only("AddDifferencedFilesByLastModifyLSN");
  }

 private:
  static HRESULT zero(UINT* out) {
    if (!out) return E_INVALIDARG;
    *out = 0;
    return S_OK;
  }
  static HRESULT flag(boolean* out) {
    if (!out) return E_INVALIDARG;
    *out = false;
    return S_OK;
  }
  static HRESULT none(IVssWMFiledesc** out) {
    if (out) *out = nullptr;
    return E_INVALIDARG;
  }
  static HRESULT writer_only(const char* method) {
    return static_cast<HRESULT>(service().call(std::string("IVssComponent::") + method,
                                               "a requester may not change a component",
                                               [] { return core::hr::vss_e_bad_state; }));
  }
  AddedComponent c_;
};

// IVssWriterComponentsExt as the Windows SDK declares it: IVssWriterComponents and IUnknown,
// two vtables in that order (MinGW's header leaves out the IUnknown base).
// https://learn.microsoft.com/windows/win32/api/vsbackup/nl-vsbackup-ivsswritercomponentsext
class WriterComponentsObject final : public IVssWriterComponents, public IUnknown {
 public:
  explicit WriterComponentsObject(emulator::WriterComponents w) : w_(std::move(w)) {
    reference_added();
  }
  HRESULT STDMETHODCALLTYPE GetComponentCount(UINT* out) override {
    if (!out) return E_INVALIDARG;
    *out = static_cast<UINT>(w_.components.size());
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetWriterInfo(VSS_ID* instance, VSS_ID* writer) override {
    if (!instance || !writer) return E_INVALIDARG;
    *instance = guid_from_text(w_.instance_id);
    *writer = guid_from_text(w_.writer_id);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetComponent(UINT index, IVssComponent** out) override {
    if (!out) return E_INVALIDARG;
    *out = nullptr;
    return element(w_.components, index,
                   [&](const AddedComponent& c) { *out = new DocumentComponent(c); });
  }
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    if (riid != __uuidof(IUnknown)) return E_NOINTERFACE;
    *out = static_cast<IUnknown*>(this);
    AddRef();
    return S_OK;
  }
  ULONG STDMETHODCALLTYPE AddRef() override {
    reference_added();
    return static_cast<ULONG>(++references_);
  }
  ULONG STDMETHODCALLTYPE Release() override {
    reference_released();
    const long left = --references_;
    if (left == 0) delete this;
    return static_cast<ULONG>(left);
  }

 private:
  emulator::WriterComponents w_;
  std::atomic<long> references_{1};
};

}  // namespace

IVssExamineWriterMetadataEx2* new_writer_metadata(const Writer& writer) {
  return new WriterMetadata(writer);
}

HRESULT examine_writer_metadata(const wchar_t* xml, IVssExamineWriterMetadata** out) {
  if (!xml || !out) return E_INVALIDARG;
  *out = nullptr;
  auto writer = writer_from_document(platform::to_utf8(xml));
  if (!writer) return static_cast<HRESULT>(core::hr::vss_e_invalid_xml_document);
  *out = new WriterMetadata(std::move(*writer));
  return S_OK;
}

IVssWriterComponents* new_writer_components(const emulator::WriterComponents& components) {
  return new WriterComponentsObject(components);
}

}  // namespace shadowctl::emulator::dll
