# GoogleTest: the installed package (Debian, MSYS2), or built from Debian's source package
# for the cross build that runs the unit tests under Wine (SHADOWCTL_UNIT_TESTS_UNDER_WINE).
if(CMAKE_CROSSCOMPILING)
  if(NOT TARGET gtest_main)
    set(SHADOWCTL_GTEST_SOURCE "/usr/src/googletest" CACHE PATH "GoogleTest's sources")
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
    add_subdirectory("${SHADOWCTL_GTEST_SOURCE}" "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
  endif()
  if(NOT TARGET GTest::gtest_main)
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
else()
  find_package(GTest REQUIRED)  # imported targets are per folder: found in each
endif()
include(GoogleTest)
