#include "core/error_catalogue.h"
#include "management.h"

#include <algorithm>
#include <vector>

#include <vss.h>
#include <vsadmin.h>
#include <vsmgmt.h>

#include "accounting.h"
#include "com_object.h"
#include "convert.h"
#include "list_enum.h"
#include "platform/windows/unicode.h"

namespace shadowctl::emulator::dll {
namespace {

// {e579ab5f-1cc4-44b4-bed9-de0991ff0623} and {0b5a2c52-3eb9-470a-96e2-6c6d4570e40f}, as in
// vsadmin.h and vsmgmt.h (spelled out: DEFINE_GUID there declares without defining).
constexpr GUID kVssCoordinator = {0xe579ab5f, 0x1cc4, 0x44b4, {0xbe, 0xd9, 0xde, 0x09, 0x91, 0xff, 0x06, 0x23}};
constexpr GUID kVssSnapshotMgmt = {0x0b5a2c52, 0x3eb9, 0x470a, {0x96, 0xe2, 0x6c, 0x6d, 0x45, 0x70, 0xe4, 0x0f}};

HRESULT to_hresult(core::HResult hr) { return static_cast<HRESULT>(hr); }

using MgmtEnum = ListEnum<IVssEnumMgmtObject, VSS_MGMT_OBJECT_PROP>;

MgmtEnum* volume_enum(const std::vector<Volume>& volumes) {
  std::vector<MgmtEnum::Entry> entries;
  for (const auto& v : volumes)
    entries.push_back([v](VSS_MGMT_OBJECT_PROP* out) {
      out->Type = VSS_MGMT_OBJECT_VOLUME;
      out->Obj.Vol.m_pwszVolumeName = caller_freed_string(v.name);
      out->Obj.Vol.m_pwszVolumeDisplayName =
          caller_freed_string(v.mount_points.empty() ? v.name : v.mount_points.front());
    });
  return new MgmtEnum(std::move(entries));
}

MgmtEnum* storage_enum(const std::vector<Storage>& storage) {
  std::vector<MgmtEnum::Entry> entries;
  for (const auto& s : storage)
    entries.push_back([s](VSS_MGMT_OBJECT_PROP* out) {
      out->Type = VSS_MGMT_OBJECT_DIFF_AREA;
      VSS_DIFF_AREA_PROP& p = out->Obj.DiffArea;
      p.m_pwszVolumeName = caller_freed_string(s.for_volume);
      p.m_pwszDiffAreaVolumeName = caller_freed_string(s.on_volume);
      p.m_llMaximumDiffSpace = static_cast<LONGLONG>(s.maximum);
      p.m_llAllocatedDiffSpace = static_cast<LONGLONG>(s.allocated);
      p.m_llUsedDiffSpace = static_cast<LONGLONG>(s.used);
    });
  return new MgmtEnum(std::move(entries));
}

class DiffAreaMgmt final
    : public ComObject<DiffAreaMgmt, IVssDifferentialSoftwareSnapshotMgmt> {
 public:
  HRESULT STDMETHODCALLTYPE AddDiffArea(VSS_PWSZ volume, VSS_PWSZ on, LONGLONG maximum) override {
    if (!volume || !on) return E_INVALIDARG;
    return to_hresult(service().add_diff_area(platform::to_utf8(volume), platform::to_utf8(on), maximum));
  }
  HRESULT STDMETHODCALLTYPE ChangeDiffAreaMaximumSize(VSS_PWSZ volume, VSS_PWSZ on,
                                                     LONGLONG maximum) override {
    if (!volume || !on) return E_INVALIDARG;
    return to_hresult(service().change_diff_area_maximum(platform::to_utf8(volume),
                                                         platform::to_utf8(on), maximum));
  }
  HRESULT STDMETHODCALLTYPE QueryVolumesSupportedForDiffAreas(VSS_PWSZ, IVssEnumMgmtObject** out) override {
    if (!out) return E_INVALIDARG;
    std::vector<Volume> volumes;
    const auto hr = service().query_volumes_supported(
        service().store().read().providers.front().id, &volumes);
    if (core::succeeded(hr)) *out = volume_enum(volumes);
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE QueryDiffAreasForVolume(VSS_PWSZ volume, IVssEnumMgmtObject** out) override {
    return diff_areas(volume, true, out);
  }
  HRESULT STDMETHODCALLTYPE QueryDiffAreasOnVolume(VSS_PWSZ volume, IVssEnumMgmtObject** out) override {
    return diff_areas(volume, false, out);
  }
  HRESULT STDMETHODCALLTYPE QueryDiffAreasForSnapshot(VSS_ID, IVssEnumMgmtObject**) override {
    return to_hresult(service().not_served("IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForSnapshot"));
  }

 private:
  static HRESULT diff_areas(VSS_PWSZ volume, bool for_volume, IVssEnumMgmtObject** out) {
    if (!volume || !out) return E_INVALIDARG;
    std::vector<Storage> storage;
    const auto hr = service().query_diff_areas(platform::to_utf8(volume), for_volume, &storage);
    if (core::succeeded(hr)) *out = storage_enum(storage);
    return to_hresult(hr);
  }
};

// CLSID_VSSCoordinator: IVssAdmin and IVssSnapshotMgmt on one object.
class Coordinator final : public ComObject<Coordinator, IVssAdmin, IVssSnapshotMgmt> {
 public:
  // IVssAdmin
  HRESULT STDMETHODCALLTYPE RegisterProvider(VSS_ID, CLSID, VSS_PWSZ, VSS_PROVIDER_TYPE, VSS_PWSZ,
                                             VSS_ID) override {
    return to_hresult(service().not_served("IVssAdmin::RegisterProvider"));
  }
  HRESULT STDMETHODCALLTYPE UnregisterProvider(VSS_ID) override {
    return to_hresult(service().not_served("IVssAdmin::UnregisterProvider"));
  }
  HRESULT STDMETHODCALLTYPE QueryProviders(IVssEnumObject** out) override {
    if (!out) return E_INVALIDARG;
    std::vector<Provider> providers;
    const auto hr = service().query_providers(&providers);
    if (core::succeeded(hr)) *out = provider_enum(providers);
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE AbortAllSnapshotsInProgress() override {
    return to_hresult(service().not_served("IVssAdmin::AbortAllSnapshotsInProgress"));
  }

  // IVssSnapshotMgmt
  HRESULT STDMETHODCALLTYPE GetProviderMgmtInterface(VSS_ID provider, REFIID iid,
                                                     IUnknown** out) override {
    return provider_mgmt_interface(provider, iid, out);
  }
  HRESULT STDMETHODCALLTYPE QueryVolumesSupportedForSnapshots(VSS_ID provider, LONG,
                                                              IVssEnumMgmtObject** out) override {
    if (!out) return E_INVALIDARG;
    std::vector<Volume> volumes;
    const auto hr = service().query_volumes_supported(guid_text(provider), &volumes);
    if (core::succeeded(hr)) *out = volume_enum(volumes);
    return to_hresult(hr);
  }
  HRESULT STDMETHODCALLTYPE QuerySnapshotsByVolume(VSS_PWSZ volume, VSS_ID,
                                                   IVssEnumObject** out) override {
    if (!volume || !out) return E_INVALIDARG;
    std::vector<Shadow> shadows;
    const auto hr = service().query_snapshots_by_volume(platform::to_utf8(volume), &shadows);
    if (core::succeeded(hr)) *out = shadow_enum(shadows);
    return to_hresult(hr);
  }
};

class CoordinatorFactory final : public ComObject<CoordinatorFactory, IClassFactory> {
 public:
  HRESULT STDMETHODCALLTYPE CreateInstance(IUnknown* outer, REFIID iid, void** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    if (outer) return CLASS_E_NOAGGREGATION;
    auto* coordinator = new Coordinator();
    const HRESULT hr = coordinator->QueryInterface(iid, out);
    coordinator->Release();
    return hr;
  }
  HRESULT STDMETHODCALLTYPE LockServer(BOOL) override { return S_OK; }
};

}  // namespace

// One registered provider's management interface: IVssDifferentialSoftwareSnapshotMgmt for
// the software provider; an unknown provider is VSS_E_PROVIDER_NOT_REGISTERED.
// https://learn.microsoft.com/windows/win32/api/vsmgmt/nf-vsmgmt-ivsssnapshotmgmt-getprovidermgmtinterface
HRESULT provider_mgmt_interface(VSS_ID provider, REFIID iid, IUnknown** out) {
  if (!out) return E_INVALIDARG;
  *out = nullptr;
  std::vector<Provider> providers;
  service().query_providers(&providers);
  const std::string id = guid_text(provider);
  if (std::none_of(providers.begin(), providers.end(),
                   [&](const Provider& p) { return p.id == id; }))
    return static_cast<HRESULT>(core::hr::vss_e_provider_not_registered);
  if (iid != __uuidof(IVssDifferentialSoftwareSnapshotMgmt)) return E_NOINTERFACE;
  *out = new DiffAreaMgmt();
  return S_OK;
}

HRESULT get_class_object(REFCLSID clsid, REFIID iid, void** out) {
  if (!out) return E_POINTER;
  *out = nullptr;
  if (clsid != kVssCoordinator && clsid != kVssSnapshotMgmt) return CLASS_E_CLASSNOTAVAILABLE;
  auto* factory = new CoordinatorFactory();
  const HRESULT hr = factory->QueryInterface(iid, out);
  factory->Release();
  return hr;
}

}  // namespace shadowctl::emulator::dll
