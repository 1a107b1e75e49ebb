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

# A GoogleTest binary's tests for CTest: one test each (gtest_discover_tests), or, with
# SHADOWCTL_TEST_SHARDS above 0 (the sanitize preset), that many shards, each one process
# running its part of the binary (GTEST_TOTAL_SHARDS, GTEST_SHARD_INDEX). Under ASan and
# UBSan a process of these binaries takes about half a second to start, and 700 of them
# were most of the preset's time; every test also passes with the others in one process.
# shadowctl_add_gtests(TARGET ENVIRONMENT env... [FIXTURES_REQUIRED f...] [FIXTURES_SETUP f...])
set(SHADOWCTL_TEST_SHARDS 0 CACHE STRING "Run each GoogleTest binary as this many shards (0: a test a process)")
function(shadowctl_add_gtests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "ENVIRONMENT;FIXTURES_REQUIRED;FIXTURES_SETUP")
  if(SHADOWCTL_TEST_SHARDS GREATER 0)
    math(EXPR last "${SHADOWCTL_TEST_SHARDS} - 1")
    foreach(i RANGE ${last})
      set(name ${target}.shard_${i}_of_${SHADOWCTL_TEST_SHARDS})
      add_test(NAME ${name} COMMAND ${target} --gtest_brief=1)
      set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "GTEST_TOTAL_SHARDS=${SHADOWCTL_TEST_SHARDS};GTEST_SHARD_INDEX=${i};${arg_ENVIRONMENT}"
        FIXTURES_REQUIRED "${arg_FIXTURES_REQUIRED}" FIXTURES_SETUP "${arg_FIXTURES_SETUP}"
        TIMEOUT 1200)
    endforeach()
  else()
    gtest_discover_tests(${target}
      PROPERTIES ENVIRONMENT "${arg_ENVIRONMENT}" FIXTURES_REQUIRED "${arg_FIXTURES_REQUIRED}"
                 FIXTURES_SETUP "${arg_FIXTURES_SETUP}" TIMEOUT 30)
  endif()
endfunction()
