#pragma once

#include <windows.h>

#include <unknwn.h>

namespace shadowctl::emulator::dll {

// DllGetClassObject for the COM classes real Windows serves beside vssapi.dll:
// CLSID_VSSCoordinator (IVssAdmin, IVssSnapshotMgmt) and CLSID_VssSnapshotMgmt, whose
// GetProviderMgmtInterface hands out IVssDifferentialSoftwareSnapshotMgmt. The Wine tests
// register them in the prefix as in-process servers of this DLL.
HRESULT get_class_object(REFCLSID clsid, REFIID iid, void** out);

// IVssSnapshotMgmt::GetProviderMgmtInterface, also exported as GetProviderMgmtInterface.
HRESULT provider_mgmt_interface(GUID provider, REFIID iid, IUnknown** out);

}  // namespace shadowctl::emulator::dll
