#pragma once

// The --script files: a shadow copy set as variables a cmd or PowerShell script can load.

#include <optional>
#include <string>
#include <vector>

#include "core/vss_objects.h"

namespace shadowctl::session {

enum class ScriptKind { cmd, powershell };

// .ps1 (any case) is PowerShell; anything else is a .cmd of SET lines.
ScriptKind script_kind_for(const std::string& path);

// SHADOWCTL_SET_ID, SHADOWCTL_SHADOW_COUNT and SHADOWCTL_SHADOW_<n>_ID / _VOLUME / _DEVICE
// (n from 1), each value quoted so that it cannot end its string: % doubled for cmd, '
// doubled for PowerShell. nullopt when a value holds what no quoting makes safe (a double
// quote or a control character, for cmd).
std::optional<std::string> set_script(const std::string& set_id,
                                      const std::vector<core::ShadowCopy>& shadows,
                                      ScriptKind kind);

}  // namespace shadowctl::session
