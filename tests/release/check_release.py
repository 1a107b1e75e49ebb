#!/usr/bin/env python3
"""The release as cmake/release.cmake makes it, checked as winget, Scoop, the PowerShell
Gallery and a user unpacking the zip would meet it.

The winget rules are those of the v1.10.0 manifest schemas (required fields, patterns,
constants) in microsoft/winget-cli's schemas/JSON/manifests/v1.10.0 and the layout of
microsoft/winget-pkgs (manifests/<first letter>/<publisher>/<package>/<version>/); Scoop's
are those of ScoopInstaller/Scoop's schema.json and its Main bucket's conventions. The
schemas themselves are not fetched here (no network in the tests): each rule checked is
written out below, with the schema it comes from.

Usage: check_release.py RELEASE_DIR EXE VERSION SOURCE_DIR [PWSH]
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import yaml

release, exe, version, source = sys.argv[1:5]
pwsh = sys.argv[5] if len(sys.argv) > 5 else ""
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


zip_name = f"shadowctl-{version}-windows-x64.zip"
zip_path = os.path.join(release, zip_name)
zip_hash = sha256(zip_path)

# --- The zip: everything at its root, as Scoop's psmodule and Import-Module PATH want.
with zipfile.ZipFile(zip_path) as z:
    names = set(n for n in z.namelist() if not n.endswith("/"))
    module_files = ["ShadowCtl.psm1", "ShadowCtl.Format.ps1xml", "ShadowCtl.Types.ps1xml",
                    "en-US/about_ShadowCtl_Remoting.help.txt"]
    for needed in ["shadowctl.exe", "ShadowCtl.psd1", "README.md", "LICENSE"] + module_files:
        check(needed in names, f"the zip lacks {needed} at its root")
    docs = set()
    for root, _, files in os.walk(os.path.join(source, "docs")):
        for f in files:
            docs.add(os.path.relpath(os.path.join(root, f), source).replace(os.sep, "/"))
    check(docs and docs <= names, f"the zip lacks docs: {sorted(docs - names)}")
    extra = names - docs - {"shadowctl.exe", "ShadowCtl.psd1", "README.md", "LICENSE"} - set(module_files)
    check(not extra, f"the zip holds what it should not: {sorted(extra)}")
    check(z.read("shadowctl.exe") == open(exe, "rb").read(), "the zip's shadowctl.exe is not the one built")
    check(b"MIT License" in z.read("LICENSE"), "the zip's LICENSE is not the MIT licence")
    for name in module_files:
        check(z.read(name) == open(os.path.join(source, "src/powershell", name), "rb").read(),
              f"the zip's {name} is not the module's")

# --- SHA256SUMS.txt: sha256sum's format, the zip's and the exe's hashes.
sums = open(os.path.join(release, "SHA256SUMS.txt")).read().splitlines()
check(f"{zip_hash}  {zip_name}" in sums, f"SHA256SUMS.txt does not give the zip's hash: {sums}")
check(f"{sha256(exe)}  shadowctl.exe" in sums, "SHA256SUMS.txt does not give the exe's hash")

# --- winget: the multi-file manifest (version, installer, defaultLocale), schema v1.10.0.
ident = "Shadowctl.Shadowctl"
folder = os.path.join(release, "winget", "manifests", "s", "Shadowctl", "Shadowctl", version)
files = {t: os.path.join(folder, f"{ident}{suffix}.yaml")
         for t, suffix in [("version", ""), ("installer", ".installer"), ("defaultLocale", ".locale.en-US")]}
check(sorted(os.listdir(folder)) == sorted(os.path.basename(p) for p in files.values()),
      f"the winget folder holds {sorted(os.listdir(folder))}")
# Patterns of manifest.*.1.10.0.json's definitions.
id_pattern = r'^[^\.\s\\/:\*\?"<>\|\x01-\x1f]{1,32}(\.[^\.\s\\/:\*\?"<>\|\x01-\x1f]{1,32}){1,7}$'
version_pattern = r'^[^\\/:\*\?"<>\|\x01-\x1f]+$'
required = {
    "version": ["PackageIdentifier", "PackageVersion", "DefaultLocale", "ManifestType", "ManifestVersion"],
    "installer": ["PackageIdentifier", "PackageVersion", "Installers", "ManifestType", "ManifestVersion"],
    "defaultLocale": ["PackageIdentifier", "PackageVersion", "PackageLocale", "Publisher", "PackageName",
                      "License", "ShortDescription", "ManifestType", "ManifestVersion"],
}
manifests = {}
for kind, path in files.items():
    text = open(path, encoding="utf-8").read()
    doc = yaml.safe_load(text)
    manifests[kind] = doc
    check(text.splitlines()[0].startswith(f"# winget {'default locale' if kind == 'defaultLocale' else kind} manifest"),
          f"{path}: the first line names the manifest")
    for field in required[kind]:
        check(field in doc, f"{path}: {field} is required")
    check(doc.get("ManifestType") == kind, f"{path}: ManifestType must be {kind}")
    check(doc.get("ManifestVersion") == "1.10.0", f"{path}: ManifestVersion must be 1.10.0")
    check(doc.get("PackageIdentifier") == ident and re.match(id_pattern, ident), f"{path}: PackageIdentifier")
    check(doc.get("PackageVersion") == version and re.match(version_pattern, version), f"{path}: PackageVersion")
    # YAML typing: a version such as 1.10 must stay a string.
    check(isinstance(doc.get("PackageVersion"), str), f"{path}: PackageVersion must be a string")
check(manifests["version"].get("DefaultLocale") == "en-US", "the version manifest's DefaultLocale")
installer = manifests["installer"]
check(installer.get("InstallerType") == "zip", "InstallerType must be zip")
check(installer.get("NestedInstallerType") == "portable", "NestedInstallerType must be portable")
nested = installer.get("NestedInstallerFiles", [])
check(len(nested) == 1 and nested[0].get("RelativeFilePath") == "shadowctl.exe"
      and nested[0].get("PortableCommandAlias") == "shadowctl",
      f"NestedInstallerFiles must name shadowctl.exe as the command shadowctl: {nested}")
check(len(installer.get("Installers", [])) == 1, "one installer (x64)")
entry = (installer.get("Installers") or [{}])[0]
check(entry.get("Architecture") == "x64", "Architecture must be x64")
url = entry.get("InstallerUrl", "")
check(re.match(r"^([Hh][Tt][Tt][Pp][Ss]?)://.+$", url) and len(url) <= 2048 and url.endswith("/" + zip_name)
      and f"/releases/download/v{version}/" in url, f"InstallerUrl: {url}")
check(re.match(r"^[A-Fa-f0-9]{64}$", entry.get("InstallerSha256", "")) and
      entry.get("InstallerSha256", "").lower() == zip_hash, "InstallerSha256 must be the zip's SHA-256")
check(len(nested[0].get("RelativeFilePath", "")) <= 512 and len(nested[0].get("PortableCommandAlias", "")) <= 40,
      "NestedInstallerFiles: RelativeFilePath at most 512 characters, PortableCommandAlias 40")
check(re.match(r"^[0-9]+(\.[0-9]+){0,3}$", str(installer.get("MinimumOSVersion", ""))), "MinimumOSVersion: up to four numbers")
locale = manifests["defaultLocale"]
check(locale.get("License") == "MIT", "License must be MIT")
for key, low, high in [("Publisher", 2, 256), ("PackageName", 2, 256), ("License", 3, 512),
                       ("ShortDescription", 3, 256), ("Description", 3, 10000)]:
    check(low <= len(str(locale.get(key, ""))) <= high, f"{key} is {low} to {high} characters")
tags = locale.get("Tags", [])
check(len(tags) <= 16 and len(set(tags)) == len(tags), "Tags: at most 16, each once")
check(all(re.match(r"^\S+$", t) and len(t) <= 40 for t in tags + [locale.get("Moniker", "")]),
      "Tags and Moniker: no spaces, 1 to 40 characters")
for key in ["PublisherUrl", "PackageUrl", "LicenseUrl", "ReleaseNotesUrl"]:
    check(str(locale.get(key, "")).startswith("https://"), f"{key} must be an https URL")

# --- Scoop: the bucket's manifest (ScoopInstaller/Scoop schema.json; the Main bucket's
# conventions: description, homepage, license, checkver and autoupdate).
scoop = json.load(open(os.path.join(release, "scoop", "shadowctl.json"), encoding="utf-8"))
check(scoop.get("version") == version and re.match(r"^[\w\-.+_]+$", version), "Scoop: version")
for key in ["description", "homepage", "license", "bin", "checkver", "autoupdate"]:
    check(key in scoop, f"Scoop: {key} is missing")
arch = scoop.get("architecture", {}).get("64bit", {})
check(arch.get("url") == url, "Scoop: the 64bit url must be the release's zip, as winget's")
check(re.match(r"^[a-fA-F0-9]{64}$", arch.get("hash", "")) and arch.get("hash") == zip_hash, "Scoop: hash must be the zip's SHA-256")
check(scoop.get("bin") == "shadowctl.exe", "Scoop: bin")
# The module's manifest in the zip names the release's repository, as the manifests do.
with zipfile.ZipFile(zip_path) as z:
    psd1 = z.read("ShadowCtl.psd1").decode("utf-8")
check(f"ProjectUri = '{scoop.get('homepage')}'" in psd1 and f"LicenseUri = '{scoop.get('homepage')}/" in psd1,
      "the zip's ShadowCtl.psd1 does not name the release's repository")
check(scoop.get("psmodule") == {"name": "ShadowCtl"}, "Scoop: psmodule must be ShadowCtl (its psd1 is at the zip's root)")
check(scoop.get("checkver", {}).get("github") == scoop.get("homepage"), "Scoop: checkver follows the GitHub releases")
auto = scoop.get("autoupdate", {}).get("architecture", {}).get("64bit", {}).get("url", "")
check(auto.replace("$version", version) == url, f"Scoop: autoupdate's url with $version is the release's: {auto}")

# --- Every file of the zip dated alike: by the commit (or SOURCE_DATE_EPOCH), not by when
# the release was made.
with zipfile.ZipFile(zip_path) as z:
    stamps = {i.date_time for i in z.infolist()}
check(len(stamps) == 1, f"the zip's files are not all dated alike: {sorted(stamps)[:3]}")

# --- The release refuses without a LICENSE, and with a module of another version.
def release_fails(mutate, why):
    with tempfile.TemporaryDirectory() as tree:
        for item in ["README.md", "LICENSE", "docs", "src/powershell"]:
            src = os.path.join(source, item)
            dst = os.path.join(tree, item)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, dst)
        mutate(tree)
        run = subprocess.run(["cmake", f"-DSOURCE_DIR={tree}", f"-DEXE={exe}", f"-DVERSION={version}",
                              "-DDESCRIPTION=d", "-DREPOSITORY=https://github.com/o/n", f"-DOUT={tree}/out",
                              "-P", os.path.join(source, "cmake", "release.cmake")],
                             capture_output=True, text=True)
        check(run.returncode != 0 and why in run.stderr, f"release.cmake must refuse ({why}): {run.stderr}")


release_fails(lambda t: os.remove(os.path.join(t, "LICENSE")), "no LICENSE at the top of the repository")


def other_version(tree):
    p = os.path.join(tree, "src/powershell/ShadowCtl.psd1")
    text = open(p).read()
    open(p, "w").write(re.sub(r"ModuleVersion *= *'[^']*'", "ModuleVersion = '9.9.9'", text))


release_fails(other_version, "says ModuleVersion '9.9.9'")

# --- The module from the unpacked zip, in real PowerShell: a manifest the Gallery takes,
# and the exe found beside it.
if pwsh:
    with tempfile.TemporaryDirectory() as unpacked:
        target = os.path.join(unpacked, "ShadowCtl")
        zipfile.ZipFile(zip_path).extractall(target)
        script = f"""
          $ErrorActionPreference = 'Stop'
          $m = Test-ModuleManifest -Path '{target}/ShadowCtl.psd1'
          if ($m.Version.ToString() -ne '{version}') {{ throw "version $($m.Version)" }}
          foreach ($k in 'ProjectUri', 'LicenseUri', 'Tags') {{
            if (-not $m.PrivateData.PSData[$k]) {{ throw "PSData.$k is missing (the Gallery shows it)" }}
          }}
          if (-not $m.Description -or -not $m.Author) {{ throw 'Description and Author are required by the Gallery' }}
          Import-Module '{target}'
          $commands = @(Get-Command -Module ShadowCtl).Count
          $exe = & (Get-Module ShadowCtl) {{ Get-ShadowCtlPath }}
          if ((Get-Help about_ShadowCtl_Remoting | Out-String) -notmatch '-HostName') {{ throw 'no about_ShadowCtl_Remoting' }}
          "$commands $exe"
        """
        run = subprocess.run([pwsh, "-NoProfile", "-NonInteractive", "-Command", script],
                             capture_output=True, text=True, env={**os.environ, "SHADOWCTL_EXE": ""})
        check(run.returncode == 0 and run.stdout.strip() == f"18 {target}/shadowctl.exe",
              f"the module from the zip: {run.stdout} {run.stderr}")
else:
    print("note: PowerShell 7 is not installed: the module from the zip was not imported")

for f in failures:
    print("FAIL:", f)
print(f"release {version}: {'FAILED' if failures else 'ok'} ({zip_name}, SHA-256 {zip_hash})")
sys.exit(1 if failures else 0)
