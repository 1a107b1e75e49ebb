# Sourced by the PowerShell test scripts. write_launcher DIR writes DIR/shadowctl, which
# runs the real shadowctl.exe ($SHADOWCTL_EXE) under Wine with the environment it is given
# (the emulator's prefix, state, journal and report) and logs each run's exit code and
# arguments to DIR/runs.log, for the docs' examples (DocsBlocks.Tests.ps1).
# Exit 1 with nothing at all on either stream is not an outcome of shadowctl's (every
# failure writes an error or a document): Wine never started the process, as wine-test.sh's
# run() has seen on CI. It is started again once, and the note says so on stderr.
write_launcher() {
  local dir=$1
  cat >"$dir/shadowctl" <<LAUNCHER
#!/usr/bin/env bash
out=\$(mktemp) err=\$(mktemp)
wine "$SHADOWCTL_EXE" "\$@" >"\$out" 2>"\$err"
code=\$?
if [[ \$code == 1 && ! -s \$out && ! -s \$err && -z \${SHADOWCTL_EMULATOR_SCENARIO:-} ]]; then
  echo "note: 'shadowctl \$*' exited 1 with no output at all; started again once" >&2
  wine "$SHADOWCTL_EXE" "\$@" >"\$out" 2>"\$err"
  code=\$?
fi
# Wine's own loader can abort as the process ends ("Inconsistency detected by ld.so",
# exit 127), losing the exit code shadowctl gave; its JSON document still says it.
if [[ \$code == 127 ]] && grep -q 'Inconsistency detected by ld.so' "\$err" &&
   doc_code=\$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit_code"])' "\$out" 2>/dev/null); then
  echo "note: Wine aborted at the end of 'shadowctl \$*' (ld.so); the exit code is the document's" >&2
  code=\$doc_code
fi
cat "\$out"
cat "\$err" >&2
rm -f "\$out" "\$err"
printf '%s %s\\n' "\$code" "\$*" >>"$dir/runs.log"
exit \$code
LAUNCHER
  chmod +x "$dir/shadowctl"
}

winpath() { local p=${1//\//\\}; echo "Z:$p"; }

# PowerShell 7 and Pester 5.7.1, or exit 77 (ctest: skipped) with a loud note.
find_powershell() {
  pwsh=$HOME/.dotnet/tools/pwsh
  command -v pwsh >/dev/null 2>&1 && pwsh=$(command -v pwsh)
  pester=${NUGET_PACKAGES:-$HOME/.nuget/packages}/pester/5.7.1/tools/Pester.psd1
  if [[ ! -x $pwsh || ! -f $pester ]]; then
    echo "!!! SKIPPED: the PowerShell tests need PowerShell 7 and Pester 5.7.1 ($pwsh, $pester)." >&2
    echo "!!! Run bash cmake/install-deps.sh on a machine with the .NET SDK." >&2
    exit 77
  fi
}

# run_pester PATH...: the Pester tests in the files given, in detail; exits with their result.
run_pester() {
  local paths
  paths=$(printf "'%s'," "$@")
  exec "$pwsh" -NoProfile -NonInteractive -Command "
    Import-Module '$pester'
    \$c = New-PesterConfiguration
    \$c.Run.Path = @(${paths%,})
    \$c.Run.Exit = \$true
    \$c.Output.Verbosity = 'Detailed'
    Invoke-Pester -Configuration \$c"
}
