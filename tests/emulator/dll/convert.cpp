#include "convert.h"

#include "accounting.h"
#include "list_enum.h"
#include "platform/windows/com.h"
#include "platform/windows/unicode.h"

namespace shadowctl::emulator::dll {

std::wstring wide_name(std::string_view utf8) {
  const std::wstring wide = platform::to_wide(utf8);
  const std::u16string back = lone_surrogates_back(
      std::u16string(reinterpret_cast<const char16_t*>(wide.data()), wide.size()));
  return std::wstring(reinterpret_cast<const wchar_t*>(back.data()), back.size());
}

std::string guid_text(const GUID& id) { return platform::guid_text(id); }

GUID guid_from_text(const std::string& text) {
  GUID id = GUID_NULL;
  return platform::guid_from_text(text, id) ? id : GUID_NULL;
}

void fill_snapshot_prop(const Shadow& s, VSS_SNAPSHOT_PROP* p) {
  p->m_SnapshotId = guid_from_text(s.id);
  p->m_SnapshotSetId = guid_from_text(s.set_id);
  p->m_lSnapshotsCount = s.shadows_in_set;
  p->m_pwszSnapshotDeviceObject = tracked_string(s.device_path);
  p->m_pwszOriginalVolumeName = tracked_string(s.original_volume);
  p->m_pwszOriginatingMachine = tracked_string(s.originating_machine);
  p->m_pwszServiceMachine = tracked_string(s.service_machine);
  p->m_pwszExposedName = s.exposed_name.empty() ? nullptr : tracked_string(s.exposed_name);
  p->m_pwszExposedPath = s.exposed_path.empty() ? nullptr : tracked_string(s.exposed_path);
  p->m_ProviderId = guid_from_text(s.provider_id);
  p->m_lSnapshotAttributes = s.attributes;
  // FILETIME: 100 ns ticks since 1601; the model keeps microseconds since 1970.
  p->m_tsCreationTimestamp = s.created_us * 10 + 116444736000000000LL;
  p->m_eStatus = static_cast<VSS_SNAPSHOT_STATE>(s.state);
}

IVssEnumObject* shadow_enum(const std::vector<Shadow>& shadows) {
  using ObjectEnum = ListEnum<IVssEnumObject, VSS_OBJECT_PROP>;
  std::vector<ObjectEnum::Entry> entries;
  for (const auto& s : shadows)
    entries.push_back([s](VSS_OBJECT_PROP* out) {
      out->Type = VSS_OBJECT_SNAPSHOT;
      fill_snapshot_prop(s, &out->Obj.Snap);
    });
  return new ObjectEnum(std::move(entries));
}

IVssEnumObject* provider_enum(const std::vector<Provider>& providers) {
  using ObjectEnum = ListEnum<IVssEnumObject, VSS_OBJECT_PROP>;
  std::vector<ObjectEnum::Entry> entries;
  for (const auto& p : providers)
    entries.push_back([p](VSS_OBJECT_PROP* out) {
      out->Type = VSS_OBJECT_PROVIDER;
      VSS_PROVIDER_PROP& prop = out->Obj.Prov;
      prop.m_ProviderId = guid_from_text(p.id);
      prop.m_pwszProviderName = caller_freed_string(p.name);
      prop.m_eProviderType = static_cast<VSS_PROVIDER_TYPE>(p.type);
      prop.m_pwszProviderVersion = caller_freed_string(p.version);
      prop.m_ProviderVersionId = GUID_NULL;
      prop.m_ClassId = GUID_NULL;
    });
  return new ObjectEnum(std::move(entries));
}

}  // namespace shadowctl::emulator::dll
