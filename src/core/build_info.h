#pragma once

// What this build of shadowctl is: shown by --version, stamped into every JSON document and
// into the Windows version resource.

#include <string_view>

namespace shadowctl::core {

struct BuildInfo {
  std::string_view version;   // the project version in CMakeLists.txt: "0.1.0"
  std::string_view commit;    // git commit, 12 digits, "-dirty" if changed; or "unknown"
  std::string_view date;      // UTC build date, "2026-11-29" (SOURCE_DATE_EPOCH if set)
  std::string_view compiler;  // "GNU 12.2.0"
  std::string_view target;    // "windows-x86_64", "linux-x86_64"
};

// This build's facts, made at build time (cmake/build-info.cmake).
const BuildInfo& build_info();

}  // namespace shadowctl::core
