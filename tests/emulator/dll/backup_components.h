#pragma once

#include <windows.h>

#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

namespace shadowctl::emulator::dll {

// CreateVssBackupComponents: a new object served by the model.
HRESULT create_backup_components(IVssBackupComponents** out);

// IsVolumeSnapshotted, served by the model.
HRESULT is_volume_snapshotted(VSS_PWSZ volume, WINBOOL* present, LONG* capability);

}  // namespace shadowctl::emulator::dll
