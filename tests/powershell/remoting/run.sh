#!/usr/bin/env bash
# The ShadowCtl module across machines through PowerShell remoting over SSH, for real: three
# sshd servers on loopback (127.0.0.2, .3 and .4, one port), each with the PowerShell
# subsystem and its own emulated machine (its own state file; the third's VSS broken by a
# scenario), a key made for the run, and PowerShell 7 on the calling side. Nothing listens
# beyond loopback; each sshd is stopped when this script ends, however it ends, and the
# Pester run is bounded in time. CMake passes SHADOWCTL_EXE, WORK_DIR and EMULATOR_PREFIX.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
. "$here/../launcher.sh"
find_powershell
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[[ -x $sshd ]] || { echo "remoting: no sshd: bash cmake/install-deps.sh installs openssh-server" >&2; exit 1; }

work=$WORK_DIR/remoting
rm -rf "$work"; mkdir -p "$work/modules"
# The module installed on each "server" as the release zip installs it: a folder named
# ShadowCtl on PSModulePath (the exe is found through SHADOWCTL_EXE, the launcher).
ln -s "$src/src/powershell" "$work/modules/ShadowCtl"
ssh-keygen -q -t ed25519 -N '' -C shadowctl-test -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -C shadowctl-test -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
# The folder sshd's privilege separation needs (Debian's is /run/sshd), made by its service
# otherwise; only root can, and a user's sshd can do without it.
mkdir -p /run/sshd 2>/dev/null || true

addresses=(127.0.0.2 127.0.0.3 127.0.0.4)
broken=127.0.0.4
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.2", 0)); print(s.getsockname()[1])')
# Each sshd forks into the background once it listens, so the tests never wait for it; its
# pid file says what to stop.
stop() {
  for address in "${addresses[@]}"; do
    [[ -f $work/$address/sshd.pid ]] && kill "$(cat "$work/$address/sshd.pid")" 2>/dev/null
  done
  return 0
}
trap stop EXIT

for address in "${addresses[@]}"; do
  host=$work/$address
  mkdir -p "$host"
  write_launcher "$host"
  scenario=""
  if [[ $address == "$broken" ]]; then
    # VSS broken on this one: every backup components object fails to be made.
    echo '{"faults": [{"method": "CreateVssBackupComponents", "hresult": "VSS_E_UNEXPECTED"}]}' >"$host/scenario.json"
    scenario="export SHADOWCTL_EMULATOR_SCENARIO='$(winpath "$host/scenario.json")'"
  fi
  # The PowerShell subsystem of this "server": its own machine, as its environment says.
  cat >"$host/subsystem" <<SUBSYSTEM
#!/usr/bin/env bash
export WINEDEBUG=-all WINEARCH=win64 WINEPREFIX='$EMULATOR_PREFIX' WINEDLLOVERRIDES=vssapi,wevtapi=n
unset DISPLAY WAYLAND_DISPLAY
export SHADOWCTL_EXE='$host/shadowctl'
export SHADOWCTL_EMULATOR_STATE='$(winpath "$host/state.json")'
export SHADOWCTL_EMULATOR_JOURNAL='$(winpath "$host/journal.jsonl")'
export SHADOWCTL_EMULATOR_REPORT='$(winpath "$host/report.json")'
export PSModulePath='$work/modules'
$scenario
exec '$pwsh' -sshs -NoLogo -NoProfile
SUBSYSTEM
  chmod +x "$host/subsystem"
  cat >"$host/sshd_config" <<CONFIG
ListenAddress $address:$port
HostKey $work/host_key
PidFile $host/sshd.pid
AuthorizedKeysFile $work/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem powershell $host/subsystem
CONFIG
  "$sshd" -f "$host/sshd_config" -E "$host/sshd.log" ||
    { echo "remoting: sshd did not start on $address:$port:" >&2; cat "$host/sshd.log" >&2; exit 1; }
done

export SHADOWCTL_TEST_HOSTS; SHADOWCTL_TEST_HOSTS=$(IFS=,; echo "${addresses[*]}")
export SHADOWCTL_TEST_BROKEN=$broken SHADOWCTL_TEST_PORT=$port SHADOWCTL_TEST_KEY=$work/client_key
export SHADOWCTL_TEST_USER; SHADOWCTL_TEST_USER=$(id -un)
export SHADOWCTL_TEST_WORK=$work SHADOWCTL_MODULE=$src/src/powershell/ShadowCtl.psd1
# The Pester suite, or with SHADOWCTL_REMOTING_SCRIPT another PowerShell script against the
# same three servers (tests/bench/remoting.ps1, part 7 of the benchmarks).
run="$(declare -f run_pester); pwsh='$pwsh' pester='$pester' run_pester '$here/Remoting.Tests.ps1'"
if [[ -n ${SHADOWCTL_REMOTING_SCRIPT:-} ]]; then
  run="exec '$pwsh' -NoProfile -NonInteractive -File '$SHADOWCTL_REMOTING_SCRIPT'"
fi
# Bounded: the whole run, however a session hangs. In the background and waited for, so
# that a signal to this script (ctest's timeout, Ctrl+C) stops it and the servers at once.
timeout --kill-after=10 600 bash -c "$run" &
tests=$!
trap 'kill "$tests" 2>/dev/null; exit 143' TERM INT HUP
wait "$tests"
