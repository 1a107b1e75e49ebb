#pragma once

// What restore writes with on Windows (session::UserFiles' copy half): a shadow copy's file
// opened with backup semantics, a new file written beside its destination and moved there
// whole, folders made and stamped. Every path goes through \\?\ so long ones work.

#include <memory>
#include <string>

#include "core/file_entry.h"
#include "core/hresult.h"
#include "session/environment.h"

namespace shadowctl::platform {

// An absolute path in the form that has no MAX_PATH limit and is not normalised (a name
// with a trailing dot or space stays itself): C:\x -> \\?\C:\x, \\server\share -> \\?\UNC\...
std::wstring long_path(const std::string& path);

core::HResult open_to_read(const std::string& path, std::unique_ptr<session::FileReader>& out);
core::HResult create_file(const std::string& destination,
                          std::unique_ptr<session::FileWriter>& out);
core::HResult make_folder(const std::string& path);
core::HResult set_folder_facts(const std::string& path, const core::FileEntry& entry);
core::HResult rename_file(const std::string& from, const std::string& to);

}  // namespace shadowctl::platform
