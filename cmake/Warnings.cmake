option(SHADOWCTL_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)

# The project's warning set, on both compilers (g++ and MinGW-w64 g++).
function(shadowctl_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
    -Wold-style-cast -Woverloaded-virtual -Wcast-qual -Wformat=2)
  if(SHADOWCTL_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
