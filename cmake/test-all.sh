#!/usr/bin/env bash
# Installs what is missing (Debian 12), then builds and tests every preset: the native
# tests, the same tests under ASan+UBSan, and the Windows cross build with its Wine tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash cmake/install-deps.sh
for preset in native sanitize fuzz windows; do
  echo "== $preset"
  cmake --workflow --preset "$preset"
done
echo "== all presets passed"
