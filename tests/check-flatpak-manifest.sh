#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the Flatpak manifest without a runtime (none can be downloaded on
# the build machines): flatpak-builder parses it (--show-manifest), with no
# "Unknown property" warnings; the permissions are exactly the agreed minimal
# set; every downloaded source is pinned by a sha256 or a git commit.
# Exit 77 (skipped) when flatpak-builder is not installed.
# Usage: check-flatpak-manifest.sh MANIFEST

set -u
manifest=${1:?usage: check-flatpak-manifest.sh MANIFEST}

if ! command -v flatpak-builder > /dev/null 2>&1; then
  echo "# flatpak-builder is not installed: skipped"
  exit 77
fi

case "$manifest" in
  /*) ;;
  *) manifest="$(pwd)/$manifest" ;;
esac

# flatpak-builder creates its state folder (.flatpak-builder) in the current
# directory, even for --show-manifest: run it in a throwaway one.
work=$(mktemp -d)
err="$work/stderr"
trap 'rm -rf "$work"' EXIT INT TERM

if ! (cd "$work" && flatpak-builder --show-manifest "$manifest") > /dev/null 2> "$err"; then
  cat "$err"
  echo "not ok: flatpak-builder cannot parse $manifest"
  exit 1
fi
if grep -q 'Unknown property' "$err"; then
  cat "$err"
  echo "not ok: flatpak-builder does not know some keys in $manifest"
  exit 1
fi
echo "ok: flatpak-builder --show-manifest parses $manifest"

py=python3
command -v "$py" > /dev/null 2>&1 || py=/usr/bin/python3
"$py" - "$manifest" <<'PY'
import json, sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    m = json.load(f)

failures = []
def check(cond, what):
    print(("ok: " if cond else "not ok: ") + what)
    if not cond:
        failures.append(what)

app_id = m.get("app-id") or m.get("id")
check(app_id == "io.github.storekeep.Storekeep", "app id is io.github.storekeep.Storekeep")
check(m.get("command") == "storekeep", "command is storekeep")
check(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk",
      "runtime and sdk are org.gnome.Platform / org.gnome.Sdk")
check(str(m.get("runtime-version", "")).isdigit(),
      "runtime-version is a stable GNOME branch (a number, not master)")

expected = ["--share=network", "--share=ipc", "--socket=wayland",
            "--socket=fallback-x11", "--device=dri"]
args = m.get("finish-args", [])
check(sorted(args) == sorted(expected),
      "finish-args are exactly " + " ".join(expected) + " (got " + " ".join(args) + ")")

def modules(mods):
    for mod in mods:
        if isinstance(mod, str):
            continue  # an included file; not used here
        yield mod
        yield from modules(mod.get("modules", []))

names = []
for mod in modules(m.get("modules", [])):
    names.append(mod.get("name"))
    for src in mod.get("sources", []):
        if isinstance(src, str):
            continue
        kind = src.get("type")
        where = "%s: %s source %s" % (mod.get("name"), kind, src.get("url") or src.get("path"))
        if kind in ("archive", "file") and "url" in src:
            sha = src.get("sha256", "")
            check(len(sha) == 64 and all(c in "0123456789abcdef" for c in sha),
                  where + " is pinned by sha256")
            check(src["url"].startswith("https://"), where + " is downloaded over https")
        elif kind == "git":
            check(len(src.get("commit", "")) == 40, where + " is pinned by commit")
        elif kind == "dir":
            check(mod.get("name") == "storekeep", where + " is the app itself")

for needed in ("libnotify", "libshumate", "storekeep"):
    check(needed in names, "module %s is built" % needed)
check(names and names[-1] == "storekeep", "the app is the last module")

sys.exit(1 if failures else 0)
PY
exit $?
