#!/usr/bin/env python3
"""Checks .github/workflows/*.yml, which cannot run here: each parses as YAML, has the
shape GitHub Actions reads, gives each action only the inputs its action.yml documents,
names presets that exist, and its shell scripts pass `bash -n`. The Windows workflow runs
every smoke check the project promises; the release workflow publishes checksums. The
YAML examples in docs/ (GitHub Actions, Azure Pipelines, Ansible) parse and have the shape
their engine reads.

Usage: check_workflows.py SOURCE_DIR"""
import json
import pathlib
import re
import subprocess
import sys

import yaml

# The inputs each action documents in its action.yml (checked for the major version used).
KNOWN_ACTIONS = {
    "actions/checkout@v4": {"repository", "ref", "token", "ssh-key", "ssh-known-hosts",
                            "ssh-strict", "ssh-user", "persist-credentials", "path", "clean",
                            "filter", "sparse-checkout", "sparse-checkout-cone-mode",
                            "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules",
                            "set-safe-directory", "github-server-url"},
    "msys2/setup-msys2@v2": {"msystem", "path-type", "update", "install", "pacboy", "release",
                             "location", "platform-check-severity", "cache"},
    "actions/upload-artifact@v4": {"name", "path", "if-no-files-found", "retention-days",
                                   "compression-level", "overwrite", "include-hidden-files"},
}
SHELLS = {"bash", "pwsh", "powershell", "cmd", "sh", "python", "msys2 {0}"}

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def check_workflow(path, presets, doc=None, name=None):
    if doc is None:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = name or path.name
    if not isinstance(doc, dict):
        return fail(name, "not a mapping")
    # YAML 1.1 reads the key `on` as true. A docs snippet may show the jobs alone.
    if path is not None:
        trigger = doc.get("on", doc.get(True))
        if not trigger:
            fail(name, "no `on:` trigger")
        if not isinstance(doc.get("name"), str):
            fail(name, "no name")
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return fail(name, "no jobs")
    scripts = []
    for job_id, job in jobs.items():
        where = f"{name}: job {job_id}"
        if "runs-on" not in job:
            fail(where, "no runs-on")
        default_shell = job.get("defaults", {}).get("run", {}).get("shell", "bash")
        steps = job.get("steps")
        if not isinstance(steps, list) or not steps:
            fail(where, "no steps")
            continue
        for index, step in enumerate(steps, 1):
            here = f"{where} step {index} ({step.get('name', step.get('uses', ''))})"
            if ("uses" in step) == ("run" in step):
                fail(here, "needs exactly one of uses and run")
            if "uses" in step:
                uses = step["uses"]
                if not re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", uses):
                    fail(here, f"`{uses}` is not pinned to a version")
                known = KNOWN_ACTIONS.get(uses)
                if known is None:
                    fail(here, f"`{uses}` is not an action this check knows the inputs of")
                else:
                    for key in step.get("with", {}) or {}:
                        if key not in known:
                            fail(here, f"`{uses}` has no input `{key}`")
            if "run" in step:
                shell = step.get("shell", default_shell)
                if shell not in SHELLS:
                    fail(here, f"unknown shell `{shell}`")
                script = step["run"]
                scripts.append((here, shell, script))
                for expression in re.findall(r"\$\{\{(.*?)\}\}", script):
                    if not expression.strip():
                        fail(here, "empty ${{ }} expression")
                if script.count("${{") != script.count("}}"):
                    fail(here, "unbalanced ${{ }}")
                for kind, preset in re.findall(r"cmake --(workflow|preset|build --preset)\s+(?:--preset\s+)?([\w-]+)", script):
                    table = {"workflow": "workflowPresets", "preset": "configurePresets",
                             "build --preset": "buildPresets"}[kind]
                    if preset not in presets[table]:
                        fail(here, f"preset `{preset}` is not in CMakePresets.json {table}")
                if shell in ("bash", "sh", "msys2 {0}"):
                    text = re.sub(r"\$\{\{.*?\}\}", "x", script)
                    r = subprocess.run(["bash", "-n"], input=text, text=True, capture_output=True)
                    if r.returncode != 0:
                        fail(here, f"bash -n: {r.stderr.strip()}")
    return doc, scripts


def yaml_blocks(path):
    """The ```yaml blocks of a markdown file, with the line each starts on."""
    blocks, current, start = [], None, 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if current is None and line.strip() == "```yaml":
            current, start = [], number + 1
        elif current is not None and line.strip() == "```":
            blocks.append((start, "\n".join(current)))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def check_docs_yaml(source, presets):
    kinds = set()
    for path in sorted((source / "docs").rglob("*.md")):
        for start, text in yaml_blocks(path):
            where = f"{path.relative_to(source)}:{start}"
            try:
                doc = yaml.safe_load(text)
            except yaml.YAMLError as e:
                fail(where, f"not YAML: {e}")
                continue
            if isinstance(doc, dict) and "jobs" in doc:
                kinds.add("github")
                check_workflow(None, presets, doc, where)
            elif isinstance(doc, dict) and "steps" in doc:
                kinds.add("azure")
                for step in doc["steps"]:
                    if not any(k in step for k in ("pwsh", "powershell", "script", "task", "publish")):
                        fail(where, f"an Azure step with no pwsh/script/task/publish: {step}")
            elif isinstance(doc, list) and doc and all("hosts" in play for play in doc):
                kinds.add("ansible")
                for play in doc:
                    for task in play.get("tasks", []):
                        command = task.get("ansible.windows.win_command")
                        if command is None or "shadowctl" not in command:
                            continue
                        if "--json" not in command:
                            fail(where, f"task '{task.get('name')}' does not ask for --json")
                        if "register" not in task:
                            fail(where, f"task '{task.get('name')}' does not register its result")
                        if ".rc" not in str(task.get("failed_when", "")):
                            fail(where, f"task '{task.get('name')}' does not fail on exit codes")
                text_all = yaml.safe_dump(doc)
                if "from_json" not in text_all:
                    fail(where, "the play never reads a document with from_json")
            else:
                fail(where, "a YAML example of no known kind (GitHub Actions, Azure Pipelines, Ansible)")
    for kind in ("github", "azure", "ansible"):
        if kind not in kinds:
            fail("docs", f"no {kind} example found")


def main():
    source = pathlib.Path(sys.argv[1])
    raw = json.loads((source / "CMakePresets.json").read_text())
    presets = {k: {p["name"] for p in raw.get(k, [])}
               for k in ("configurePresets", "buildPresets", "testPresets", "workflowPresets")}
    folder = source / ".github" / "workflows"
    files = sorted(folder.glob("*.yml"))
    if {f.name for f in files} != {"windows.yml", "release.yml"}:
        fail(str(folder), f"expected windows.yml and release.yml, found {[f.name for f in files]}")
    results = {f.name: check_workflow(f, presets) for f in files}

    windows = results.get("windows.yml")
    if windows:
        doc, scripts = windows
        runners = " ".join(str(j.get("runs-on")) for j in doc["jobs"].values())
        if "windows" not in runners:
            fail("windows.yml", "does not run on a Windows runner")
        text = "\n".join(s for _, _, s in scripts)
        for needed in ["cmake --workflow --preset native", "check",
                       "'writers', 'providers', 'volumes', 'storage'", "list shadows",
                       "create C:", "exec C:", "config\\SYSTEM", "delete --id",
                       "New-Item -ItemType Junction", "AreAccessRulesProtected",
                       "--drop-privileges"]:
            if needed not in text:
                fail("windows.yml", f"the smoke checks lack `{needed}`")
        uses = [s.get("uses", "") for j in doc["jobs"].values() for s in j["steps"]]
        if not any(u.startswith("actions/upload-artifact@") for u in uses):
            fail("windows.yml", "does not upload the exe")
    release = results.get("release.yml")
    if release:
        doc, scripts = release
        trigger = doc.get("on", doc.get(True))
        if not (isinstance(trigger, dict) and "tags" in (trigger.get("push") or {})):
            fail("release.yml", "is not triggered by a tag")
        text = "\n".join(s for _, _, s in scripts)
        # The release itself is cmake/release.cmake's (tests/release/check_release.py checks
        # what it makes, and that it refuses without a LICENSE); the workflow must run it
        # with the repository's URL and publish all it makes.
        for needed in ["--target release", "SHADOWCTL_REPOSITORY", "sha256sum --check", "SHA256SUMS.txt",
                       "windows-x64.zip", "winget", "scoop/shadowctl.json", "gh release create"]:
            if needed not in text:
                fail("release.yml", f"lacks `{needed}`")

    check_docs_yaml(source, presets)

    for f in failures:
        print("FAIL:", f)
    print(f"{len(files)} workflows checked, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
