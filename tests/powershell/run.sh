#!/usr/bin/env bash
# The ShadowCtl module's Pester tests, in real PowerShell 7 on Linux, against the real
# shadowctl.exe under Wine and the emulator: a launcher put where the module looks for the
# exe ($env:SHADOWCTL_EXE) runs it in the emulator prefix. CMake passes SHADOWCTL_EXE,
# WORK_DIR and EMULATOR_PREFIX (tests/wine/CMakeLists.txt). Exit 77 (ctest: skipped) with
# a loud note when PowerShell or Pester is missing: `bash cmake/install-deps.sh` installs
# them where the .NET SDK is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
pwsh=$HOME/.dotnet/tools/pwsh
command -v pwsh >/dev/null 2>&1 && pwsh=$(command -v pwsh)
pester=${NUGET_PACKAGES:-$HOME/.nuget/packages}/pester/5.7.1/tools/Pester.psd1
if [[ ! -x $pwsh || ! -f $pester ]]; then
  echo "!!! SKIPPED: the PowerShell tests need PowerShell 7 and Pester 5.7.1 ($pwsh, $pester)." >&2
  echo "!!! Run bash cmake/install-deps.sh on a machine with the .NET SDK." >&2
  exit 77
fi

work=$WORK_DIR/powershell
rm -rf "$work"; mkdir -p "$work"
winpath() { local p=${1//\//\\}; echo "Z:$p"; }
# Each run is logged with its exit code, for the docs' examples (DocsBlocks.Tests.ps1).
# Exit 1 with nothing at all on either stream is not an outcome of shadowctl's (every
# failure writes an error or a document): Wine never started the process, as wine-test.sh's
# run() has seen on CI. It is started again once, and the note says so on stderr.
cat >"$work/shadowctl" <<LAUNCHER
#!/usr/bin/env bash
out=\$(mktemp) err=\$(mktemp)
wine "$SHADOWCTL_EXE" "\$@" >"\$out" 2>"\$err"
code=\$?
if [[ \$code == 1 && ! -s \$out && ! -s \$err && -z \${SHADOWCTL_EMULATOR_SCENARIO:-} ]]; then
  echo "note: 'shadowctl \$*' exited 1 with no output at all; started again once" >&2
  wine "$SHADOWCTL_EXE" "\$@" >"\$out" 2>"\$err"
  code=\$?
fi
cat "\$out"
cat "\$err" >&2
rm -f "\$out" "\$err"
printf '%s %s\\n' "\$code" "\$*" >>"$work/runs.log"
exit \$code
LAUNCHER
chmod +x "$work/shadowctl"
export WINEDEBUG=-all WINEARCH=win64 WINEPREFIX=$EMULATOR_PREFIX WINEDLLOVERRIDES=vssapi,wevtapi=n
unset DISPLAY WAYLAND_DISPLAY
export SHADOWCTL_EXE=$work/shadowctl SHADOWCTL_TEST_WORK=$work
export SHADOWCTL_EMULATOR_JOURNAL; SHADOWCTL_EMULATOR_JOURNAL=$(winpath "$work/journal.jsonl")
export SHADOWCTL_EMULATOR_REPORT; SHADOWCTL_EMULATOR_REPORT=$(winpath "$work/report.json")
export SHADOWCTL_TEST_STATE=$work/state.json
export SHADOWCTL_EMULATOR_STATE; SHADOWCTL_EMULATOR_STATE=$(winpath "$SHADOWCTL_TEST_STATE")
export SHADOWCTL_MODULE=$src/src/powershell/ShadowCtl.psd1
exec "$pwsh" -NoProfile -NonInteractive -Command "
  Import-Module '$pester'
  \$c = New-PesterConfiguration
  \$c.Run.Path = '${SHADOWCTL_PESTER_PATH:-$here}'
  \$c.Run.Exit = \$true
  \$c.Output.Verbosity = 'Detailed'
  Invoke-Pester -Configuration \$c"
