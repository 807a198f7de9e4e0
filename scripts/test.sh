#!/usr/bin/env bash
# Quick start (2): installs dependencies, builds everything and runs the whole test suite:
#   1. release build: unit tests, golden/diagnostics/end-to-end tests (lit), self-containment;
#   2. ASan+UBSan build: the same suite under the sanitizers (without the Clang-based C++ DSL
#      front-end, which the release stage covers);
#   3. TSan build: the runtime's concurrency tests.
# DFC_TEST_STAGES="release asan tsan" selects stages.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
stages=${DFC_TEST_STAGES:-release asan tsan}
jobs=${DFC_JOBS:-$(nproc)}
for s in $stages; do
  echo "== test stage: $s =="
  case "$s" in
    release)
      "$root/scripts/build.sh" release
      (cd "$root/build" && ctest --output-on-failure -j"$jobs") ;;
    asan)
      DFC_CMAKE_ARGS=-DDFC_WITH_DSL=OFF "$root/scripts/build.sh" asan
      (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure -j"$jobs") ;;
    tsan)
      DFC_CMAKE_ARGS=-DDFC_WITH_DSL=OFF "$root/scripts/build.sh" tsan concurrency_tests
      (cd "$root/build-tsan" && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j"$jobs" -L concurrency) ;;
    *) echo "unknown stage $s" >&2; exit 2 ;;
  esac
done
echo "== all test stages passed: $stages =="
