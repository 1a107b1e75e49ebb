#include "platform/windows/dll_lockdown.h"

#include <windows.h>

namespace shadowctl::platform {

void lock_down_dll_loading() {
  SetDefaultDllDirectories(LOAD_LIBRARY_SEARCH_SYSTEM32);
  SetDllDirectoryW(L"");  // and not the folder a parent process may have set
  // SearchPath (used by some system DLLs) looks in the current folder last, for good.
  SetSearchPathMode(BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE | BASE_SEARCH_PATH_PERMANENT);
  // Windows 10 and later; ignored where refused.
  PROCESS_MITIGATION_IMAGE_LOAD_POLICY image_load{};
  image_load.NoRemoteImages = 1;
  image_load.NoLowMandatoryLabelImages = 1;
  image_load.PreferSystem32Images = 1;
  SetProcessMitigationPolicy(ProcessImageLoadPolicy, &image_load, sizeof image_load);
}

}  // namespace shadowctl::platform
