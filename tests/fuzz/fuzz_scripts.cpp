// The --script writers: no value (set id, volume, device, from the system) can end its
// string. Each file is read back by a reader of the language's own rules, and every
// variable must come back with its value, and nothing else may appear.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "session/set_script.h"

namespace {

using Variables = std::map<std::string, std::string>;

// cmd: each line is SET "NAME=value" (between the quotes nothing but %% is special) or a
// @rem comment.
Variables read_cmd(const std::string& text) {
  Variables vars;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find("\r\n", at);
    if (end == std::string::npos) std::abort();  // every line ends with CRLF
    const std::string line = text.substr(at, end - at);
    at = end + 2;
    if (line.rfind("@rem ", 0) == 0) continue;
    if (line.rfind("SET \"", 0) != 0 || line.back() != '"') std::abort();
    const std::string body = line.substr(5, line.size() - 6);
    if (body.find('"') != std::string::npos || body.find('\n') != std::string::npos) std::abort();
    const std::size_t eq = body.find('=');
    if (eq == std::string::npos) std::abort();
    std::string value;
    for (std::size_t i = eq + 1; i < body.size(); ++i) {
      if (body[i] == '%') {
        if (i + 1 >= body.size() || body[i + 1] != '%') std::abort();  // would expand
        ++i;
      }
      value += body[i];
    }
    vars[body.substr(0, eq)] = value;
  }
  return vars;
}

// Whether the UTF-8 text at i starts one of the four characters PowerShell ends a
// single-quoted string on: ' and U+2018..U+201B; returns its length, or 0.
std::size_t powershell_quote_at(const std::string& s, std::size_t i) {
  if (s[i] == '\'') return 1;
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE2 &&
      static_cast<unsigned char>(s[i + 1]) == 0x80) {
    const unsigned char c = static_cast<unsigned char>(s[i + 2]);
    if (c >= 0x98 && c <= 0x9B) return 3;
  }
  return 0;
}

// PowerShell: each line is $NAME = '...', where a quote character followed by another
// stands for the second, and a lone one ends the string.
Variables read_powershell(const std::string& text) {
  Variables vars;
  // The UTF-8 byte-order mark first, or Windows PowerShell 5.1 reads the file as ANSI.
  if (text.compare(0, 3, "\xEF\xBB\xBF") != 0) std::abort();
  std::size_t at = 3;
  while (at < text.size()) {
    if (text.compare(at, 2, "# ") == 0) {
      at = text.find("\r\n", at);
      if (at == std::string::npos) std::abort();
      at += 2;
      continue;
    }
    if (text[at] != '$') std::abort();
    const std::size_t eq = text.find(" = ", at);
    if (eq == std::string::npos) std::abort();
    const std::string name = text.substr(at + 1, eq - at - 1);
    std::size_t i = eq + 3;
    if (powershell_quote_at(text, i) == 0) std::abort();
    i += powershell_quote_at(text, i);
    std::string value;
    for (;;) {
      if (i >= text.size()) std::abort();  // never closed
      if (const std::size_t q = powershell_quote_at(text, i)) {
        const std::size_t next = powershell_quote_at(text, i + q);
        if (next == 0) {
          i += q;
          break;
        }
        value += text.substr(i + q, next);
        i += q + next;
        continue;
      }
      value += text[i++];
    }
    if (text.compare(i, 2, "\r\n") != 0) std::abort();  // nothing after the string
    at = i + 2;
    vars[name] = value;
  }
  return vars;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace shadowctl;
  // Five values separated by NUL: set id, then id, volume, device and mount point of one
  // shadow copy.
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0)
      parts.emplace_back();
    else
      parts.back() += static_cast<char>(data[i]);
  }
  parts.resize(5);
  core::ShadowCopy copy;
  copy.id = parts[1];
  copy.original_volume = parts[2];
  copy.device_path = parts[3];
  copy.original_mount_point = parts[4];
  Variables expected = {{"SHADOWCTL_SET_ID", parts[0]},
                        {"SHADOWCTL_SHADOW_COUNT", "1"},
                        {"SHADOWCTL_SHADOW_1_ID", parts[1]},
                        {"SHADOWCTL_SHADOW_1_VOLUME", parts[2]},
                        {"SHADOWCTL_SHADOW_1_MOUNT_POINT", parts[4]},
                        {"SHADOWCTL_SHADOW_1_DEVICE", parts[3]}};
  // A volume at a drive letter also gets exec's SHADOWCTL_DEVICE_<LETTER>, ready for a path.
  const std::string& m = parts[4];
  if (m.size() == 3 && m[1] == ':' && m[2] == '\\')
    expected[std::string("SHADOWCTL_DEVICE_") +
             static_cast<char>(std::toupper(static_cast<unsigned char>(m[0])))] = parts[3] + "\\";
  if (const auto cmd = session::set_script(parts[0], {copy}, session::ScriptKind::cmd))
    if (read_cmd(*cmd) != expected) std::abort();
  const auto ps = session::set_script(parts[0], {copy}, session::ScriptKind::powershell);
  if (!ps || read_powershell(*ps) != expected) std::abort();
  return 0;
}
