#include "session/output_file.h"

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "session/privilege.h"

namespace shadowctl::session {
namespace {

bool missing(core::HResult hr) {
  return hr == core::hr::error_path_not_found || hr == core::hr::error_file_not_found;
}

// The folder a path names its file in, as written ("C:\" for "C:\x.cmd", "" for "x.cmd").
std::string parent_of(const std::string& path) {
  const auto slash = path.find_last_of("\\/");
  if (slash == std::string::npos) return {};
  // A root keeps its separator: "C:\" and "\" are folders, "C:" is a drive's current folder.
  if (slash == 0 || (slash == 2 && path[1] == ':')) return path.substr(0, slash + 1);
  return path.substr(0, slash);
}

}  // namespace

std::string refuse_output_file(Environment& environment, const std::string& path) {
  if (std::string why = core::refuse_output_path(path); !why.empty()) return why;
  const PrivilegeSetAside aside(environment);
  if (const FolderFacts at = environment.examine_folder(path); at.error == 0 && at.directory)
    return "it is a folder; name a file in it";
  const std::string parent = parent_of(path);
  if (parent.empty()) return {};  // the current folder
  const FolderFacts folder = environment.examine_folder(parent);
  if (missing(folder.error)) return "the folder '" + parent + "' does not exist";
  // A junction, symbolic link or mount point at the folder or above it would send an
  // elevated write elsewhere; the write refuses it too, this says so before anything starts.
  if (folder.reparse_point)
    return "the folder '" + parent + "' is, or is under, a reparse point (a junction, symbolic "
           "link or mount point)";
  if (folder.error == 0 && !folder.directory) return "'" + parent + "' is not a folder";
  return {};  // examined, or not examinable here: the write will say
}

}  // namespace shadowctl::session
