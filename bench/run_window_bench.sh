#!/usr/bin/env bash
# Window benchmarks (numbers, not tests): per-key event-time window counts, tumbling 10 s and
# sliding 10 s / 2 s, at 1K and 100K keys, each dfc job beside the hand-written loop of
# bench/window_handwritten.cc (same rows, same panes), built and run in the same invocation.
# records/s per core = rows / CPU seconds (user + sys from /usr/bin/time; the dfc job runs the
# source and the window in two threads, so its CPU time includes the shuffle between them).
# usage: bench/run_window_bench.sh [ROWS]   (default 20000000; 100 rows per ms of event time)
#        bench/run_window_bench.sh ROWS backends
#          the 100K-key tumbling and sliding cases on the hashmap and the rocksdb state backend
#          (default cache of 65536 keys, so the panes spill into RocksDB), and the ratio
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dfc=${DFC:-$root/build/compiler/driver/dfc}
rows=${1:-20000000}
cxx=${CXX:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { local name=$1; shift; /usr/bin/time -f "%e %U %S %M" -o "$tmp/$name.time" "$@" 2> "$tmp/$name.err" > "$tmp/$name.out"; }
cpu() { awk '{print $2 + $3}' "$tmp/$1.time"; }
rate() { python3 -c "print(f'{$1 / max($2, 1e-9) / 1e6:.2f}')"; }

echo "dfc window benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $rows rows, load average $(cut -d' ' -f1-3 /proc/loadavg)"
job() {  # job NAME KEYS WINDOW: writes $tmp/NAME.json and builds $tmp/NAME
  python3 - "$root/bench/jobs/window_count.json" "$tmp/$1.json" "$2" "$3" <<'PY'
import sys
src, dst, keys, win = sys.argv[1:]
s = open(src).read()
s = s.replace('"max": 999', '"max": %d' % (int(keys) - 1))
s = s.replace('{ "type": "tumbling", "size": "10s" }', win)
open(dst, "w").write(s)
PY
  "$dfc" build "$tmp/$1.json" -o "$tmp/$1" > /dev/null
}
if [ "${2:-}" = backends ]; then
  for kind in tumbling sliding; do
    if [ "$kind" = tumbling ]; then win='{ "type": "tumbling", "size": "10s" }'
    else win='{ "type": "sliding", "size": "10s", "slide": "2s" }'; fi
    job "$kind" 100000 "$win"
    run "hm_$kind" "$tmp/$kind" -D gen.count="$rows"
    run "rk_$kind" "$tmp/$kind" -D gen.count="$rows" -D state.backend.type=rocksdb
    a=$(rate "$rows" "$(cpu "hm_$kind")"); b=$(rate "$rows" "$(cpu "rk_$kind")")
    echo
    echo "$kind window COUNT(*) per key, 100000 keys"
    echo "  hashmap: $(cpu "hm_$kind") CPU s, $a M records/s per core, max RSS $(awk '{print int($4/1024)}' "$tmp/hm_$kind.time") MB"
    echo "  rocksdb: $(cpu "rk_$kind") CPU s, $b M records/s per core, max RSS $(awk '{print int($4/1024)}' "$tmp/rk_$kind.time") MB"
    echo "    ($(grep -o 'window state in rocksdb: [^(]*' "$tmp/rk_$kind.err" || echo 'nothing spilled'))"
    echo "  ratio hashmap/rocksdb (records per CPU s): $(python3 -c "print(f'{$a / $b:.2f}')")x"
  done
  exit 0
fi
"$cxx" -std=c++20 -O2 -I"$root/runtime/api" -o "$tmp/hw" "$root/bench/window_handwritten.cc"
declare -A dfc_rate
for keys in 1000 100000; do
  for kind in tumbling sliding; do
    name="${kind}_${keys}"
    if [ "$kind" = tumbling ]; then win='{ "type": "tumbling", "size": "10s" }'; size=10000; slide=10000
    else win='{ "type": "sliding", "size": "10s", "slide": "2s" }'; size=10000; slide=2000; fi
    python3 - "$root/bench/jobs/window_count.json" "$tmp/$name.json" "$keys" "$win" <<'PY'
import sys
src, dst, keys, win = sys.argv[1:]
s = open(src).read()
s = s.replace('"max": 999', '"max": %d' % (int(keys) - 1))
s = s.replace('{ "type": "tumbling", "size": "10s" }', win)
open(dst, "w").write(s)
PY
    "$dfc" build "$tmp/$name.json" -o "$tmp/$name" > /dev/null
    run "dfc_$name" "$tmp/$name" -D gen.count="$rows"
    run "hw_$name" "$tmp/hw" "$rows" "$keys" "$size" "$slide"
    a=$(rate "$rows" "$(cpu "dfc_$name")"); b=$(rate "$rows" "$(cpu "hw_$name")")
    dfc_rate[$name]=$a
    echo
    echo "$kind ${size}ms/${slide}ms window COUNT(*) per key, $keys keys"
    echo "  dfc:         $(cpu "dfc_$name") CPU s, $a M records/s per core"
    echo "  handwritten: $(cpu "hw_$name") CPU s, $b M records/s per core ($(cat "$tmp/hw_$name.out"))"
    echo "  ratio handwritten/dfc (records per CPU s): $(python3 -c "print(f'{$b / $a:.2f}')")x"
  done
  echo "  sliding vs tumbling cost in dfc at $keys keys: $(python3 -c "print(f'{${dfc_rate[tumbling_$keys]} / ${dfc_rate[sliding_$keys]}:.2f}')")x (target <= 2x)"
done
