#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The translations of po/LINGUAS reach the built desktop file and metainfo
# (i18n.merge_file), so the desktop and software centres show them.
# Usage: check-merged-translations.sh DESKTOP METAINFO LINGUAS

set -u
desktop=${1:?usage: check-merged-translations.sh DESKTOP METAINFO LINGUAS}
metainfo=${2:?}
linguas=${3:?}
status=0
langs=$(sed -e 's/#.*//' "$linguas" | tr -s ' \t' '\n\n' | grep -v '^$')

if [ -z "$langs" ]; then
  echo "# po/LINGUAS lists no language: skipped"
  exit 77
fi

for lang in $langs; do
  for key in Name GenericName Comment Keywords; do
    if grep -q "^$key\[$lang\]=" "$desktop"; then
      echo "ok: $key[$lang] in the desktop file"
    else
      echo "not ok: the built desktop file has no $key[$lang]="
      status=1
    fi
  done
  for tag in summary p caption; do
    if grep -q "<$tag xml:lang=\"$lang\"" "$metainfo"; then
      echo "ok: <$tag xml:lang=\"$lang\"> in the metainfo"
    else
      echo "not ok: the built metainfo has no <$tag xml:lang=\"$lang\">"
      status=1
    fi
  done
done
exit "$status"
