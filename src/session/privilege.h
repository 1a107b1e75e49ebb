#pragma once

#include "session/environment.h"

namespace shadowctl::session {

// SeBackupPrivilege put back as shadowctl found it for the guard's lifetime, and enabled
// again afterwards if shadowctl had enabled it: around every path the user named (a file
// written, a folder examined, a program looked up), so the privilege VSS needs never widens
// what the user's own paths reach.
class PrivilegeSetAside {
 public:
  explicit PrivilegeSetAside(MachineProbe& environment)
      : environment_(environment), was_enabled_(environment.restore_backup_privilege()) {}
  ~PrivilegeSetAside() {
    if (was_enabled_) environment_.enable_backup_privilege();
  }
  PrivilegeSetAside(const PrivilegeSetAside&) = delete;
  PrivilegeSetAside& operator=(const PrivilegeSetAside&) = delete;

 private:
  MachineProbe& environment_;
  bool was_enabled_;
};

}  // namespace shadowctl::session
