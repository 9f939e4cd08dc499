#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The newest <release> of the metainfo is the project's version, with a
# YYYY-MM-DD date, and releases are listed newest first.
# Usage: check-metainfo-release.sh METAINFO VERSION

set -u
py=python3
command -v "$py" > /dev/null 2>&1 || py=/usr/bin/python3
"$py" - "$@" <<'PY'
import re, sys
import xml.etree.ElementTree as ET

path, version = sys.argv[1], sys.argv[2]
releases = ET.parse(path).getroot().findall("./releases/release")
if not releases:
    print("not ok: %s has no <release>" % path)
    sys.exit(1)
newest = releases[0]
ok = True
if newest.get("version") != version:
    print("not ok: the newest release in the metainfo is %s, meson.build says %s;"
          " add a <release> for %s" % (newest.get("version"), version, version))
    ok = False
dates = [r.get("date", "") for r in releases]
if not all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates):
    print("not ok: every release needs date=\"YYYY-MM-DD\" (got %s)" % dates)
    ok = False
elif dates != sorted(dates, reverse=True):
    print("not ok: releases must be listed newest first (got %s)" % dates)
    ok = False
if newest.find("description") is None:
    print("not ok: release %s has no description" % newest.get("version"))
    ok = False
if ok:
    print("ok: newest release %s (%s) matches the project version" % (version, dates[0]))
sys.exit(0 if ok else 1)
PY
