#pragma once

// One entry of a folder, as FindFirstFileExW gives it: what `ls` shows inside a shadow copy,
// and what restore, versions and diff will compare.

#include <cstdint>
#include <string>

namespace shadowctl::core {

// The FILE_ATTRIBUTE_* bits the tool reads (winnt.h).
namespace file_attr {
inline constexpr std::uint32_t read_only = 0x1;
inline constexpr std::uint32_t hidden = 0x2;
inline constexpr std::uint32_t system = 0x4;
inline constexpr std::uint32_t directory = 0x10;
inline constexpr std::uint32_t archive = 0x20;
inline constexpr std::uint32_t reparse_point = 0x400;
}  // namespace file_attr

struct FileEntry {
  std::string name;
  std::uint64_t size = 0;
  std::int64_t written_unix_us = 0;  // last write, microseconds since 1970 UTC
  std::int64_t created_unix_us = 0;
  std::uint32_t attributes = 0;  // file_attr bits
  bool is_folder() const { return (attributes & file_attr::directory) != 0; }
  // A junction, symbolic link or mount point: shown as itself, never followed.
  bool is_reparse_point() const { return (attributes & file_attr::reparse_point) != 0; }
};

}  // namespace shadowctl::core
