#pragma once

#include <windows.h>

#include <string>
#include <string_view>
#include <vector>

#include <vss.h>

#include "state.h"

namespace shadowctl::emulator::dll {

// A name from the model as Windows hands it to a requester: UTF-16, where the state file's
// lone surrogates are lone surrogates again (with_stand_ins_for_lone_surrogates, state.h).
std::wstring wide_name(std::string_view utf8);

// "{xxxxxxxx-...}" in lower case, as the model keeps ids.
std::string guid_text(const GUID& id);
// GUID_NULL for text that is not a GUID.
GUID guid_from_text(const std::string& text);
// Fills a VSS_SNAPSHOT_PROP with tracked CoTaskMem strings (freed by
// VssFreeSnapshotPropertiesInternal).
void fill_snapshot_prop(const Shadow& shadow, VSS_SNAPSHOT_PROP* prop);
// An IVssEnumObject over shadow copies (Query, QuerySnapshotsByVolume).
IVssEnumObject* shadow_enum(const std::vector<Shadow>& shadows);
// An IVssEnumObject over providers (Query with VSS_OBJECT_PROVIDER, IVssAdmin::QueryProviders);
// their strings are the caller's to CoTaskMemFree.
IVssEnumObject* provider_enum(const std::vector<Provider>& providers);

}  // namespace shadowctl::emulator::dll
