#!/usr/bin/env bash
# Installs every build and test dependency of dfc from Debian bookworm packages.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail
# node + npm (for the DuckDB oracle) come with the machine image; install Debian's nodejs only when absent.
command -v node >/dev/null || EXTRA_NODE=1
PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  clang-14 lld-14 llvm-14-dev llvm-14-tools libclang-14-dev libclang-cpp14-dev
  libabsl-dev libboost-program-options-dev libgtest-dev libgmock-dev libbenchmark-dev
  librocksdb-dev libsnappy-dev liblz4-dev libzstd-dev libbz2-dev zlib1g-dev
  libcpp-httplib-dev librdkafka-dev
  python3 util-linux time bc
)
missing=()
[ -n "${EXTRA_NODE:-}" ] && PKGS+=(nodejs npm)
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
