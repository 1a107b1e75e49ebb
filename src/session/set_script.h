#pragma once

// The --script files: a shadow copy set as variables a cmd or PowerShell script can load.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/vss_objects.h"

namespace shadowctl::session {

enum class ScriptKind { cmd, powershell };

// The variables that name a set, in order: SHADOWCTL_SET_ID, SHADOWCTL_SHADOW_COUNT, for each
// copy (n from 1) SHADOWCTL_SHADOW_<n>_ID, _VOLUME (its \\?\Volume{...}\ name), _MOUNT_POINT
// (its drive letter or folder, "" if none) and _DEVICE, and SHADOWCTL_DEVICE_<LETTER> for each
// volume at a drive letter: its device with a trailing backslash, ready for a relative path.
// The one list for create --script and exec's environment.
std::vector<std::pair<std::string, std::string>> set_variables(
    const std::string& set_id, const std::vector<core::ShadowCopy>& shadows);

// .ps1 (any case) is PowerShell; anything else is a .cmd of SET lines.
ScriptKind script_kind_for(const std::string& path);

// The set_variables, each value quoted so that it cannot end its string: % doubled for cmd,
// ' doubled for PowerShell. nullopt when a value holds what no quoting makes safe (a double
// quote or a control character, for cmd).
std::optional<std::string> set_script(const std::string& set_id,
                                      const std::vector<core::ShadowCopy>& shadows,
                                      ScriptKind kind);

}  // namespace shadowctl::session
