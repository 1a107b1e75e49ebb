#include "writer_metadata.h"

#include <oleauto.h>

#include "accounting.h"
#include "com_object.h"
#include "convert.h"
#include "platform/windows/unicode.h"

namespace shadowctl::emulator::dll {
namespace {

HRESULT not_served(const char* method) {
  return static_cast<HRESULT>(service().not_served(method));
}

BSTR bstr(const std::string& utf8) { return SysAllocString(platform::to_wide(utf8).c_str()); }

// One file specification; its strings are the caller's to SysFreeString.
class Filedesc final : public ComObject<Filedesc, IVssWMFiledesc> {
 public:
  explicit Filedesc(ComponentFile file) : file_(std::move(file)) {}
  HRESULT STDMETHODCALLTYPE GetPath(BSTR* out) override { return give(file_.path, out); }
  HRESULT STDMETHODCALLTYPE GetFilespec(BSTR* out) override { return give(file_.filespec, out); }
  HRESULT STDMETHODCALLTYPE GetRecursive(boolean* out) override {
    if (!out) return E_POINTER;
    *out = file_.recursive;
    return S_OK;
  }
  // No alternate location: S_FALSE and a null string, as the page allows.
  HRESULT STDMETHODCALLTYPE GetAlternateLocation(BSTR* out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    return S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE GetBackupTypeMask(DWORD* out) override {
    if (!out) return E_POINTER;
    *out = VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED;
    return S_OK;
  }

 private:
  static HRESULT give(const std::string& text, BSTR* out) {
    if (!out) return E_POINTER;
    *out = caller_freed_bstr(text);
    return S_OK;
  }
  ComponentFile file_;
};

class Component final : public ComObject<Component, IVssWMComponent> {
 public:
  explicit Component(emulator::Component component) : component_(std::move(component)) {}

  // The info block and its BSTRs are ours until FreeComponentInfo, so they are counted.
  // A database component's files are its database files; a file group's are its files.
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
    return is_database() ? E_INVALIDARG : file(index, out);
  }
  HRESULT STDMETHODCALLTYPE GetDatabaseFile(UINT index, IVssWMFiledesc** out) override {
    return is_database() ? file(index, out) : E_INVALIDARG;
  }
  HRESULT STDMETHODCALLTYPE GetDatabaseLogFile(UINT, IVssWMFiledesc** out) override {
    if (out) *out = nullptr;
    return E_INVALIDARG;  // the model's components have no log files (cLogFiles is 0)
  }
  HRESULT STDMETHODCALLTYPE GetDependency(UINT, IVssWMDependency**) override {
    return not_served("IVssWMComponent::GetDependency");
  }

 private:
  bool is_database() const { return component_.type == VSS_CT_DATABASE; }
  HRESULT file(UINT index, IVssWMFiledesc** out) {
    if (!out) return E_POINTER;
    *out = nullptr;
    if (index >= component_.files.size()) return E_INVALIDARG;
    *out = new Filedesc(component_.files[index]);
    return S_OK;
  }
  emulator::Component component_;
};

class WriterMetadata final : public ComObject<WriterMetadata, IVssExamineWriterMetadata> {
 public:
  explicit WriterMetadata(Writer writer) : writer_(std::move(writer)) {}

  HRESULT STDMETHODCALLTYPE GetIdentity(VSS_ID* instance, VSS_ID* id, BSTR* name,
                                        VSS_USAGE_TYPE* usage, VSS_SOURCE_TYPE* source) override {
    if (instance) *instance = guid_from_text(writer_.instance_id);
    if (id) *id = guid_from_text(writer_.id);
    if (name) *name = caller_freed_bstr(writer_.name);
    if (usage) *usage = VSS_UT_USERDATA;
    if (source) *source = VSS_ST_OTHER;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetFileCounts(UINT* includes, UINT* excludes, UINT* components) override {
    if (includes) *includes = 0;
    if (excludes) *excludes = 0;
    if (components) *components = static_cast<UINT>(writer_.components.size());
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetIncludeFile(UINT, IVssWMFiledesc**) override {
    return not_served("IVssExamineWriterMetadata::GetIncludeFile");
  }
  HRESULT STDMETHODCALLTYPE GetExcludeFile(UINT, IVssWMFiledesc**) override {
    return not_served("IVssExamineWriterMetadata::GetExcludeFile");
  }
  HRESULT STDMETHODCALLTYPE GetComponent(UINT index, IVssWMComponent** out) override {
    if (!out) return E_POINTER;
    if (index >= writer_.components.size()) return E_INVALIDARG;
    *out = new Component(writer_.components[index]);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetRestoreMethod(VSS_RESTOREMETHOD_ENUM*, BSTR*, BSTR*,
                                             VSS_WRITERRESTORE_ENUM*, boolean*, UINT*) override {
    return not_served("IVssExamineWriterMetadata::GetRestoreMethod");
  }
  HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT, IVssWMFiledesc**) override {
    return not_served("IVssExamineWriterMetadata::GetAlternateLocationMapping");
  }
  HRESULT STDMETHODCALLTYPE GetBackupSchema(DWORD*) override {
    return not_served("IVssExamineWriterMetadata::GetBackupSchema");
  }
  HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument**) override {
    return not_served("IVssExamineWriterMetadata::GetDocument");
  }
  HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR*) override {
    return not_served("IVssExamineWriterMetadata::SaveAsXML");
  }
  HRESULT STDMETHODCALLTYPE LoadFromXML(BSTR) override {
    return not_served("IVssExamineWriterMetadata::LoadFromXML");
  }

 private:
  Writer writer_;
};

}  // namespace

IVssExamineWriterMetadata* new_writer_metadata(const Writer& writer) {
  return new WriterMetadata(writer);
}

}  // namespace shadowctl::emulator::dll
