#!/usr/bin/env bash
# Runs every benchmark, prints its figures and writes them as JSON (docs/performance.md):
#   1. own time in `create` and `exec` under Wine, from the emulator's journal (20 runs each);
#   2. `list shadows` at 0, 100, 1,000 and 10,000 shadow copies, in-process and under Wine;
#   3. start-up beside a C hello world built the same way, natively and under Wine;
#   4. the size of the stripped exe, and what in it is largest;
#   5. files from a shadow copy: diff, versions and prune in-process, and under Wine restore
#      of a tree of 10,000 files (1 GiB) beside xcopy /E reading the same frozen tree;
#   6. what reading the event log adds to a failed run under Wine: create vetoed by the
#      provider, with its events and with --no-events, against the emulated log holding
#      0 and 1,000 events, and against Wine's own wevtapi.dll (which serves no query);
#   7. what PowerShell remoting over SSH adds to a cmdlet: the three loopback servers of the
#      remoting tests, a cmdlet timed on a server, through -Session to one and two, through
#      Invoke-Command to two, and through -HostName (connecting each time).
# Figures only: nothing here passes or fails on time. The `bench` workflow preset runs it
# (ctest) with NATIVE_DIR set; it builds the Windows side itself (the windows-bench preset).
set -Eeuo pipefail  # -E: the ERR trap below holds in functions too
src=$(cd "$(dirname "$0")/../.." && pwd)
native=${NATIVE_DIR:-$src/build/bench}
win=$src/build/windows-bench
out=${OUT_DIR:-$native/bench-results}
runs=${BENCH_RUNS:-20}
parts=${BENCH_PARTS:-1234567}  # which of the seven to run, e.g. BENCH_PARTS=13
mkdir -p "$out"
# A part that fails says which it was, so the rest of a long run is not read as its cause.
part="set-up"
trap 'echo "run: the bench failed in part $part" >&2' ERR
command -v hyperfine >/dev/null || { echo "run: hyperfine is missing; bash cmake/install-deps.sh" >&2; exit 1; }
export WINEDEBUG=-all WINEARCH=win64
unset DISPLAY WAYLAND_DISPLAY

echo "== machine"
/usr/bin/python3 - "$out/machine.json" <<'PY'
import json, os, platform, subprocess, sys
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
wine = subprocess.run(["wine", "--version"], capture_output=True, text=True).stdout.strip()
m = {"cpu": cpu, "cores": os.cpu_count(), "memory_mib": mem, "kernel": platform.release(), "wine": wine}
json.dump(m, open(sys.argv[1], "w"), indent=2)
print(f"{cpu}, {os.cpu_count()} cores, {mem} MiB, Linux {platform.release()}, {wine}")
PY

echo "== build the Windows side (windows-bench preset)"
(cd "$src" && cmake --preset windows-bench >/dev/null && cmake --build --preset windows-bench >/dev/null)
exe=$win/shadowctl.exe
export EMULATOR_PREFIX=$win/wine/prefix-emulator PLAIN_PREFIX=$win/wine/prefix-plain \
  EMULATOR_DLL=$win/tests/emulator/dll/vssapi.dll WEVTAPI_DLL=$win/tests/emulator/wevtapi/wevtapi.dll WORK_DIR=$win/wine JSON_DIR=$win/wine/json-documents \
  SHADOWCTL_EXE=$exe
bash "$src/tests/wine/wine-test.sh" setup_emulator_prefix >/dev/null
export WINEPREFIX=$EMULATOR_PREFIX WINEDLLOVERRIDES=vssapi,wevtapi=n
work=$(mktemp -d "$win/bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
winpath() { local p=${1//\//\\}; echo "Z:$p"; }

# The tool's own time between its first VSS call and its last: the span minus every moment
# inside a VSS call (a synchronous call from its start to its end, an asynchronous one from
# its start to its `:complete`), and what lies between PrepareForBackup's end and
# DoSnapshotSet's start.
own_time() {
  /usr/bin/python3 - "$@" <<'PY'
import json, statistics, sys
name, out_file, journals = sys.argv[1], sys.argv[2], sys.argv[3:]
own, spans, gaps, between = [], [], [], set()
for path in journals:
    entries = [json.loads(l) for l in open(path)]
    intervals, pending = [], {}
    for e in entries:
        m = e["method"]
        if m.endswith(":complete"):
            start = pending.pop(m[:-len(":complete")], None)
            if start is not None: intervals.append((start, e["end_us"]))
        elif m in ("PrepareForBackup", "DoSnapshotSet", "BackupComplete", "GatherWriterMetadata", "GatherWriterStatus"):
            pending[m] = e["start_us"]
        else:
            intervals.append((e["start_us"], e["end_us"]))
    intervals.sort()
    merged = []
    for s, t in intervals:
        if merged and s <= merged[-1][1]: merged[-1][1] = max(merged[-1][1], t)
        else: merged.append([s, t])
    def inside(a, b):  # time within [a, b] spent in VSS calls
        return sum(max(0, min(t, b) - max(s, a)) for s, t in merged)
    first, last = min(e["start_us"] for e in entries), max(e["end_us"] for e in entries)
    span = last - first
    spans.append(span / 1000); own.append((span - inside(first, last)) / 1000)
    prepared = next((e["end_us"] for e in entries if e["method"] == "PrepareForBackup:complete"), None)
    snap = next((e["start_us"] for e in entries if e["method"] == "DoSnapshotSet"), None)
    if prepared is not None and snap is not None:
        gaps.append((snap - prepared - inside(prepared, snap)) / 1000)
        between.update(e["method"] for e in entries if prepared <= e["start_us"] < snap)
r = {"benchmark": name, "runs": len(journals), "own_ms_median": statistics.median(own),
     "own_ms_max": max(own), "vss_span_ms_median": statistics.median(spans)}
if gaps:
    r["prepare_to_snapshot_own_ms_median"] = statistics.median(gaps)
    r["calls_between_prepare_and_snapshot"] = sorted(between)
json.dump(r, open(out_file, "w"), indent=2)
print(f"{name}: own time median {r['own_ms_median']:.2f} ms (max {r['own_ms_max']:.2f}) "
      f"in a VSS span of {r['vss_span_ms_median']:.1f} ms over {len(journals)} runs")
if gaps:
    print(f"  between PrepareForBackup and DoSnapshotSet: {r['prepare_to_snapshot_own_ms_median']:.3f} ms "
          f"not in VSS; calls there: {', '.join(r['calls_between_prepare_and_snapshot']) or 'none'}")
PY
}

if [[ $parts == *1* ]]; then
part="1 (own time under Wine)"
echo "== 1. own time in create and exec, under Wine ($runs runs each)"
for bench in create exec; do
  journals=()
  for i in $(seq "$runs"); do
    d=$work/$bench-$i; mkdir -p "$d"
    export SHADOWCTL_EMULATOR_STATE; SHADOWCTL_EMULATOR_STATE=$(winpath "$d/state.json")
    export SHADOWCTL_EMULATOR_JOURNAL; SHADOWCTL_EMULATOR_JOURNAL=$(winpath "$d/journal.jsonl")
    export SHADOWCTL_EMULATOR_REPORT; SHADOWCTL_EMULATOR_REPORT=$(winpath "$d/report.json")
    if [[ $bench == create ]]; then
      wine "$exe" -q create C: >"$d/out" 2>&1
    else
      wine "$exe" -q exec C: -- cmd /c exit 0 >"$d/out" 2>&1
    fi
    journals+=("$d/journal.jsonl")
  done
  own_time "own_time_$bench" "$out/own_time_$bench.json" "${journals[@]}"
done

fi

if [[ $parts == *2* ]]; then
part="2 (listing at scale)"
echo "== 2. list shadows at scale"
"$native/tests/bench/bench_listing" "$out/listing_in_process.json"
echo "-- under Wine (whole process, Wine's start-up included)"
listing_rows=()
for n in 0 100 1000 10000; do
  d=$work/list-$n; mkdir -p "$d"
  export SHADOWCTL_EMULATOR_STATE; SHADOWCTL_EMULATOR_STATE=$(winpath "$d/state.json")
  unset SHADOWCTL_EMULATOR_JOURNAL
  export SHADOWCTL_EMULATOR_REPORT; SHADOWCTL_EMULATOR_REPORT=$(winpath "$d/report.json")
  wine "$exe" -q list volumes >/dev/null 2>&1  # the state file, from Wine's volumes
  /usr/bin/python3 - "$d/state.json" "$n" <<'PY'
import json, sys, uuid
path, n = sys.argv[1], int(sys.argv[2])
m = json.load(open(path))
vols = [v["name"] for v in m["volumes"]]
for i in range(n):
    m["shadows"].append({"id": "{%s}" % uuid.uuid4(), "set_id": "{%s}" % uuid.uuid4(), "shadows_in_set": 1,
        "device_path": "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy%d" % (i + 1),
        "original_volume": vols[i % len(vols)], "originating_machine": "EMULATED", "service_machine": "EMULATED",
        "provider_id": "{b5946137-7b9f-4925-af80-51abd60b20d5}", "attributes": 0x20019,
        "created_us": 1700000000000000 + i * 1000000, "state": 12, "context": 0x9})
json.dump(m, open(path, "w"))
PY
  for form in json human; do
    flag=(); [[ $form == json ]] && flag=(--json)
    # Output to a pipe, as a script reads it: Wine takes /dev/null for a character device,
    # where the C runtime writes unbuffered, a byte at a time (docs/performance.md).
    hyperfine -N --output=pipe --warmup 2 --runs 10 --export-json "$d/$form.json" "wine $exe ${flag[*]} list shadows" >/dev/null
    /usr/bin/time -f %M -o "$d/rss" wine "$exe" "${flag[@]}" list shadows >"$d/out" 2>/dev/null
    rss=$(tail -n1 "$d/rss")
    listing_rows+=("$n $form $(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"]*1000)' "$d/$form.json") $rss")
  done
  # Into NUL (/dev/null, a character device to Wine) beside into a pipe: stdout that is not
  # a console is buffered, so the two should match.
  if [[ $n == 1000 ]]; then
    hyperfine -N --warmup 2 --runs 10 --export-json "$d/nul.json" \
      --output=null "wine $exe --json list shadows" >/dev/null
    nul_ms=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"]*1000)' "$d/nul.json")
    pipe_ms=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"]*1000)' "$d/json.json")
    /usr/bin/python3 -c 'import json,sys; json.dump({"benchmark": "listing_into_nul_under_wine", "shadows": 1000, "form": "json", "nul_median_ms": float(sys.argv[1]), "pipe_median_ms": float(sys.argv[2])}, open(sys.argv[3], "w"), indent=2)' \
      "$nul_ms" "$pipe_ms" "$out/listing_into_nul_under_wine.json"
    echo "1,000 copies as JSON under Wine: into NUL ${nul_ms%.*} ms, into a pipe ${pipe_ms%.*} ms"
  fi
done
printf '%s\n' "${listing_rows[@]}" | /usr/bin/python3 -c '
import json, sys
rows = [l.split() for l in sys.stdin if l.strip()]
res = [{"shadows": int(n), "form": f, "median_ms": float(ms), "peak_rss_kib_with_wine": int(rss)} for n, f, ms, rss in rows]
json.dump({"benchmark": "listing_under_wine", "results": res}, open(sys.argv[1], "w"), indent=2)
print("%-8s %-6s %10s %16s" % ("shadows", "form", "median ms", "peak RSS (Wine)"))
for r in res: print("%-8d %-6s %10.1f %12.1f MiB" % (r["shadows"], r["form"], r["median_ms"], r["peak_rss_kib_with_wine"] / 1024))
' "$out/listing_under_wine.json"

fi

if [[ $parts == *3* ]]; then
part="3 (start-up)"
echo "== 3. start-up beside a C hello world built the same way"
# The wineserver of the parts before lingers for seconds and takes CPU from the native
# start-ups, which last a millisecond: it is ended first.
wineserver -k 2>/dev/null || true
wineserver -w 2>/dev/null || true
startup() {  # name, out file, C hello, C++ hello, shadowctl command prefix
  local name=$1 file=$2 hello=$3 hello_cpp=$4; shift 4
  # A start-up is a millisecond natively: many runs, so one slow one moves no median.
  local runs_here=${STARTUP_RUNS:-$([[ $# -eq 0 ]] && echo 300 || echo 60)}
  hyperfine -N --output=pipe --warmup 10 --runs "$runs_here" --export-json "$file.raw" \
    "$* $hello" "$* $exe_for_startup --version" "$* $exe_for_startup explain 0x80042316" \
    "$* $hello_cpp" >/dev/null
  /usr/bin/python3 - "$name" "$file.raw" "$file" <<'PY'
import json, sys
name, raw, out = sys.argv[1:]
r = json.load(open(raw))["results"]
base = r[0]["median"]
cpp = r[3]["median"]
res = {"benchmark": name, "hello_ms": base * 1000,
       "version_ms": r[1]["median"] * 1000, "version_ratio": r[1]["median"] / base,
       "explain_ms": r[2]["median"] * 1000, "explain_ratio": r[2]["median"] / base,
       "hello_cpp_ms": cpp * 1000, "version_ratio_to_cpp": r[1]["median"] / cpp,
       "explain_ratio_to_cpp": r[2]["median"] / cpp}
json.dump(res, open(out, "w"), indent=2)
print(f"{name}: hello {res['hello_ms']:.2f} ms; --version {res['version_ms']:.2f} ms ({res['version_ratio']:.2f}x); "
      f"explain {res['explain_ms']:.2f} ms ({res['explain_ratio']:.2f}x); "
      f"C++ hello {res['hello_cpp_ms']:.2f} ms (--version {res['version_ratio_to_cpp']:.2f}x of it)")
PY
  rm -f "$file.raw"
}
unset SHADOWCTL_EMULATOR_STATE SHADOWCTL_EMULATOR_REPORT
exe_for_startup=$native/shadowctl startup startup_native "$out/startup_native.json" \
  "$native/tests/bench/hello_c" "$native/tests/bench/hello_cpp"
export WINEPREFIX=$PLAIN_PREFIX; unset WINEDLLOVERRIDES
bash "$src/tests/wine/wine-test.sh" setup_plain_prefix >/dev/null
exe_for_startup=$exe startup startup_wine "$out/startup_wine.json" "$win/tests/bench/hello_c.exe" \
  "$win/tests/bench/hello_cpp.exe" wine

fi

if [[ $parts == *4* ]]; then
part="4 (size)"
echo "== 4. size"
/usr/bin/python3 - "$exe" "$win/tests/bench/shadowctl_unstripped.exe" "$out/size.json" <<'PY'
import collections, json, os, subprocess, sys
exe, unstripped, out = sys.argv[1:]
sections = {}
for l in subprocess.run(["x86_64-w64-mingw32-objdump", "-h", exe], capture_output=True, text=True).stdout.splitlines():
    p = l.split()
    if len(p) > 3 and p[1].startswith("."): sections[p[1]] = int(p[2], 16)
by_ns = collections.Counter()
nm = subprocess.run(["x86_64-w64-mingw32-nm", "--size-sort", "-S", "-C", unstripped], capture_output=True, text=True).stdout
for l in nm.splitlines():
    p = l.split(None, 3)
    if len(p) < 4 or p[2] not in "tTwW" or p[3].startswith("."): continue
    name = p[3].strip()
    # The outermost namespace or class; "(anonymous namespace)::f" and the like have none
    # before their first "(", so they are counted under their own first word.
    head = name.split("(")[0].split("<")[0].split("::")[0].split()
    key = head[-1] if head else name.split("::")[0]
    by_ns[key] += int(p[1], 16)
size = os.path.getsize(exe)
res = {"benchmark": "size", "exe_bytes": size, "exe_mib": size / 1048576, "sections": sections,
       "code_by_namespace": dict(by_ns.most_common(8))}
json.dump(res, open(out, "w"), indent=2)
print(f"shadowctl.exe, stripped: {size} bytes ({size / 1048576:.2f} MiB)")
print("  sections: " + ", ".join(f"{k} {v // 1024} KiB" for k, v in sorted(sections.items(), key=lambda x: -x[1])))
print("  code by namespace: " + ", ".join(f"{k} {v // 1024} KiB" for k, v in by_ns.most_common(8)))
PY

fi

if [[ $parts == *5* ]]; then
part="5 (files from a shadow copy)"
echo "== 5. files from a shadow copy"
"$native/tests/bench/bench_files" "$out/files_in_process.json"
# Under Wine: a copy of D: whose frozen tree is then filled with 10,000 files of 105 KB (the
# emulator freezes at most 2,000 entries itself: docs/emulator.md), read at its device path
# by restore and by Wine's xcopy /E, each into a fresh folder of D:.
export WINEPREFIX=$EMULATOR_PREFIX WINEDLLOVERRIDES=vssapi=n
bash "$src/tests/wine/wine-test.sh" setup_emulator_prefix >/dev/null
d=$WORK_DIR/volume-d
find "$d" -mindepth 1 -delete
d5=$work/files; mkdir -p "$d5"
export SHADOWCTL_EMULATOR_STATE; SHADOWCTL_EMULATOR_STATE=$(winpath "$d5/state.json")
unset SHADOWCTL_EMULATOR_JOURNAL SHADOWCTL_EMULATOR_REPORT
mkdir -p "$d/tree"
wine "$exe" --json create D: >"$d5/create.json"
device=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["shadows"][0]["device_path"])' "$d5/create.json")
id=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["shadows"][0]["id"])' "$d5/create.json")
tree=$EMULATOR_PREFIX/dosdevices/globalroot/Device/${device##*\\}/tree
/usr/bin/python3 - "$tree" <<'PY'
import os, sys
block = os.urandom(107_374)  # 10,000 of them: 1 GiB
for f in range(100):
    folder = os.path.join(sys.argv[1], f"d{f:03}")
    os.makedirs(folder, exist_ok=True)
    for i in range(100):
        with open(os.path.join(folder, f"f{i:03}.bin"), "wb") as out: out.write(block)
PY
# Wine 8's xcopy cannot read a \\?\GLOBALROOT source (it makes the folders and copies no
# file) and its robocopy copies nothing at all: xcopy reads the same frozen tree through the
# copy exposed at X:, as an admin on Windows would use a drive letter for it.
wine "$exe" -q expose "$id" X: >/dev/null
hyperfine --runs "${FILES_RUNS:-3}" --export-json "$d5/copy.json" \
  --prepare "rm -rf '$d/restore'; sync" --prepare "rm -rf '$d/xcopy'; sync" \
  "wine '$exe' -q restore 'D:\\tree' --from '$id' --to 'D:\\restore'" \
  "wine xcopy /E /I /Q 'X:\\tree' 'D:\\xcopy\\tree\\'" >/dev/null
[[ $(find "$d/restore" -type f | wc -l) == 10000 && $(find "$d/xcopy" -type f | wc -l) == 10000 ]] ||
  { echo "run: a copy is incomplete" >&2; exit 1; }
/usr/bin/python3 - "$d5/copy.json" "$out/restore_beside_xcopy_under_wine.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
res = {"benchmark": "restore_beside_xcopy_under_wine", "files": 10000, "bytes": 10000 * 107374,
       "results": [{"tool": n, "median_s": x["median"], "runs": len(x["times"])}
                   for n, x in zip(["restore (device path)", "xcopy /E (X:)"], r)]}
json.dump(res, open(sys.argv[2], "w"), indent=2)
for x in res["results"]:
    print(f"{x['tool']:<22} {x['median_s']:.2f} s ({res['bytes'] / x['median_s'] / 1048576:.0f} MiB/s)")
PY
wine "$exe" -q unexpose X: >/dev/null
wine "$exe" -q delete --all --yes >/dev/null
find "$d" -mindepth 1 -delete

fi

if [[ $parts == *6* ]]; then
part="6 (events beside a failure)"
echo "== the event log's cost to a failed run, under Wine ($runs runs each)"
d6=$work/events
mkdir -p "$d6"
printf '%s' '{"async": [{"method": "DoSnapshotSet", "behaviour": "fail", "hresult": "VSS_E_PROVIDER_VETO"}]}' >"$d6/veto.json"
export SHADOWCTL_EMULATOR_SCENARIO; SHADOWCTL_EMULATOR_SCENARIO=$(winpath "$d6/veto.json")
export SHADOWCTL_EMULATOR_STATE; SHADOWCTL_EMULATOR_STATE=$(winpath "$d6/state.json")
events_cost() {  # $1: label; the runs are those of the machine as it is
  hyperfine --runs "$runs" -i --export-json "$d6/$1.json" \
    "wine '$exe' -q --json create C:" "wine '$exe' -q --json --no-events create C:" >/dev/null
}
rm -f "$d6/state.json"
events_cost empty_log
# A log of 1,000 events from the sources read, within the last minute: a query that matches all.
/usr/bin/python3 - "$d6/state.json" <<'PY'
import json, sys, time
p = sys.argv[1]; m = json.load(open(p)); now = int(time.time() * 1e6)
m["events"] = [{"log": "Application", "source": "VSS", "id": 8193, "level": 2, "time_us": now,
                "data": ["routine", "0x80042302, error", "op"], "record_id": i + 1000} for i in range(1000)]
json.dump(m, open(p, "w"))
PY
events_cost log_of_1000
bash "$src/tests/wine/wine-test.sh" setup_plain_prefix >/dev/null
WINEPREFIX=$PLAIN_PREFIX WINEDLLOVERRIDES= bash -c "$(declare -f events_cost); exe='$exe' runs=$runs d6='$d6' events_cost wines_own_wevtapi"
unset SHADOWCTL_EMULATOR_SCENARIO SHADOWCTL_EMULATOR_STATE
/usr/bin/python3 - "$d6" "$out/events_beside_a_failure_under_wine.json" <<'PY'
import json, os, sys
d, res = sys.argv[1], {"benchmark": "events_beside_a_failure_under_wine", "results": []}
for label in ("empty_log", "log_of_1000", "wines_own_wevtapi"):
    r = json.load(open(os.path.join(d, label + ".json")))["results"]
    res["results"].append({"log": label, "with_events_median_s": r[0]["median"],
                           "no_events_median_s": r[1]["median"], "runs": len(r[0]["times"])})
json.dump(res, open(sys.argv[2], "w"), indent=2)
for x in res["results"]:
    print(f"{x['log']:<18} with events {x['with_events_median_s'] * 1000:.0f} ms, --no-events {x['no_events_median_s'] * 1000:.0f} ms")
PY
fi

if [[ $parts == *7* ]]; then
part="7 (remoting over SSH)"
echo "== PowerShell remoting over SSH, three loopback servers ($runs runs each)"
SHADOWCTL_REMOTING_SCRIPT=$src/tests/bench/remoting.ps1 SHADOWCTL_BENCH_RUNS=$runs \
  SHADOWCTL_BENCH_OUT=$out/remoting_over_ssh.json WORK_DIR=$work \
  bash "$src/tests/powershell/remoting/run.sh"
fi

/usr/bin/python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
merged = {os.path.basename(f)[:-5]: json.load(open(f)) for f in sorted(glob.glob(os.path.join(out, "*.json"))) if not f.endswith("results.json")}
json.dump(merged, open(os.path.join(out, "results.json"), "w"), indent=2)
print(f"figures: {os.path.join(out, 'results.json')}")
PY
