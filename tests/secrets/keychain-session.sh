#!/bin/sh
# Runs a test program inside a private D-Bus session with gnome-keyring-daemon's Secret Service,
# its login keyring created and unlocked under a throw-away HOME. Needs no desktop session: works
# as root in CI. Usage: keychain-session.sh <program> [args...]
#        keychain-session.sh --no-keyring <program> [args...]
#   --no-keyring: the D-Bus session only; gnome-keyring-daemon is then started by D-Bus activation
#   with no login keyring (a Secret Service that cannot store anything).
set -eu
unlock=1
if [ "${1:-}" = "--no-keyring" ]; then
    unlock=0
    shift
fi
if [ $# -lt 1 ]; then
    echo "usage: $0 [--no-keyring] <program> [args...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: '$tool' is missing (scripts/install-deps.sh installs it)" >&2
        exit 2
    fi
done
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pm-keychain.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/run"
chmod 700 "$scratch/run"
export HOME="$scratch" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
    XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/run"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
if [ "$unlock" = 0 ]; then
    export PM_TEST_KEYCHAIN_SESSION=no-keyring
    dbus-run-session -- "$@"
    exit 0 # reached only on success (set -e)
fi
export PM_TEST_KEYCHAIN_SESSION=1
# Inside the session: start the daemon with a new login keyring unlocked by the password on
# stdin, then run the program. The daemon leaves with the session bus.
dbus-run-session -- sh -c '
    printf %s pm-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' keychain-session "$@"
