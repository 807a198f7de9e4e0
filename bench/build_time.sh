#!/usr/bin/env bash
# Prints `dfc build` time for the samples: cold (empty build cache, ccache off) with the runtime's
# precompiled header, cold without it (DFC_PCH=0: the compiler parses dfc/runtime.h), and cached;
# as wall seconds and CPU seconds of dfc and the C++ compiler and linker it runs (CPU time is
# what a loaded machine distorts least). Each job is built REPEAT times per column (default 3)
# and the fastest run is shown; all columns come from the same run, so compare them, not runs.
# usage: bench/build_time.sh [path/to/dfc] [REPEAT] [REGEX: only jobs whose name matches]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dfc=${1:-$root/build/compiler/driver/dfc}
exec python3 - "$dfc" "$root" "${2:-3}" "${3:-}" <<'PY'
import glob, os, re, resource, subprocess, sys, tempfile, time
dfc, root, repeat, only = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def run(args, env):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.time()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.time() - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
def best(runs):
    return min(w for w, _ in runs), min(c for _, c in runs)
jobs = sorted(glob.glob(f"{root}/samples/*/job.json")) + sorted(glob.glob(f"{root}/samples/nexmark/q*.json"))
print(f"{'job':<22} {'cold wall':>10} {'cold cpu':>9} {'no-pch wall':>12} {'no-pch cpu':>11} {'cached wall':>12} {'cached cpu':>11}")
with tempfile.TemporaryDirectory() as tmp:
    for job in jobs:
        name = os.path.relpath(job, f"{root}/samples").replace("/job.json", "").replace(".json", "")
        if only and not re.search(only, name): continue
        out = f"{tmp}/{name.replace('/', '_')}"
        cold, nopch, cached = [], [], []
        for i in range(repeat):
            env = dict(os.environ, CCACHE_DISABLE="1", DFC_CACHE_DIR=f"{tmp}/cache-{i}")
            cold.append(run([dfc, "build", job, "-o", out], env))
            cached.append(run([dfc, "build", job, "-o", out], env))
            env = dict(env, DFC_PCH="0", DFC_CACHE_DIR=f"{tmp}/cache-nopch-{i}")
            nopch.append(run([dfc, "build", job, "-o", out], env))
        (cw, cc), (nw, nc), (hw, hc) = best(cold), best(nopch), best(cached)
        print(f"{name:<22} {cw:>9.2f}s {cc:>8.2f}s {nw:>11.2f}s {nc:>10.2f}s {hw:>11.3f}s {hc:>10.3f}s", flush=True)
PY
