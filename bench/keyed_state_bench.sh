#!/usr/bin/env bash
# Keyed aggregation throughput (numbers, not a test): bench/jobs/keyed_reduce.json (datagen ->
# key_by -> rolling reduce in keyed state -> blackhole, parallelism 1) on the hashmap and rocksdb
# backends, with 1K and 1M keys, beside bench/handwritten_keyed.cc (the same generator and reduce
# over a std::unordered_map, one thread). Per core = records / CPU seconds (user + sys).
#   usage: bench/keyed_state_bench.sh [SCALE]   (default 1 = 20M records; 0.1 for a quick run)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dfc=${DFC:-$root/build/compiler/driver/dfc}
scale=${1:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
N=$(python3 -c "print(max(1, int(20000000 * $scale)))")
cpu() { awk '{print $1 + $2}' "$tmp/$1.time"; }
rate() { python3 -c "print(f'{$1 / max($2, 1e-9) / 1e6:.2f}')"; }
g++ -std=c++20 -O2 -I"$root/runtime/api" -o "$tmp/hw" "$root/bench/handwritten_keyed.cc"
echo "keyed aggregation, $N records, parallelism 1, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
printf '%-8s %-10s %12s %16s %10s\n' keys backend "CPU s" "M rec/s/core" "hw/dfc"
for keys in 1000 1000000; do
  sed "s/\"max\": 999 }/\"max\": $((keys - 1)) }/" "$root/bench/jobs/keyed_reduce.json" > "$tmp/job.json"
  "$dfc" build "$tmp/job.json" -o "$tmp/job" > /dev/null
  /usr/bin/time -f "%U %S" -o "$tmp/hw.time" "$tmp/hw" "$N" "$keys" 2> /dev/null
  hw=$(rate "$N" "$(cpu hw)")
  printf '%-8s %-10s %12s %16s %10s\n' "$keys" handwritten "$(cpu hw)" "$hw" "1.00"
  for backend in hashmap rocksdb; do
    /usr/bin/time -f "%U %S" -o "$tmp/$backend.time" "$tmp/job" -D gen.count="$N" -D state.backend.type=$backend \
      > /dev/null 2> "$tmp/$backend.err"
    r=$(rate "$N" "$(cpu "$backend")")
    printf '%-8s %-10s %12s %16s %10s\n' "$keys" "$backend" "$(cpu "$backend")" "$r" "$(python3 -c "print(f'{$hw / max($r, 1e-9):.2f}')")"
  done
done
