#!/usr/bin/env bash
# Window benchmarks (numbers, not tests): per-key event-time window counts, tumbling 10 s and
# sliding 10 s / 2 s, at 1K and 100K keys, each dfc job beside the hand-written loop of
# bench/window_handwritten.cc (same rows, same panes), built and run in the same invocation.
# records/s per core = rows / CPU seconds (user + sys from /usr/bin/time; the dfc job runs the
# source and the window in two threads, so its CPU time includes the shuffle between them).
# usage: bench/run_window_bench.sh [ROWS]   (default 20000000; 100 rows per ms of event time)
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

echo "dfc window benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $rows rows"
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
