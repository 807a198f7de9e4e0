#!/usr/bin/env bash
# Quick start (1): installs dependencies, builds dfc, builds the flagship demo job and runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" release dfc
"$root/build/compiler/driver/dfc" build "$root/samples/demo/job.json" -o "$root/build/auction-totals"
echo "== running build/auction-totals (built from samples/demo/job.json) =="
"$root/build/auction-totals" "$@"
