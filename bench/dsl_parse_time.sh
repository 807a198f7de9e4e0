#!/usr/bin/env bash
# What reading a job written in C++ (job.cpp, Clang LibTooling) costs over the same job in JSON,
# for every sample pair NAME.json / NAME.cpp (tests/dsl/Inputs/twins.py finds them):
#   - `dfc check` (front-end + passes, no C++ compile): median of RUNS;
#   - cold `dfc build` (empty build cache, ccache off: front-end, passes, codegen, g++, link):
#     median of BUILD_RUNS;
#   - the Clang parse alone (DFC_TIME_DSL=1).
# CPU seconds (user + sys of dfc and the compiler it runs) are what a loaded machine distorts
# least; wall is printed too. The aim: the C++ front-end adds under 1 s.
# usage: bench/dsl_parse_time.sh [path/to/dfc] [RUNS (default 5)] [BUILD_RUNS (default 3)] [SAMPLE_SUBSTRING...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dfc=${1:-$root/build/compiler/driver/dfc}
runs=${2:-5}
build_runs=${3:-3}
shift $(( $# < 3 ? $# : 3 ))
exec python3 - "$dfc" "$root" "$runs" "$build_runs" "$@" <<'PY'
import os, re, resource, statistics, subprocess, sys, tempfile, time
dfc, root, runs, build_runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
only = sys.argv[5:]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(root, "tests/dsl/Inputs"))
from twins import sample_jobs

def run(args, env):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.time()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.time() - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

def median(args, n, fresh_env):
    walls, cpus = [], []
    for i in range(n):
        w, c = run(args, fresh_env(i))
        walls.append(w); cpus.append(c)
    return statistics.median(walls), statistics.median(cpus)

def parse_ms(path):
    r = subprocess.run([dfc, "check", path], env=dict(os.environ, DFC_TIME_DSL="1"),
                       capture_output=True, text=True)
    m = re.search(r"clang parse ([0-9.]+) ms", r.stderr)
    return float(m.group(1)) if m else float("nan")

print(f"{'job':<26} {'check json':>11} {'check cpp':>10} {'+cpu':>7} | {'build json':>11} {'build cpp':>10} {'+cpu':>7} | clang parse")
with tempfile.TemporaryDirectory() as tmp:
    for job in sample_jobs(os.path.join(root, "samples")):
        cpp = job[:-len(".json")] + ".cpp"
        name = os.path.relpath(job, os.path.join(root, "samples"))[:-len(".json")]
        if not os.path.exists(cpp) or (only and not any(s in name for s in only)):
            continue
        plain = lambda i: dict(os.environ)
        check = [median([dfc, "check", p], runs, plain) for p in (job, cpp)]
        builds = []
        for p, kind in ((job, "json"), (cpp, "cpp")):
            fresh = lambda i, kind=kind: dict(os.environ, CCACHE_DISABLE="1",
                                              DFC_CACHE_DIR=f"{tmp}/{name.replace('/', '_')}-{kind}-{i}")
            builds.append(median([dfc, "build", p, "-o", f"{tmp}/exe"], build_runs, fresh))
        print(f"{name:<26} {check[0][1]:>10.3f}s {check[1][1]:>9.3f}s {check[1][1] - check[0][1]:>+6.3f}s | "
              f"{builds[0][1]:>10.2f}s {builds[1][1]:>9.2f}s {builds[1][1] - builds[0][1]:>+6.2f}s | "
              f"{parse_ms(cpp):.0f} ms   (CPU; wall: check {check[0][0]:.3f}/{check[1][0]:.3f} s, "
              f"build {builds[0][0]:.2f}/{builds[1][0]:.2f} s)", flush=True)
PY
