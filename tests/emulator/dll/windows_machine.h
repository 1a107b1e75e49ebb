#pragma once

#include "state.h"

namespace shadowctl::emulator::dll {

// The default machine with the fixed volumes Windows itself reports (drive letters and their
// \\?\Volume{GUID}\ names), so that names the tool resolves through Win32 calls match the
// emulator's.
MachineState machine_from_windows();

}  // namespace shadowctl::emulator::dll
