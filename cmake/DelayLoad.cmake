# Delay-loaded imports for the MinGW build: ole32, oleaut32 and advapi32 are loaded on their
# first call instead of at start-up, so `--version`, `explain` and every command that needs
# no COM, token or service start without them (docs/performance.md: under Wine each costs
# milliseconds). shell32 is not linked at all: core::split_command_line reads the command
# line. The .def files in cmake/delayload/ list the functions shadowctl
# calls; a call to one not listed fails the link, by design, so it cannot silently undo this.
# They load from System32 only: the Console sets LOAD_LIBRARY_SEARCH_SYSTEM32 first thing.
find_program(SHADOWCTL_DLLTOOL NAMES ${CMAKE_SYSTEM_PROCESSOR}-w64-mingw32-dlltool dlltool REQUIRED)

function(shadowctl_delay_load target)
  foreach(dll ${ARGN})
    set(def "${PROJECT_SOURCE_DIR}/cmake/delayload/${dll}.def")
    set(lib "${CMAKE_BINARY_DIR}/delayload/lib${dll}_delay.a")
    add_custom_command(OUTPUT "${lib}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_BINARY_DIR}/delayload"
      COMMAND "${SHADOWCTL_DLLTOOL}" --input-def "${def}" --output-delaylib "${lib}"
      DEPENDS "${def}" VERBATIM)
    add_custom_target(${dll}_delay_lib DEPENDS "${lib}")
    add_dependencies(${target} ${dll}_delay_lib)
    target_link_libraries(${target} PUBLIC "${lib}")
  endforeach()
  target_link_libraries(${target} PUBLIC delayimp)
endfunction()
