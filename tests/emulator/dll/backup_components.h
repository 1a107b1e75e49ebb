#pragma once

#include <windows.h>

#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

namespace shadowctl::emulator::dll {

// CreateVssBackupComponents: a new object served by the model.
HRESULT create_backup_components(IVssBackupComponents** out);

}  // namespace shadowctl::emulator::dll
