#!/usr/bin/env bash
# Installs what is missing (Debian 12), then builds and tests every preset: the native
# tests, the same tests under ASan+UBSan, and the Windows cross build with its Wine tests.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
bash cmake/install-deps.sh
# The PowerShell module's tests need PowerShell 7 and Pester, which install-deps installs
# only where the .NET SDK is; without them they are skipped, and that must not pass unseen.
no_powershell=""
if [[ ! -x $HOME/.dotnet/tools/pwsh ]] && ! command -v pwsh >/dev/null 2>&1; then
  no_powershell="!!! PowerShell 7 is not installed (no .NET SDK): the PowerShell tests are SKIPPED"
  echo "$no_powershell" >&2
fi
for preset in native sanitize fuzz windows; do
  echo "== $preset"
  from=$SECONDS
  cmake --workflow --preset "$preset"
  echo "== $preset passed in $((SECONDS - from)) s (logs: build/$preset/Testing/Temporary/)"
done
echo "== all presets passed in $((SECONDS - started)) s"
if [[ -n $no_powershell ]]; then echo "$no_powershell" >&2; fi
