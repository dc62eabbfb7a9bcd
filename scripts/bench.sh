#!/usr/bin/env bash
# Runs the benchmarks and keeps their raw output in docs/bench/.
#   bash scripts/bench.sh [build-dir] [fspiop|transfers|all]   (default: build, all; configure the
#   build dir Release with -DPM_BUILD_BENCH=ON first)
# fspiop: the protocol benchmarks beside `openssl speed rsa2048`; writes docs/bench/fspiop-<date>.txt
#   and prints the JWS sign rate as a share of OpenSSL's.
# transfers: two pm-connector processes against two reference SDKs (tests/bench/bench_transfers.cpp);
#   writes docs/bench/transfers-<date>.txt. BENCH_TRANSFERS_ARGS passes options, e.g.
#   "--transfers 400 --ref-transfers 100 --warmup 20 --concurrency 8" or "--pairs ours --perf /tmp/p".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build="${1:-build}"
what="${2:-all}"

if [[ "$what" == transfers || "$what" == all ]]; then
    cmake --build "$build" --target bench_transfers pm-connector >/dev/null
    tout="docs/bench/transfers-$(date -u +%Y%m%d).txt"
    {
        echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
        echo "# load before the run: $(cut -d' ' -f1-3 /proc/loadavg); $(openssl version); node $(node --version); $(redis-server --version | cut -d' ' -f1-3)"
        # shellcheck disable=SC2086
        "$build/tests/bench/bench_transfers" ${BENCH_TRANSFERS_ARGS:-} 2>&1
    } | tee "$tout"
    echo "raw output: $tout"
    [[ "$what" == transfers ]] && exit 0
fi

cmake --build "$build" --target bench_fspiop >/dev/null

out="docs/bench/fspiop-$(date -u +%Y%m%d).txt"
{
    echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
    echo "# load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "## openssl speed -elapsed -seconds 5 rsa2048 ($(openssl version))"
    openssl speed -elapsed -seconds 5 rsa2048 2>/dev/null | tail -n 2
    echo "## bench_fspiop"
    "$build/tests/bench/bench_fspiop" --benchmark_min_time=3 --benchmark_repetitions=3 \
        --benchmark_report_aggregates_only=true 2>&1
} | tee "$out"

rate() { # items_per_second of a benchmark's median row, as a plain number
    grep -E "^$1/real_time_median" "$out" | sed -E 's/.*items_per_second=([0-9.]+)([kM]?)\/s.*/\1 \2/' |
        awk '{ m = ($2 == "k") ? 1000 : (($2 == "M") ? 1000000 : 1); print $1 * m }'
}
openssl_rate="$(grep -E '^rsa 2048 bits' "$out" | awk '{print $6}')"
raw_rate="$(rate BM_OpenSslRsa2048Sign)"
jws_rate="$(rate BM_JwsSign)"
echo
echo "openssl speed -elapsed rsa2048 sign/s:    $openssl_rate"
echo "bare EVP_PKEY_sign in bench_fspiop, /s:   $raw_rate"
echo "JWS sign/s (median):                      $jws_rate"
awk -v a="$jws_rate" -v b="$openssl_rate" -v c="$raw_rate" 'BEGIN {
    printf "JWS sign vs openssl speed:                %.1f%%\n", 100 * a / b
    printf "JWS sign vs bare EVP_PKEY_sign:           %.1f%%\n", 100 * a / c }'
echo "raw output: $out"
