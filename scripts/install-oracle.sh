#!/usr/bin/env bash
# Installs the DuckDB oracle of the Nexmark tests (tests/oracle: @duckdb/node-api from npm).
# Idempotent: does nothing when the installed packages already match package-lock.json.
# Needs node >= 18 and npm; network access to the npm registry on the first run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/tests/oracle"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-oracle: node and npm are required (apt-get install nodejs npm)" >&2
  exit 1
fi
cd "$dir"
# Several oracle tests start at once (lit runs them in parallel): one installs, the others wait
# for it (two concurrent `npm ci` runs delete each other's files).
exec 9>"$dir/.install.lock"
flock 9
stamp=node_modules/.dfc-oracle-installed
if [[ -f "$stamp" && -f package-lock.json && "$stamp" -nt package-lock.json && "$stamp" -nt package.json ]] &&
   node -e "require.resolve('@duckdb/node-api')" 2>/dev/null; then
  exit 0
fi
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
node --input-type=module -e "import('@duckdb/node-api').then(() => {}).catch((e) => { console.error(e); process.exit(1); })"
touch "$stamp"
