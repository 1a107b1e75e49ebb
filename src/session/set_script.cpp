#include "session/set_script.h"

#include <cctype>

#include <fmt/format.h>

namespace shadowctl::session {
namespace {

// SET "NAME=value": inside the quotes & | < > ^ are literal; % must be doubled in a batch
// file; a double quote or a control character would end or break the line.
std::optional<std::string> cmd_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '"' || static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    if (c == '%') out += '%';
    out += c;
  }
  return out;
}

// A single-quoted PowerShell string: nothing expands inside it. PowerShell ends it at any of
// four quote characters, ' and U+2018..U+201B (found by fuzzing: a name holding U+2019
// ended the string), so each is written twice, which PowerShell reads as one.
std::string powershell_value(const std::string& value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\'') {
      out += "''";
      continue;
    }
    // U+2018..U+201B in UTF-8: E2 80 98..9B.
    if (i + 2 < value.size() && static_cast<unsigned char>(value[i]) == 0xE2 &&
        static_cast<unsigned char>(value[i + 1]) == 0x80 &&
        static_cast<unsigned char>(value[i + 2]) >= 0x98 &&
        static_cast<unsigned char>(value[i + 2]) <= 0x9B) {
      out += value.substr(i, 3) + value.substr(i, 3);
      i += 2;
      continue;
    }
    out += value[i];
  }
  return out;
}

}  // namespace

ScriptKind script_kind_for(const std::string& path) {
  // The name Windows will use: trailing dots and spaces are stripped ("dot.ps1." is dot.ps1).
  const auto end = path.find_last_not_of(". ");
  const std::string name = end == std::string::npos ? std::string() : path.substr(0, end + 1);
  if (name.size() < 4) return ScriptKind::cmd;
  std::string ext = name.substr(name.size() - 4);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".ps1" ? ScriptKind::powershell : ScriptKind::cmd;
}

std::vector<std::pair<std::string, std::string>> set_variables(
    const std::string& set_id, const std::vector<core::ShadowCopy>& shadows) {
  std::vector<std::pair<std::string, std::string>> vars = {
      {"SHADOWCTL_SET_ID", set_id}, {"SHADOWCTL_SHADOW_COUNT", std::to_string(shadows.size())}};
  for (std::size_t i = 0; i < shadows.size(); ++i) {
    const auto& s = shadows[i];
    const std::string prefix = fmt::format("SHADOWCTL_SHADOW_{}_", i + 1);
    vars.push_back({prefix + "ID", s.id});
    vars.push_back({prefix + "VOLUME", s.original_volume});
    vars.push_back({prefix + "MOUNT_POINT", s.original_mount_point});
    vars.push_back({prefix + "DEVICE", s.device_path});
  }
  for (const auto& s : shadows) {
    const std::string& mount = s.original_mount_point;
    if (mount.size() == 3 && mount[1] == ':' && mount[2] == '\\')
      vars.push_back(
          {fmt::format("SHADOWCTL_DEVICE_{}",
                       static_cast<char>(std::toupper(static_cast<unsigned char>(mount[0])))),
           s.device_path + "\\"});
  }
  return vars;
}

std::optional<std::string> set_script(const std::string& set_id,
                                      const std::vector<core::ShadowCopy>& shadows,
                                      ScriptKind kind) {
  const auto vars = set_variables(set_id, shadows);
  // A .ps1 starts with the UTF-8 byte-order mark: without it Windows PowerShell 5.1 reads the
  // file in the ANSI code page, where the second byte of "Ò" (C3 92) is U+2019, a quote that
  // would end a value's string early.
  std::string out = kind == ScriptKind::cmd
                        ? "@rem The shadow copy set made by shadowctl create.\r\n"
                        : "\xEF\xBB\xBF# The shadow copy set made by shadowctl create.\r\n";
  for (const auto& [name, value] : vars) {
    if (kind == ScriptKind::powershell) {
      out += fmt::format("${} = '{}'\r\n", name, powershell_value(value));
      continue;
    }
    const auto safe = cmd_value(value);
    if (!safe) return std::nullopt;
    out += fmt::format("SET \"{}={}\"\r\n", name, *safe);
  }
  return out;
}

}  // namespace shadowctl::session
