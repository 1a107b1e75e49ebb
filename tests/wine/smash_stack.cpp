// Overflows a local buffer with its argument: the stack protector's runtime
// (src/platform/windows/stack_protector.cpp) must end it before the overflowed function
// returns. Prints the canary first, which must differ from run to run.
#include <cstdint>
#include <cstdio>
#include <cstring>

extern "C" std::uintptr_t __stack_chk_guard;

namespace {

__attribute__((noinline)) void copy(const char* text) {
  char buffer[8];
  std::strcpy(buffer, text);  // the overflow, on purpose
  std::printf("copied %zu bytes\n", std::strlen(buffer));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::printf("guard=%llx\n", static_cast<unsigned long long>(__stack_chk_guard));
  std::fflush(stdout);
  copy(argc > 1 ? argv[1] : "short");
  std::printf("returned\n");
  return 0;
}
