#pragma once

namespace shadowctl::platform {

// Every DLL loaded by name from now on (the delay-loaded ole32, oleaut32 and advapi32 among
// them, and whatever COM and RPC load) comes from System32 only, never the exe's folder, the
// current one or one a parent process set; the loader prefers System32's copy and refuses
// images from network shares or of low integrity. Called first thing in main, before
// anything can load a DLL (docs/security.md).
void lock_down_dll_loading();

}  // namespace shadowctl::platform
