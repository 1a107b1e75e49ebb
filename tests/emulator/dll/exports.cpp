// vssapi.dll's exports, as the SDK's inline wrappers call them.
#include "accounting.h"
#include "backup_components.h"
#include "management.h"

namespace dll = shadowctl::emulator::dll;

extern "C" HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents** out) {
  return dll::create_backup_components(out);
}

extern "C" void APIENTRY VssFreeSnapshotPropertiesInternal(VSS_SNAPSHOT_PROP* prop) {
  if (!prop) return;
  for (VSS_PWSZ* s : {&prop->m_pwszSnapshotDeviceObject, &prop->m_pwszOriginalVolumeName,
                      &prop->m_pwszOriginatingMachine, &prop->m_pwszServiceMachine,
                      &prop->m_pwszExposedName, &prop->m_pwszExposedPath}) {
    dll::free_tracked(*s);
    *s = nullptr;
  }
}

extern "C" HRESULT APIENTRY IsVolumeSnapshottedInternal(VSS_PWSZ volume, WINBOOL* present,
                                                        LONG* capability) {
  return dll::is_volume_snapshotted(volume, present, capability);
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
