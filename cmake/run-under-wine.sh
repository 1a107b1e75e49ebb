#!/usr/bin/env bash
# Builds the Windows shadowctl.exe and the VSS emulator DLL, then runs `shadowctl ARGS...`
# (default: check) under Wine against the emulator in a private prefix. This is Wine and an
# emulator of VSS, not Windows: it shows what the tool does, not what a real VSS does.
set -euo pipefail
cd "$(dirname "$0")/.."

bash cmake/install-deps.sh >/dev/null
cmake --preset windows >/dev/null
cmake --build --preset windows >/dev/null

export WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES=vssapi,wevtapi=n
export WINEPREFIX=$PWD/build/windows/wine/prefix-emulator
export PLAIN_PREFIX=$PWD/build/windows/wine/prefix-plain EMULATOR_PREFIX=$WINEPREFIX
export WORK_DIR=$PWD/build/windows/wine EMULATOR_DLL=$PWD/build/windows/tests/emulator/dll/vssapi.dll
export WEVTAPI_DLL=$PWD/build/windows/tests/emulator/wevtapi/wevtapi.dll  # its event log
export SHADOWCTL_EXE=$PWD/build/windows/shadowctl.exe JSON_DIR=$WORK_DIR/json-documents
bash tests/wine/wine-test.sh setup_emulator_prefix >/dev/null
# One emulated machine across runs, so that `create` then `list shadows` shows the copy;
# delete the file to start again from an empty machine.
export SHADOWCTL_EMULATOR_STATE="Z:${WORK_DIR//\//\\}\\demo-machine.json"

echo "shadowctl.exe under Wine, against the VSS emulator (tests/emulator), not real VSS:" >&2
(($# > 0)) || set -- check
exec wine "$SHADOWCTL_EXE" "$@" 2> >(grep -v -e 'wine32 is missing' -e 'multiarch needs' \
  -e 'dpkg --add-architecture' -e 'apt-get install wine32' -e '^execute ' >&2)
