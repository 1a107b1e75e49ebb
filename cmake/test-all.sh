#!/usr/bin/env bash
# Installs what is missing (Debian 12), then builds and tests every preset: the native
# tests, the same tests under ASan+UBSan, a fixed number of runs of each fuzz target, and
# the Windows cross build with its Wine and PowerShell tests. Each preset's whole output
# goes to build/PRESET.log too; -q shows only each preset's one-line result (and, when one
# fails, the end of its log).
set -euo pipefail
cd "$(dirname "$0")/.."

quiet=0
[[ ${1:-} == -q ]] && quiet=1
started=$SECONDS
if ((quiet)); then bash cmake/install-deps.sh -q; else bash cmake/install-deps.sh; fi
# The PowerShell module's tests need PowerShell 7 and Pester, which install-deps installs
# only where the .NET SDK is; without them they are skipped, and that must not pass unseen.
no_powershell=""
if [[ ! -x $HOME/.dotnet/tools/pwsh ]] && ! command -v pwsh >/dev/null 2>&1; then
  no_powershell="!!! PowerShell 7 is not installed (no .NET SDK): the PowerShell tests are SKIPPED"
  echo "$no_powershell" >&2
fi
mkdir -p build
presets=(native sanitize fuzz windows)
for i in "${!presets[@]}"; do
  preset=${presets[$i]}
  log=build/$preset.log
  echo "== [$((i + 1))/${#presets[@]}] $preset: configure, build, test (log: $log)"
  from=$SECONDS
  if ((quiet)); then
    cmake --workflow --preset "$preset" >"$log" 2>&1 ||
      { tail -n 60 "$log" >&2; echo "== $preset FAILED after $((SECONDS - from)) s (log: $log)" >&2; exit 1; }
  else
    cmake --workflow --preset "$preset" 2>&1 | tee "$log"
  fi
  summary=$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1 || true)
  echo "== $preset passed in $((SECONDS - from)) s: ${summary:-no test summary} (logs: $log, build/$preset/Testing/Temporary/)"
done
echo "== all presets passed in $((SECONDS - started)) s"
if [[ -n $no_powershell ]]; then echo "$no_powershell" >&2; fi
