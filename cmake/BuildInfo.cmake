# What a build is: the version (from project()), the commit and date (at every build), the
# compiler; and on Windows the manifest and version resource made from the same version.

# Adds the generated build_info.cpp to `target`, remade at every build but rewritten only
# when the commit or the date changed.
function(shadowctl_add_build_info target)
  set(output "${CMAKE_BINARY_DIR}/generated/build_info.cpp")
  string(TOLOWER "${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}" platform)
  set(compiler "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
  set(script_args -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${output}
      -DVERSION=${PROJECT_VERSION} "-DCOMPILER=${compiler}" -DTARGET=${platform}
      -P ${PROJECT_SOURCE_DIR}/cmake/build-info.cmake)
  # At configure time too, so the file exists before the first build.
  execute_process(COMMAND ${CMAKE_COMMAND} ${script_args})
  add_custom_target(${target}_build_info
    COMMAND ${CMAKE_COMMAND} ${script_args}
    BYPRODUCTS ${output}
    COMMENT "Build info (commit, date)" VERBATIM)
  target_sources(${target} PRIVATE ${output})
  add_dependencies(${target} ${target}_build_info)
endfunction()

# Compiles the manifest and version resource into `target`.
function(shadowctl_add_windows_resources target)
  enable_language(RC)
  set(SHADOWCTL_VERSION_COMMAS
      "${PROJECT_VERSION_MAJOR},${PROJECT_VERSION_MINOR},${PROJECT_VERSION_PATCH},0")
  set(SHADOWCTL_VERSION_DOTS "${SHADOWCTL_VERSION_COMMAS}")
  string(REPLACE "," "." SHADOWCTL_VERSION_DOTS "${SHADOWCTL_VERSION_DOTS}")
  set(dir "${PROJECT_SOURCE_DIR}/src/platform/windows")
  set(generated "${CMAKE_BINARY_DIR}/generated")
  set(SHADOWCTL_MANIFEST "${generated}/shadowctl.manifest")
  configure_file("${dir}/shadowctl.manifest" "${SHADOWCTL_MANIFEST}" @ONLY)
  configure_file("${dir}/shadowctl.rc.in" "${generated}/shadowctl.rc" @ONLY)
  target_sources(${target} PRIVATE "${generated}/shadowctl.rc")
  set_property(SOURCE "${generated}/shadowctl.rc" APPEND PROPERTY
               OBJECT_DEPENDS "${SHADOWCTL_MANIFEST}")
endfunction()
