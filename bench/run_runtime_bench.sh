#!/usr/bin/env bash
# Runtime benchmarks (numbers, not tests): each dfc job beside a hand-written C++ program doing the
# same work, built and run in the same invocation. CPU time and peak RSS from /usr/bin/time.
#   stateless chain  bench/jobs/stateless_chain.json  vs bench/handwritten_stateless.cc
#   hash shuffle 2->2 bench/jobs/shuffle.json         vs bench/handwritten_shuffle.cc
#   latency at 1,000 records/s across a shuffle        bench/jobs/latency.json (p50/p99)
#   peak RSS under backpressure (slow operator)        tests/e2e/Inputs/backpressure.json
# usage: bench/run_runtime_bench.sh [SCALE]   SCALE multiplies the record counts (default 1:
#   50M stateless, 20M shuffle, 10k latency records at 1,000/s, 10M backpressure); e.g. 0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dfc=${DFC:-$root/build/compiler/driver/dfc}
scale=${1:-1}
cxx=${CXX:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n() { python3 -c "print(max(1, int($1 * $scale)))"; }
# run NAME CMD... : runs CMD under /usr/bin/time, leaves "wall user sys maxrss_kib" in $tmp/NAME.time
run() { local name=$1; shift; /usr/bin/time -f "%e %U %S %M" -o "$tmp/$name.time" "$@" 2> "$tmp/$name.err" > "$tmp/$name.out"; }
cpu() { awk '{print $2 + $3}' "$tmp/$1.time"; }
wall() { awk '{print $1}' "$tmp/$1.time"; }
rss() { awk '{print $4}' "$tmp/$1.time"; }
rate() { python3 -c "print(f'{$1 / max($2, 1e-9) / 1e6:.1f}')"; }

echo "dfc runtime benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, scale $scale"
for job in stateless_chain shuffle latency; do "$dfc" build "$root/bench/jobs/$job.json" -o "$tmp/$job" > /dev/null; done
"$dfc" build "$root/tests/e2e/Inputs/backpressure.json" -o "$tmp/backpressure" > /dev/null
"$cxx" -std=c++20 -O2 -I"$root/runtime/api" -o "$tmp/hw_stateless" "$root/bench/handwritten_stateless.cc"
"$cxx" -std=c++20 -O2 -pthread -I"$root/runtime/api" -o "$tmp/hw_shuffle" "$root/bench/handwritten_shuffle.cc"

# 1. Fused stateless chain, parallelism 1: records/s per core = records / CPU seconds.
N=$(n 50000000)
run dfc_sl "$tmp/stateless_chain" -D gen.count="$N"
run hw_sl "$tmp/hw_stateless" "$N"
a=$(rate "$N" "$(cpu dfc_sl)"); b=$(rate "$N" "$(cpu hw_sl)")
echo
echo "stateless chain datagen -> filter -> select -> blackhole, $N records, parallelism 1"
echo "  dfc:         $(cpu dfc_sl) CPU s, $(wall dfc_sl) s wall, $a M records/s per core"
echo "  handwritten: $(cpu hw_sl) CPU s, $(wall hw_sl) s wall, $b M records/s per core"
echo "  ratio handwritten/dfc (records per CPU s): $(python3 -c "print(f'{$b / $a:.2f}')")x (target <= 1.5x)"

# 2. Hash shuffle 2 -> 2.
N=$(n 20000000)
run dfc_sh "$tmp/shuffle" -D gen.count="$N"
run hw_sh "$tmp/hw_shuffle" "$N"
rec=$(grep -o 'sizeof(Record<Ev>) = [0-9]*' "$tmp/hw_sh.out" | awk '{print $3}')
a=$(rate "$N" "$(wall dfc_sh)"); b=$(rate "$N" "$(wall hw_sh)")
echo
echo "hash shuffle 2 -> 2 (key BIGINT, seq BIGINT, payload STRING(16)), $N records"
echo "  dfc:         $(wall dfc_sh) s wall, $(cpu dfc_sh) CPU s, $a M records/s, $(rate "$N" "$(cpu dfc_sh)") M records/s per core"
echo "  handwritten: $(wall hw_sh) s wall, $(cpu hw_sh) CPU s, $b M records/s, $(rate "$N" "$(cpu hw_sh)") M records/s per core"
echo "  ratio handwritten/dfc (records/s): $(python3 -c "print(f'{$b / $a:.2f}')")x"
echo "  bytes per record moved: sizeof(Record<Ev>) = $rec + 16 payload bytes (heap, not SSO) = $((rec + 16)) bytes;" \
     "$(python3 -c "print(f'{$N * ($rec + 16) / max($(wall dfc_sh), 1e-9) / 1e6:.0f}')") MB/s through the dfc shuffle"

# 3. Latency at 1,000 records/s across a shuffle (stamp after the source, measure before the sink).
N=$(n 10000)
(cd "$tmp" && run lat "$tmp/latency" -D gen.count="$N" -D out.path="$tmp/latency.csv")
echo
echo "latency at 1,000 records/s, datagen -> stamp -> key_by -> measure -> file, parallelism 2, $N records"
python3 "$root/bench/latency_stats.py" "$tmp/latency.csv" | sed 's/^/  /'

# 4. Peak RSS under backpressure: fast source -> shuffle -> slow map (sleeps 50 us / 256 records).
N=$(n 10000000)
run bp_small "$tmp/backpressure" -p 2 -D gen.count=200000
run bp "$tmp/backpressure" -p 2 -D gen.count="$N"
echo
echo "peak RSS under backpressure (64-byte strings, slow map, parallelism 2)"
echo "  200000 records: $(rss bp_small) KiB peak RSS; $N records: $(rss bp) KiB peak RSS ($(wall bp) s)"
echo "  ratio: $(python3 -c "print(f'{$(rss bp) / $(rss bp_small):.2f}')")x"
