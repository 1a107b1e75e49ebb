// vssapi.dll's exports: every name MinGW's libvssapi.a imports, so that any program linked
// against it starts under Wine with the emulator. vssapi.def maps the C++-decorated names
// (what MSVC-built programs import, or find with GetProcAddress) to these functions.
#include <vsbackup.h>
#include <vss.h>
#include <vswriter.h>

#include "accounting.h"
#include "backup_components.h"
#include "core/error_catalogue.h"
#include "management.h"
#include "platform/windows/unicode.h"
#include "writer_metadata.h"

namespace dll = shadowctl::emulator::dll;

namespace {
HRESULT to_hresult(shadowctl::core::HResult hr) { return static_cast<HRESULT>(hr); }
}  // namespace

// Also ?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z.
extern "C" HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents** out) {
  return dll::create_backup_components(out);
}

// Also VssFreeSnapshotProperties.
extern "C" void APIENTRY VssFreeSnapshotPropertiesInternal(VSS_SNAPSHOT_PROP* prop) {
  if (!prop) return;
  for (VSS_PWSZ* s : {&prop->m_pwszSnapshotDeviceObject, &prop->m_pwszOriginalVolumeName,
                      &prop->m_pwszOriginatingMachine, &prop->m_pwszServiceMachine,
                      &prop->m_pwszExposedName, &prop->m_pwszExposedPath}) {
    dll::free_tracked(*s);
    *s = nullptr;
  }
}

// Also IsVolumeSnapshotted.
extern "C" HRESULT APIENTRY IsVolumeSnapshottedInternal(VSS_PWSZ volume, WINBOOL* present,
                                                        LONG* capability) {
  return dll::is_volume_snapshotted(volume, present, capability);
}

// Also ShouldBlockRevert.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-shouldblockrevert
extern "C" HRESULT APIENTRY ShouldBlockRevertInternal(LPCWSTR volume, boolean* block) {
  bool answer = false;
  const auto hr = dll::service().should_block_revert(
      volume ? shadowctl::platform::to_utf8(volume) : std::string(), block ? &answer : nullptr);
  if (SUCCEEDED(to_hresult(hr))) *block = answer;
  return to_hresult(hr);
}

// Also GetProviderMgmtInterface: IVssSnapshotMgmt::GetProviderMgmtInterface as a function.
extern "C" HRESULT APIENTRY GetProviderMgmtInterfaceInternal(VSS_ID provider, IID iid,
                                                             IUnknown** out) {
  return dll::provider_mgmt_interface(provider, iid, out);
}

// Also ?CreateVssExamineWriterMetadata@@YAJPEAGPEAPEAVIVssExamineWriterMetadata@@@Z: a writer
// metadata document saved by IVssExamineWriterMetadata::SaveAsXML, read back.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-createvssexaminewritermetadata
extern "C" HRESULT STDAPICALLTYPE
CreateVssExamineWriterMetadataInternal(BSTR xml, IVssExamineWriterMetadata** out) {
  return dll::examine_writer_metadata(xml, out);
}

// Transportable shadow copies (the snapshot set description of a hardware provider) are not
// modelled: E_NOTIMPL, journalled, as every slot the emulator does not serve.
extern "C" HRESULT APIENTRY emulator_snapshot_set_description(...) {
  return to_hresult(
      dll::service().not_served("CreateVssSnapshotSetDescription/LoadVssSnapshotSetDescription"));
}

extern "C" HRESULT STDAPICALLTYPE DllGetClassObject(REFCLSID clsid, REFIID iid, void** out) {
  return dll::get_class_object(clsid, iid, out);
}

// The objects count their references for the report; unloading early would lose it.
extern "C" HRESULT STDAPICALLTYPE DllCanUnloadNow() { return S_FALSE; }

extern "C" BOOL WINAPI DllMain(HINSTANCE, DWORD reason, LPVOID) {
  if (reason == DLL_PROCESS_DETACH) dll::write_report();
  return TRUE;
}
