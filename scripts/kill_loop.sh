#!/usr/bin/env bash
# The long exactly-once kill test (docs/CHECKPOINTS.md): builds the exactly-once job and kills it
# with SIGKILL at random moments KILLS times (default 60), at parallelism 2 and 4, for
# EXACTLY_ONCE and AT_LEAST_ONCE, checking the committed output after every round.
#   scripts/kill_loop.sh [KILLS]       (needs a built dfc: scripts/build.sh release dfc)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kills=${1:-60}
dfc=${DFC:-$root/build/compiler/driver/dfc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$dfc" build "$root/tests/checkpoint/Inputs/exactly_once.json" -o "$work/job"
"$dfc" build "$root/tests/checkpoint/Inputs/at_least_once.json" -o "$work/alo"
for p in 2 4; do
  echo "== exactly-once, parallelism $p, $kills kills"
  python3 "$root/tests/checkpoint/kill_test.py" "$work/job" "$work/eo$p" --kills "$kills" --parallelism "$p" --count 300000
  echo "== at-least-once, parallelism $p, $kills kills"
  python3 "$root/tests/checkpoint/kill_test.py" "$work/alo" "$work/alo$p" --kills "$kills" --parallelism "$p" --count 300000 --at-least-once
done
