#!/usr/bin/env bash
# Checkpoint benchmarks (numbers, not a test): keyed aggregation over 1M keys
# (bench/jobs/keyed_reduce.json: datagen -> key_by -> rolling reduce in keyed state -> blackhole,
# parallelism 1) with checkpoints off / every 10 s / every 1 s (throughput and the ratio to "off";
# each checkpoint snapshots every key), the last checkpoint's duration and size, the time to
# restore it, and the same aggregation on the hashmap and rocksdb backends. The hand-written loop
# of bench/handwritten_keyed.cc (same generator and reduce, one thread, no checkpoints) is the
# reference for "off".
# Hashmap snapshots are asynchronous (the task thread only captures the state at the barrier; a
# snapshot thread serializes it), so the cost that remains on the task is the capture and the
# copy-on-write of entries changed while a snapshot is written, plus the CPU the snapshot and
# checkpoint-writing threads take from the (shared) machine.
#   usage: bench/checkpoint_bench.sh [RECORDS]   (default 100000000: ~35 s per run on the idle
#          machine, so the 10 s interval takes several checkpoints; the table says how many)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dfc=${DFC:-$root/build/compiler/driver/dfc}
N=${1:-100000000}
keys=1000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rate() { python3 -c "print(f'{$1 / max($2, 1e-9) / 1e6:.2f}')"; }
g++ -std=c++20 -O2 -I"$root/runtime/api" -o "$tmp/hw" "$root/bench/handwritten_keyed.cc"
sed "s/\"max\": 999 }/\"max\": $((keys - 1)) }/" "$root/bench/jobs/keyed_reduce.json" > "$tmp/job.json"
"$dfc" build "$tmp/job.json" -o "$tmp/job" > /dev/null
echo "checkpoint benchmarks: keyed reduce, $keys keys, $N records, parallelism 1, hashmap backend;"
echo "  $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/time -f "%e %U %S" -o "$tmp/hw.time" "$tmp/hw" "$N" "$keys" > /dev/null 2>&1
read -r hw_wall hw_u hw_s < "$tmp/hw.time"
printf '  %-26s %8s s wall %8s CPU s %10s M rec/s\n' "hand-written (no state API)" "$hw_wall" \
  "$(python3 -c "print(f'{$hw_u + $hw_s:.2f}')")" "$(rate "$N" "$hw_wall")"

base=""
table=""
for interval in off 10s 1s; do
  args=(-D gen.count="$N")
  [ "$interval" != off ] && args+=(-D execution.checkpointing.interval="$interval" -D execution.checkpointing.dir="$tmp/chk-$interval")
  /usr/bin/time -f "%e %U %S" -o "$tmp/run.time" "$tmp/job" "${args[@]}" > /dev/null 2> "$tmp/run.err"
  read -r wall u s < "$tmp/run.time"
  r=$(rate "$N" "$wall")
  [ -z "$base" ] && base=$r
  printf '  %-26s %8s s wall %8s CPU s %10s M rec/s  %5s x off' "checkpoints $interval" "$wall" \
    "$(python3 -c "print(f'{$u + $s:.2f}')")" "$r" "$(python3 -c "print(f'{$r / $base:.3f}')")"
  line=$(grep 'dfc: checkpoints:' "$tmp/run.err" || true)
  if [ -n "$line" ]; then
    echo "  (${line#dfc: checkpoints: })"
    # "N completed, F failed, last ID (D ms, B bytes), ..."
    count=$(echo "$line" | sed -E 's/.*checkpoints: ([0-9]+) completed.*/\1/')
    dur=$(echo "$line" | sed -nE 's/.*\(([0-9]+) ms, ([0-9]+) bytes\).*/\1 ms/p')
    bytes=$(echo "$line" | sed -nE 's/.*\(([0-9]+) ms, ([0-9]+) bytes\).*/\2/p')
    size=$([ -n "$bytes" ] && python3 -c "print(f'{$bytes / 1e6:.1f} MB')" || echo -)
  else
    echo
    count=-; dur=-; size=-
  fi
  table+="| checkpoints $interval | $wall s | $(python3 -c "print(f'{$u + $s:.2f}')") s | ${r}M | $(python3 -c "print(f'{$r / $base:.3f}')")x | $count | ${dur:--} | $size |"$'\n'
done
echo
echo "| run | wall | CPU | records/s | vs off | checkpoints | last duration | last size |"
echo "|---|---|---|---|---|---|---|---|"
echo "| hand-written loop (no state API) | $hw_wall s | $(python3 -c "print(f'{$hw_u + $hw_s:.2f}')") s | $(rate "$N" "$hw_wall")M | — | — | — | — |"
printf '%s' "$table"
echo

# Restore: an unbounded run checkpointing every second, stopped (SIGTERM keeps checkpoints) after
# its third checkpoint, restored with a count below its position (so it ends right after).
rm -rf "$tmp/chk-r"
"$tmp/job" -D gen.count=1000000000000 -D execution.checkpointing.interval=1s -D execution.checkpointing.dir="$tmp/chk-r" \
  > /dev/null 2> "$tmp/r1.err" &
pid=$!
while [ ! -e "$tmp/chk-r/chk-3/_metadata" ]; do sleep 0.1; done
kill -TERM "$pid"
wait "$pid" || true
size=$(du -sb "$tmp/chk-r/chk-3" | cut -f1)
"$tmp/job" -D gen.count=1 -D execution.checkpointing.interval=1s -D execution.checkpointing.dir="$tmp/chk-r" \
  --from-checkpoint "$tmp/chk-r/chk-3" > /dev/null 2> "$tmp/r2.err"
echo "  restore of a $keys-key checkpoint ($size bytes on disk): $(grep -o 'restored from checkpoint [0-9]* .* in [0-9]* ms' "$tmp/r2.err" | sed 's/(.*) //')"

# Backends: the same aggregation (no checkpoints) on hashmap and rocksdb, fewer records (rocksdb
# at 1M keys is slow: most accesses miss the 65536-entry cache).
M=$((N / 50))
for backend in hashmap rocksdb; do
  /usr/bin/time -f "%e %U %S" -o "$tmp/b.time" "$tmp/job" -D gen.count="$M" -D state.backend.type=$backend > /dev/null 2>&1
  read -r wall u s < "$tmp/b.time"
  r=$(rate "$M" "$wall")
  [ "$backend" = hashmap ] && hm=$r
  printf '  %-26s %8s s wall %8s CPU s %10s M rec/s  %5s x hashmap\n' "$backend ($M records)" "$wall" \
    "$(python3 -c "print(f'{$u + $s:.2f}')")" "$r" "$(python3 -c "print(f'{$r / $hm:.3f}')")"
done
