#!/usr/bin/env bash
# Payment Manager's set-up script: the two commands the README gives.
#   bash scripts/setup.sh run    install everything, build, start the desktop app (Sandbox default)
#   bash scripts/setup.sh test   install everything, build, run the whole test suite
# Run as root on Debian 12 from a fresh clone. The build goes to ./build (and ./build-asan for tests).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
jobs="$(nproc)"

usage() {
    echo "usage: bash scripts/setup.sh run|test" >&2
    exit 2
}

install_packages() {
    bash scripts/install-deps.sh
}

install_all() {
    install_packages
    # Node packages the tests use (independent schema validator, interop peers), pinned by lock files.
    for lock in tests/*/package-lock.json; do
        [ -e "$lock" ] || continue
        dir="$(dirname "$lock")"
        echo "setup: npm ci in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    done
}

# Configures the Release build; builds the given targets, or everything.
build_release() {
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPM_BUILD_UI=ON -DPM_WERROR=ON
    cmake --build build -j "$jobs" ${1:+--target "$@"}
}

cmd_run() {
    # The run command needs the packages and the two executables only: no test packages, no tests.
    install_packages
    build_release payment-manager pm-connector
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
        exec ./build/app/desktop/payment-manager
    fi
    echo "setup: no display found (DISPLAY and WAYLAND_DISPLAY are unset): running the headless sandbox instead (pm-connector sandbox; Ctrl+C stops it)"
    exec ./build/app/cli/pm-connector sandbox
}

# Prints "N passed, N failed" from a ctest log ("100% tests passed, 0 tests failed out of 12").
ctest_counts() {
    local line total failed
    line="$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n 1)"
    failed="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
    total="$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")"
    echo "$((total - failed)) $failed"
}

cmd_test() {
    local start=$SECONDS status=0
    install_all

    echo "== Release build, desktop included, every test"
    build_release
    (cd build && ctest --output-on-failure -j "$jobs" --timeout 600) 2>&1 | tee build/ctest.log || status=1

    echo "== Core alone: UI off, AddressSanitizer + UndefinedBehaviorSanitizer"
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPM_BUILD_UI=OFF \
        -DPM_SANITIZE=ON -DPM_BUILD_BENCH=OFF -DPM_WERROR=ON
    cmake --build build-asan -j "$jobs"
    (cd build-asan && ctest --output-on-failure -j "$jobs" --timeout 900) 2>&1 | tee build-asan/ctest.log || status=1

    read -r p1 f1 < <(ctest_counts build/ctest.log)
    read -r p2 f2 < <(ctest_counts build-asan/ctest.log)
    echo "== test suite took $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s"
    echo "tests: $((p1 + p2)) passed, $((f1 + f2)) failed"
    return $status
}

case "${1:-}" in
    run) cmd_run ;;
    test) cmd_test ;;
    *) usage ;;
esac
