#!/bin/sh
# run-with-mocks.sh: run a test with a mock notification daemon and a
# throwaway GNOME keyring on the session bus.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-with-mocks.sh [--display] TEST-PROGRAM [ARGS…]
#
# --display: a GUI test; without a display ($DISPLAY / $WAYLAND_DISPLAY
# unset) the script re-runs itself under xvfb-run.
#
# Inside an existing D-Bus session (CI runs the suite under
# dbus-run-session) the mocks join that bus; without one (plain
# `meson test`) the script re-runs itself under a private dbus-run-session,
# so nothing leaks into the user's own session. The keyring lives under a
# temporary HOME that is removed at exit; its password is "test".

set -u

want_display=
if [ "${1:-}" = "--display" ]; then
  want_display=1
  shift
fi

if [ $# -lt 1 ]; then
  echo "usage: $0 [--display] TEST-PROGRAM [ARGS…]" >&2
  exit 99
fi

if [ -n "$want_display" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] \
   && [ -z "${SK_MOCKS_XVFB:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  SK_MOCKS_XVFB=1 exec xvfb-run -a -s '-screen 0 1280x800x24' "$0" "$@"
fi

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${SK_MOCKS_PRIVATE_BUS:-}" ]; then
  SK_MOCKS_PRIVATE_BUS=1 exec dbus-run-session -- "$0" "$@"
fi

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

mock_root=$(mktemp -d "${TMPDIR:-/tmp}/storekeep-mocks-XXXXXX") || exit 99
chmod 700 "$mock_root"
mkdir -p "$mock_root/home" "$mock_root/runtime"
chmod 700 "$mock_root/home" "$mock_root/runtime"

mock_pid=
keyring_pid=
started_keyring=

cleanup () {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null
  [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null
  rm -rf "$mock_root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Notifications: only when nobody owns the name yet (a desktop session's
# real daemon, or a mock started by an outer wrapper).
if ! gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
     -m org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null \
     | grep -q true; then
  "$PYTHON" -m dbusmock --template notification_daemon \
    -p '{"capabilities": "actions body body-markup icon-static persistence"}' \
    >"$mock_root/dbusmock.log" 2>&1 &
  mock_pid=$!
fi

# Secrets: a keyring in the temporary HOME, unlocked with "test", unless
# the session already has a Secret Service.
if ! gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
     -m org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null \
     | grep -q true; then
  printf '%s' test | \
    HOME="$mock_root/home" XDG_RUNTIME_DIR="$mock_root/runtime" \
    XDG_DATA_HOME="$mock_root/home/.local/share" \
    gnome-keyring-daemon --daemonize --unlock --components=secrets \
    >"$mock_root/keyring.env" 2>"$mock_root/keyring.log"
  started_keyring=1
fi

if ! gdbus wait --session --timeout 10 org.freedesktop.Notifications; then
  echo "# run-with-mocks: no notification daemon on the session bus" >&2
  cat "$mock_root/dbusmock.log" >&2 2>/dev/null
fi
if ! gdbus wait --session --timeout 10 org.freedesktop.secrets; then
  echo "# run-with-mocks: no Secret Service on the session bus" >&2
  cat "$mock_root/keyring.log" >&2 2>/dev/null
elif [ -n "$started_keyring" ]; then
  # The daemon forked away: find it by its bus name, to stop it at exit
  # (its keyring lives in $mock_root, which goes too).
  keyring_pid=$(gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets 2>/dev/null \
    | sed -n 's/^(uint32 \([0-9]*\),)$/\1/p')
fi

# Not exec: the trap removes the mocks and the temporary keyring afterwards.
"$@"
status=$?
exit $status
