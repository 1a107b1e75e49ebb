#pragma once

#include <windows.h>

#include <string>
#include <vector>

#include <vss.h>

#include "state.h"

namespace shadowctl::emulator::dll {

// "{xxxxxxxx-...}" in lower case, as the model keeps ids.
std::string guid_text(const GUID& id);
// GUID_NULL for text that is not a GUID.
GUID guid_from_text(const std::string& text);
// Fills a VSS_SNAPSHOT_PROP with tracked CoTaskMem strings (freed by
// VssFreeSnapshotPropertiesInternal).
void fill_snapshot_prop(const Shadow& shadow, VSS_SNAPSHOT_PROP* prop);
// An IVssEnumObject over shadow copies (Query, QuerySnapshotsByVolume).
IVssEnumObject* shadow_enum(const std::vector<Shadow>& shadows);

}  // namespace shadowctl::emulator::dll
