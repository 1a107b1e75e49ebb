#!/usr/bin/env bash
# Installs the Debian 12 packages shadowctl's builds and tests need, and PowerShell 7 and
# Pester for the module's tests. Idempotent: what is installed already is skipped, and apt is
# not touched at all when nothing is missing.
set -euo pipefail
# -q: only warnings and errors.
quiet=0
[[ ${1:-} == -q ]] && quiet=1
say() { ((quiet)) || echo "install-deps: $*"; }
started=$SECONDS

# The packages, by what they are for; a group is named as it is checked.
groups=(
  "the native build:cmake ninja-build g++ pkg-config"
  "the tests:googletest libgtest-dev libgmock-dev python3 python3-jsonschema python3-yaml"
  "the libraries:libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev"
  "the Windows cross build and Wine:g++-mingw-w64-x86-64-posix wine64 wine"
  "the sanitizers and fuzzers:clang libclang-rt-14-dev"
  "the benchmarks:hyperfine time valgrind"
  "the PowerShell remoting tests (sshd on loopback):openssh-server openssh-client"
)
packages=()
missing=()
for group in "${groups[@]}"; do
  name=${group%%:*}
  read -ra members <<<"${group#*:}"
  packages+=("${members[@]}")
  lacking=()
  for p in "${members[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || lacking+=("$p")
  done
  if ((${#lacking[@]} == 0)); then
    say "$name: present"
  else
    say "$name: to install: ${lacking[*]}"
    missing+=("${lacking[@]}")
  fi
done

if ((${#missing[@]} == 0)); then
  say "all ${#packages[@]} Debian packages present"
else
  say "installing ${#missing[@]} Debian packages (apt-get; a few minutes on a fresh machine)"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "installed them in $((SECONDS - started)) s"
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
  say "PowerShell present"
else
  say "installing PowerShell $pwsh_version (a .NET tool)"
  dotnet tool install --global PowerShell --version "$pwsh_version" >/dev/null
fi
nuget_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
if [[ -f $nuget_packages/pester/$pester_version/tools/Pester.psd1 ]]; then
  say "Pester $pester_version present"
else
  say "downloading Pester $pester_version (NuGet)"
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
say "done in $((SECONDS - started)) s"
