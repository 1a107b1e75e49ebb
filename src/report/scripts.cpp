#include "report/scripts.h"

#include <cctype>

#include <fmt/format.h>

namespace shadowctl::report {
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

// A single-quoted PowerShell string: nothing expands inside it; ' is written twice.
std::string powershell_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out;
}

}  // namespace

ScriptKind script_kind_for(const std::string& path) {
  if (path.size() < 4) return ScriptKind::cmd;
  std::string ext = path.substr(path.size() - 4);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".ps1" ? ScriptKind::powershell : ScriptKind::cmd;
}

std::optional<std::string> set_script(const std::string& set_id,
                                      const std::vector<core::ShadowCopy>& shadows,
                                      ScriptKind kind) {
  std::vector<std::pair<std::string, std::string>> vars = {
      {"SHADOWCTL_SET_ID", set_id}, {"SHADOWCTL_SHADOW_COUNT", std::to_string(shadows.size())}};
  for (std::size_t i = 0; i < shadows.size(); ++i) {
    const std::string prefix = fmt::format("SHADOWCTL_SHADOW_{}_", i + 1);
    vars.push_back({prefix + "ID", shadows[i].id});
    vars.push_back({prefix + "VOLUME", shadows[i].original_volume});
    vars.push_back({prefix + "DEVICE", shadows[i].device_object});
  }
  std::string out = kind == ScriptKind::cmd
                        ? "@rem The shadow copy set made by shadowctl create.\r\n"
                        : "# The shadow copy set made by shadowctl create.\r\n";
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

}  // namespace shadowctl::report
