#!/usr/bin/env python3
"""Counts the instructions of each hot path (hot_paths.cpp) under callgrind and holds them to
baseline.json: a path that grew by more than 15% fails, naming it and the figures. The
baseline is changed on purpose, in a commit of its own that says why:
    SHADOWCTL_UPDATE_BASELINE=1 python3 tests/perf/guard.py BUILD/tests/perf/hot_paths
Counts depend on the compiler and the build type: the baseline is the native preset's
(Debian 12's g++, Debug) and is only compared where that is what built it."""
import json, os, pathlib, re, subprocess, sys, tempfile

LIMIT = 1.15
PATHS = ["list-json", "list-table", "create", "explain-all"]


def count(program, path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        run = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no",
                              f"--callgrind-out-file={out}", program, path],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"guard: {path} failed under callgrind:\n{run.stdout}\n{run.stderr}")
        text = pathlib.Path(out).read_text()
        m = re.search(r"^totals: (\d+)", text, re.M)
        if not m:
            sys.exit(f"guard: no instruction count for {path} in callgrind's output")
        return int(m.group(1))


def main():
    program = sys.argv[1]
    baseline_file = pathlib.Path(__file__).with_name("baseline.json")
    baseline = json.loads(baseline_file.read_text())
    counts = {p: count(program, p) for p in PATHS}
    if os.environ.get("SHADOWCTL_UPDATE_BASELINE"):
        baseline["instructions"] = counts
        baseline_file.write_text(json.dumps(baseline, indent=2) + "\n")
        print(f"guard: baseline written to {baseline_file}")
        return 0
    failed = []
    print(f"{'path':<12} {'instructions':>14} {'baseline':>14} {'ratio':>7}")
    for p in PATHS:
        base = baseline["instructions"][p]
        ratio = counts[p] / base
        print(f"{p:<12} {counts[p]:>14,} {base:>14,} {ratio:>7.3f}")
        if ratio > LIMIT:
            failed.append(f"{p} grew {100 * (ratio - 1):.0f}% ({base:,} -> {counts[p]:,} instructions)")
    if failed:
        print("guard: hot paths grew past 15%: " + "; ".join(failed) +
              ". Make them fast again, or change baseline.json on purpose in a commit of its own.")
        return 1
    print(f"{len(PATHS)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
