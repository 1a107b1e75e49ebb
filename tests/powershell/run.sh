#!/usr/bin/env bash
# The ShadowCtl module's Pester tests, in real PowerShell 7 on Linux, against the real
# shadowctl.exe under Wine and the emulator: a launcher put where the module looks for the
# exe ($env:SHADOWCTL_EXE) runs it in the emulator prefix. CMake passes SHADOWCTL_EXE,
# WORK_DIR and EMULATOR_PREFIX (tests/wine/CMakeLists.txt). Exit 77 (ctest: skipped) with
# a loud note when PowerShell or Pester is missing: `bash cmake/install-deps.sh` installs
# them where the .NET SDK is. SHADOWCTL_PESTER_PATH: one test file instead of all of them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
. "$here/launcher.sh"
find_powershell

work=$WORK_DIR/powershell
rm -rf "$work"; mkdir -p "$work"
write_launcher "$work"
export WINEDEBUG=-all WINEARCH=win64 WINEPREFIX=$EMULATOR_PREFIX WINEDLLOVERRIDES=vssapi,wevtapi=n
unset DISPLAY WAYLAND_DISPLAY
export SHADOWCTL_EXE=$work/shadowctl SHADOWCTL_TEST_WORK=$work
export SHADOWCTL_EMULATOR_JOURNAL; SHADOWCTL_EMULATOR_JOURNAL=$(winpath "$work/journal.jsonl")
export SHADOWCTL_EMULATOR_REPORT; SHADOWCTL_EMULATOR_REPORT=$(winpath "$work/report.json")
export SHADOWCTL_TEST_STATE=$work/state.json
export SHADOWCTL_EMULATOR_STATE; SHADOWCTL_EMULATOR_STATE=$(winpath "$SHADOWCTL_TEST_STATE")
export SHADOWCTL_MODULE=$src/src/powershell/ShadowCtl.psd1
if [[ -n ${SHADOWCTL_PESTER_PATH:-} ]]; then
  run_pester "$SHADOWCTL_PESTER_PATH"
else
  run_pester "$here/ShadowCtl.Tests.ps1" "$here/DocsBlocks.Tests.ps1"
fi
