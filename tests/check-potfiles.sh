#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks po/POTFILES.in against the tree:
#  - every C file under src/ that marks strings for translation
#    (_("…"), N_("…"), C_("…"), NC_("…"), ngettext) is listed,
#  - every .ui file under resources/ with translatable="yes" is listed,
#  - the desktop file, metainfo and GSettings schema in data/ are listed,
#  - every listed file exists,
#  - xgettext can extract every C string whole (no printf macros inside).
# Usage: check-potfiles.sh SOURCE_ROOT [--fix]
# With --fix, po/POTFILES.in is rewritten first to list exactly the files
# found (po/update-de.sh does this), and then checked.

set -u

root=${1:?usage: check-potfiles.sh SOURCE_ROOT [--fix]}
fix=${2:-}
potfiles="$root/po/POTFILES.in"
c_pattern='(^|[^A-Za-z0-9_])(_|N_|C_|NC_) ?\( *"|(^|[^A-Za-z0-9_])(g_dn?gettext|ngettext|g_dpgettext2?) ?\('
ui_pattern="translatable=[\"'](yes|true|1)[\"']"
data_files="data/io.github.storekeep.Storekeep.desktop.in
data/io.github.storekeep.Storekeep.gschema.xml
data/io.github.storekeep.Storekeep.metainfo.xml.in"

if [ "$fix" = "--fix" ]; then
  {
    echo "# Files with translatable strings, one per line. tests/check-potfiles.sh"
    echo "# checks that none is missing; po/update-de.sh regenerates this list."
    printf '%s\n' "$data_files"
    (cd "$root" && find resources -type f -name '*.ui' | LC_ALL=C sort | while IFS= read -r f; do
       grep -qE "$ui_pattern" "$f" && printf '%s\n' "$f"; done)
    (cd "$root" && find src -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort | while IFS= read -r f; do
       grep -qE "$c_pattern" "$f" && printf '%s\n' "$f"; done)
  } > "$potfiles.tmp"
  mv "$potfiles.tmp" "$potfiles"
fi
status=0
listing=0

if [ ! -f "$potfiles" ]; then
  echo "not ok: $potfiles does not exist"
  exit 1
fi

listed=$(mktemp)
trap 'rm -f "$listed"' EXIT INT TERM
# Entries: one path per line relative to the source root; '#' starts a comment.
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$potfiles" \
  | grep -v '^$' | sort -u > "$listed"

# 1. Every entry exists.
while IFS= read -r f; do
  if [ ! -f "$root/$f" ]; then
    echo "not ok: po/POTFILES.in lists $f, which does not exist"
    status=1
    listing=1
  fi
done < "$listed"

is_listed () {
  grep -qxF "$1" "$listed"
}

need () {
  if ! is_listed "$1"; then
    echo "not ok: $1 $2 but is missing from po/POTFILES.in"
    status=1
    listing=1
  fi
}

# 2. C sources with translatable strings.
for f in $(cd "$root" && find src -type f \( -name '*.c' -o -name '*.h' \) | sort); do
  if grep -qE "$c_pattern" "$root/$f"; then
    need "$f" "has translatable strings"
  fi
done

# 3. GtkBuilder files with translatable properties.
for f in $(cd "$root" && find resources -type f -name '*.ui' | sort); do
  if grep -qE "$ui_pattern" "$root/$f"; then
    need "$f" "has translatable=\"yes\""
  fi
done

# 4. Desktop integration files.
for f in $data_files; do
  need "$f" "is user-visible text"
done

# 5. Strings that xgettext cannot extract whole. A printf macro pasted into
#    a translatable string ("%" G_GINT64_FORMAT) cuts the msgid short, so the
#    string is never translated: use a plain conversion ("%ld" with a cast to
#    long, "%u", or "%s" with a formatted number) instead.
if command -v xgettext > /dev/null 2>&1; then
  c_files=$(grep -E '\.(c|h)$' "$listed" | while IFS= read -r f; do
              [ -f "$root/$f" ] && printf '%s\n' "$f"; done)
  if [ -n "$c_files" ]; then
    # The keywords and flags of meson's i18n.gettext(preset: 'glib').
    bad=$(cd "$root" && xgettext --language=C --from-code=UTF-8 --output=/dev/null \
            --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
            --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
            --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
            --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
            --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
            --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
            --flag=g_markup_printf_escaped:1:c-format --flag=g_printerr:1:c-format \
            --flag=g_print:1:c-format --flag=g_printf:1:c-format \
            $c_files 2>&1 | grep 'not a valid C format string')
    if [ -n "$bad" ]; then
      printf '%s\n' "$bad" | sed 's/^/not ok: /'
      echo "# These translatable strings are cut short where a macro such as"
      echo "# G_GINT64_FORMAT is pasted in, so they can never be translated. Use"
      echo "# a plain conversion (cast to long and \"%ld\", or \"%s\" with a"
      echo "# formatted number) inside the translatable string."
      status=1
    fi
  fi
fi

if [ "$status" -eq 0 ]; then
  echo "ok: po/POTFILES.in lists $(wc -l < "$listed") files, all present, none missing"
elif [ "$listing" -eq 1 ]; then
  echo "# Fix po/POTFILES.in (one path per line), then run po/update-de.sh."
fi
exit "$status"
