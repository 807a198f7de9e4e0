#!/bin/sh
# Time of reading a job written in C++ (job.cpp, Clang LibTooling) vs the same job in JSON.
# Usage: bench/dsl_parse_time.sh [BUILD_DIR] [RUNS]   (default build-dsl, 5 runs; median reported)
# Prints one line per sample: front-end + passes (`dfc check`), and the Clang parse alone.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build-dsl}
RUNS=${2:-5}
DFC=$BUILD/compiler/driver/dfc

median_ms() {  # command... -> median wall time in ms over $RUNS runs
  i=0; times=""
  while [ $i -lt "$RUNS" ]; do
    t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N)
    times="$times $(( (t1 - t0) / 1000000 ))"; i=$((i + 1))
  done
  echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

for sample in wordcount big_bids; do
  dir=$ROOT/samples/$sample
  json=$(median_ms "$DFC" check "$dir/job.json")
  cpp=$(median_ms "$DFC" check "$dir/job.cpp")
  parse=$(DFC_TIME_DSL=1 "$DFC" check "$dir/job.cpp" 2>&1 | sed -n 's/.*clang parse \([0-9.]*\) ms.*/\1/p')
  # For scale: a plain syntax check of the same file (no function-body skipping).
  plain=$(median_ms clang++ -std=c++20 -fsyntax-only -I "$ROOT/runtime/api" "$dir/job.cpp")
  echo "dsl_parse_time $sample: dfc check job.json ${json} ms, job.cpp ${cpp} ms" \
       "(+$((cpp - json)) ms; clang parse ${parse} ms; clang++ -fsyntax-only ${plain} ms)"
done
