#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every screenshot the metainfo points at (…/main/data/screenshots/NAME.png)
# is in data/screenshots/ and is a PNG, so the published URLs work.
# Usage: check-screenshots.sh METAINFO_IN SOURCE_ROOT

set -u
metainfo=${1:?usage: check-screenshots.sh METAINFO_IN SOURCE_ROOT}
root=${2:?usage: check-screenshots.sh METAINFO_IN SOURCE_ROOT}
status=0
count=0

for url in $(sed -n 's|.*<image[^>]*>\(.*\)</image>.*|\1|p' "$metainfo"); do
  count=$((count + 1))
  case "$url" in
    https://raw.githubusercontent.com/storekeep/storekeep/main/*) ;;
    *) echo "not ok: screenshot $url is not under the repository's raw URL"; status=1; continue ;;
  esac
  file="$root/${url#https://raw.githubusercontent.com/storekeep/storekeep/main/}"
  if [ ! -f "$file" ]; then
    echo "not ok: $url points at ${file#"$root"/}, which does not exist yet"
    status=1
  elif [ "$(head -c 8 "$file" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
    echo "not ok: ${file#"$root"/} is not a PNG file"
    status=1
  else
    echo "ok: ${file#"$root"/}"
  fi
done

if [ "$count" -eq 0 ]; then
  echo "not ok: the metainfo has no screenshots"
  status=1
fi
exit "$status"
