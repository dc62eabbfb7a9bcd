#!/usr/bin/env bash
# Installs every Debian 12 package Payment Manager needs to build, run and test.
# Run as root. Safe to run again: apt-get skips what is already there.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: run as root (apt-get needs it)" >&2
    exit 2
fi

export DEBIAN_FRONTEND=noninteractive

packages=(
    # toolchain
    build-essential cmake ninja-build pkg-config git
    # Qt 6.4
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev qt6-svg-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-qpa-plugins libqt6sql6-sqlite libqt6opengl6-dev libgl-dev libxkbcommon-dev libvulkan-dev
    # libraries
    libssl-dev openssl qtkeychain-qt6-dev libsecret-1-0 libxlsxwriter-dev libjsonnet-dev libyaml-cpp-dev
    nlohmann-json3-dev libvalijson-dev libbenchmark-dev
    # test and run environment: display, keychain, interop peer, schema checks
    xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools redis-server nodejs
    imagemagick
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps.sh: installing ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ships separately from Debian's nodejs; the machine image may already have a newer one.
if ! command -v npm >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
echo "install-deps.sh: all packages present"
