#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Bring po/POTFILES.in up to date with the tree, regenerate po/storekeep.pot
# from it and merge it into every translation of po/LINGUAS (po/de.po), then
# say what still needs translating. Run it after adding or changing user-visible
# strings:
#
#   po/update-de.sh [BUILD_DIR]        (default: ./build)
#
# New strings arrive untranslated, changed ones as "fuzzy": translate them
# in de.po (remove the "#, fuzzy" line once checked) and run the script again
# until it reports 0 untranslated and 0 fuzzy.

set -eu

po_dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$po_dir")
build=${1:-$root/build}

if [ ! -f "$build/build.ninja" ]; then
  echo "update-de.sh: $build is not a meson build folder; run 'meson setup $build' first." >&2
  exit 1
fi

# Rewrites POTFILES.in and reports strings xgettext cannot extract whole.
"$root/tests/check-potfiles.sh" "$root" --fix | grep -v '^ok:' || true

meson compile -C "$build" storekeep-pot
meson compile -C "$build" storekeep-update-po

status=0
for lang in $(sed -e 's/#.*//' "$po_dir/LINGUAS"); do
  po="$po_dir/$lang.po"
  printf '%s: ' "$lang.po"
  LC_ALL=C msgfmt --check --statistics --output-file=/dev/null "$po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry (msgid "") too when there is anything.
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    echo "  $untranslated untranslated, $fuzzy fuzzy; list them with:"
    echo "    msgattrib --untranslated --no-obsolete $po"
    echo "    msgattrib --only-fuzzy --no-obsolete $po"
    status=2
  fi
done
exit "$status"
