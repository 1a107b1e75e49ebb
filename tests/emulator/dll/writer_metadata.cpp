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

class Component final : public ComObject<Component, IVssWMComponent> {
 public:
  explicit Component(std::string name) : name_(std::move(name)) {}

  // The info block and its BSTRs are ours until FreeComponentInfo, so they are counted.
  HRESULT STDMETHODCALLTYPE GetComponentInfo(PVSSCOMPONENTINFO* out) override {
    if (!out) return E_POINTER;
    auto* info = new VSS_COMPONENTINFO{};
    info->type = VSS_CT_FILEGROUP;
    info->bstrLogicalPath = nullptr;
    info->bstrComponentName = bstr(name_);
    info->bstrCaption = bstr(name_);
    info->bSelectable = true;
    info->bSelectableForRestore = true;
    track(info);
    *out = info;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE FreeComponentInfo(PVSSCOMPONENTINFO info) override {
    if (!info) return S_OK;
    if (!untrack(info)) return E_INVALIDARG;
    SysFreeString(info->bstrComponentName);
    SysFreeString(info->bstrCaption);
    delete info;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetFile(UINT, IVssWMFiledesc**) override {
    return not_served("IVssWMComponent::GetFile");
  }
  HRESULT STDMETHODCALLTYPE GetDatabaseFile(UINT, IVssWMFiledesc**) override {
    return not_served("IVssWMComponent::GetDatabaseFile");
  }
  HRESULT STDMETHODCALLTYPE GetDatabaseLogFile(UINT, IVssWMFiledesc**) override {
    return not_served("IVssWMComponent::GetDatabaseLogFile");
  }
  HRESULT STDMETHODCALLTYPE GetDependency(UINT, IVssWMDependency**) override {
    return not_served("IVssWMComponent::GetDependency");
  }

 private:
  std::string name_;
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
