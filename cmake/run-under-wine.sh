#!/usr/bin/env bash
# Builds the Windows shadowctl.exe and the VSS emulator DLL, then runs `shadowctl ARGS...`
# (default: check) under Wine against the emulator in a private prefix. This is Wine and an
# emulator of VSS, not Windows: it shows what the tool does, not what a real VSS does.
# -q first: quiet set-up (errors only), and -q passed on to shadowctl.
set -euo pipefail
cd "$(dirname "$0")/.."

quiet=0
[[ ${1:-} == -q ]] && quiet=1
started=$SECONDS
say() { ((quiet)) || echo "$*" >&2; }
# The build's own "[k/N] ..." lines, as one line each tenth of the way.
progress() {
  if ((quiet)); then cat >/dev/null; return; fi
  awk '/^\[[0-9]+\/[0-9]+\]/ { split(substr($1, 2), kn, "/"); tenth = int(kn[1] * 10 / kn[2]);
         if (tenth > shown) { shown = tenth; printf "      %d%% (%d of %d steps)\n", tenth * 10, kn[1], kn[2] > "/dev/stderr" } }'
}

say "[1/4] Debian packages, PowerShell and Pester (cmake/install-deps.sh)"
if ((quiet)); then bash cmake/install-deps.sh -q; else bash cmake/install-deps.sh | sed 's/^/      /' >&2; fi
say "[2/4] configuring the Windows cross build (cmake --preset windows)"
cmake --preset windows >/dev/null
say "[3/4] building shadowctl.exe, the VSS emulator and the test programs (MinGW-w64)"
cmake --build --preset windows | progress

export WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES=vssapi,wevtapi=n
export WINEPREFIX=$PWD/build/windows/wine/prefix-emulator
export PLAIN_PREFIX=$PWD/build/windows/wine/prefix-plain EMULATOR_PREFIX=$WINEPREFIX
export WORK_DIR=$PWD/build/windows/wine EMULATOR_DLL=$PWD/build/windows/tests/emulator/dll/vssapi.dll
export WEVTAPI_DLL=$PWD/build/windows/tests/emulator/wevtapi/wevtapi.dll  # its event log
export SHADOWCTL_EXE=$PWD/build/windows/shadowctl.exe JSON_DIR=$WORK_DIR/json-documents
say "[4/4] the private Wine prefix with the emulator's vssapi.dll and wevtapi.dll (the first time: about 20 s)"
bash tests/wine/wine-test.sh setup_emulator_prefix >/dev/null
say "      ready in $((SECONDS - started)) s"
# One emulated machine across runs, so that `create` then `list shadows` shows the copy;
# delete the file to start again from an empty machine.
export SHADOWCTL_EMULATOR_STATE="Z:${WORK_DIR//\//\\}\\demo-machine.json"

say "shadowctl.exe under Wine, against the VSS emulator (tests/emulator), not real VSS:"
(($# > 0)) || set -- check
exec wine "$SHADOWCTL_EXE" "$@" 2> >(grep -v -e 'wine32 is missing' -e 'multiarch needs' \
  -e 'dpkg --add-architecture' -e 'apt-get install wine32' -e '^execute ' >&2)
