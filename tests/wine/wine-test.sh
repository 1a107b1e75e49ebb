#!/usr/bin/env bash
# One Wine test case per call: wine-test.sh CASE. CMake passes SHADOWCTL_EXE, EMULATOR_DLL,
# PLAIN_PREFIX, EMULATOR_PREFIX, WORK_DIR and JSON_DIR in the environment.
set -euo pipefail

export WINEDEBUG=-all WINEARCH=win64
unset DISPLAY WAYLAND_DISPLAY

fail() { echo "FAIL: $*" >&2; exit 1; }

# A Unix path as the Windows program sees it (Wine maps / to Z:).
winpath() { local p=${1//\//\\}; echo "Z:$p"; }

EMULATOR_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../emulator" && pwd)

# Runs shadowctl.exe; sets $out, $err, $code, and $doc_text: the JSON document, which is stdout
# but for exec, whose stdout is its command's (exec reports on stderr). Saves --json
# documents for the schema test.
# The size of this case's emulator journal, or "none".
journal_size() {
  if [[ -n ${case_dir:-} && -f $case_dir/journal.jsonl ]]; then stat -c %s "$case_dir/journal.jsonl"; else echo none; fi
}

# Whether Wine's own loader aborted as the run whose output is in $1 ended (exit 127).
wine_aborted() { [[ $code == 127 ]] && grep -q 'Inconsistency detected by ld.so' "$1/err"; }

run() {
  local dir; dir=$(mktemp -d "$WORK_DIR/run.XXXXXX")
  local journal_before; journal_before=$(journal_size)
  set +e
  wine "$exe" "$@" >"$dir/out" 2>"$dir/err"
  code=$?
  # Exit 1 with nothing at all on either stream is not an outcome of shadowctl's (every
  # failure writes an error line or a document): the process never ran. Seen on CI (stops
  # 37, 38, 40), in cases with and without a scenario. Started again once, and said so on
  # the case's stderr; a run a scenario killed is not: it journalled the call it died at,
  # where a process that never ran journalled nothing.
  if [[ $code == 1 && ! -s $dir/out && ! -s $dir/err &&
        ( -z ${SHADOWCTL_EMULATOR_SCENARIO:-} || $(journal_size) == "$journal_before" ) ]]; then
    echo "note: 'shadowctl $*' exited 1 with no output at all; started again once" >&2
    wine "$exe" "$@" >"$dir/out" 2>"$dir/err"
    code=$?
  fi
  # Wine's own loader can abort as the process ends ("Inconsistency detected by ld.so:
  # dl-fini.c", exit 127; seen on CI at stop 41 under load): the exit code shadowctl gave is
  # lost. Started again once, and said so, when the run made no VSS call (the journal did
  # not grow), so nothing is done twice.
  if wine_aborted "$dir" && [[ $(journal_size) == "$journal_before" ]]; then
    echo "note: Wine aborted at the end of 'shadowctl $*' (ld.so, exit 127); started again once" >&2
    wine "$exe" "$@" >"$dir/out" 2>"$dir/err"
    code=$?
  fi
  # A run that did make VSS calls is not run again; its JSON document, where it wrote one,
  # still says the exit code it gave.
  local doc_code
  if wine_aborted "$dir" &&
     doc_code=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit_code"])' "$dir/out" 2>/dev/null); then
    echo "note: Wine aborted at the end of 'shadowctl $*' (ld.so); the exit code is the document's" >&2
    code=$doc_code
  fi
  set -e
  out=$(cat "$dir/out"); err=$(grep -v -e 'wine32 is missing' -e 'multiarch needs' \
    -e 'dpkg --add-architecture' -e 'apt-get install wine32' -e '^execute ' "$dir/err" || true)
  # shadowctl's own --json: not one after "--", which belongs to exec's command.
  local own=" " a
  for a in "$@"; do [[ $a == -- ]] && break; own+="$a "; done
  local doc_file=$dir/out
  [[ $own == *" exec "* || $own == *" schedule run "* ]] && doc_file=$dir/err
  doc_text=$(grep -v -e 'wine32 is missing' -e 'multiarch needs' -e 'dpkg --add-architecture' \
    -e 'apt-get install wine32' -e '^execute ' "$doc_file" || true)
  if [[ $own == *" --json "* ]]; then
    mkdir -p "$JSON_DIR"
    printf '%s\n' "$doc_text" >"$JSON_DIR/${case_name}.$(basename "$dir").json"
  fi
  rm -rf "$dir"
}

expect_code() { [[ $code == "$1" ]] || fail "exit code $code, expected $1; stdout: $out; stderr: $err"; }
expect_out() { [[ $out == *"$1"* ]] || fail "stdout lacks '$1'; stdout: $out"; }
expect_err() { [[ $err == *"$1"* ]] || fail "stderr lacks '$1'; stderr: $err"; }
# A field of the check named $1 in a `check --json` document (by name, never by position).
check_field() { /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); c=[c for c in d["result"]["checks"] if c["name"]==sys.argv[1]][0]; print(eval("c"+sys.argv[2]))' "$1" "$2" <<<"$doc_text"; }
json_field() { /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(eval("d"+sys.argv[1]))' "$1" <<<"$doc_text"; }
# A Python expression over the document d.
json_eval() { /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$1" <<<"$doc_text"; }
# "change path" of each of diff's changes, one a line.
diff_changes() { /usr/bin/python3 -c 'import json,sys; [print(c["change"], c["path"]) for c in json.loads(sys.stdin.read())["result"]["changes"]]' <<<"$doc_text"; }

# Creates a prefix once (10-20 s), with a VSS service entry as real Windows has: Wine has no
# VSS service, and check would stop there.
make_prefix() {
  export WINEPREFIX=$1
  if [[ ! -f $WINEPREFIX/.shadowctl-ready ]]; then
    rm -rf "$WINEPREFIX"
    mkdir -p "$(dirname "$WINEPREFIX")"
    wineboot -i >/dev/null 2>&1
    local key='HKLM\System\CurrentControlSet\Services\VSS'
    wine reg add "$key" /v Type /t REG_DWORD /d 16 /f >/dev/null 2>&1
    wine reg add "$key" /v Start /t REG_DWORD /d 3 /f >/dev/null 2>&1
    wine reg add "$key" /v ImagePath /t REG_EXPAND_SZ /d '%SystemRoot%\system32\vssvc.exe' /f >/dev/null 2>&1
    wineserver -w
    [[ -f $WINEPREFIX/drive_c/windows/system32/vssapi.dll ]] || fail "no vssapi.dll in the new prefix"
    touch "$WINEPREFIX/.shadowctl-ready"
  fi
}

setup_plain_prefix() {
  make_prefix "$PLAIN_PREFIX"
  # Wine's own placeholder must stay: the tests rely on System32 holding Wine's vssapi.dll.
  grep -aqE "Wine (builtin|placeholder) DLL" "$PLAIN_PREFIX/drive_c/windows/system32/vssapi.dll" ||
    fail "prefix-plain's vssapi.dll is not Wine's own"
}

setup_emulator_prefix() {
  make_prefix "$EMULATOR_PREFIX"
  cp "$EMULATOR_DLL" "$EMULATOR_PREFIX/drive_c/windows/system32/vssapi.dll"
  # The emulated machine's event log, where shadowctl reads it: System32's wevtapi.dll.
  cp "$WEVTAPI_DLL" "$EMULATOR_PREFIX/drive_c/windows/system32/wevtapi.dll"
  # The COM classes Windows serves for providers and shadow storage, here from the emulator.
  if [[ ! -f $EMULATOR_PREFIX/.shadowctl-com ]]; then
    local clsid
    for clsid in '{e579ab5f-1cc4-44b4-bed9-de0991ff0623}' '{0b5a2c52-3eb9-470a-96e2-6c6d4570e40f}'; do
      wine reg add "HKCR\\CLSID\\$clsid\\InprocServer32" /ve /d 'C:\windows\system32\vssapi.dll' /f >/dev/null 2>&1
      wine reg add "HKCR\\CLSID\\$clsid\\InprocServer32" /v ThreadingModel /d Both /f >/dev/null 2>&1
    done
    wineserver -w
    touch "$EMULATOR_PREFIX/.shadowctl-com"
  fi
  # D:, a small volume of the emulated machine's own: a dosdevices link made before any run
  # is a fixed drive with a volume GUID name, and the emulator freezes its tree into each
  # shadow copy of it (docs/emulator.md, "Contents"). Only the contents cases write in it.
  mkdir -p "$WORK_DIR/volume-d"
  ln -sfn "$WORK_DIR/volume-d" "$EMULATOR_PREFIX/dosdevices/d:"
}

# The frozen trees of shadow copies, as the emulator keeps them under Wine: at the device
# path, through the prefix's dosdevices\globalroot.
frozen_trees() { ls "$EMULATOR_PREFIX/dosdevices/globalroot/Device" 2>/dev/null || true; }

# Per-case files for the emulator: scenario, journal, leak report.
emulator_env() {
  # OANOCACHE: Wine's oleaut32 then frees BSTRs through IMalloc, where the emulator sees it.
  export WINEPREFIX=$EMULATOR_PREFIX WINEDLLOVERRIDES=vssapi,wevtapi=n OANOCACHE=1
  case_dir=$WORK_DIR/cases/$case_name
  rm -rf "$case_dir"; mkdir -p "$case_dir"
  export SHADOWCTL_EMULATOR_JOURNAL; SHADOWCTL_EMULATOR_JOURNAL=$(winpath "$case_dir/journal.jsonl")
  export SHADOWCTL_EMULATOR_REPORT; SHADOWCTL_EMULATOR_REPORT=$(winpath "$case_dir/report.json")
  export SHADOWCTL_EMULATOR_STATE; SHADOWCTL_EMULATOR_STATE=$(winpath "$case_dir/state.json")
  if [[ -n ${1:-} ]]; then
    printf '%s' "$1" >"$case_dir/scenario.json"
    export SHADOWCTL_EMULATOR_SCENARIO; SHADOWCTL_EMULATOR_SCENARIO=$(winpath "$case_dir/scenario.json")
  fi
}

# Another process starts at the Nth call of METHOD, as the scenario's "run" (docs/emulator.md);
# the state and journal are kept. another_process_at METHOD WHEN PROGRAM ARGS...
another_process_at() {
  /usr/bin/python3 -c 'import json,sys; print(json.dumps({"faults": [{"method": sys.argv[1], "when": int(sys.argv[2]) if sys.argv[2].isdigit() else sys.argv[2], "run": sys.argv[3:]}]}))' \
    "$@" >"$case_dir/scenario.json"
  export SHADOWCTL_EMULATOR_SCENARIO; SHADOWCTL_EMULATOR_SCENARIO=$(winpath "$case_dir/scenario.json")
}
in_creation_or_shadows_left() {
  /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(len(m["shadows"]), bool(m.get("in_creation")))' "$case_dir/state.json"
}

# The emulator's report after the last run: every count must be zero.
expect_no_leaks() {
  expect_report '{"live_references": 0, "unfreed_allocations": 0, "sets_left_unfinished": 0, "aborts_owed": 0, "results_owed": 0, "writers_left_waiting": 0}'
}
expect_report() {
  [[ -f $case_dir/report.json ]] || fail "the emulator wrote no report"
  [[ $(cat "$case_dir/report.json") == "$1" ]] || fail "emulator report: $(cat "$case_dir/report.json"), expected $1"
  rm -f "$case_dir/report.json"
}

# Runs the requester probe (tests/emulator/dll/requester_probe.cpp); sets $out and $code.
probe() {
  set +e
  out=$(wine "$PROBE_EXE" "$@" 2>/dev/null)
  code=$?
  doc_text=$out
  set -e
}

journal_methods() { /usr/bin/python3 -c '
import json,sys
print(" ".join(json.loads(l)["method"] for l in open(sys.argv[1])))' "$case_dir/journal.jsonl"; }

check_with_wines_own_vssapi_is_vss_unavailable() {
  export WINEPREFIX=$PLAIN_PREFIX
  run check
  expect_code 4
  expect_out "FAIL  backup_components"
  expect_err "error: E_NOTIMPL (0x80004001) during CreateVssBackupComponents"
  expect_err "VSS is not available here"
  run --json check
  expect_code 4
  [[ $(json_field '["error"]["name"]') == E_NOTIMPL ]] || fail "JSON error is not E_NOTIMPL: $out"
  [[ $(json_field '["ok"]') == False ]] || fail "JSON ok is not false"
  [[ -z $err ]] || fail "stderr not empty with --json: $err"
}

planted_vssapi_beside_exe_is_not_loaded() {
  # The emulator DLL (which would pass) sits beside the exe, and Wine is told to prefer a
  # native vssapi.dll: only a System32-only load keeps Wine's own (E_NOTIMPL).
  export WINEPREFIX=$PLAIN_PREFIX WINEDLLOVERRIDES=vssapi=n,b
  local dir=$WORK_DIR/planted
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$SHADOWCTL_EXE" "$dir/shadowctl.exe"
  cp "$EMULATOR_DLL" "$dir/vssapi.dll"
  export SHADOWCTL_EMULATOR_JOURNAL; SHADOWCTL_EMULATOR_JOURNAL=$(winpath "$dir/journal.jsonl")
  exe=$dir/shadowctl.exe
  run check
  expect_code 4
  expect_err "E_NOTIMPL"
  expect_out 'loaded C:\windows\system32\vssapi.dll'
  [[ ! -e $dir/journal.jsonl ]] || fail "the planted vssapi.dll was called: $(cat "$dir/journal.jsonl")"
}

# DLLs the tool or COM load by name, planted beside the exe and preferred by Wine's
# override: the search path locked to System32 first thing keeps them out.
planted_system_dll_of_another_name_is_not_loaded() {
  emulator_env
  local dir=$WORK_DIR/planted-other
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$SHADOWCTL_EXE" "$dir/shadowctl.exe"
  local name
  for name in ole32 oleaut32 rpcrt4 version; do cp "$PLANTED_DLL" "$dir/$name.dll"; done
  export WINEDLLOVERRIDES="vssapi=n;ole32,oleaut32,rpcrt4,version=n,b"
  exe=$dir/shadowctl.exe
  run list providers
  expect_code 0
  local loaded
  loaded=$(ls "$dir"/*.loaded 2>/dev/null || true)
  [[ -z $loaded ]] || fail "a planted DLL was loaded: $loaded"
}

# "Security Considerations for Requesters": CoInitializeSecurity as advised, and COM told
# not to swallow exceptions.
com_security_as_requesters_are_advised() {
  emulator_env
  run -vv list providers
  expect_code 0
  expect_err "CoInitializeSecurity -> 0x00000000"
  expect_err "IGlobalOptions::Set(COMGLB_EXCEPTION_HANDLING) -> 0x00000000"
}

check_with_emulator_passes() {
  emulator_env
  run check
  expect_no_leaks
  expect_code 0
  expect_out 'loaded C:\windows\system32\vssapi.dll'
  expect_out "ok    backup_components  CreateVssBackupComponents and InitializeForBackup succeeded"
  expect_out "VSS can be used on this machine."
  [[ $(journal_methods) == "CreateVssBackupComponents InitializeForBackup Release "* ]] ||
    fail "unexpected call sequence: $(journal_methods)"
  # check takes nothing a backup could need; only --deep probes for a set in creation, by
  # starting an empty set and aborting it at once.
  [[ $(journal_methods) != *StartSnapshotSet* ]] || fail "check took the set slot: $(journal_methods)"
  expect_out "skip  set_in_creation    not run: it takes the machine's one set-in-creation slot"
  : >"$case_dir/journal.jsonl"
  run check --deep
  expect_code 0
  [[ $(journal_methods) == *" StartSnapshotSet AbortBackup Release "* ]] ||
    fail "the set probe was not aborted: $(journal_methods)"
  expect_out "no other snapshot set is being created"
  run --json check
  expect_no_leaks
  expect_code 0
  [[ $(json_field '["ok"]') == True ]] || fail "JSON ok is not true: $out"
  run -vv check
  expect_no_leaks
  expect_code 0
  expect_err "debug: CreateVssBackupComponents -> 0x00000000 ("
  expect_err "debug: InitializeForBackup -> 0x00000000 ("
}

check_with_emulator_access_denied_exits_3() {
  emulator_env '{"faults": [{"method": "CreateVssBackupComponents", "hresult": "E_ACCESSDENIED"}]}'
  run check
  expect_code 3
  expect_err "error: E_ACCESSDENIED (0x80070005) during CreateVssBackupComponents"
  expect_err "hint: Run from an elevated console"
  expect_no_leaks
  run --json check
  expect_no_leaks
  expect_code 3
  [[ $(json_field '["error"]["hresult"]') == 0x80070005 ]] || fail "JSON hresult: $out"
}

explain_reads_utf16_arguments() {
  export WINEPREFIX=$PLAIN_PREFIX
  run explain "vss_é_ß"
  expect_code 2
  expect_err "'vss_é_ß' is not an error code"
  run explain 0x80042306
  expect_code 0
  expect_out "VSS_E_PROVIDER_VETO (0x80042306, -2147212538)"
  run --json explain vss_e_snapshot_set_in_progress
  expect_code 0
  # Not in the catalogue: decoded, with Windows' own message from FormatMessage.
  run explain 0x80070021
  expect_code 0
  expect_out "HRESULT_FROM_WIN32(33)"
  # Wine's wording of error 33; Windows words it differently. Either way it precedes ours.
  expect_out "meaning:    Lock violation. Failure code 33 in FACILITY_WIN32"
}

unicode_log_file_path() {
  export WINEPREFIX=$PLAIN_PREFIX
  local dir="$WORK_DIR/unicode/Données-журнал"
  rm -rf "$WORK_DIR/unicode"; mkdir -p "$dir"
  run --log-file "$(winpath "$dir/shadowctl-é.log")" explain E_FAIL
  expect_code 0
  [[ -s $dir/shadowctl-é.log ]] || fail "no log at the non-ASCII path: $(ls -R "$WORK_DIR/unicode")"
  grep -qE "debug shadowctl $PROJECT_VERSION \(([0-9a-f]{12}(-dirty)?|unknown)\) explain" "$dir/shadowctl-é.log" || fail "log lacks the debug line"
}

console_shows_non_ascii_text() {
  # A pseudo-terminal makes Wine give the exe a real console, so output goes through
  # WriteConsoleW; the terminal then receives UTF-8 from Wine's console.
  export WINEPREFIX=$PLAIN_PREFIX
  local text
  text=$(script -qc "wine '$exe' --no-color explain 'vss_é_ß_журнал'" /dev/null 2>&1 |
    sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' | tr -d '\r')
  [[ $text == *"'vss_é_ß_журнал' is not an error code"* ]] || fail "console output: $text"
}

probe_persistent_shadow_is_seen_by_another_process() {
  emulator_env
  probe create 0x1d  # VSS_CTX_CLIENT_ACCESSIBLE: no writers, so no PrepareForBackup
  expect_code 0
  expect_out 'device \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy1'
  [[ $out != *PrepareForBackup* && $out != *BackupComplete* ]] || fail "writer calls without writers: $out"
  expect_no_leaks
  probe create 0x9  # VSS_CTX_APP_ROLLBACK: with writers
  expect_code 0
  expect_out "GatherWriterMetadata 0x0004230A"
  expect_out "PrepareForBackup 0x0004230A"
  expect_out "BackupComplete 0x0004230A"
  expect_no_leaks
  probe query
  expect_out "Query 0x00000000 shadows 2"
  expect_no_leaks
}

# Each context's documented sequence ("Shadow Copy Creation Details"), and in each writer
# context a component-mode backup that reads every writer's metadata in full, adds every
# selectable component and reads the Backup Components Document back. The journal holds no
# E_NOTIMPL: a requester written from Microsoft's pages meets none.
probe_walks_every_context_and_component_mode() {
  emulator_env
  local ctx
  # BACKUP, FILE_SHARE_BACKUP, NAS_ROLLBACK, APP_ROLLBACK, CLIENT_ACCESSIBLE(_WRITERS)
  for ctx in 0 0x10 0x19 0x9 0x1d 0xd; do
    probe create $ctx
    expect_code 0
    expect_out "DoSnapshotSet 0x0004230A"
    expect_no_leaks
  done
  for ctx in 0 0x9 0xd; do
    probe components $ctx
    expect_code 0
    expect_out "writer SqlServerWriter instance MSSQLSERVER usage 3 source 1"
    expect_out 'alternate C:\Program Files\Microsoft SQL Server\MSSQL\DATA\*.mdf -> D:\Restore\SQL'
    expect_out 'log C:\Program Files\Microsoft SQL Server\MSSQL\DATA\modellog.ldf'
    expect_out 'depends on SQL01\master'
    expect_out "reloaded 0x00000000 SqlServerWriter"
    expect_out "GetWriterComponentsCount 0x00000000"
    expect_out "BackupComplete 0x0004230A"
    expect_out "document model succeeded 1 options probe-options"
    expect_no_leaks
  done
  ! grep -q '"hresult": *"0x80004001"' "$case_dir/journal.jsonl" ||
    fail "E_NOTIMPL met: $(grep 0x80004001 "$case_dir/journal.jsonl")"
}

# Every name MinGW's import library gives a program is exported, and answers.
probe_every_export_resolves_and_answers() {
  emulator_env
  "$MINGW_NM" "$VSSAPI_IMPORT_LIBRARY" | awk '$2 == "T" {print $3}' | sort -u >"$case_dir/exports.txt"
  local names; names=$(wc -l <"$case_dir/exports.txt")
  ((names > 50)) || fail "only $names names in $VSSAPI_IMPORT_LIBRARY"
  probe exports "$(winpath "$case_dir/exports.txt")"
  expect_code 0
  expect_out "exports $names missing 0"
  expect_out "?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z 0x00000000"
  expect_out "ShouldBlockRevert 0x00000000 block 0"
  expect_out "ShouldBlockRevert 0x80042308"  # VSS_E_OBJECT_NOT_FOUND for Q:\
  expect_out "GetProviderMgmtInterface 0x00000000"
  expect_out "CreateVssExamineWriterMetadataInternal 0x80042311"  # VSS_E_INVALID_XML_DOCUMENT
  expect_out "CVssWriter::Initialize 0x80042302"  # VSS_E_UNEXPECTED: no writer process
  expect_out "CVssWriter::OnPrepareBackup 1"
  expect_no_leaks
}

# "The process dies here": a requester killed inside DoSnapshotSet leaves what real VSS
# would: no set in creation, no shadow copy; the next one succeeds. shadowctl too.
process_killed_mid_backup_leaves_nothing() {
  emulator_env '{"faults": [{"method": "DoSnapshotSet", "die": true}]}'
  probe create 0x9
  [[ $out == *"PrepareForBackup 0x0004230A"* && $out != *DoSnapshotSet* ]] ||
    fail "the probe did not die in DoSnapshotSet: $out"
  [[ ! -f $case_dir/report.json ]] || fail "a killed process wrote a report"
  [[ $(tail -n1 "$case_dir/journal.jsonl") == *'"args":"the process dies here"'* ]] ||
    fail "journal: $(tail -n1 "$case_dir/journal.jsonl")"
  run create C:  # a killed process writes no document: not --json
  [[ $code == 1 ]] || fail "shadowctl killed in DoSnapshotSet: exit $code"
  unset SHADOWCTL_EMULATOR_SCENARIO
  run --json list shadows
  expect_code 0
  [[ $(json_field '["result"].__len__()') == 0 ]] || fail "left behind: $out"
  run --json create C:
  expect_code 0
  expect_no_leaks
}

# shadowctl killed (TerminateProcess, as `taskkill /F`) at each call create makes, and while it
# waits on each async phase: VSS drops a dead requester's set in creation and its auto-release
# shadow copies; a persistent copy made before the kill stays, is listed and can be deleted;
# the next create succeeds. Both a persistent and an auto-release context.
create_killed_at_each_call_leaves_what_vss_would() {
  emulator_env
  run --json create C:
  expect_code 0
  # Every call create makes, from its own journal: a new call is killed here too.
  local calls
  calls=$(/usr/bin/python3 -c '
import json,sys
seen=[]
for l in open(sys.argv[1]):
    m=json.loads(l)["method"]
    if m.endswith(":complete"):
        m="IVssAsync::Wait of "+m[:-9]
    if m!="Release" and m not in seen: seen.append(m)
print("\n".join(seen))' "$case_dir/journal.jsonl")
  local kills=0 kept=0 context call scenario
  for context in app-rollback backup; do
    while IFS= read -r call; do
      if [[ $call == "IVssAsync::Wait of "* ]]; then
        scenario="{\"faults\": [{\"method\": \"IVssAsync::Wait\", \"of\": \"${call#IVssAsync::Wait of }\", \"die\": true}]}"
      else
        scenario="{\"faults\": [{\"method\": \"$call\", \"die\": true}]}"
      fi
      emulator_env "$scenario"
      run create C: --context "$context"  # a killed process writes no document: not --json
      [[ $code == 1 && -z $out ]] || fail "$context, killed at $call: exit $code, stdout: $out"
      [[ ! -f $case_dir/report.json ]] || fail "$context, killed at $call: the dead process wrote a report"
      [[ $(tail -n1 "$case_dir/journal.jsonl") == *"the process dies here"* ]] ||
        fail "$context: not killed at $call: $(tail -n1 "$case_dir/journal.jsonl")"
      local made=0
      grep -q '"hresult":"0x0004230A","method":"DoSnapshotSet:complete"' "$case_dir/journal.jsonl" && made=1
      unset SHADOWCTL_EMULATOR_SCENARIO
      run --json list shadows
      [[ $code == 0 ]] || fail "$context, killed at $call: list shadows then exit $code; stdout: $out; stderr: $err; journal ends: $(tail -n3 "$case_dir/journal.jsonl")"
      expect_no_leaks
      local left; left=$(json_field '["result"].__len__()')
      if [[ $context == app-rollback && $made == 1 ]]; then
        [[ $left == 1 ]] || fail "killed at $call after DoSnapshotSet: the persistent copy is gone: $out"
        local id; id=$(json_field '["result"][0]["id"]')
        run --json delete --id "$id"
        [[ $code == 0 ]] || fail "$context, killed at $call: delete of the kept copy exit $code; stdout: $out; stderr: $err; journal ends: $(tail -n3 "$case_dir/journal.jsonl")"
        expect_no_leaks
        kept=$((kept + 1))
      else
        [[ $left == 0 ]] || fail "$context, killed at $call: left $out"
      fi
      /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(1 if m.get("in_creation") or m["shadows"] else 0)' \
        "$case_dir/state.json" || fail "$context, killed at $call: a set in creation or a shadow copy is left"
      run --json create C: --context "$context"
      [[ $code == 0 ]] || fail "$context, killed at $call: the next create exit $code; stdout: $out; stderr: $err; journal ends: $(tail -n3 "$case_dir/journal.jsonl")"
      expect_no_leaks
      kills=$((kills + 1))
    done <<<"$calls"
  done
  echo "create killed at $kills calls; $kept persistent copies made before the kill were kept and deleted"
}

# Between delete's Query and its DeleteSnapshots, another shadowctl deletes one of the copies:
# that copy is reported gone, the rest are deleted, exit 0, nothing else touched.
copy_deleted_by_another_process_before_delete_is_gone() {
  emulator_env
  run --json create C:
  local first; first=$(json_field '["result"]["shadows"][0]["id"]')
  run --json create C: --context client-accessible
  local second; second=$(json_field '["result"]["shadows"][0]["id"]')
  another_process_at DeleteSnapshots first "$(winpath "$exe")" delete --id "$first"
  run --json delete --all --yes
  expect_code 0
  expect_no_leaks
  [[ $(journal_methods) == *"another process"* ]] || fail "the other process did not run: $(journal_methods)"
  [[ $(json_field '["result"]["count"]') == 1 ]] || fail "count: $out"
  [[ $(json_field '["result"]["gone"].__len__()') == 1 ]] || fail "gone: $out"
  local gone deleted
  gone=$(json_field '["result"]["gone"][0]["id"]'); deleted=$(json_field '["result"]["deleted"][0]["id"]')
  [[ "$gone $deleted" == "$first $second" || "$gone $deleted" == "$second $first" ]] ||
    fail "gone $gone, deleted $deleted; made $first and $second"
  [[ $(in_creation_or_shadows_left) == "0 False" ]] || fail "left: $(in_creation_or_shadows_left)"
}

# Another process dismounts C: just before DoSnapshotSet: the set fails as a whole
# (VSS_E_OBJECT_NOT_FOUND, exit 7), is aborted, and nothing is left.
volume_dismounted_during_create_leaves_nothing() {
  emulator_env
  another_process_at DoSnapshotSet first "$(winpath "$MACHINE_CHANGE_EXE")" dismount 'C:\'
  run --json create C:
  expect_code 7
  expect_no_leaks
  [[ $(json_field '["error"]["name"]') == VSS_E_OBJECT_NOT_FOUND ]] || fail "error: $out"
  [[ $(json_field '["error"]["phase"]') == DoSnapshotSet ]] || fail "phase: $out"
  [[ $(journal_methods) == *"another process DoSnapshotSet DoSnapshotSet:complete"*AbortBackup* ]] ||
    fail "calls: $(journal_methods)"
  [[ $(in_creation_or_shadows_left) == "0 False" ]] || fail "left: $(in_creation_or_shadows_left)"
  /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(any("C:\\" in v["mount_points"] for v in m["volumes"]))' \
    "$case_dir/state.json" || fail "the other process did not dismount C:"
}

# Another requester's set is in creation: create exits 8 and leaves it alone; with --retry,
# the retry's StartSnapshotSet first lets the other one end (it aborts), then succeeds.
set_in_creation_by_another_process_exits_8_and_retry_succeeds() {
  emulator_env
  local name="holder-$$"
  coproc HOLDER { wine "$PROBE_EXE" hold-set "$name" 2>/dev/null; }
  # Should the case fail, the holder is released rather than left waiting for ever.
  trap 'SHADOWCTL_EMULATOR_SCENARIO= wine "$PROBE_EXE" release "'"$name"'" >/dev/null 2>&1 || true' EXIT
  local holder_out holder_pid=$HOLDER_PID line
  exec {holder_out}<&"${HOLDER[0]}"  # bash drops HOLDER once the holder has ended
  read -r line <&"$holder_out"
  [[ $line == held* ]] || fail "the holder did not start its set: $line"
  run --json create C:
  expect_code 8
  expect_no_leaks
  [[ $(json_field '["error"]["name"]') == VSS_E_SNAPSHOT_SET_IN_PROGRESS ]] || fail "error: $out"
  [[ $(in_creation_or_shadows_left) == "0 True" ]] || fail "the other set was touched: $(in_creation_or_shadows_left)"
  another_process_at StartSnapshotSet 2 "$(winpath "$PROBE_EXE")" release "$name"
  run --json create C: --retry 1
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["attempts"]') == 2 ]] || fail "attempts: $out"
  read -r line <&"$holder_out"
  [[ $line == "released 0x00000000"* ]] || fail "the holder did not abort: $line"
  wait "$holder_pid" || fail "the holder failed"
  [[ $(in_creation_or_shadows_left) == "1 False" ]] || fail "left: $(in_creation_or_shadows_left)"
}

# Names Windows hands over need not be valid UTF-16: lone surrogates (written in the state
# file as \uD800-style escapes, handed to the tool as the lone UTF-16 units), control and
# bidi characters, a 32,767-character path. Every command showing them writes valid UTF-8
# and one whole valid JSON document (U+FFFD where a name cannot be represented), and a
# human table whose columns still line up.
names_not_valid_utf16_give_valid_json_and_aligned_tables() {
  emulator_env
  run --json create C:
  expect_code 0
  /usr/bin/python3 - "$case_dir/state.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
w = m["writers"]
w[0]["name"] = "Sys\ud800tem\u0007 Writer\u202e"
w[0]["instance_name"] = "inst\ud834x"
w[1]["name"] = "Emoji \ud83d\ude00 \u6f22\u5b57 writer"
w[1]["components"][0] = {"name": "\udc00comp", "logical_path": "", "type": 2, "selectable": True,
                         "files": [{"path": "C:\\" + "d" * 32764, "filespec": "*", "recursive": False}]}
m["providers"][0]["name"] = "Prov\udbff"
m["shadows"][0]["originating_machine"] = "HOST\ud800"
m["shadows"][0]["exposed_name"] = "C:\\Mount\\Sh\ud800dow"  # a mount folder
# json.dumps writes each lone surrogate as its \ud800-style escape, as the issue's state file does.
open(sys.argv[1], "w").write(json.dumps(m))
EOF
  grep -q '\\ud800' "$case_dir/state.json" || fail "the state file holds no lone surrogate escape"
  local dir; dir=$(mktemp -d "$WORK_DIR/names.XXXXXX")
  local args
  for args in "--json list writers --detailed" "list writers --detailed" "--json list shadows" \
      "list shadows" "--json list providers" "list providers"; do
    # shellcheck disable=SC2086
    wine "$exe" $args >"$dir/out" 2>"$dir/err" || fail "$args: exit $?: $(cat "$dir/err")"
    /usr/bin/python3 - "$dir/out" "$args" <<'EOF' || fail "$args: $(head -c 2000 "$dir/out")"
import json, sys, unicodedata
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8").replace("\r\n", "\n")  # strict: invalid UTF-8 raises
args = sys.argv[2]
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
if args.startswith("--json"):
    doc = json.loads(text)  # one whole document
    flat = json.dumps(doc, ensure_ascii=False)
    assert "\ud800" not in flat and "\udc00" not in flat
    if "writers" in args:
        names = [w["name"] for w in doc["result"]]
        assert "Sys\ufffdtem\u0007 Writer\u202e" in names, names
        assert "Emoji \U0001F600 \u6f22\u5b57 writer" in names, names
        comps = [c for w in doc["result"] for c in w["components"] if c["name"] == "\ufffdcomp"]
        assert comps and len(comps[0]["files"][0]["path"]) == 32767, "the long path was cut"
    if "shadows" in args:
        assert doc["result"][0]["originating_machine"] == "HOST\ufffd", doc["result"][0]
        assert doc["result"][0]["exposed_name"] == "C:\\Mount\\Sh\ufffddow", doc["result"][0]
    if "providers" in args:
        assert doc["result"][0]["name"] == "Prov\ufffd", doc["result"]
else:
    assert "\x07" not in text and "\u202e" not in text and "\x1b" not in text
    assert "\ufffd" in text
    if "shadows" in args:
        assert "C:\\Mount\\Sh\ufffddow" in text, text
    if "writers" in args:
        assert "Sys\ufffdtem\\x07 Writer\\u{202E}" in text, text[:600]
        lines = text.split("\n")
        header = lines[0]
        start = width(header[: header.index("WRITER ID")])
        for line in lines[1:5]:
            assert width(line[: line.rindex("{")]) == start, (line, start)
EOF
  done
  rm -rf "$dir"
  expect_no_leaks
}

probe_auto_release_shadow_goes_with_its_object() {
  emulator_env
  probe create 0  # VSS_CTX_BACKUP: auto-release
  expect_code 0
  expect_no_leaks
  probe query
  expect_out "Query 0x00000001 shadows 0"
  expect_no_leaks
}

probe_veto_then_abort_leaves_nothing() {
  emulator_env '{"provider_veto": true}'
  probe create 0x1d
  expect_code 1
  expect_out "DoSnapshotSet 0x80042306"
  expect_out "AbortBackup 0x00000000"
  expect_no_leaks
  [[ $(journal_methods) == *"DoSnapshotSet:complete AbortBackup Release"* ]] ||
    fail "AbortBackup did not follow the failed DoSnapshotSet: $(journal_methods)"
}

probe_without_abort_is_caught_by_the_report() {
  emulator_env '{"provider_veto": true}'
  probe create 0x1d no-abort
  expect_code 1
  expect_report '{"live_references": 0, "unfreed_allocations": 0, "sets_left_unfinished": 0, "aborts_owed": 1, "results_owed": 0, "writers_left_waiting": 0}'
}

probe_leaked_reference_is_caught_by_the_report() {
  emulator_env
  probe create 0x1d leak-ref
  expect_code 0
  expect_report '{"live_references": 1, "unfreed_allocations": 0, "sets_left_unfinished": 0, "aborts_owed": 0, "results_owed": 0, "writers_left_waiting": 0}'
}

probe_async_keeps_its_backup_object() {
  emulator_env
  probe release-first
  expect_code 0
  expect_out "Release 1"  # the IVssAsync still holds the object
  expect_out "status 0x0004230A"
  expect_no_leaks
}

probe_lists_providers_through_ivssadmin() {
  emulator_env
  probe providers
  expect_code 0
  expect_out "CoCreateInstance 0x00000000"
  expect_out "provider Microsoft Software Shadow Copy provider 1.0 type 2"
  expect_no_leaks
}

probe_lists_writers_with_components() {
  emulator_env
  probe writers
  expect_code 0
  expect_out "GatherWriterMetadata 0x0004230A"
  expect_out "writer System Writer components 1 first System Files"
  expect_out "writer SqlServerWriter components 2 first master"
  expect_out "FreeWriterMetadata 0x00000000"
  expect_no_leaks
}

probe_unfreed_strings_are_caught_by_the_report() {
  emulator_env
  probe providers keep-strings  # the provider's name and version, never CoTaskMemFree'd
  expect_code 0
  expect_report '{"live_references": 0, "unfreed_allocations": 2, "sets_left_unfinished": 0, "aborts_owed": 0, "results_owed": 0, "writers_left_waiting": 0}'
  probe writers keep-names  # four writer names, never SysFreeString'd
  expect_code 0
  expect_report '{"live_references": 0, "unfreed_allocations": 4, "sets_left_unfinished": 0, "aborts_owed": 0, "results_owed": 0, "writers_left_waiting": 0}'
}

probe_resizes_shadow_storage() {
  emulator_env
  probe create 0x1d
  expect_no_leaks
  probe create 0x1d
  expect_code 0
  expect_no_leaks
  # Room for one shadow copy only: the older one is deleted.
  probe storage 335544320
  expect_out "ChangeDiffAreaMaximumSize 0x00000000"
  expect_out "diff area used 335544320 maximum 335544320"
  expect_no_leaks
  probe query
  expect_out "Query 0x00000000 shadows 1"
  expect_no_leaks
}

list_shadows_with_emulator_reads_every_context() {
  emulator_env
  run list shadows
  expect_code 0
  expect_out "No shadow copies."
  expect_no_leaks
  probe create 0x1d  # VSS_CTX_CLIENT_ACCESSIBLE
  probe create 0x9   # VSS_CTX_APP_ROLLBACK
  expect_no_leaks
  run list shadows
  expect_code 0
  expect_no_leaks
  expect_out 'HarddiskVolumeShadowCopy1'
  expect_out 'HarddiskVolumeShadowCopy2'
  expect_out "persistent, no_autorecovery, client_accessible, no_auto_release, no_writers, differential"
  [[ $(journal_methods) == *"InitializeForBackup SetContext Query IVssAdmin::QueryProviders Release" ]] ||
    fail "unexpected call sequence: $(journal_methods)"
  run --json list shadows
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"][0]["device_path"]') == *ShadowCopy2 ]] || fail "newest first: $out"
  [[ $(json_field '["result"][1]["attributes_value"]') == 131103 ]] || fail "attributes: $out"
  run -vv list shadows
  expect_no_leaks
  expect_err "debug: Query -> 0x00000000"
}

list_shadows_failure_names_the_call() {
  emulator_env '{"faults": [{"method": "Query", "hresult": "VSS_E_UNEXPECTED"}]}'
  run --json list shadows
  expect_code 1
  expect_no_leaks
  [[ $(json_field '["error"]["phase"]') == Query ]] || fail "phase: $out"
  [[ -z $err ]] || fail "stderr not empty with --json: $err"
}

list_writers_with_emulator_frees_what_it_gathers() {
  emulator_env
  run list writers
  expect_code 0
  expect_no_leaks
  expect_out "SqlServerWriter  STABLE"
  [[ $(journal_methods) == *"GetWriterStatus FreeWriterStatus FreeWriterMetadata Release" ]] ||
    fail "unexpected call sequence: $(journal_methods)"
  run --json list writers
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"][0]["state"]') == VSS_WS_STABLE ]] || fail "state: $out"
}

list_writers_hang_times_out_and_cancels() {
  emulator_env '{"async": [{"method": "GatherWriterMetadata", "behaviour": "hang"}]}'
  run --json list writers --timeout 1
  expect_code 6
  expect_no_leaks
  [[ $(json_field '["error"]["phase"]') == GatherWriterMetadata ]] || fail "phase: $out"
  [[ $(journal_methods) == *"GatherWriterMetadata:complete"* ]] || fail "not settled: $(journal_methods)"
}

list_inventory_with_emulator() {
  emulator_env
  run list providers
  expect_code 0
  expect_no_leaks
  expect_out "Microsoft Software Shadow Copy provider 1.0  software  1.0.0.7"
  run list volumes
  expect_code 0
  expect_no_leaks
  expect_out 'C:\         NTFS'
  run list storage
  expect_code 0
  expect_no_leaks
  expect_out "10.0 GiB  0%"
  run list writers --detailed
  expect_code 0
  expect_no_leaks
  expect_out "  database  SQL01\\master  selectable"
  expect_out 'C:\Windows\System32\*.dll  (recursive)'
  local what
  for what in providers volumes storage writers; do
    run --json list $what
    expect_code 0
    expect_no_leaks
    [[ -z $err ]] || fail "stderr not empty with --json list $what: $err"
  done
  run --json list writers --detailed
  expect_no_leaks
  [[ $(json_field '["result"][1]["components"][0]["files"][0]["filespec"]') == master.mdf ]] ||
    fail "detailed writers: $out"
}

list_volume_arguments_resolve_through_windows() {
  emulator_env
  probe create 0x9  # a persistent copy of C:
  expect_no_leaks
  local name
  run --json list volumes
  name=$(json_field '["result"][0]["volume"]')
  for v in C c: 'C:\' "$name" "${name%\\}"; do
    run --json list shadows --volume "$v"
    expect_code 0
    expect_no_leaks
    [[ $(json_field '["result"].__len__()') == 1 ]] || fail "--volume $v: $out"
  done
  run list shadows --volume Q:
  expect_code 7
  expect_err "no local volume is Q:"
  run list shadows --volume 'C:relative'
  expect_code 2
  expect_err "'C:relative' is not a volume"
}

# Adds COUNT shadow copies of C: to the case's state file, each with ATTRIBUTES and CONTEXT,
# the Nth made at FIRST_US + N * STEP_US: add_copies_of_c COUNT ATTRIBUTES CONTEXT FIRST_US STEP_US
add_copies_of_c() {
  /usr/bin/python3 - "$case_dir/state.json" "$@" <<'PY'
import json, sys, uuid
path, count, attributes, context, first, step = sys.argv[1], *(int(a, 0) for a in sys.argv[2:])
m = json.load(open(path))
c = next(v for v in m["volumes"] if "C:\\" in v["mount_points"])
for i in range(count):
    m["shadows"].append({
        "id": "{%s}" % uuid.uuid4(), "set_id": "{%s}" % uuid.uuid4(), "shadows_in_set": 1,
        "device_path": "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy%d" % (i + 1),
        "original_volume": c["name"], "originating_machine": "EMULATED", "service_machine": "EMULATED",
        "provider_id": "{b5946137-7b9f-4925-af80-51abd60b20d5}", "attributes": attributes,
        "created_us": first + i * step, "state": 12, "context": context})
json.dump(m, open(path, "w"))
PY
}

list_shadows_at_512_on_one_volume() {
  emulator_env
  run list volumes  # creates the state file from Wine's volumes
  expect_no_leaks
  add_copies_of_c 512 0x2001d 0x1d 1700000000000000 1000000
  run --json list shadows
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"].__len__()') == 512 ]] || fail "not 512 shadow copies"
  [[ $(json_field '["result"][0]["device_path"]') == *ShadowCopy512 ]] || fail "not newest first"
  [[ $(json_field '["result"][511]["device_path"]') == *ShadowCopy1 ]] || fail "oldest not last"
  run list shadows
  expect_code 0
  expect_no_leaks
  expect_out "512 shadow copies in 512 sets."
  run --json list volumes
  expect_no_leaks
  [[ $(json_field '["result"][0]["shadow_count"]') == 512 ]] || fail "count: $out"
}

check_warns_about_a_failed_writer_and_full_storage() {
  emulator_env
  run list volumes  # creates the state file from Wine's volumes
  /usr/bin/python3 - "$case_dir/state.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["writers"][3]["state"] = 9          # SqlServerWriter: VSS_WS_FAILED_AT_FREEZE
m["writers"][3]["failure"] = 0x800423F3  # VSS_E_WRITERERROR_RETRYABLE
m["storage"][0]["used"] = m["storage"][0]["maximum"]
json.dump(m, open(sys.argv[1], "w"))
PY
  run check
  expect_code 0
  expect_no_leaks
  expect_out "warn  writers            SqlServerWriter is VSS_WS_FAILED_AT_FREEZE [VSS_E_WRITERERROR_RETRYABLE]"
  expect_out 'warn  shadow_storage     C:\ uses 100% of its shadow storage maximum'
  expect_err "warning: writers: SqlServerWriter is VSS_WS_FAILED_AT_FREEZE"
  run --json check
  expect_code 0
  expect_no_leaks
  [[ $(check_field writers '["code"]["name"]') == VSS_E_WRITERERROR_RETRYABLE ]] ||
    fail "writers check: $out"
}

create_with_emulator_makes_a_persistent_set() {
  emulator_env
  run create C:
  expect_code 0
  expect_no_leaks
  expect_out "(app-rollback, 1 shadow copy)"
  expect_out 'HarddiskVolumeShadowCopy1'
  # The providers' names are read through IVssAdmin once the backup object is released.
  [[ $(journal_methods) == *"PrepareForBackup:complete"*"DoSnapshotSet:complete"*"BackupComplete:complete GatherWriterStatus"*"FreeWriterStatus FreeWriterMetadata Release IVssAdmin::QueryProviders" ]] ||
    fail "unexpected call sequence: $(journal_methods)"
  run --json list shadows
  expect_no_leaks
  [[ $(json_field '["result"].__len__()') == 1 ]] || fail "not listed: $out"
  # One spelling of the machine's name: the document's and the copy's originating machine.
  [[ $(json_field '["machine"]') == "$(json_field '["result"][0]["originating_machine"]')" ]] ||
    fail "machine and originating_machine differ: $out"
  run --json create C --no-writers
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["context"]') == nas-rollback ]] || fail "context: $out"
  [[ -z $err ]] || fail "stderr not empty with --json: $err"
}

create_failures_leave_nothing_behind() {
  local scenario
  for scenario in '{"provider_veto": true}' \
      '{"async": [{"method": "DoSnapshotSet", "behaviour": "hang"}]}' \
      '{"faults": [{"method": "AddToSnapshotSet", "hresult": "E_ACCESSDENIED"}]}' \
      '{"writers": [{"writer": "SqlServerWriter", "state": "VSS_WS_FAILED_AT_FREEZE", "phase": "DoSnapshotSet"}]}'; do
    emulator_env "$scenario"
    run --json create C --timeout 1
    [[ $code != 0 ]] || fail "$scenario: exit 0"
    expect_no_leaks
    run --json list shadows
    expect_no_leaks
    [[ $(json_field '["result"].__len__()') == 0 ]] || fail "$scenario left a shadow copy: $out"
    /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(1 if m.get("in_creation") else 0)' \
      "$case_dir/state.json" || fail "$scenario left a set in creation"
  done
}

delete_with_emulator_deletes_only_what_was_named() {
  emulator_env
  run --json create C
  expect_no_leaks
  local first; first=$(json_field '["result"]["shadows"][0]["id"]')
  run --json create C --no-writers
  expect_no_leaks
  run --json create C --context client-accessible
  expect_no_leaks
  run delete --all
  expect_code 2  # three, and no terminal to confirm at
  expect_no_leaks
  expect_err "refusing to delete 3 shadow copies without --yes"
  run --json list shadows
  expect_no_leaks
  [[ $(json_field '["result"].__len__()') == 3 ]] || fail "a refused delete deleted: $out"
  run delete --id "$first"
  expect_code 0
  expect_no_leaks
  expect_out "Deleted 1 shadow copy:"
  run --json delete --all --dry-run
  expect_no_leaks
  [[ $(json_field '["result"]["count"]') == 2 ]] || fail "dry run: $out"
  run --json delete --all --yes
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["count"]') == 2 ]] || fail "delete --all: $out"
  run --json list shadows
  expect_no_leaks
  [[ $(json_field '["result"].__len__()') == 0 ]] || fail "left: $out"
}

create_interrupted_at_each_phase_exits_130_and_leaves_nothing() {
  local phase
  for phase in GatherWriterMetadata PrepareForBackup DoSnapshotSet; do
    # The phase hangs until cancelled: Ctrl+C arrives while the tool waits on it.
    emulator_env "{\"async\": [{\"method\": \"$phase\", \"behaviour\": \"hang\"}]}"
    local text
    text=$(script -qc "wine '$CTRL_C_EXE' '$SHADOWCTL_EMULATOR_JOURNAL' $phase '$(winpath "$exe")' create C: --timeout 60" /dev/null 2>&1 | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' | tr -d '\r')
    [[ $text == *"exit=130"* ]] || fail "$phase: not exit 130: $text"
    expect_no_leaks
    [[ $(journal_methods) == *"$phase:complete"* ]] || fail "$phase was not cancelled: $(journal_methods)"
    if [[ $phase != GatherWriterMetadata ]]; then
      [[ $(journal_methods) == *"AbortBackup"* ]] || fail "$phase: no AbortBackup: $(journal_methods)"
    fi
    run --json list shadows
    expect_no_leaks
    [[ $(json_field '["result"].__len__()') == 0 ]] || fail "$phase left a shadow copy: $out"
  done
}

# create's VSS calls from their one description (tests/emulator/create-calls.txt, whose
# header says who reads it): each method once, where it first comes. $2: only lines with
# this mark ("async"); $3: leave out these methods.
described_calls() {
  awk -v mark="${2-}" -v skip=" ${3-} " '!/^#/ && NF {
    if (mark != "" && $2 != mark && $3 != mark) next
    if (index(skip, " " $1 " ") || seen[$1]++) next
    printf "%s ", $1 }' "$EMULATOR_SOURCE_DIR/$1"
}

# The whole sequence a successful run journals, Release, ":complete" and a call repeated per
# writer or component aside; IVssAdmin's QueryProviders, which names the copies' provider once
# the backup is over, is not one of the backup's calls.
described_journal() { awk '!/^#/ && NF { printf "%s ", $1 }' "$EMULATOR_SOURCE_DIR/$1"; }
journal_without_bookkeeping() {
  /usr/bin/python3 -c '
import json,sys
out = []
for m in (json.loads(l)["method"] for l in open(sys.argv[1])):
    if m != "Release" and not m.endswith(":complete") and not m.startswith("IVssAdmin::") and (not out or out[-1] != m):
        out.append(m)
print(" ".join(out), end=" ")' "$case_dir/journal.jsonl"
}

# The real exe makes exactly the calls the description lists, through the COM interface, in
# both modes: what the fault matrix below fails is what create calls.
create_calls_are_the_described_sequence() {
  emulator_env
  run --json create C:
  expect_code 0
  [[ $(journal_without_bookkeeping) == "$(described_journal create-calls.txt)" ]] ||
    fail "create C: called: $(journal_without_bookkeeping)"
  emulator_env
  run --json create C: --exclude-writer 'WMI Writer' --save-bcd "$(winpath "$case_dir/bcd.xml")"
  expect_code 0
  [[ $(journal_without_bookkeeping) == "$(described_journal create-component-calls.txt)" ]] ||
    fail "create C: in component mode called: $(journal_without_bookkeeping)"
}

# The fault matrix of `create`, run by the real exe: each VSS call it makes x two
# HRESULTs, synchronously and (for the async calls) through QueryStatus. Each case: the
# HRESULT's exit class, one JSON document and nothing on stderr, an empty leak report, no
# shadow copy and no set in creation left, AbortBackup wherever it is owed.
create_fault_matrix() {
  # Each call once, from the one description of create's sequence.
  local calls; calls=$(described_calls create-calls.txt)
  local async_calls; async_calls=$(described_calls create-calls.txt async)
  # Two HRESULTs of different exit classes here; the in-process matrix runs eight.
  local faults="E_ACCESSDENIED:3 VSS_E_PROVIDER_VETO:1"
  # Component mode's own calls, with --exclude-writer and --save-bcd.
  local component_calls; component_calls=$(described_calls create-component-calls.txt "" "$calls")
  local cases=0 method fault kind scenario
  for kind in sync async components; do
    local methods=$calls
    [[ $kind == async ]] && methods=$async_calls
    [[ $kind == components ]] && methods=$component_calls
    for method in $methods; do
      for fault in $faults; do
        if [[ $kind == async ]]; then
          scenario="{\"async\": [{\"method\": \"$method\", \"behaviour\": \"fail\", \"hresult\": \"${fault%%:*}\"}]}"
        else
          scenario="{\"faults\": [{\"method\": \"$method\", \"hresult\": \"${fault%%:*}\"}]}"
        fi
        emulator_env "$scenario"
        if [[ $kind == components ]]; then
          run --json create C: --exclude-writer 'WMI Writer' --save-bcd "$(winpath "$case_dir/bcd.xml")"
          [[ ! -e $case_dir/bcd.xml ]] || fail "$method ${fault%%:*}: a failed create wrote --save-bcd"
        else
          run --json create C:
        fi
        expect_code "${fault##*:}"
        expect_no_leaks
        [[ -z $err ]] || fail "$kind $method ${fault%%:*}: stderr: $err"
        [[ $(json_field '["error"]["name"]') == "${fault%%:*}" ]] || fail "$kind $method: $out"
        # The events beside the error come from the emulated log through wevtapi.dll's double,
        # and each carries the fault's code (which calls log one: the in-process matrix).
        [[ $(json_eval '"events" in d["error"] and "events_unread" not in d["error"]') == True ]] ||
          fail "$kind $method ${fault%%:*}: the event log was not read: $out"
        [[ $(json_eval 'all([x["name"] for x in e["errors"]] == ["'"${fault%%:*}"'"] for e in d["error"]["events"])') == True ]] ||
          fail "$kind $method ${fault%%:*}: an event beside the error is not the fault's: $out"
        local journal; journal=$(journal_methods)
        if [[ $journal == *" StartSnapshotSet "* && $journal != *"DoSnapshotSet:complete"* &&
              $method != StartSnapshotSet ]]; then
          [[ $journal == *AbortBackup* ]] || fail "$kind $method ${fault%%:*}: no AbortBackup: $journal"
        fi
        /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(1 if m.get("in_creation") or m["shadows"] else 0)' \
          "$case_dir/state.json" || fail "$kind $method ${fault%%:*} left a set or a shadow copy"
        cases=$((cases + 1))
      done
    done
  done
  echo "create fault matrix: $cases cases"
}

# The point-in-time promise, end to end: a command run by exec changes D:\data.txt and then
# reads it through the shadow copy's device path, with Windows' own cmd: it sees what was
# there when the set was made. The copy is gone with the set, and its tree with it.
exec_reads_the_volume_as_it_was_when_the_set_was_made() {
  emulator_env
  local d=$WORK_DIR/volume-d
  find "$d" -mindepth 1 -delete
  printf 'before' >"$d/data.txt"
  mkdir -p "$d/sub" && printf 'deep' >"$d/sub/deep.txt"
  run exec D: -- cmd /c 'echo after>D:\data.txt&&type %SHADOWCTL_DEVICE_D%data.txt&&echo.&&type %SHADOWCTL_DEVICE_D%sub\deep.txt'
  expect_code 0
  expect_no_leaks
  [[ $(printf '%s' "$out" | tr -d '\r') == $'before\ndeep' ]] || fail "the copy did not hold the old contents: $out / $err"
  [[ $(tr -d '\r\n ' <"$d/data.txt") == after ]] || fail "the live volume was not changed: $(cat "$d/data.txt")"
  [[ -z $(frozen_trees) ]] || fail "a frozen tree outlived its set: $(frozen_trees)"
  # A persistent copy keeps its tree; deleting the copy removes it, and nothing was written
  # into it meanwhile.
  printf 'second' >"$d/data.txt"
  run --json create D:
  expect_code 0
  local device; device=$(json_field '["result"]["shadows"][0]["device_path"]')
  printf 'third' >"$d/data.txt"
  local tree=$EMULATOR_PREFIX/dosdevices/globalroot/Device/${device##*\\}
  [[ $(cat "$tree/data.txt") == second ]] || fail "the persistent copy does not hold 'second'"
  # Read-only in spirit: what follows only reads, so the frozen tree must be as it
  # was, to the byte and the timestamp, once they are done.
  local frozen_before; frozen_before=$(find "$tree" -printf '%P %s %T@ %m\n' | sort)
  # ls reads the folder at the copy's device path, as Windows' FindFirstFileExW gives it.
  run --json ls latest 'd:\SUB\'
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["device_path"]') == "$device\\SUB" ]] || fail "ls read elsewhere: $out"
  [[ $(json_field '["result"]["entries"][0]["name"]') == deep.txt &&
     $(json_field '["result"]["entries"][0]["size"]') == 4 ]] || fail "ls: $out"
  run ls latest 'D:\'
  expect_code 0
  expect_out "<DIR>  sub"
  expect_out "6  data.txt"
  # versions: the copy's 'second' beside today's 'third', read at the device path.
  run --json versions 'D:\data.txt'
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["live"]["size"]') == 5 &&
     $(json_field '["result"]["versions"][0]["size"]') == 6 &&
     $(json_field '["result"]["versions"][0]["differs"]') == True ]] || fail "versions: $out"
  [[ $(find "$tree" -printf '%P %s %T@ %m\n' | sort) == "$frozen_before" ]] ||
    fail "ls or versions changed the frozen tree"
  run --json delete --all --yes
  expect_code 0
  [[ -z $(frozen_trees) ]] || fail "delete left the frozen tree: $(frozen_trees)"
}

# prune over 512 copies of C: (one every 3 hours for 64 days, in create's context): refused
# without --yes away from a terminal, a failure part-way names where it stopped, and the
# copies left are those the rules keep, computed here apart from the tool.
prune_thins_512_copies_by_a_policy() {
  emulator_env
  run list volumes  # creates the state file from Wine's volumes
  local state=$case_dir/state.json
  local hour=3600000000
  add_copies_of_c 512 0x9 0x9 $(($(date +%s%6N) - hour)) $((-3 * hour))
  local policy=(--volume C: --keep-daily 7 --keep-weekly 4 --utc)
  count() { /usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["shadows"]))' "$state"; }
  run --json prune "${policy[@]}"
  expect_code 2
  [[ $(json_field '["error"]["detail"]') == *"without --yes"* && $(count) == 512 ]] || fail "not refused: $out"
  printf '%s' '{"faults": [{"method": "DeleteSnapshots", "hresult": "E_ACCESSDENIED", "when": 3}]}' >"$case_dir/scenario.json"
  export SHADOWCTL_EMULATOR_SCENARIO; SHADOWCTL_EMULATOR_SCENARIO=$(winpath "$case_dir/scenario.json")
  run --json prune "${policy[@]}" --yes
  expect_code 3
  expect_no_leaks
  [[ $(json_field '["result"]["deleted"]') == 2 && $(count) == 510 &&
     $(json_field '["error"]["detail"]') == *"stopped at"*"2 shadow copies deleted before it"* ]] ||
    fail "part-way: $(count) left; $out"
  unset SHADOWCTL_EMULATOR_SCENARIO
  cp "$state" "$case_dir/before.json"
  run --json prune "${policy[@]}" --yes
  expect_code 0
  expect_no_leaks
  /usr/bin/python3 - "$case_dir/before.json" "$state" <<'PY' || fail "the copies left are not those the rules keep"
import datetime, json, sys
def kept(m):
    shadows = sorted(m["shadows"], key=lambda s: -s["created_us"])
    keep, days, weeks = set(), [], []
    for s in shadows:
        t = datetime.datetime.fromtimestamp(s["created_us"] / 1e6, datetime.timezone.utc)
        for key, seen, n in ((t.date(), days, 7), (t.isocalendar()[:2], weeks, 4)):
            if key not in seen and len(seen) < n:
                seen.append(key)
                keep.add(s["id"])
    return keep
before = json.load(open(sys.argv[1]))
after = json.load(open(sys.argv[2]))
assert {s["id"] for s in after["shadows"]} == kept(before), (len(after["shadows"]), len(kept(before)))
PY
}

# storage through the emulator DLL's IVssDifferentialSoftwareSnapshotMgmt, as the real exe
# reaches it (IVssSnapshotMgmt::GetProviderMgmtInterface): a maximum below 320 MB refused
# before any call; delete of an unused association; add; a resize that names the oldest copy
# first, is refused without --yes, then takes exactly that one; delete that deletes the
# copies stored there first.
storage_add_resize_delete_through_the_management_interface() {
  emulator_env
  local copies
  copies() { run --json list shadows; json_field '["result"].__len__()'; }
  run --json storage delete --for C: --yes
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["after"]') == None ]] || fail "delete: $out"
  run --json storage add --for C: --on C: --max 100MB
  expect_code 2
  ! grep -q AddDiffArea "$case_dir/journal.jsonl" || fail "AddDiffArea was called for 100MB"
  run --json storage add --for C: --on C: --max 1GB
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["after"]["maximum"]') == 1073741824 ]] || fail "add: $out"
  grep -q '"method":"IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea"' "$case_dir/journal.jsonl" ||
    fail "AddDiffArea not in the journal"
  run --json storage add --for C: --on C: --max 2GB
  [[ $code != 0 && $(json_field '["error"]["name"]') == VSS_E_OBJECT_ALREADY_EXISTS ]] ||
    fail "added twice: exit $code, $out"
  local i; for i in 1 2 3; do run --json create C:; expect_code 0; done
  # Three copies use 960 MiB; 700 MB holds two of them: the oldest goes.
  run --json storage resize --for C: --max 700MB --dry-run
  expect_code 0
  local oldest; oldest=$(json_field '["result"]["at_risk"][0]["shadow_id"]')
  [[ $(json_field '["result"]["at_risk"].__len__()') == 1 ]] || fail "dry run: $out"
  run --json storage resize --for C: --max 700MB
  expect_code 2
  [[ $(copies) == 3 ]] || fail "a refused resize took copies"
  run --json storage resize --for C: --max 700MB --yes
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["gone"].__len__()') == 1 &&
     $(json_field '["result"]["gone"][0]["shadow_id"]') == "$oldest" ]] || fail "resize: $out"
  [[ $(copies) == 2 ]] || fail "after the resize: $out"
  run --json storage delete --for C: --yes
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["gone"].__len__()') == 2 && $(json_field '["result"]["after"]') == None ]] ||
    fail "delete with copies: $out"
  [[ $(copies) == 0 ]] || fail "copies left after storage delete"
}

# schedule through Wine 8's own Task Scheduler, for real through its COM API (it registers
# tasks but never runs them): add stores the task in C:\windows\system32\tasks\shadowctl, a
# name taken is refused, list finds it (not run yet), remove deletes it and only it, a second
# remove is not_found. Then the task's own command line, as the Task Scheduler would start
# it, against the emulator: create, then prune, each a shadowctl of its own, logging to the
# task's log; and a failing step stops the run with its exit code.
schedule_registers_lists_removes_and_runs_a_task() {
  emulator_env
  local store=$EMULATOR_PREFIX/drive_c/windows/system32/tasks name="case-$$"
  mkdir -p "$store"
  local others; others=$(cd "$store" && find . -path ./shadowctl -prune -o -type f -print | sort)
  run --json schedule add "$name" --at 02:30 --log "$(winpath "$case_dir/task.log")" -- \
    create C: '&&' prune --volume C: --keep-last 1 --yes
  expect_code 0
  [[ -f $store/shadowctl/$name ]] || fail "no task stored at $store/shadowctl/$name"
  local program; program=$(json_field '["result"]["program"]')
  local -a arguments; mapfile -t arguments < <(json_field '["result"]["arguments"]' |
    /usr/bin/python3 -c 'import ast,sys; [print(a) for a in ast.literal_eval(sys.stdin.read())]')
  [[ $program == *shadowctl.exe && ${arguments[2]} == schedule && ${arguments[3]} == run ]] ||
    fail "the task runs: $program ${arguments[*]}"
  run --json schedule add "$name" --at 03:00 -- create C:
  expect_code 2
  [[ $(json_field '["error"]["name"]') == ERROR_ALREADY_EXISTS ]] || fail "a name taken: $out"
  run --json schedule list
  expect_code 0
  /usr/bin/python3 -c '
import json, sys
tasks = {t["name"]: t for t in json.loads(sys.stdin.read())["result"]}
t = tasks[sys.argv[1]]
assert t["path"] == "\\shadowctl\\" + sys.argv[1], t
assert t["last_result"]["name"] == "SCHED_S_TASK_HAS_NOT_RUN", t
assert "create C: && prune" in t["description"], t' "$name" <<<"$doc_text" || fail "list: $out"
  run schedule list
  [[ $out == *"$name"*"SCHED_S_TASK_HAS_NOT_RUN"* ]] || fail "list, human: $out"

  # What the task runs, exactly as registered: two steps against the emulator.
  run --json create C:
  expect_code 0
  run "${arguments[@]}"
  expect_code 0
  [[ $err == *"step 1 of 2 (create) exited 0"*"step 2 of 2 (prune) exited 0"* ]] ||
    fail "the task's run: $err"
  grep -q "schedule run: step 2 exited 0" "$case_dir/task.log" || fail "log: $(cat "$case_dir/task.log")"
  grep -q "prune" "$case_dir/task.log" || fail "the steps did not log: $(cat "$case_dir/task.log")"
  run --json list shadows
  [[ $(json_field '["result"].__len__()') == 1 ]] || fail "create then prune --keep-last 1 left: $out"
  expect_no_leaks
  # A step that fails stops the run with its code; the next is not run.
  # (--json-file: the steps' own errors share stderr with the run's report, as exec's do.)
  run --json-file "$(winpath "$case_dir/run.json")" schedule run -- \
    delete --id '{00000000-0000-0000-0000-000000000001}' --yes '&&' create C:
  expect_code 7
  [[ $err == *"VSS_E_OBJECT_NOT_FOUND"* && $err != *"step 2"* ]] || fail "the failed step: $err"
  /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; assert len(r["steps"]) == 1 and r["steps"][0]["exit_code"] == 7 and not r["completed"], r' \
    "$case_dir/run.json" || fail "ran past a failed step: $(cat "$case_dir/run.json")"

  run --json schedule remove "$name"
  expect_code 0
  [[ ! -e $store/shadowctl/$name ]] || fail "the task is still stored"
  run --json schedule remove "$name"
  expect_code 7
  [[ $(cd "$store" && find . -path ./shadowctl -prune -o -type f -print | sort) == "$others" ]] ||
    fail "tasks outside \\shadowctl\\ changed"
}

# An exposure at a drive letter shows the volume as it was there (the emulator maps the
# letter through Wine's mount manager): exec --mount's command reads it at S:, and expose X:
# shows it until unexpose; neither letter outlives its exposure.
drive_letter_exposure_shows_the_volume_as_it_was() {
  emulator_env
  local d=$WORK_DIR/volume-d
  find "$d" -mindepth 1 -delete
  printf 'before' >"$d/data.txt"
  run exec D: --mount D=S: -- cmd /c 'echo after>D:\data.txt&&type S:\data.txt&&echo.&&type %SHADOWCTL_MOUNT_1%\data.txt'
  expect_code 0
  expect_no_leaks
  [[ $(printf '%s' "$out" | tr -d '\r') == $'before\nbefore' ]] || fail "S: did not show the copy: $out / $err"
  [[ $(tr -d '\r\n ' <"$d/data.txt") == after ]] || fail "the live volume was not changed"
  [[ ! -e $EMULATOR_PREFIX/dosdevices/s: ]] || fail "S: outlived exec's set"
  printf 'second' >"$d/data.txt"
  run --json create D:
  expect_code 0
  local id; id=$(json_field '["result"]["shadows"][0]["id"]')
  run expose "$id" X:
  expect_code 0
  printf 'third' >"$d/data.txt"
  local shown; shown=$(wine cmd /c 'type X:\data.txt' 2>/dev/null | tr -d '\r')
  [[ $shown == second ]] || fail "X: shows '$shown', not the copy's 'second'"
  run unexpose X:
  expect_code 0
  [[ ! -e $EMULATOR_PREFIX/dosdevices/x: ]] || fail "X: outlived unexpose"
  run --json delete --all --yes
  expect_code 0
}

# restore, diff and versions read the emulator's frozen tree of the test's D: at the copy's
# device path, served through dosdevices (docs/emulator.md, "Contents").
restore_gets_files_back_from_the_copy_as_they_were() {
  emulator_env
  local d=$WORK_DIR/volume-d
  find "$d" -mindepth 1 -delete
  printf 'second' >"$d/data.txt"
  touch -d '2026-01-02 03:04:05' "$d/data.txt"
  # A folder deeper than MAX_PATH: reached through \\?\ paths only.
  local deep=sub
  for i in 1 2 3 4 5; do deep+=/$(printf 'folder%02d-%055d' "$i" 0); done
  mkdir -p "$d/$deep" && printf 'deep' >"$d/$deep/deep.txt"
  run --json create D:
  expect_code 0
  local device; device=$(json_field '["result"]["shadows"][0]["device_path"]')
  local tree=$EMULATOR_PREFIX/dosdevices/globalroot/Device/${device##*\\}
  local frozen_before; frozen_before=$(find "$tree" -printf '%P %s %T@ %m\n' | sort)
  printf 'third' >"$d/data.txt"
  # diff and versions read the copy at its device path and today's D: through Wine's own
  # FindFirstFileExW, the deep folder included.
  printf 'new' >"$d/new.txt"
  run --json diff latest --path 'D:\'
  expect_code 0
  expect_no_leaks
  [[ $(diff_changes) == $'changed D:\\data.txt\nadded D:\\new.txt' ]] || fail "diff: $out"
  [[ $(json_field '["result"]["changes"][0]["what"]') == "['size', 'time']" ]] || fail "diff: $out"
  run --json diff latest --path 'D:\sub' --compare
  expect_code 0
  [[ $(json_field '["result"]["changes"]') == "[]" && $(json_field '["result"]["entries"]') == 7 ]] ||
    fail "diff of the deep tree: $out"
  rm "$d/new.txt"
  run --json versions 'D:\data.txt' --compare
  expect_code 0
  [[ $(json_field '["result"]["versions"][0]["differs"]') == True &&
     $(json_field '["result"]["versions"][0]["size"]') == 6 ]] || fail "versions: $out"
  run --json restore 'D:\data.txt' 'D:\sub' --to 'D:\back'
  expect_code 0
  expect_no_leaks
  [[ $(cat "$d/back/data.txt") == second ]] || fail "restore did not give the copy's version"
  [[ $(stat -c %Y "$d/back/data.txt") == $(stat -c %Y "$tree/data.txt") ]] ||
    fail "the last-write time is not the copy's"
  [[ $(cat "$d/back/$deep/deep.txt") == deep ]] || fail "the deep file was not restored"
  [[ $(json_field '["result"]["files"]') == 2 ]] || fail "restore: $out"
  # Nothing is replaced unless told; --overwrite does.
  printf 'mine' >"$d/back/data.txt"
  run --json restore 'D:\data.txt' --to 'D:\back'
  expect_code 2
  [[ $(json_field '["error"]["name"]') == ERROR_FILE_EXISTS ]] || fail "not refused: $out"
  [[ $(cat "$d/back/data.txt") == mine ]] || fail "a refused restore wrote"
  run restore 'D:\data.txt' --to 'D:\back' --overwrite
  expect_code 0
  [[ $(cat "$d/back/data.txt") == second ]] || fail "--overwrite did not replace"
  # In place: the old version at its own path, today's kept beside it.
  run restore 'D:\data.txt' --in-place --yes
  expect_code 0
  [[ $(cat "$d/data.txt") == second ]] || fail "in place did not put the old version back"
  local kept; kept=$(find "$d" -maxdepth 1 -name 'data.txt.shadowctl-*Z')
  [[ -n $kept && $(cat "$kept") == third ]] || fail "the current file was not kept: $(ls "$d")"
  [[ -z $(find "$d" -name '*.shadowctl-partial-*') ]] || fail "a partial file was left"
  [[ $(find "$tree" -printf '%P %s %T@ %m\n' | sort) == "$frozen_before" ]] ||
    fail "restore changed the frozen tree"
  run --json delete --all --yes
  expect_code 0
}

# A file another program holds open, sharing nothing: today's volume refuses it to anyone
# (versions --compare cannot read it: ERROR_SHARING_VIOLATION), the shadow copy gives it.
restore_gets_a_file_held_open_from_the_copy() {
  emulator_env
  local d=$WORK_DIR/volume-d
  find "$d" -mindepth 1 -delete
  printf 'as it was' >"$d/held.txt"
  run --json create D:
  expect_code 0
  local shadowctl; shadowctl=$(winpath "$exe")
  local tool=$exe
  exe=$HOLD_OPEN_EXE
  run 'D:\held.txt' "$shadowctl --json versions D:\held.txt --compare"
  expect_code 0
  [[ $(json_field '["result"]["unreadable"][0]["code"]["name"]') == ERROR_SHARING_VIOLATION ]] ||
    fail "the live file was read while held: $out $err"
  run 'D:\held.txt' "$shadowctl --json restore D:\held.txt --to D:\back"
  exe=$tool
  expect_code 0
  [[ $(cat "$d/back/held.txt") == "as it was" ]] || fail "restore of a held file: $out $err"
  run --json delete --all --yes
  expect_code 0
}

create_script_is_written_atomically_and_never_through_a_link() {
  emulator_env
  local dir=$case_dir/out
  mkdir -p "$dir"
  echo "keep me" >"$dir/victim.txt"
  ln -s "$dir/victim.txt" "$dir/set.cmd"  # planted where the script goes
  run --json create C: --script "$(winpath "$dir/set.cmd")"
  expect_code 0
  expect_no_leaks
  local set_id; set_id=$(json_field '["result"]["set_id"]')
  [[ $(cat "$dir/victim.txt") == "keep me" ]] || fail "the script was written through the link"
  [[ ! -L $dir/set.cmd ]] || fail "set.cmd is still the planted link"
  grep -q "SET \"SHADOWCTL_SET_ID=$set_id\"" "$dir/set.cmd" || fail "set.cmd: $(cat "$dir/set.cmd")"
  run create C: --script "$(winpath "$dir/set.ps1")" --no-writers
  expect_code 0
  expect_no_leaks
  grep -qF "\$SHADOWCTL_SHADOW_1_DEVICE = '\\\\?\\GLOBALROOT" "$dir/set.ps1" || fail "set.ps1: $(cat "$dir/set.ps1")"
  [[ -z $(find "$dir" -name '*.tmp') ]] || fail "a temporary file was left: $(ls "$dir")"
  # A folder that does not exist is found before any VSS call: no writer froze for it.
  : >"$case_dir/journal.jsonl"
  run create C: --script "$(winpath "$dir/missing/set.cmd")"
  expect_code 2
  expect_err "missing' does not exist"
  [[ -z $(journal_methods) ]] || fail "VSS was called: $(journal_methods)"
}

# expose and unexpose through the real exe: targets checked through Windows' own file APIs
# (Wine's), UnexposeSnapshot reached through QueryInterface for IVssBackupComponentsEx2.
expose_and_unexpose_with_emulator() {
  emulator_env
  run --json create C
  expect_no_leaks
  local id; id=$(json_field '["result"]["shadows"][0]["id"]')
  run --json expose "$id" X:
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["exposed_name"]') == X: ]] || fail "expose X: $out"
  run list shadows
  expect_no_leaks
  expect_out "exposed     X:"
  run --json expose "$id" Y:
  expect_code 1
  expect_no_leaks
  [[ $(json_field '["error"]["detail"]') == *"already exposed as X:"* ]] || fail "twice: $out"
  run unexpose x
  expect_code 0
  expect_no_leaks
  expect_out "X: is gone; the shadow copy stays."
  [[ $(journal_methods) == *"UnexposeSnapshot"* ]] || fail "no UnexposeSnapshot: $(journal_methods)"

  # Folders, as Wine's file APIs see them: Z: is Wine's view of /, and NTFS to Windows code.
  local exposes; exposes=$(journal_methods | grep -o ' ExposeSnapshot' | wc -l)
  local root=$case_dir/mount; rm -rf "$root"; mkdir -p "$root/empty" "$root/full"; touch "$root/full/file"
  run --json expose "$id" "$(winpath "$root/full")"
  expect_code 2
  [[ $(json_field '["error"]["name"]') == ERROR_DIR_NOT_EMPTY ]] || fail "non-empty folder: $out"
  run --json expose "$id" "$(winpath "$root/full/file")"
  expect_code 2
  [[ $(json_field '["error"]["name"]') == ERROR_DIRECTORY ]] || fail "a file: $out"
  run --json expose "$id" "$(winpath "$root/missing")"
  expect_code 7
  run --json expose "$id" C:
  expect_code 2
  [[ $(json_field '["error"]["name"]') == ERROR_ALREADY_ASSIGNED ]] || fail "letter in use: $out"
  [[ $(journal_methods | grep -o ' ExposeSnapshot' | wc -l) == "$exposes" ]] ||
    fail "a refused target reached VSS: $(journal_methods)"
  run --json expose "$id" "$(winpath "$root/empty")"
  expect_code 0
  expect_no_leaks
  run --json unexpose "$(winpath "$root/empty")\\"
  expect_code 0
  expect_no_leaks
  run --json expose "$id" --share Before
  expect_code 0
  expect_no_leaks
  run --json unexpose "$id"
  expect_code 0
  expect_no_leaks

  # Only app-rollback and nas-rollback copies can be exposed.
  run --json create C --context client-accessible
  local other; other=$(json_field '["result"]["shadows"][0]["id"]')
  run --json expose "$other" X:
  expect_code 2
  expect_no_leaks
  [[ $(json_field '["error"]["name"]') == SHADOWCTL_E_NOT_PERSISTENT ]] || fail "client-accessible: $out"
  run --json unexpose Q:
  expect_code 7
  expect_no_leaks
}

# Component mode through the real exe: writer classes disabled or enabled before the gather,
# components added, each result reported before BackupComplete (the leak report counts a
# result owed), and the Backup Components Document written only when the set succeeded.
create_selects_writers_in_component_mode() {
  emulator_env
  local bcd=$case_dir/bcd.xml
  run --json create C: --exclude-writer sqlserverwriter --save-bcd "$(winpath "$bcd")" --backup-type full
  expect_code 0
  expect_no_leaks
  [[ $(json_field '["result"]["component_mode"]') == True ]] || fail "component mode: $out"
  [[ $(json_field '["result"]["components"].__len__()') == 3 &&
     $(json_field '["result"]["components"][2]["name"]') == WMI ]] || fail "components: $out"
  local journal; journal=$(journal_methods)
  [[ $journal == *"Release CreateVssBackupComponents InitializeForBackup SetContext DisableWriterClasses SetBackupState GatherWriterMetadata"* ]] ||
    fail "DisableWriterClasses not before the gather: $journal"
  [[ $journal == *"SetBackupSucceeded SetBackupSucceeded SetBackupSucceeded SaveAsXML BackupComplete"* ]] ||
    fail "results not reported before BackupComplete: $journal"
  [[ -f $bcd ]] || fail "no --save-bcd file"
  grep -q 'backupType="FULL"' "$bcd" || fail "bcd: $(cat "$bcd")"
  grep -q 'componentName="WMI" componentType="filegroup" backupSucceeded="yes"' "$bcd" || fail "bcd: $(cat "$bcd")"

  run --json create C: --include-writer 'Exchange Writer'
  expect_code 7
  expect_no_leaks
  [[ $(json_field '["error"]["detail"]') == *"no writer is named 'Exchange Writer'; the writers here are: Registry Writer, SqlServerWriter, System Writer, WMI Writer"* ]] ||
    fail "unknown writer: $out"
}

# exec through the real exe and CreateProcessW: the child (tests/wine/echo_args.cpp) prints
# its argv and SHADOWCTL_* variables; the document goes to --json-file so stdout is the
# child's alone.
# A command line that is not valid UTF-16, started through CreateProcessW (run_wide turns
# "\uD800" into that code unit): an unpaired surrogate in shadowctl's own argument (a file
# name) is refused, exit 2, and no file is made under a changed name; in exec's command it
# reaches the child exactly.
unpaired_surrogates_in_the_command_line_are_refused_or_passed_on_exactly() {
  emulator_env
  local log; log=$(winpath "$case_dir/a")
  set +e
  out=$(wine "$RUN_WIDE_EXE" "$(winpath "$exe")" --json --log-file "$log\\uD800b.log" explain 5 2>/dev/null)
  code=$?
  doc_text=$out
  set -e
  err=""
  expect_code 2
  [[ $(json_field '["error"]["detail"]') == *"is not valid UTF-16: it holds an unpaired surrogate"* ]] ||
    fail "not refused: $out"
  [[ -z $(find "$case_dir" -name 'a*.log') ]] || fail "a log file was made: $(ls "$case_dir")"
  # --json-file itself so named: the refusal is the one document, on stdout, not in a file.
  set +e
  out=$(wine "$RUN_WIDE_EXE" "$(winpath "$exe")" --json-file "$log\\uDC00.json" list shadows 2>/dev/null)
  code=$?
  doc_text=$out
  set -e
  expect_code 2
  [[ $(json_field '["error"]["detail"]') == *"is not valid UTF-16"* ]] || fail "not refused: $out"
  [[ -z $(find "$case_dir" -name 'a*.json') ]] || fail "a document was written: $(ls "$case_dir")"
  local doc=$case_dir/doc.json
  set +e
  out=$(wine "$RUN_WIDE_EXE" "$(winpath "$exe")" --json-file "$(winpath "$doc")" exec C: -- \
    "$(winpath "$ECHO_ARGS_EXE")" 'x\uD800y' '\uDC00' 'pair\uD83D\uDE00' 2>/dev/null)
  code=$?
  set -e
  expect_code 0
  expect_no_leaks
  printf '%s' "$out" >"$case_dir/child.json"
  /usr/bin/python3 - "$case_dir/child.json" <<'PY' || fail "exec: $out"
import json, sys
child = json.load(open(sys.argv[1]))
assert child["argv"] == ["x\ud800y", "\udc00", "pair\U0001F600"], child["argv"]
PY
}

exec_passes_arguments_exactly_and_leaves_nothing() {
  emulator_env
  local doc=$case_dir/doc.json child; child=$(winpath "$ECHO_ARGS_EXE")
  SHADOWCTL_STALE=inherited run --json-file "$(winpath "$doc")" exec C: -- "$child" \
    "" "a b" 'q"uote' 'trail\' 'two\\"' '&|<>^%!' '%PATH%' "$(printf 'caf\xc3\xa9 \xe6\x97\xa5')" -- --json
  expect_code 0
  expect_no_leaks
  printf '%s' "$out" >"$case_dir/child.json"
  /usr/bin/python3 - "$doc" "$case_dir/child.json" <<'PY' || fail "exec: $out / $(cat "$doc")"
import json, sys
doc = json.load(open(sys.argv[1]))
child = json.load(open(sys.argv[2]))
want = ["", "a b", 'q"uote', "trail\\", 'two\\\\"', "&|<>^%!", "%PATH%", "caf\u00e9 \u65e5", "--", "--json"]
assert child["argv"] == want, child["argv"]
env = child["env"]
assert "SHADOWCTL_STALE" not in env, env
assert env["SHADOWCTL_SET_ID"] == doc["result"]["set_id"], env
assert env["SHADOWCTL_SHADOW_COUNT"] == "1"
assert env["SHADOWCTL_DEVICE_C"] == env["SHADOWCTL_SHADOW_1_DEVICE"] + "\\", env
assert doc["exit_code"] == 0 and doc["result"]["set_deleted"] is True, doc
PY
  run --json list shadows
  expect_no_leaks
  [[ $(json_field '["result"].__len__()') == 0 ]] || fail "exec left a shadow copy: $out"
}

exec_exit_codes_and_failures_leave_nothing() {
  emulator_env
  local child; child=$(winpath "$ECHO_ARGS_EXE")
  ECHO_ARGS_EXIT=7 run exec C: -- "$child"
  expect_code 7
  expect_no_leaks
  local starts; starts=$(journal_methods | grep -o StartSnapshotSet | wc -l)
  run --json exec C: -- no-such-program-here
  expect_code 127
  [[ $(json_field '["error"]["name"]') == SHADOWCTL_E_COMMAND_NOT_FOUND ]] || fail "not found: $out"
  [[ $(journal_methods | grep -o StartSnapshotSet | wc -l) == "$starts" ]] ||
    fail "a set was started for a missing command"
  printf 'not a program' >"$case_dir/fake.exe"
  run --json exec C: -- "$(winpath "$case_dir/fake.exe")"
  expect_code 127
  expect_no_leaks
  [[ $(json_field '["error"]["name"]') == SHADOWCTL_E_COMMAND_NOT_STARTED ]] || fail "not startable: $out"
  run --json list shadows
  [[ $(json_field '["result"].__len__()') == 0 ]] || fail "a failed exec left a shadow copy: $out"
  /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(1 if m.get("in_creation") else 0)' \
    "$case_dir/state.json" || fail "a set was left in creation"
}

# CVE-2024-24576's payloads through a real .cmd and the cmd.exe in the prefix: none may run
# a command of its own. (Wine's cmd.exe and CommandLineToArgvW are not Windows': the
# arguments' exact round trip through a batch file is tested natively, not here.)
exec_batch_file_payloads_run_nothing() {
  emulator_env
  local script=$case_dir/echo.cmd marker=$case_dir/pwned
  printf '@"%s" %%*\r\n' "$(winpath "$ECHO_ARGS_EXE")" >"$script"
  local payload
  for payload in "\"&echo x>$(winpath "$marker")" "\\\"&echo x>$(winpath "$marker")" \
      "\" & echo x>$(winpath "$marker") & \"" "%CMDCMDLINE:~-1%&echo x>$(winpath "$marker")"; do
    run exec C: -- "$(winpath "$script")" "$payload"
    expect_code 0
    expect_no_leaks
    [[ ! -e $marker ]] || fail "payload ran a command: $payload"
  done
  run --json exec C: -- "$(winpath "$script")" "$(printf 'two\nlines')"
  expect_code 2
  [[ $(json_field '["error"]["name"]') == SHADOWCTL_E_BATCH_ARGUMENT ]] || fail "newline: $out"
}

exec_mount_exposes_for_the_command_only() {
  emulator_env
  local doc=$case_dir/doc.json
  run --json-file "$(winpath "$doc")" exec C: --mount C=X: -- "$(winpath "$ECHO_ARGS_EXE")"
  expect_code 0
  expect_no_leaks
  [[ $out == *'"SHADOWCTL_MOUNT_1": "X:"'* ]] || fail "no SHADOWCTL_MOUNT_1: $out"
  [[ $(journal_methods) == *"ExposeSnapshot"*"UnexposeSnapshot"*"DeleteSnapshots"* ]] ||
    fail "not exposed, unexposed, deleted: $(journal_methods)"
  run --json list shadows
  [[ $(json_field '["result"].__len__()') == 0 ]] || fail "exec --mount left a shadow copy: $out"
}

# Ctrl+C while the command runs: the command gets it too; the tool waits for it, then
# cleans up and exits 130.
exec_interrupted_during_the_command_exits_130_and_leaves_nothing() {
  emulator_env
  local text
  text=$(script -qc "wine '$CTRL_C_EXE' '$SHADOWCTL_EMULATOR_JOURNAL' GetSnapshotProperties '$(winpath "$exe")' exec C: -- ping -n 3 127.0.0.1" /dev/null 2>&1 | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' | tr -d '\r')
  [[ $text == *"exit=130"* ]] || fail "not exit 130: $text"
  expect_no_leaks
  [[ $(journal_methods) != *"BackupComplete"* ]] || fail "BackupComplete after an interrupted command"
  run --json list shadows
  [[ $(json_field '["result"].__len__()') == 0 ]] || fail "left a shadow copy: $out"
}

# The child at a console (a pty): the output code page and SeBackupPrivilege as they are for
# the same program started without shadowctl (which switched the one to UTF-8 and enabled
# the other), and a job that ends what the command leaves running.
exec_child_gets_the_console_and_privilege_as_found_in_a_job() {
  emulator_env
  local child; child=$(winpath "$ECHO_ARGS_EXE")
  # What the child reports at a console, as one line (the pty wraps long lines).
  at_console() {
    script -qc "$*" /dev/null 2>/dev/null | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' | tr -d '\r\n' |
      grep -o '"console_cp": *[0-9]*, *"backup_privilege": *"[a-z]*", *"in_job": *[a-z]*' | tr -d ' '
  }
  local alone under
  alone=$(at_console "wine '$ECHO_ARGS_EXE'")
  under=$(at_console "wine '$exe' exec C: -- '$child'")
  expect_no_leaks
  [[ -n $alone && $alone == *'"in_job":false' ]] || fail "the child alone: $alone"
  [[ ${under%,\"in_job\":*} == "${alone%,\"in_job\":*}" ]] ||
    fail "console or privilege not as found: alone $alone, under exec $under"
  [[ $under == *'"in_job":true' ]] || fail "not in a job: $under"

  # A process the command leaves running ends with the job when exec is done.
  ECHO_ARGS_SPAWN=1 run exec C: -- "$child"
  expect_code 0
  expect_no_leaks
  [[ $out != *'"spawned": 0'* ]] || fail "the child could not start its waiter: $out"
  local live
  live=$(ps -eo stat=,comm= | awk '$1 !~ /^Z/ && $2 == "echo_args.exe"' || true)
  [[ -z $live ]] || fail "a process the command started outlived exec: $live"

  # --drop-privileges: a restricted token with none of the elevated token's privileges.
  run exec C: -- "$child"
  expect_code 0
  [[ $out == *'"restore_privilege": "enabled"'* || $out == *'"restore_privilege": "disabled"'* ]] ||
    fail "the elevated token has no SeRestorePrivilege here, so the case shows nothing: $out"
  run exec C: --drop-privileges -- "$child"
  expect_code 0
  expect_no_leaks
  local p
  for p in backup restore debug take_ownership; do
    [[ $out == *"\"${p}_privilege\": \"absent\""* ]] || fail "--drop-privileges left Se$p: $out"
  done
}

# The tool reads its own command line without shell32: the same as CommandLineToArgvW.
command_line_split_matches_commandlinetoargvw() {
  export WINEPREFIX=$PLAIN_PREFIX
  set +e
  out=$(wine "$SPLIT_COMPARE_EXE" 2>/dev/null)
  code=$?
  set -e
  expect_code 0
  expect_out "differ 0"
}

version_and_usage() {
  export WINEPREFIX=$PLAIN_PREFIX
  run --version
  expect_code 0
  expect_out "shadowctl $PROJECT_VERSION"
  expect_out "built     "
  expect_out " for windows-x86_64"
  expect_out "compiler  GNU "
  [[ $out =~ commit\ +([0-9a-f]{12}(-dirty)?|unknown) ]] || fail "--version has no commit: $out"
  run frobnicate
  expect_code 2
  expect_err "'frobnicate' is not a shadowctl command"
  run --json check --bogus
  expect_code 2
  run --json --version
  expect_code 0
  [[ $(json_field '["result"]["version"]') == "$PROJECT_VERSION" ]] || fail "--json --version: $out"
  [[ $(json_field '["tool"]["version"]') == "$PROJECT_VERSION" ]] || fail "no tool stamp: $out"
  [[ -n $(json_field '["machine"]') ]] || fail "no machine name: $out"
  run list --help --json
  expect_code 0
  [[ $(json_field '["result"]["commands"][0]["name"]') == shadows ]] || fail "list --help: $out"
}

# --log-file opened as an elevated tool must: a second hard link planted at the path is
# refused and its target untouched; pipes, devices and network paths are refused up front.
# (Wine 8 shows a Unix symbolic link as the file it points to, not as a reparse point, so the
# reparse-point refusal cannot be shown here; the native tests show O_NOFOLLOW's.)
log_file_is_never_written_through_a_planted_link() {
  export WINEPREFIX=$PLAIN_PREFIX
  local dir="$WORK_DIR/links"
  rm -rf "$dir"; mkdir -p "$dir"
  echo precious >"$dir/target.txt"
  ln "$dir/target.txt" "$dir/hard.log"
  run --log-file "$(winpath "$dir/hard.log")" explain 5
  expect_code 2
  expect_err "it has more than one hard link"
  [[ $(cat "$dir/target.txt") == precious ]] || fail "the hard link's target was written"
  run --log-file '\\.\pipe\shadowctl-test' explain 5
  expect_code 2
  expect_err "is refused: it is a named pipe"
  run --json --json-file 'C:\logs\nul.json' explain 5
  expect_code 2
  [[ $(json_field '["error"]["detail"]') == *"it names the device NUL"* ]] || fail "$out"
  run --log-file "$(winpath "$dir/new.log")" explain 5
  expect_code 0
  grep -q "debug shadowctl" "$dir/new.log" || fail "no log written to a new file"
  [[ $(head -c 200 "$dir/new.log") != *'\x0D'* ]] || fail "CR LF escaped in the log"
}

# The exe as built: ASLR (with a relocation table, or there is nothing to move), high-entropy
# addresses and DEP in its PE header; and nothing but kernel32 and msvcrt imported at
# start-up, so every other DLL loads after the search path is locked to System32.
exe_is_hardened() {
  local header
  header=$("$MINGW_OBJDUMP" -p "$exe")
  local flag
  for flag in DYNAMIC_BASE HIGH_ENTROPY_VA NX_COMPAT; do
    [[ $header == *"$flag"* ]] || fail "the exe lacks $flag: $(grep -A6 DllCharacteristics <<<"$header")"
  done
  "$MINGW_OBJDUMP" -h "$exe" | grep -q '\.reloc' || fail "no .reloc section: ASLR cannot move the exe"
  local imports
  imports=$("$MINGW_OBJDUMP" -p "$exe" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' | sort | tr '\n' ' ')
  [[ $imports == "kernel32.dll msvcrt.dll " ]] || fail "imported at start-up: $imports"
  # The stack protector: the exe is stripped, so its __stack_chk_fail is found by what it
  # does (__fastfail(FAST_FAIL_STACK_COOKIE_CHECK_FAILURE): mov $2,%ecx; int $0x29) and
  # its callers counted: every function with a local array checks its canary.
  local code fail_at calls
  code=$("$MINGW_OBJDUMP" -d "$exe")
  fail_at=$(grep -B2 'int    \$0x29' <<<"$code" | grep -B1 'mov    \$0x2,%ecx' | head -1 | sed 's/^ *\([0-9a-f]*\):.*/\1/')
  [[ -n $fail_at ]] || fail "no stack protector failure routine in the exe"
  calls=$(grep -c "call   0x$fail_at\b" <<<"$code" || true)
  ((calls > 100)) || fail "only $calls functions check a stack canary"
  echo "stack canary checked by $calls call sites"
}

# The stack protector's runtime (stack_protector.cpp), built into a program that overflows
# its own buffer: the canary differs from run to run, and the overflow ends the process with
# STATUS_STACK_BUFFER_OVERRUN (0xC0000409; the shell sees 9) before the function returns.
stack_protector_ends_a_smashed_stack() {
  export WINEPREFIX=$PLAIN_PREFIX
  local first second
  first=$(wine "$SMASH_STACK_EXE" 2>/dev/null | head -1)
  second=$(wine "$SMASH_STACK_EXE" 2>/dev/null | head -1)
  [[ $first == guard=* && $second == guard=* ]] || fail "no canary printed: $first"
  [[ $first != "$second" ]] || fail "the canary is the same in two runs: $first"
  [[ $first != guard=2b992ddfa232 ]] || fail "the canary was never seeded"
  set +e
  out=$(wine "$SMASH_STACK_EXE" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA 2>/dev/null)
  code=$?
  set -e
  err=""
  expect_code 9
  [[ $out != *returned* ]] || fail "the smashed function returned: $out"
}

# A report nobody can read leaves no shadow copy: stdout closed (a pipe whose reader has
# gone, a redirect to a full disk).
create_whose_report_cannot_be_written_leaves_nothing() {
  emulator_env
  local code_seen
  set +e
  err=$(wine "$exe" create C: 2>&1 >&-)
  code_seen=$?
  set -e
  [[ $code_seen == 1 ]] || fail "exit $code_seen with stdout closed: $err"
  [[ $err == *"cannot write to stdout; the set {"*"} it made was deleted"* ]] || fail "stderr: $err"
  run --json list shadows
  expect_code 0
  [[ $(json_field '["result"]') == "[]" ]] || fail "a shadow copy was left: $out"
}

# Win32 codes go through FormatMessage as on Windows; event IDs need no VSS at all.
explain_win32_codes_and_event_ids() {
  export WINEPREFIX=$PLAIN_PREFIX
  run explain 1314
  expect_code 0
  expect_out "Win32 error 1314, as the HRESULT 0x80070522 (HRESULT_FROM_WIN32)"
  expect_out "ERROR_PRIVILEGE_NOT_HELD"
  run --json explain 5
  expect_code 0
  [[ $(json_field '["result"]["win32_code"]') == 5 ]] || fail "no win32_code: $out"
  run --json explain --event 8193
  expect_code 0
  [[ $(json_field '["result"]["matches"][0]["source"]') == VSS ]] || fail "event 8193: $out"
  run explain --event 20 --source volsnap
  expect_code 0
  expect_out "volsnap event 20 (System log, Error)"
  run explain --event 99999
  expect_code 2
  expect_err "event 99999 is not in shadowctl's event catalogue"
}

# The manifest Windows applies at start-up and the version resource Explorer shows, read back
# through LoadLibraryEx/FindResource and GetFileVersionInfo.
manifest_and_version_resource_are_embedded() {
  export WINEPREFIX=$PLAIN_PREFIX
  set +e
  err=""
  out=$(wine "$READ_RESOURCES_EXE" "$(winpath "$exe")" 2>/dev/null)
  code=$?
  set -e
  expect_code 0
  expect_out '<requestedExecutionLevel level="asInvoker" uiAccess="false"/>'
  expect_out '<supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>'
  expect_out '>UTF-8</activeCodePage>'
  expect_out '>true</longPathAware>'
  expect_out "version=\"$PROJECT_VERSION.0\""
  [[ $out != *@*@* ]] || fail "an unconfigured @VARIABLE@ is left in the resources: $out"
  expect_out "FixedFileVersion=$PROJECT_VERSION.0"
  expect_out "FileVersion=$PROJECT_VERSION"
  expect_out "ProductVersion=$PROJECT_VERSION"
  expect_out "ProductName=shadowctl"
  expect_out "OriginalFilename=shadowctl.exe"
  expect_out "FileDescription=Windows Volume Shadow Copy command-line tool"
  expect_out "LegalCopyright=Copyright"
  # The manifest is well-formed XML: Windows refuses to start an exe whose manifest is not.
  /usr/bin/python3 -c 'import sys, xml.dom.minidom as m; m.parseString(sys.stdin.read().replace("\r", "").split("manifest:\n",1)[1].split("\nFixedFileVersion")[0].strip().encode())' <<<"$out" ||
    fail "the manifest is not well-formed XML"
}

# The rules of "Aborting VSS Operations", IVssAsync::Cancel and the backup discovery phase,
# through the real exe and COM against the emulator DLL (docs/emulator.md):
vss_correctness_rules_hold_under_wine() {
  emulator_env
  local child; child=$(winpath "$ECHO_ARGS_EXE")
  # exec's stdout is its command's alone, byte for byte; shadowctl's document is on stderr.
  run --json exec C: -- "$child" one two
  expect_code 0
  /usr/bin/python3 -c 'import json,sys; c=json.loads(sys.argv[1]); assert c["argv"] == ["one", "two"], c' "$out" ||
    fail "stdout is not the command's alone: $out"
  [[ $(json_field '["command"]') == exec && $(json_field '["result"]["backup_aborted"]') == False ]] ||
    fail "exec's document on stderr: $doc_text"
  expect_no_leaks
  # A failed command abandons the backup: AbortBackup, never BackupComplete.
  : >"$case_dir/journal.jsonl"
  ECHO_ARGS_EXIT=3 run --json exec C: --backup-type full -- "$child"
  expect_code 3
  [[ $(json_field '["result"]["backup_aborted"]') == True ]] || fail "not aborted: $doc_text"
  local calls; calls=$(journal_methods)
  [[ $calls == *AbortBackup*DeleteSnapshots* && $calls != *BackupComplete* ]] ||
    fail "a failed command was followed by: $calls"
  expect_no_leaks
  # A writer named with --include-writer whose data (on C:) are not in the set: refused first.
  : >"$case_dir/journal.jsonl"
  run --json create Z: --include-writer SqlServerWriter  # Z: is the prefix's other drive
  expect_code 2
  [[ $(json_field '["error"]["name"]') == SHADOWCTL_E_WRITER_DATA_OUTSIDE_SET ]] || fail "$doc_text"
  [[ $(journal_methods) != *StartSnapshotSet* ]] || fail "a set was started: $(journal_methods)"
  # DoSnapshotSet committing as its Cancel comes: the committed set is deleted, exit 6.
  emulator_env '{"async": [{"method": "DoSnapshotSet", "behaviour": "completes_at_cancel"}]}'
  run --json create C: --timeout 1
  expect_code 6
  [[ $(json_field '["error"]["detail"]') == *"it had completed before it was cancelled"* ]] || fail "$doc_text"
  [[ $(in_creation_or_shadows_left) == "0 False" ]] || fail "left: $(in_creation_or_shadows_left)"
  expect_no_leaks
  # A cleanup that fails says what it left and how to remove it; the line works as given.
  emulator_env '{"faults": [{"method": "BackupComplete", "hresult": "VSS_E_UNEXPECTED"},
                            {"method": "DeleteSnapshots", "hresult": "E_ACCESSDENIED", "when": 1}]}'
  run --json create C:
  expect_code 1
  local line shadow
  line=$(json_field '["error"]["cleanup"]["left_behind"][0]["remove_with"]')
  shadow=$(json_field '["error"]["cleanup"]["left_behind"][0]["shadow_ids"][0]')
  [[ $(json_field '["error"]["cleanup"]["failed"][0]["call"]') == DeleteSnapshots ]] || fail "$doc_text"
  /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert [s["id"] for s in m["shadows"]] == [sys.argv[2]], m["shadows"]' \
    "$case_dir/state.json" "$shadow" || fail "the report does not name what is left: $doc_text"
  local words; read -ra words <<<"${line#shadowctl }"
  unset SHADOWCTL_EMULATOR_SCENARIO  # a new process would meet the fault's first call again
  run "${words[@]}" --yes
  expect_code 0
  [[ $(in_creation_or_shadows_left) == "0 False" ]] || fail "the delete line left: $(in_creation_or_shadows_left)"
}

# SetContext takes the attributes a requester may add (the value a widely deployed guest agent
# sends included) and refuses those only VSS sets; create --option reaches SetContext; a plex
# without a hardware provider is not supported; output that cannot be written is found before
# any VSS call; a provider veto comes after the writers froze.
vss_contexts_options_and_veto_under_wine() {
  emulator_env
  probe create 0x0200002B  # APP_ROLLBACK | NO_AUTORECOVERY | TRANSPORTABLE | TXF_RECOVERY
  expect_code 0
  expect_out "SetContext 0x00000000"
  expect_out "BackupComplete 0x0004230A"
  expect_no_leaks
  /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["shadows"][0]["attributes"] & 0x2000000, m["shadows"]' \
    "$case_dir/state.json" || fail "the shadow copy lacks TXF_RECOVERY"
  probe create 0x00100009  # APP_ROLLBACK | EXPOSED_LOCALLY: VSS's own attribute
  expect_code 1
  expect_out "SetContext 0x80070057"
  expect_no_leaks
  : >"$case_dir/journal.jsonl"
  run --json create C: --option txf-recover --option no-autorecover
  expect_code 2
  [[ $(json_field '["error"]["detail"]') == *"do not go together"* ]] || fail "$doc_text"
  [[ -z $(journal_methods) ]] || fail "VSS was called: $(journal_methods)"
  run --json create C: --option txf-recover
  expect_code 0
  [[ $(json_field '["result"]["options"]') == "['txf-recover']" ]] || fail "$doc_text"
  /usr/bin/python3 -c 'import json,sys; a=[json.loads(l)["args"] for l in open(sys.argv[1]) if json.loads(l)["method"] == "SetContext"]; assert a == ["0x2000009"], a' \
    "$case_dir/journal.jsonl" || fail "SetContext was not told the option"
  expect_no_leaks
  : >"$case_dir/journal.jsonl"
  run --json create C: --option plex
  [[ $(json_field '["error"]["name"]') == VSS_E_VOLUME_NOT_SUPPORTED ]] || fail "$doc_text"
  [[ $(journal_methods) != *StartSnapshotSet* ]] || fail "a set was started: $(journal_methods)"
  expect_no_leaks
  # A --script whose folder does not exist: refused before any VSS call.
  : >"$case_dir/journal.jsonl"
  run --json create C: --script 'C:\no such folder\set.cmd'
  expect_code 2
  [[ $(json_field '["error"]["detail"]') == *"the folder 'C:\no such folder' does not exist"* ]] || fail "$doc_text"
  [[ -z $(journal_methods) ]] || fail "VSS was called: $(journal_methods)"
  run --json create C: --script 'C:\windows'
  expect_code 2
  [[ $(json_field '["error"]["detail"]') == *"it is a folder"* ]] || fail "$doc_text"
  # A provider veto: writers froze, then were aborted; nothing is left.
  /usr/bin/python3 -c 'import json,sys; p=sys.argv[1]; m=json.load(open(p)); [w.update(records_events=True) for w in m["writers"]]; json.dump(m, open(p, "w"))' \
    "$case_dir/state.json"
  local before; before=$(in_creation_or_shadows_left)
  printf '%s' '{"provider_veto": true}' >"$case_dir/scenario.json"
  export SHADOWCTL_EMULATOR_SCENARIO; SHADOWCTL_EMULATOR_SCENARIO=$(winpath "$case_dir/scenario.json")
  : >"$case_dir/journal.jsonl"
  run --json create C:
  [[ $(json_field '["error"]["name"]') == VSS_E_PROVIDER_VETO ]] || fail "$doc_text"
  [[ $(journal_methods) == *"DoSnapshotSet:complete"*AbortBackup* && $(journal_methods) != *BackupComplete* ]] ||
    fail "the veto was not aborted: $(journal_methods)"
  /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); e=[w["recorded_events"] for w in m["writers"]]; assert e and all(x == ["OnPrepareBackup", "OnPrepareSnapshot", "OnFreeze", "OnAbort"] for x in e), e' \
    "$case_dir/state.json" || fail "writers were not frozen and then aborted"
  [[ $(in_creation_or_shadows_left) == "$before" ]] || fail "the veto left: $(in_creation_or_shadows_left)"
  expect_no_leaks
}

# Wine's own wevtapi.dll serves no query (EvtQuery returns NULL and leaves the last error
# at 0): a failure's error says the log could not be read and is otherwise what it was,
# `events` fails saying why, check --deep skips its events item. A wevtapi.dll planted
# beside the exe, which would answer, is never loaded: only System32's.
events_under_wines_own_wevtapi_are_unread_and_change_nothing() {
  export WINEPREFIX=$PLAIN_PREFIX
  run --json check
  expect_code 4
  [[ $(json_field '["error"]["name"]') == E_NOTIMPL ]] || fail "$doc_text"
  [[ $(json_field '["error"]["events_unread"]') == *"the Application log could not be read (ERROR_NOT_SUPPORTED"* ]] ||
    fail "the unread log is not said: $doc_text"
  [[ $(json_eval '"events" in d["error"]') == False ]] || fail "$doc_text"
  run check
  expect_code 4
  [[ $err != *"events logged"* ]] || fail "stderr: $err"
  run --json events
  expect_code 1
  [[ $(json_field '["error"]["name"]') == ERROR_NOT_SUPPORTED ]] || fail "$doc_text"
  [[ $(json_field '["error"]["phase"]') == EvtQuery ]] || fail "$doc_text"
  run --json check --deep
  expect_code 4
  [[ $(json_eval '[c["status"] + " " + c["detail"] for c in d["result"]["checks"] if c["name"] == "events"][0]') == "skip not read: the Application log could not be read (ERROR_NOT_SUPPORTED"* ]] ||
    fail "check --deep's events item: $doc_text"
  local dir=$WORK_DIR/planted-wevtapi
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$SHADOWCTL_EXE" "$dir/shadowctl.exe"
  cp "$WEVTAPI_DLL" "$dir/wevtapi.dll"
  export WINEDLLOVERRIDES=wevtapi=n,b
  exe=$dir/shadowctl.exe
  run --json events
  expect_code 1
  [[ $(json_field '["error"]["name"]') == ERROR_NOT_SUPPORTED ]] || fail "the planted wevtapi.dll answered: $doc_text"
}

# The real exe reads the emulated machine's log through System32's wevtapi.dll (the
# double): the event a provider veto wrote is beside the error, with its message
# (EvtFormatMessage) and its code decoded; `events` lists it and a writer's own event that
# another process wrote; every query is the XPath shadowctl writes, on both logs.
events_from_the_emulated_log() {
  emulator_env '{"async": [{"method": "DoSnapshotSet", "behaviour": "fail", "hresult": "VSS_E_PROVIDER_VETO"}]}'
  run --json create C:
  expect_code 1
  expect_no_leaks
  [[ $(json_eval '[e["id"] for e in d["error"]["events"]]') == "[12293]" ]] || fail "$doc_text"
  [[ $(json_eval 'd["error"]["events"][0]["errors"][0]["name"]') == VSS_E_PROVIDER_VETO ]] || fail "$doc_text"
  [[ $(json_eval 'd["error"]["events"][0]["message"]') == "Volume Shadow Copy Service error: Error calling a routine on a Shadow Copy Provider {b5946137-7b9f-4925-af80-51abd60b20d5}."* ]] ||
    fail "no formatted message: $doc_text"
  /usr/bin/python3 - "$case_dir/journal.jsonl" <<'PY' || fail "the queries were not shadowctl's XPath on both logs"
import json, sys
q = [json.loads(l)["args"] for l in open(sys.argv[1]) if json.loads(l)["method"] == "EvtQuery"]
assert len(q) == 2, q
assert q[0].startswith("Application *[System[Provider[@Name='VSS' or @Name='SPP'"), q
assert q[1].startswith("System *[System[Provider[@Name='volsnap'] and TimeCreated[@SystemTime>='"), q
PY
  unset SHADOWCTL_EMULATOR_SCENARIO
  run events
  expect_code 0
  expect_out "VSS 12293  Error (Application log)"
  expect_out "0x80042306 VSS_E_PROVIDER_VETO"
  expect_out "1 event since"
  wine "$MACHINE_CHANGE_EXE" event Application SQLWRITER 24583 2 "SQLWRITER hr = 0x80040e14" >/dev/null 2>&1 ||
    fail "machine_change could not write the event"
  run --json events --since 1h
  expect_code 0
  [[ $(json_eval '[(e["source"], e["id"]) for e in d["result"]["events"]]') == "[('VSS', 12293), ('SQLWRITER', 24583)]" ]] ||
    fail "$doc_text"
  run --json events --id 8193
  expect_code 0
  [[ $(json_eval 'd["result"]["events"]') == "[]" ]] || fail "$doc_text"
  export SHADOWCTL_EMULATOR_SCENARIO; SHADOWCTL_EMULATOR_SCENARIO=$(winpath "$case_dir/scenario.json")
  run --json --no-events create C:
  expect_code 1
  expect_no_leaks
  [[ $(json_eval '"events" in d["error"]') == False ]] || fail "--no-events: $doc_text"
}

# check --deep against the emulator, through the real exe: a trial copy of each volume
# that leaves nothing, the headroom of each, the events item read from the double; with
# --writers a copy-type trial with the writers.
check_deep_with_emulator() {
  emulator_env
  run --json check --deep --writers C:
  expect_code 0
  expect_no_leaks
  [[ $(json_eval '[c["name"] + "=" + c["status"] for c in d["result"]["checks"] if c["name"] in ("trial_copy", "trial_writers", "storage_headroom", "events")]') == \
     "['trial_copy=ok', 'trial_writers=ok', 'storage_headroom=ok', 'events=ok']" ]] || fail "$doc_text"
  [[ $(json_eval 'd["result"]["events"]') == "[]" ]] || fail "$doc_text"
  /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(1 if m.get("in_creation") or m["shadows"] else 0)' \
    "$case_dir/state.json" || fail "check --deep left a set or a shadow copy"
  [[ -z $(frozen_trees) ]] || fail "a trial's frozen tree was left: $(frozen_trees)"
  run check --deep C:
  expect_code 0
  expect_no_leaks
  expect_out "C:\: a writer-less, non-persistent shadow copy made and deleted in "
  # A writer that fails at the freeze: the writers' trial fails with exit 5 naming it, the
  # writer-less trial passes, and the rejection it logged is among the events read after.
  emulator_env '{"writers": [{"writer": "SqlServerWriter", "state": "VSS_WS_FAILED_AT_FREEZE", "failure": "VSS_E_WRITERERROR_RETRYABLE", "phase": "DoSnapshotSet"}]}'
  run --json check --deep --writers C:
  expect_code 5
  expect_no_leaks
  [[ $(json_eval '[c["name"] + "=" + c["status"] for c in d["result"]["checks"] if c["name"] in ("trial_copy", "trial_writers")]') == \
     "['trial_copy=ok', 'trial_writers=fail']" ]] || fail "$doc_text"
  [[ $(json_field '["error"]["writer"]') == SqlServerWriter ]] || fail "$doc_text"
  [[ $(json_eval '[e["id"] for e in d["result"]["events"]]') == "[8229]" ]] || fail "$doc_text"
  /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(1 if m.get("in_creation") or m["shadows"] else 0)' \
    "$case_dir/state.json" || fail "the failed trial left a set or a shadow copy"
}

# The cases, each with the prefix it runs in (plain: Wine's own vssapi.dll; emulator: the
# emulator DLL), and "volumes" for a case that uses what the emulator prefix's cases share:
# the D: folder, the frozen trees' store, drive letters; ctest runs those one at a time.
# tests/wine/CMakeLists.txt reads this table; it is the only list of them.
cases_table() {
  cat <<'CASES'
  check_with_wines_own_vssapi_is_vss_unavailable plain
  planted_vssapi_beside_exe_is_not_loaded plain
  planted_system_dll_of_another_name_is_not_loaded emulator
  com_security_as_requesters_are_advised emulator
  exe_is_hardened plain
  stack_protector_ends_a_smashed_stack plain
  create_whose_report_cannot_be_written_leaves_nothing emulator
  check_with_emulator_passes emulator
  check_deep_with_emulator emulator volumes
  events_under_wines_own_wevtapi_are_unread_and_change_nothing plain
  events_from_the_emulated_log emulator
  check_with_emulator_access_denied_exits_3 emulator
  check_warns_about_a_failed_writer_and_full_storage emulator
  explain_reads_utf16_arguments plain
  version_and_usage plain
  manifest_and_version_resource_are_embedded plain
  explain_win32_codes_and_event_ids plain
  log_file_is_never_written_through_a_planted_link plain
  command_line_split_matches_commandlinetoargvw plain
  unicode_log_file_path plain
  console_shows_non_ascii_text plain
  probe_persistent_shadow_is_seen_by_another_process emulator
  probe_auto_release_shadow_goes_with_its_object emulator
  probe_walks_every_context_and_component_mode emulator
  probe_every_export_resolves_and_answers emulator
  process_killed_mid_backup_leaves_nothing emulator
  create_killed_at_each_call_leaves_what_vss_would emulator
  names_not_valid_utf16_give_valid_json_and_aligned_tables emulator
  copy_deleted_by_another_process_before_delete_is_gone emulator
  volume_dismounted_during_create_leaves_nothing emulator
  set_in_creation_by_another_process_exits_8_and_retry_succeeds emulator
  probe_veto_then_abort_leaves_nothing emulator
  probe_without_abort_is_caught_by_the_report emulator
  probe_leaked_reference_is_caught_by_the_report emulator
  probe_lists_providers_through_ivssadmin emulator
  probe_async_keeps_its_backup_object emulator
  probe_resizes_shadow_storage emulator
  probe_lists_writers_with_components emulator
  probe_unfreed_strings_are_caught_by_the_report emulator
  list_shadows_with_emulator_reads_every_context emulator
  list_shadows_failure_names_the_call emulator
  list_writers_with_emulator_frees_what_it_gathers emulator
  list_writers_hang_times_out_and_cancels emulator
  list_inventory_with_emulator emulator
  list_volume_arguments_resolve_through_windows emulator
  list_shadows_at_512_on_one_volume emulator
  create_with_emulator_makes_a_persistent_set emulator
  create_failures_leave_nothing_behind emulator
  delete_with_emulator_deletes_only_what_was_named emulator
  expose_and_unexpose_with_emulator emulator volumes
  create_selects_writers_in_component_mode emulator
  exec_passes_arguments_exactly_and_leaves_nothing emulator
  unpaired_surrogates_in_the_command_line_are_refused_or_passed_on_exactly emulator
  exec_exit_codes_and_failures_leave_nothing emulator
  exec_batch_file_payloads_run_nothing emulator
  exec_mount_exposes_for_the_command_only emulator volumes
  exec_interrupted_during_the_command_exits_130_and_leaves_nothing emulator
  vss_contexts_options_and_veto_under_wine emulator
  exec_child_gets_the_console_and_privilege_as_found_in_a_job emulator
  create_interrupted_at_each_phase_exits_130_and_leaves_nothing emulator
  create_calls_are_the_described_sequence emulator
  create_fault_matrix emulator
  vss_correctness_rules_hold_under_wine emulator
  create_script_is_written_atomically_and_never_through_a_link emulator
  exec_reads_the_volume_as_it_was_when_the_set_was_made emulator volumes
  drive_letter_exposure_shows_the_volume_as_it_was emulator volumes
  prune_thins_512_copies_by_a_policy emulator
  schedule_registers_lists_removes_and_runs_a_task emulator
  storage_add_resize_delete_through_the_management_interface emulator
  restore_gets_files_back_from_the_copy_as_they_were emulator volumes
  restore_gets_a_file_held_open_from_the_copy emulator volumes
CASES
}

case_name=$1
exe=$SHADOWCTL_EXE
mkdir -p "$WORK_DIR"
[[ $case_name == setup_* ]] || cases_table | grep -q "^  $case_name [a-z]*\( volumes\)\?$" ||
  fail "$case_name is not in cases_table, so ctest would not run it"
"$case_name"
echo "PASS: $case_name"
