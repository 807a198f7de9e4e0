#!/usr/bin/env bash
# Configures and builds dfc into a build directory.
#   scripts/build.sh [release|asan|tsan] [ninja targets...]
# Build dirs: build/ (release), build-asan/ (ASan+UBSan), build-tsan/ (TSan).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
shift || true
case "$kind" in
  release) dir=build; san="" ;;
  asan) dir=build-asan; san=address ;;
  tsan) dir=build-tsan; san=thread ;;
  *) echo "usage: $0 [release|asan|tsan] [targets...]" >&2; exit 2 ;;
esac
jobs=${DFC_JOBS:-$(nproc)}
# ccache hits across clones in other directories (CI clones afresh each run).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake -S "$root" -B "$root/$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDFC_SANITIZE="$san" ${DFC_CMAKE_ARGS:-} >/dev/null
ninja -C "$root/$dir" -j"$jobs" "$@"
