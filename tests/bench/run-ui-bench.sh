#!/bin/sh
# run-ui-bench.sh: the UI benchmark at 1,000,000 orders, cairo and gl
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/run-ui-bench.sh [BUILD_DIR] [DATABASE] [-- bench-ui options]
#   BUILD_DIR  a configured build with the GUI (default: build)
#   DATABASE   made by bench-scale if missing (default: /tmp/sk-bench/orders-1m.db)
#
# Runs BUILD_DIR/tests/bench/bench-ui under a private D-Bus session and Xvfb
# (1280x800x24), first with GSK_RENDERER=cairo and then with gl, with
# memory GSettings, no accessibility bus and a throwaway HOME and XDG
# directories, then prints the result lines of both runs together.
set -eu

src_dir=$(cd "$(dirname "$0")/.." && pwd)
build_dir=build
database=/tmp/sk-bench/orders-1m.db
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  build_dir=$1
  shift
fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  database=$1
  shift
fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then
  shift
fi

case $build_dir in
  /*) ;;
  *) build_dir=$src_dir/$build_dir ;;
esac
bench_ui=$build_dir/tests/bench/bench-ui
schema_dir=$build_dir/data

for tool in dbus-run-session xvfb-run; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is needed to run the UI benchmark." >&2
    exit 1
  fi
done
ninja -C "$build_dir" tests/bench/bench-ui tests/bench/bench-scale data/gschemas.compiled >/dev/null
if [ ! -f "$schema_dir/gschemas.compiled" ]; then
  echo "No compiled GSettings schema in $schema_dir." >&2
  exit 1
fi
if [ ! -f "$database" ]; then
  mkdir -p "$(dirname "$database")"
  "$build_dir/tests/bench/bench-scale" "$database"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sk-uibench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"

status=0
for renderer in cairo gl; do
  echo "== GSK_RENDERER=$renderer =="
  env HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
      XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" \
      GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$schema_dir" \
      GTK_A11Y=none NO_AT_BRIDGE=1 GSK_RENDERER=$renderer \
      dbus-run-session -- xvfb-run -a -s '-screen 0 1280x800x24' \
      "$bench_ui" "$database" "$@" 2>&1 | tee "$tmp/$renderer.log" || true
  grep -q "all targets met" "$tmp/$renderer.log" || status=2
done

echo
echo "== Results =="
for renderer in cairo gl; do
  grep -E "PASS|MISS|renderer in use|load average" "$tmp/$renderer.log" || echo "[$renderer] no results"
done
exit $status
