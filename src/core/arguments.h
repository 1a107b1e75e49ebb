#pragma once

// What users type for volumes and ids, checked and put in one form before anything asks
// the machine: a malformed argument is a usage error (exit 2); whether it exists is the
// session layer's question (exit 7).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shadowctl::core {

// A volume as typed, normalised.
struct VolumeSpec {
  enum class Kind { drive, mount_folder, volume_name };
  Kind kind = Kind::drive;
  // "C:\" for C, C:, C:\ and c:; "C:\mnt\data\" for a mount folder with or without its
  // trailing backslash; "\\?\Volume{guid}\" (GUID in lower case) for a volume name.
  std::string text;
};

// nullopt when the text is none of the forms above.
std::optional<VolumeSpec> parse_volume(std::string_view text);

// "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" in lower case, from a GUID with or without
// braces in any case; nullopt when it is not one.
std::optional<std::string> parse_guid(std::string_view text);

// Why a path given for a file shadowctl writes (--log-file, --json-file, --script,
// --save-bcd) is refused, or "" when it names a local file: not a device (\\.\..., CON,
// NUL, COM1, ...), a pipe (\\.\pipe\...) or a network path (\\server\share, \\?\UNC\...),
// which an elevated process must not write to by accident.
std::string refuse_output_path(std::string_view path);

// An instant as typed for --before: 2026-12-05 (midnight), 2026-12-05T14:30 or
// 2026-12-05T14:30:15 (a space may stand for the T), in the machine's local time, or in UTC
// with a trailing Z. Microseconds since 1970 UTC; nullopt when it is none of these or names
// no real date.
std::optional<std::int64_t> parse_time(std::string_view text);

}  // namespace shadowctl::core
