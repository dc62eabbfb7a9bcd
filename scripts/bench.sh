#!/usr/bin/env bash
# Runs the protocol benchmarks beside `openssl speed rsa2048` in one run and keeps the raw output.
#   bash scripts/bench.sh [build-dir]     (default: build; configure it Release first)
# Writes docs/bench/fspiop-<date>.txt and prints the JWS sign rate as a share of OpenSSL's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build="${1:-build}"
cmake --build "$build" --target bench_fspiop >/dev/null

out="docs/bench/fspiop-$(date -u +%Y%m%d).txt"
{
    echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
    echo "# load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "## openssl speed -seconds 5 rsa2048 ($(openssl version))"
    openssl speed -seconds 5 rsa2048 2>/dev/null | tail -n 2
    echo "## bench_fspiop"
    "$build/tests/bench/bench_fspiop" --benchmark_min_time=3 --benchmark_repetitions=3 \
        --benchmark_report_aggregates_only=true 2>&1
} | tee "$out"

openssl_rate="$(grep -E '^rsa 2048 bits' "$out" | awk '{print $6}')"
jws_rate="$(grep -E '^BM_JwsSign/real_time_median' "$out" | sed -E 's/.*items_per_second=([0-9.]+)([k]?)\/s.*/\1 \2/' | awk '{print ($2=="k") ? $1*1000 : $1}')"
echo
echo "openssl speed rsa2048 sign/s: $openssl_rate"
echo "JWS sign/s (median):          $jws_rate"
awk -v a="$jws_rate" -v b="$openssl_rate" 'BEGIN { printf "JWS sign / openssl speed:     %.1f%%\n", 100 * a / b }'
echo "raw output: $out"
