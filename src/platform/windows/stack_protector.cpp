// The stack protector's runtime from kernel32 alone. GCC's -fstack-protector-strong makes
// each function with a local array (or a local whose address is taken) check a canary,
// __stack_chk_guard, before it returns, and call __stack_chk_fail when it changed. MinGW's
// libssp provides both, but seeds the canary through advapi32 at start-up, before main locks
// the DLL search to System32 (docs/security.md). These are what the compiled code calls
// instead, as MSVC's /GS runtime does it: the canary seeded before any C++ initialiser from
// kernel32's clocks and ids and the stack's randomised address, and a failure that ends the
// process with __fastfail, which no exception handler can intercept.
#include <windows.h>

#include <cstdint>

extern "C" {

// A fixed value until seeded below, never zero.
std::uintptr_t __stack_chk_guard = 0x2B992DDFA232ULL;  // NOLINT: the name GCC's code calls

// __fastfail(FAST_FAIL_STACK_COOKIE_CHECK_FAILURE): int 0x29 with the code in ecx ends the
// process at once with STATUS_STACK_BUFFER_OVERRUN (MinGW 10's headers lack the intrinsic).
[[noreturn]] void __stack_chk_fail() {  // NOLINT: the name GCC's code calls
  asm volatile("int $0x29" : : "c"(FAST_FAIL_STACK_COOKIE_CHECK_FAILURE) : "memory");
  TerminateProcess(GetCurrentProcess(), static_cast<UINT>(STATUS_STACK_BUFFER_OVERRUN));
  __builtin_unreachable();
}

}  // extern "C"

namespace {

// Before every C++ initialiser (priority 101): no protected function is running yet, so none
// returns past a canary that changed under it. Not protected itself, as it takes an address.
__attribute__((constructor(101), no_stack_protector)) void seed_stack_guard() {
  LARGE_INTEGER counter{};
  QueryPerformanceCounter(&counter);
  FILETIME now{};
  GetSystemTimeAsFileTime(&now);
  std::uintptr_t seed = static_cast<std::uintptr_t>(counter.QuadPart);
  seed ^= (static_cast<std::uintptr_t>(now.dwHighDateTime) << 32) | now.dwLowDateTime;
  seed ^= static_cast<std::uintptr_t>(GetCurrentProcessId()) << 16;
  seed ^= static_cast<std::uintptr_t>(GetCurrentThreadId()) << 40;
  seed ^= static_cast<std::uintptr_t>(GetTickCount64()) << 24;
  seed ^= reinterpret_cast<std::uintptr_t>(&seed);  // the stack's address, randomised by ASLR
  seed &= 0x0000FFFFFFFFFFFFULL;                    // as MSVC's cookie: the top 16 bits zero
  __stack_chk_guard = seed ? seed : 0x2B992DDFA232ULL;
}

}  // namespace
