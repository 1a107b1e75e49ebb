#include "session/open.h"

#include <string>

#include "core/error_catalogue.h"
#include "core/failure.h"

namespace shadowctl::session {

core::HResult require(core::HResult hr, std::string_view phase) {
  if (core::failed(hr)) throw core::Error({hr, std::string(phase), {}});
  return hr;
}

void open_vss(const System& system) {
  // Privilege first: VSS without it fails later with a vaguer code.
  const PrivilegeFacts privilege = system.environment.enable_backup_privilege();
  if (!privilege.enabled)
    require(privilege.error ? privilege.error : core::hr::error_privilege_not_held,
            "SeBackupPrivilege");
  require(system.vss.initialize_com(), "CoInitializeSecurity");
  const LibraryFacts library = system.vss.load_vssapi();
  require(library.error, "LoadLibraryExW(vssapi.dll)");
}

std::unique_ptr<BackupComponents> open_backup_components(const System& system) {
  open_vss(system);
  std::unique_ptr<BackupComponents> components;
  require(system.vss.create_backup_components(components), "CreateVssBackupComponents");
  require(components->initialize_for_backup(), "InitializeForBackup");
  return components;
}

}  // namespace shadowctl::session
