#!/usr/bin/env python3
# Cold `dfc build` time of one job with two (or more) dfc binaries, alternating, under the same
# load (numbers, not a test): e.g. main before a change vs after. Cold = empty dfc cache, ccache
# off; prints the best wall and CPU seconds (dfc + the compiler and linker it runs) of each.
#   usage: bench/build_time_ab.py JOB REPEAT NAME=path/to/dfc NAME=path/to/dfc ...
import os, resource, subprocess, sys, tempfile, time
job, repeat = sys.argv[1], int(sys.argv[2])
dfcs = [a.split('=',1) for a in sys.argv[3:]]
res = {n: [] for n, _ in dfcs}
with tempfile.TemporaryDirectory() as tmp:
    for i in range(repeat):
        for n, d in dfcs:
            env = dict(os.environ, CCACHE_DISABLE="1", DFC_CACHE_DIR=f"{tmp}/c-{n}-{i}")
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.time()
            subprocess.run([d, "build", job, "-o", f"{tmp}/out"], env=env, check=True, stdout=subprocess.DEVNULL)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            res[n].append((time.time()-t0, r1.ru_utime-r0.ru_utime + r1.ru_stime-r0.ru_stime))
for n, v in res.items():
    print(f"{os.path.basename(os.path.dirname(job)) if job.endswith('job.json') else os.path.basename(job)} {n}: wall {min(w for w,_ in v):.2f}s cpu {min(c for _,c in v):.2f}s  (all cpu: {' '.join(f'{c:.2f}' for _,c in v)})")
print("load", open('/proc/loadavg').read().split()[:3])
