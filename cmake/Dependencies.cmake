# CLI11, nlohmann/json, spdlog and fmt as one interface target: shadowctl::deps.
#
# Native builds (Debian, MSYS2) use the packages' CMake configs. The MinGW cross build uses
# them header-only from the Debian packages, and must not see /usr/include as a whole (it
# holds glibc's headers): only the four libraries' own folders are staged into the build tree
# and put on the include path.

add_library(shadowctl_deps INTERFACE)
add_library(shadowctl::deps ALIAS shadowctl_deps)

# Debian's /usr/include for the cross build; natively wherever the compiler's prefix keeps
# CLI11 (Debian: /usr/include, MSYS2 UCRT64: /ucrt64/include).
if(CMAKE_CROSSCOMPILING)
  set(header_root "/usr/include")
else()
  find_path(header_root CLI/CLI.hpp)
endif()
set(SHADOWCTL_HEADER_ROOT "${header_root}" CACHE PATH
    "Where the header-only dependencies are found")

# Header-only natively too with SHADOWCTL_HEADER_ONLY_DEPS: the bench preset builds the
# Linux binary as the Windows exe is built (header-only, linked statically), so that its
# start-up is compared with a hello world built on the same terms.
option(SHADOWCTL_HEADER_ONLY_DEPS "Use CLI11, nlohmann/json, spdlog and fmt header-only" OFF)

if(CMAKE_CROSSCOMPILING OR SHADOWCTL_HEADER_ONLY_DEPS)
  set(staged "${CMAKE_BINARY_DIR}/deps/include")
  foreach(dir CLI nlohmann spdlog fmt)
    if(NOT EXISTS "${SHADOWCTL_HEADER_ROOT}/${dir}")
      message(FATAL_ERROR "${SHADOWCTL_HEADER_ROOT}/${dir} is missing: run cmake/install-deps.sh")
    endif()
    file(COPY "${SHADOWCTL_HEADER_ROOT}/${dir}" DESTINATION "${staged}")
  endforeach()
  target_include_directories(shadowctl_deps SYSTEM INTERFACE "${staged}")
  # Debian's spdlog is configured for an external fmt (tweakme.h); fmt itself header-only.
  target_compile_definitions(shadowctl_deps INTERFACE FMT_HEADER_ONLY=1)
else()
  find_package(CLI11 CONFIG REQUIRED)
  find_package(nlohmann_json CONFIG REQUIRED)
  find_package(fmt CONFIG REQUIRED)
  find_package(spdlog CONFIG REQUIRED)
  target_link_libraries(shadowctl_deps INTERFACE
    CLI11::CLI11 nlohmann_json::nlohmann_json spdlog::spdlog fmt::fmt)
endif()
