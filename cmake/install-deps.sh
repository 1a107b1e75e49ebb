#!/usr/bin/env bash
# Installs the Debian 12 packages shadowctl's builds and tests need, and PowerShell 7 and
# Pester for the module's tests. Idempotent: what is installed already is skipped, and apt is
# not touched at all when nothing is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  googletest libgtest-dev libgmock-dev
  libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  g++-mingw-w64-x86-64-posix wine64 wine
  python3 python3-jsonschema python3-yaml
  clang libclang-rt-14-dev
  hyperfine time valgrind
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# PowerShell 7 and Pester 5, for the ShadowCtl module's tests (tests/powershell): PowerShell
# as a .NET tool (7.6.10: the unpinned latest does not install here), Pester as a NuGet
# package downloaded into the NuGet cache. Without the .NET SDK they cannot be had, and the
# PowerShell tests say so loudly and are skipped; everything else still runs.
pwsh_version=7.6.10
pester_version=5.7.1
if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-deps: WARNING: no .NET SDK (dotnet): PowerShell $pwsh_version and Pester" \
       "$pester_version cannot be installed, so the PowerShell tests will be SKIPPED" >&2
  exit 0
fi
if [[ -x $HOME/.dotnet/tools/pwsh ]]; then
  echo "install-deps: PowerShell present"
else
  echo "install-deps: installing PowerShell $pwsh_version (dotnet tool)"
  dotnet tool install --global PowerShell --version "$pwsh_version"
fi
nuget_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
if [[ -f $nuget_packages/pester/$pester_version/tools/Pester.psd1 ]]; then
  echo "install-deps: Pester $pester_version present"
else
  echo "install-deps: downloading Pester $pester_version (NuGet)"
  download=$(mktemp -d)
  printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk">' \
    '  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>' \
    "  <ItemGroup><PackageDownload Include=\"Pester\" Version=\"[$pester_version]\" /></ItemGroup>" \
    '</Project>' >"$download/pester.csproj"
  (cd "$download" && dotnet restore --nologo -v q)
  rm -rf "$download"
  [[ -f $nuget_packages/pester/$pester_version/tools/Pester.psd1 ]] ||
    { echo "install-deps: Pester $pester_version did not arrive in $nuget_packages" >&2; exit 1; }
fi
