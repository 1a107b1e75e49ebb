# Run at every build (cmake -P): writes the build's commit and date into OUTPUT, touching the
# file only when they changed, so a build with nothing new recompiles nothing.
# In: SOURCE_DIR, OUTPUT, VERSION, COMPILER, TARGET.
set(commit "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE head OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE head_failed ERROR_QUIET)
  if(NOT head_failed AND head)
    set(commit "${head}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" status --porcelain
                            --untracked-files=no
                    OUTPUT_VARIABLE changes ERROR_QUIET)
    if(changes)
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
# Honours SOURCE_DATE_EPOCH, for reproducible builds.
string(TIMESTAMP date "%Y-%m-%d" UTC)
file(CONFIGURE OUTPUT "${OUTPUT}" @ONLY CONTENT [[
// Generated at build time by cmake/build-info.cmake; do not edit.
#include "core/build_info.h"

namespace shadowctl::core {

const BuildInfo& build_info() {
  static constexpr BuildInfo kInfo{"@VERSION@", "@commit@", "@date@", "@COMPILER@", "@TARGET@"};
  return kInfo;
}

}  // namespace shadowctl::core
]])
