#!/usr/bin/env bash
# Prints `dfc build` time for the samples: cold (empty build cache, ccache off) and cached, as
# wall seconds and CPU seconds of dfc and the C++ compiler it runs (CPU time is what a loaded
# machine does not distort).
# usage: bench/build_time.sh [path/to/dfc]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dfc=${1:-$root/build/compiler/driver/dfc}
exec python3 - "$dfc" "$root" <<'PY'
import glob, os, resource, subprocess, sys, tempfile, time
dfc, root = sys.argv[1], sys.argv[2]
def run(args, env):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.time()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.time() - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print(f"{'job':<24} {'cold wall':>10} {'cold cpu':>10} {'cached wall':>12} {'cached cpu':>11}")
with tempfile.TemporaryDirectory() as tmp:
    for job in sorted(glob.glob(f"{root}/samples/*/job.json")):
        name = os.path.basename(os.path.dirname(job))
        env = dict(os.environ, CCACHE_DISABLE="1", DFC_CACHE_DIR=f"{tmp}/cache-{name}")
        cw, cc = run([dfc, "build", job, "-o", f"{tmp}/{name}"], env)
        hw, hc = run([dfc, "build", job, "-o", f"{tmp}/{name}"], env)
        print(f"{name:<24} {cw:>9.2f}s {cc:>9.2f}s {hw:>11.3f}s {hc:>10.3f}s")
PY
