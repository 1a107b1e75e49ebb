#pragma once

// Look-ups the model's rules share: names compared as Windows compares them, volumes by any
// of their names, and which shadow copies a context sees.

#include <algorithm>
#include <cctype>
#include <string>

#include "state.h"

namespace shadowctl::emulator {

// ASCII lower case: GUIDs, volume names and mount points compare case-insensitively.
inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A volume by its \\?\Volume{GUID}\ name or any of its mount points; nullptr when none.
inline const Volume* find_volume(const MachineState& m, const std::string& name) {
  const std::string wanted = lower(name);
  for (const auto& v : m.volumes) {
    if (lower(v.name) == wanted) return &v;
    for (const auto& mp : v.mount_points)
      if (lower(mp) == wanted) return &v;
  }
  return nullptr;
}

// The volume a path lies on: the one with the longest mount point that begins it (a volume
// mounted in a folder of C:\ is another volume); nullptr when none.
inline const Volume* holding_volume(const MachineState& m, const std::string& path) {
  std::string p = lower(path);
  if (p.empty() || p.back() != '\\') p += '\\';
  const Volume* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& v : m.volumes)
    for (const auto& mp : v.mount_points)
      if (mp.size() > best_length && p.compare(0, mp.size(), lower(mp)) == 0) {
        best = &v;
        best_length = mp.size();
      }
  return best;
}

// Query and DeleteSnapshots see the object's own context, or every one with VSS_CTX_ALL.
inline bool visible_in(long current_context, const Shadow& s) {
  return current_context == core::vss::context::all || s.context == current_context;
}

}  // namespace shadowctl::emulator
