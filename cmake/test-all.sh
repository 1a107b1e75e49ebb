#!/usr/bin/env bash
# Installs what is missing (Debian 12), then builds and tests every preset: the native
# tests, the same tests under ASan+UBSan, and the Windows cross build with its Wine tests.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
bash cmake/install-deps.sh
for preset in native sanitize fuzz windows; do
  echo "== $preset"
  from=$SECONDS
  cmake --workflow --preset "$preset"
  echo "== $preset passed in $((SECONDS - from)) s (logs: build/$preset/Testing/Temporary/)"
done
echo "== all presets passed in $((SECONDS - started)) s"
