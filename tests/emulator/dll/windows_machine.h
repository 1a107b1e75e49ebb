#pragma once

#include "model.h"

namespace shadowctl::emulator::dll {

// The default machine with the fixed volumes Windows itself reports (drive letters and their
// \\?\Volume{GUID}\ names), so that names the tool resolves through Win32 calls match the
// emulator's.
MachineState machine_from_windows();

// A mount folder as Windows' file system shows it (under Wine, the Unix folder behind it).
FolderState folder_from_windows(const std::string& path);

}  // namespace shadowctl::emulator::dll
