# The release, from a built shadowctl.exe (cmake -P; the `release` target runs it):
#   OUT/ShadowCtl/                      what the zip holds: the exe, the PowerShell module
#                                       beside it (a module folder as the PowerShell Gallery
#                                       takes it), README.md, LICENSE and docs/
#   OUT/shadowctl-VERSION-windows-x64.zip, OUT/SHA256SUMS.txt
#   OUT/winget/manifests/s/Shadowctl/Shadowctl/VERSION/*.yaml   winget-pkgs' multi-file manifest
#   OUT/scoop/shadowctl.json                                    a Scoop bucket's manifest
# Everything comes from one version (VERSION, the project's), and the zip's hash from the
# zip just made. Refuses without a LICENSE, and when the module's version is another.
# Inputs: SOURCE_DIR, EXE, VERSION, DESCRIPTION, REPOSITORY (https://github.com/OWNER/NAME), OUT.
cmake_minimum_required(VERSION 3.25)
foreach(input SOURCE_DIR EXE VERSION DESCRIPTION REPOSITORY OUT)
  if(NOT DEFINED ${input} OR "${${input}}" STREQUAL "")
    message(FATAL_ERROR "release.cmake: ${input} is not given")
  endif()
endforeach()
if(NOT EXISTS "${SOURCE_DIR}/LICENSE")
  message(FATAL_ERROR "release.cmake: no LICENSE at the top of the repository: no release without one")
endif()
if(NOT EXISTS "${EXE}")
  message(FATAL_ERROR "release.cmake: ${EXE} is not built")
endif()
if(NOT REPOSITORY MATCHES "^https://github\\.com/[^/]+/[^/]+$")
  message(FATAL_ERROR "release.cmake: REPOSITORY must be https://github.com/OWNER/NAME, not '${REPOSITORY}'")
endif()

# The module's version is written in its manifest (the tests load it from src/); it must be
# the project's, or the Gallery and Get-Module would name another version than the exe.
set(module_dir "${SOURCE_DIR}/src/powershell")
file(READ "${module_dir}/ShadowCtl.psd1" psd1)
string(REGEX MATCH "ModuleVersion *= *'([^']*)'" _ "${psd1}")
if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
  message(FATAL_ERROR "release.cmake: src/powershell/ShadowCtl.psd1 says ModuleVersion '${CMAKE_MATCH_1}', the project ${VERSION}")
endif()

# The repository the module's manifest names (ProjectUri, and LicenseUri below it), which
# this release's URLs replace.
string(REGEX MATCH "ProjectUri *= *'(https://github\\.com/[^/']+/[^/']+)'" _ "${psd1}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "release.cmake: src/powershell/ShadowCtl.psd1 names no https://github.com/OWNER/NAME ProjectUri")
endif()
set(module_repository "${CMAKE_MATCH_1}")

set(WINGET_ID Shadowctl.Shadowctl)
set(WINGET_MANIFEST_VERSION 1.10.0)
# winget-pkgs' folder of a package: manifests/<first letter, lower case>/<the id's parts>/<version>.
string(SUBSTRING "${WINGET_ID}" 0 1 winget_letter)
string(TOLOWER "${winget_letter}" winget_letter)
string(REPLACE "." "/" winget_id_path "${WINGET_ID}")
set(zip_name "shadowctl-${VERSION}-windows-x64.zip")
set(ZIP_URL "${REPOSITORY}/releases/download/v${VERSION}/${zip_name}")

file(REMOVE_RECURSE "${OUT}")
set(stage "${OUT}/ShadowCtl")
file(MAKE_DIRECTORY "${stage}")
file(COPY "${EXE}" "${SOURCE_DIR}/README.md" "${SOURCE_DIR}/LICENSE" DESTINATION "${stage}")
file(COPY "${SOURCE_DIR}/docs" DESTINATION "${stage}")
foreach(file ShadowCtl.psm1 ShadowCtl.Format.ps1xml ShadowCtl.Types.ps1xml en-US)
  file(COPY "${module_dir}/${file}" DESTINATION "${stage}")
endforeach()
# The module's manifest, pointing at this release's repository.
string(REPLACE "${module_repository}" "${REPOSITORY}" psd1 "${psd1}")
file(WRITE "${stage}/ShadowCtl.psd1" "${psd1}")

# The zip: the folder's contents at its root, so that it unpacks into any folder as the
# module (Scoop's psmodule and Import-Module PATH both want ShadowCtl.psd1 at the top).
# The files in one order, each dated by the commit (or SOURCE_DATE_EPOCH) in UTC, as `git
# archive` dates them. Not byte for byte reproducible: libarchive's zip entries carry each
# staged file's access and change times too, which no option of `cmake -E tar` sets.
if(NOT DEFINED ENV{SOURCE_DATE_EPOCH})
  execute_process(COMMAND git -C "${SOURCE_DIR}" log -1 --format=%ct
                  OUTPUT_VARIABLE commit_time OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE no_git ERROR_QUIET)
  if(no_git EQUAL 0 AND commit_time MATCHES "^[0-9]+$")
    set(ENV{SOURCE_DATE_EPOCH} "${commit_time}")
  endif()
endif()
string(TIMESTAMP dated "%Y-%m-%d %H:%M:%S" UTC)  # SOURCE_DATE_EPOCH's time where it is set
file(GLOB_RECURSE staged RELATIVE "${stage}" "${stage}/*")
list(SORT staged)
execute_process(COMMAND "${CMAKE_COMMAND}" -E env TZ=UTC
                        "${CMAKE_COMMAND}" -E tar cf "${OUT}/${zip_name}" --format=zip "--mtime=${dated}" -- ${staged}
                WORKING_DIRECTORY "${stage}" RESULT_VARIABLE zipped)
if(NOT zipped EQUAL 0)
  message(FATAL_ERROR "release.cmake: making ${zip_name} failed (${zipped})")
endif()
file(SHA256 "${OUT}/${zip_name}" ZIP_SHA256)
string(TOUPPER "${ZIP_SHA256}" ZIP_SHA256_UPPER)
file(SHA256 "${EXE}" exe_sha256)
get_filename_component(exe_name "${EXE}" NAME)
file(WRITE "${OUT}/SHA256SUMS.txt" "${ZIP_SHA256}  ${zip_name}\n${exe_sha256}  ${exe_name}\n")

set(winget "${OUT}/winget/manifests/${winget_letter}/${winget_id_path}/${VERSION}")
foreach(manifest "" .installer .locale.en-US)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/release/Shadowctl.Shadowctl${manifest}.yaml.in"
                 "${winget}/${WINGET_ID}${manifest}.yaml" @ONLY)
endforeach()
configure_file("${CMAKE_CURRENT_LIST_DIR}/release/shadowctl.json.in" "${OUT}/scoop/shadowctl.json" @ONLY)
message(STATUS "release: ${OUT}/${zip_name} (SHA-256 ${ZIP_SHA256}), winget and Scoop manifests beside it")
