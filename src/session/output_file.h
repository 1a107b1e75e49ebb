#pragma once

#include <string>

#include "session/environment.h"

namespace shadowctl::session {

// Why a file the user named (--json-file, --log-file, --script, --save-bcd) cannot be written
// where it is named, or "" when nothing says it cannot. Asked before any VSS call, so that a
// run that could not write its output never freezes a writer or makes a set only to delete
// it: a device, pipe or network path (core::refuse_output_path), a folder at the path, a
// parent folder that does not exist, or one that is (or is under) a reparse point. What only the write can tell (a full disk, an ACL) is
// still found out by the write. SeBackupPrivilege is set aside while the paths are examined.
std::string refuse_output_file(Environment& environment, const std::string& path);

}  // namespace shadowctl::session
