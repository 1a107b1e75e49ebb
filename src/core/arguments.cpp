#include "core/arguments.h"

#include <cctype>
#include <chrono>
#include <ctime>

namespace shadowctl::core {
namespace {

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// A component of a Windows path: not empty, none of the characters Windows forbids, and not
// "." or "..", which would make the folder another one than it reads.
bool valid_component(std::string_view c) {
  if (c.empty() || c == "." || c == "..") return false;
  for (char ch : c)
    if (static_cast<unsigned char>(ch) < 0x20 ||
        std::string_view("<>:\"/|?*").find(ch) != std::string_view::npos)
      return false;
  return true;
}

}  // namespace

std::optional<std::string> parse_guid(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}')
    text = text.substr(1, 36);
  if (text.size() != 36) return std::nullopt;
  std::string out = "{";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    out += lower(c);
  }
  return out + "}";
}

std::optional<VolumeSpec> parse_volume(std::string_view text) {
  // \\?\Volume{GUID}\ with or without its trailing backslash.
  constexpr std::string_view kPrefix = "\\\\?\\Volume";
  if (text.size() >= kPrefix.size() && iequals(text.substr(0, kPrefix.size()), kPrefix)) {
    std::string_view rest = text.substr(kPrefix.size());
    if (!rest.empty() && rest.back() == '\\') rest.remove_suffix(1);
    if (rest.size() != 38 || rest.front() != '{') return std::nullopt;
    const auto guid = parse_guid(rest);
    if (!guid) return std::nullopt;
    return VolumeSpec{VolumeSpec::Kind::volume_name, "\\\\?\\Volume" + *guid + "\\"};
  }
  if (text.empty() || !is_letter(text[0])) return std::nullopt;
  const std::string drive = std::string(1, upper(text[0])) + ":\\";
  if (text.size() == 1) return VolumeSpec{VolumeSpec::Kind::drive, drive};
  if (text[1] != ':') return std::nullopt;
  if (text.size() == 2) return VolumeSpec{VolumeSpec::Kind::drive, drive};
  if (text.size() == 3 && text[2] == '\\') return VolumeSpec{VolumeSpec::Kind::drive, drive};
  if (text[2] != '\\') return std::nullopt;  // "C:data" is relative to C:'s current folder
  std::string_view rest = text.substr(3);
  if (rest.back() == '\\') rest.remove_suffix(1);
  if (rest.empty()) return std::nullopt;  // "C:\\": an empty folder name (found by fuzzing)
  std::string folder = drive;
  while (!rest.empty()) {
    const auto slash = rest.find('\\');
    const std::string_view component = rest.substr(0, slash);
    if (!valid_component(component)) return std::nullopt;
    folder.append(component).push_back('\\');
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return VolumeSpec{VolumeSpec::Kind::mount_folder, folder};
}

std::string refuse_output_path(std::string_view path) {
  const auto slash = [](char c) { return c == '\\' || c == '/'; };
  const auto starts = [&](std::string_view prefix) {
    if (path.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
      if (slash(prefix[i]) ? !slash(path[i]) : upper(path[i]) != upper(prefix[i])) return false;
    return true;
  };
  // \??\ is the object manager's own prefix, which Win32 passes through unchanged: the same
  // refusals as \\?\ (a pipe, a server reached as the elevated user or the machine account).
  if (starts("\\\\.\\pipe\\") || starts("\\\\?\\pipe\\") || starts("\\??\\pipe\\"))
    return "it is a named pipe";
  if (starts("\\\\?\\UNC\\") || starts("\\??\\UNC\\")) return "it is a network path";
  if (starts("\\??\\") && path.size() >= 7 && is_letter(path[4]) && path[5] == ':' &&
      slash(path[6]))
    return {};  // \??\C:\...: a local path
  if (starts("\\\\?\\") && path.size() >= 7 && is_letter(path[4]) && path[5] == ':' &&
      slash(path[6]))
    return {};  // \\?\C:\...: a local path in its long form
  if (starts("\\\\?\\Volume{")) return {};
  if (starts("\\\\.\\") || starts("\\\\?\\") || starts("\\??\\")) return "it is a device path";
  if (path.size() >= 2 && slash(path[0]) && slash(path[1])) return "it is a network path";
  // A reserved device name as the last component, with any extension: C:\logs\nul.txt is NUL.
  std::size_t start = path.size();
  while (start > 0 && !slash(path[start - 1]) && path[start - 1] != ':') --start;
  std::string name;
  for (char c : path.substr(start)) {
    if (c == '.' || c == ' ' || c == ':') break;
    name += upper(c);
  }
  static constexpr std::string_view kReserved[] = {"CON",    "PRN",     "AUX",   "NUL",
                                                   "CONIN$", "CONOUT$", "CLOCK$"};
  for (auto r : kReserved)
    if (name == r) return "it names the device " + name;
  // COM0-COM9 and LPT0-LPT9, and with a superscript digit: COM¹, COM², COM³ (UTF-8 C2 B9,
  // C2 B2, C2 B3), which Windows reserves too ("Naming Files, Paths, and Namespaces").
  const bool port = name.starts_with("COM") || name.starts_with("LPT");
  if (port && name.size() == 4 && name[3] >= '0' && name[3] <= '9')
    return "it names the device " + name;
  if (port && name.size() == 5 && name[3] == '\xC2' &&
      (name[4] == '\xB9' || name[4] == '\xB2' || name[4] == '\xB3'))
    return "it names the device " + name;
  return {};
}

std::optional<std::int64_t> parse_time(std::string_view text) {
  const bool utc = !text.empty() && (text.back() == 'Z' || text.back() == 'z');
  if (utc) text.remove_suffix(1);
  // Digits at fixed places: YYYY-MM-DD[(T| )HH:MM[:SS]].
  auto number = [&](std::size_t at, std::size_t length, int& out) {
    if (at + length > text.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + length; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(0, 4, year) || text.size() < 10 || text[4] != '-' || !number(5, 2, month) ||
      text[7] != '-' || !number(8, 2, day))
    return std::nullopt;
  if (text.size() > 10) {
    if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !number(11, 2, hour) ||
        text.size() < 16 || text[13] != ':' || !number(14, 2, minute))
      return std::nullopt;
    if (text.size() > 16 && (text.size() != 19 || text[16] != ':' || !number(17, 2, second)))
      return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  if (utc) {
    const auto t = sys_days(date) + hours(hour) + minutes(minute) + seconds(second);
    return duration_cast<microseconds>(t.time_since_epoch()).count();
  }
  // Local time as the C library knows the machine's zone; tm_isdst -1 lets it decide, so
  // an hour in a daylight-saving change still means one instant.
  std::tm local{};
  local.tm_year = year - 1900;
  local.tm_mon = month - 1;
  local.tm_mday = day;
  local.tm_hour = hour;
  local.tm_min = minute;
  local.tm_sec = second;
  local.tm_isdst = -1;
  const std::time_t t = std::mktime(&local);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<std::int64_t>(t) * 1'000'000;
}

}  // namespace shadowctl::core
