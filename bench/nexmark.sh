#!/usr/bin/env bash
# Nexmark benchmark: every query in samples/nexmark beside the hand-written C++ of the same query
# (bench/nexmark_handwritten.cc) on the same events, in the same run, one table.
#
#   bench/nexmark.sh [--events N] [--replay-events M] [--passes R] [--queries q0,q1,...]
#                    [--latency-rate EV_PER_S] [--checkpoint-intervals 10s,1s] [--state-backend B]
#                    [--backend-queries q4,q5,q18] [--no-build-time] [--timeout S]
#                    [-D key=value ...]
#
# Needs `ninja -C build dfc nexmark_handwritten` and GNU time (/usr/bin/time). The hand-written
# program is compiled with the flags dfc compiles jobs with (cmake/DfcJobFlags.cmake, -O2; the
# header line prints them), so the ratios compare code, not optimisation levels. Columns:
#   events            events per gen run (dfc and hand-written alike): --events, scaled down for
#                     the queries in SLOW below so that the whole table takes minutes, not tens.
#   gen ev/s/core     events / CPU seconds of the whole process (user + sys, all threads), the
#                     generator in the loop, parallelism 1 (Flink's Nexmark numbers are per core
#                     with the generator in the loop too); sinks are blackholes, as in nexmark-flink.
#   replay ev/s/core  engine only: M events generated into memory first, then replayed R times
#                     (time shifted; M scaled like `events`). dfc: -D <source>.replay; the CPU of
#                     R passes is the CPU of a run with R + 1 passes minus a run with 1 pass (same
#                     fill, same startup; M = 200k and R = 100 by default, so the R passes cost
#                     well above the run-to-run noise of the fill, which is generation).
#                     Hand-written: its own timer around the loop.
#   ratio             dfc / hand-written (> 1: dfc is faster). Machines are shared and noisy:
#                     compare ratios, which come from back-to-back runs, not absolute numbers.
#   RSS               peak resident set of the dfc job in the gen run (GNU time %M).
#   build             cold `dfc build` (empty cache, ccache off): wall and CPU seconds
#                     (--no-build-time: built with the caches, columns "-").
#   "slow"            the run did not finish within --timeout seconds (default 90), so one
#                     pathological query cannot hold the whole table back; "-": no hand-written
#                     program for the query.
# -D key=value (repeatable) is passed to every dfc job run, e.g. -D pipeline.synchronous-exchange=false
# to measure with every exchange on its own thread (docs/BENCHMARKS.md).
# Then the p50/p99 event-to-sink latency of a q1 pipeline with a shuffle at a fixed event rate
# (bench/jobs/nexmark_latency.json, parallelism 2).
# Checkpoint and state-backend columns (gen ev/s/core, like `gen dfc`, which runs on the default
# hashmap backend without checkpoints):
#   ckpt I            the gen run again with -D execution.checkpointing.interval=I (default: 10s
#                     and 1s; exactly-once, checkpoints into a fresh directory per run, so no run
#                     restores another's), then "/N": the checkpoints completed (the job's summary
#                     line; 0: the run ended before the first one was due); "failed": the job refused
#                     or failed (its error on stderr). --checkpoint-intervals ""
#                     leaves them out.
#   rocksdb/heap      a gen run with -D state.backend.type=<--state-backend> (default rocksdb) and
#                     one on the default hashmap backend, back to back, both on --backend-scale
#                     (0.1) of the events, for the queries in --backend-queries (default q4, q5,
#                     q18: the large keyed state ones); "-" for the others. --state-backend ""
#                     leaves it out.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec python3 - "$root" "$@" <<'PY'
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time

root = sys.argv[1]
ap = argparse.ArgumentParser(prog="bench/nexmark.sh")
ap.add_argument("--events", type=int, default=10_000_000)
ap.add_argument("--replay-events", type=int, default=200_000)
ap.add_argument("--passes", type=int, default=100)
ap.add_argument("--queries", default="")
ap.add_argument("--latency-rate", type=int, default=20_000)
ap.add_argument("--latency-events", type=int, default=200_000)
ap.add_argument("--checkpoint-intervals", default="10s,1s")
ap.add_argument("--state-backend", default="rocksdb")
ap.add_argument("--backend-queries", default="q4,q5,q18")
ap.add_argument("--backend-scale", type=float, default=0.1,
                help="fraction of the events for the backend comparison (RocksDB is ~10x slower)")
ap.add_argument("--build-dir", default=os.path.join(root, "build"))
ap.add_argument("--timeout", type=float, default=90, help="seconds per run; a slower run shows as 'slow'")
ap.add_argument("--no-build-time", action="store_true", help="skip the cold-build measurement")
ap.add_argument("-D", dest="defines", action="append", default=[], metavar="KEY=VALUE",
                help="passed to every dfc job run (repeatable)")
a = ap.parse_args(sys.argv[2:])

dfc = os.path.join(a.build_dir, "compiler/driver/dfc")
hand = os.path.join(a.build_dir, "bench/nexmark_handwritten")
for p in (dfc, hand, "/usr/bin/time"):
    if not os.path.exists(p):
        sys.exit(f"nexmark.sh: {p} is missing (ninja -C build dfc nexmark_handwritten; apt-get install time)")
HANDWRITTEN = {"q0", "q1", "q2", "q3", "q5", "q7", "q8", "q20"}
# Queries whose dfc job runs at well under 1M events/s per core get a fraction of --events /
# --replay-events (same count for dfc and hand-written), so one slow query does not take the
# table's whole time budget; the events column shows the count used. q20's regular join keeps
# every bid, so its replay state grows with the passes (200k x 101 passes: several GiB).
SLOW = {"q18": 0.2, "q19": 0.2, "q20": 0.1, "q21": 0.2}
job_flags = re.search(r"set\(DFC_JOB_CXX_FLAGS ([^$)]*)", open(f"{root}/cmake/DfcJobFlags.cmake").read())
job_flags = job_flags.group(1).strip() if job_flags else "?"


def strip_jsonc(text):
    out, i, n, in_str = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\": out.append(text[i + 1]); i += 1
            elif c == '"': in_str = False
        elif c == '"': in_str = True; out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n": i += 1
            continue
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2; continue
        else: out.append(c)
        i += 1
    return "".join(out)

def timed(cmd, env=None, cwd=None, may_fail=False):
    """Runs cmd under GNU time; returns (cpu s, wall s, peak RSS KiB, stdout, stderr); None after the
    timeout, or "failed" (with may_fail) when the run failed."""
    fd, tf = tempfile.mkstemp(); os.close(fd)
    # Own process group, so that a run over the timeout is killed with the job under GNU time (it
    # would otherwise keep a core busy for the rest of the table).
    p = subprocess.Popen(["/usr/bin/time", "-o", tf, "-f", "%U %S %e %M"] + cmd, env=env, cwd=cwd,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=a.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        p.communicate()
        os.unlink(tf)
        return None
    r = subprocess.CompletedProcess(cmd, p.returncode, out, err)
    if r.returncode != 0:
        if may_fail:
            print(f"nexmark.sh: {' '.join(cmd)} failed: {r.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            return "failed"
        sys.exit(f"nexmark.sh: {' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    u, s, e, m = open(tf).read().split()[-4:]; os.unlink(tf)
    return float(u) + float(s), float(e), int(m), r.stdout, r.stderr

def hand_line(out):
    return dict(kv.split("=", 1) for kv in out.split())

queries = sorted((f[:-5] for f in os.listdir(f"{root}/samples/nexmark") if re.fullmatch(r"q\d+\.json", f)),
                 key=lambda q: int(q[1:]))
if a.queries: queries = [q for q in a.queries.split(",") if q in queries]

def fmt(v): return "slow" if v is None else f"{v / 1e6:.2f}M"
def fmt_run(events, r): return "failed" if r == "failed" else fmt(events / r[0] if r else None)
def ratio(x, y): return "-" if x is None or y is None else f"{x / y:.2f}x"

tmp = tempfile.mkdtemp(prefix="dfc-nexmark-")
extra_cols = [f"ckpt {i}" for i in a.checkpoint_intervals.split(",") if i] + ([f"{a.state_backend}/heap"] if a.state_backend else [])
hdr = (f"{'query':<6} {'events':>7} {'gen dfc':>9} {'gen hand':>9} {'ratio':>6} {'replay dfc':>10} {'replay hand':>11} {'ratio':>6}"
       f" {'RSS MiB':>8} {'build wall':>10} {'build cpu':>9}" + "".join(f" {c:>13}" for c in extra_cols))
print(f"Nexmark, events/s per core (M = million), parallelism 1; gen: {a.events:,} events; "
      f"replay: {a.replay_events:,} events x {a.passes} passes (scaled down for {', '.join(sorted(SLOW))}); {time.strftime('%Y-%m-%d %H:%M')}, "
      f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; jobs and hand-written: {job_flags}"
      + (f"; dfc runs with -D {' -D '.join(a.defines)}" if a.defines else ""))
print(hdr); print("-" * len(hdr))
t_start = time.time()
for q in queries:
    doc = json.loads(strip_jsonc(open(f"{root}/samples/nexmark/{q}.json").read()))
    sources = [n["id"] for n in doc["nodes"] if n.get("op") == "source" and n.get("connector") == "nexmark"]
    for n in doc["nodes"]:
        if n.get("op") == "sink":
            for k in ("path", "format"): n.pop(k, None)
            n["connector"] = "blackhole"
    for key, paths in doc.get("dependencies", {}).items():  # relative to the sample, not the copy
        if key != "pkg_config":
            doc["dependencies"][key] = [p if p.startswith("/") or (key == "libraries" and "/" not in p)
                                        else f"{root}/samples/nexmark/{p}" for p in paths]
    job = f"{tmp}/{q}.json"; json.dump(doc, open(job, "w"), indent=1)
    scale = SLOW.get(q, 1.0)
    events, replay_events = int(a.events * scale), int(a.replay_events * scale)
    if a.no_build_time:
        subprocess.run([dfc, "build", job, "-o", f"{tmp}/{q}"], check=True, stdout=subprocess.DEVNULL)
        bcpu = bwall = None
    else:
        env = dict(os.environ, CCACHE_DISABLE="1", DFC_CACHE_DIR=f"{tmp}/cache-{q}")
        bcpu, bwall = (timed([dfc, "build", job, "-o", f"{tmp}/{q}"], env=env) or (0, 0))[:2]
    exe = f"{tmp}/{q}"
    def dfc_run(events, replay=None, extra=(), may_fail=False):
        cmd = [exe, "-p", "1"]
        for d in a.defines: cmd += ["-D", d]
        for s in sources:
            cmd += ["-D", f"{s}.events={events}"]
            if replay is not None: cmd += ["-D", f"{s}.replay={replay}"]
        return timed(cmd + list(extra), cwd=tmp, may_fail=may_fail)
    r = dfc_run(events)
    gen_dfc, rss = (events / r[0], r[2]) if r else (None, 0)
    gen_hand = rep_hand = None
    if q in HANDWRITTEN:
        hr = timed([hand, "--query", q, "--events", str(events), "--mode", "gen"])
        gen_hand = events / hr[0] if hr else None
        hr = timed([hand, "--query", q, "--events", str(replay_events), "--mode", "replay", "--repeat", str(a.passes)])
        rep_hand = float(hand_line(hr[3])["events_per_s_per_core"]) if hr else None
    rep_dfc = None
    if gen_dfc is not None:
        r1 = dfc_run(replay_events, replay=1)
        rr = dfc_run(replay_events, replay=a.passes + 1) if r1 else None
        if r1 and rr and rr[0] > r1[0]: rep_dfc = replay_events * a.passes / (rr[0] - r1[0])
    extras = []
    for i in [x for x in a.checkpoint_intervals.split(",") if x]:
        ckdir = f"{tmp}/ckpt-{q}-{i}"
        c = dfc_run(events, extra=["-D", f"execution.checkpointing.interval={i}",
                                   "-D", f"execution.checkpointing.dir={ckdir}"], may_fail=True)
        done = re.search(r"checkpoints: (\d+) completed", c[4]) if isinstance(c, tuple) else None
        extras.append(fmt_run(events, c) + f"/{done.group(1) if done else '?'}")
        shutil.rmtree(ckdir, ignore_errors=True)
    if a.state_backend:
        if q in a.backend_queries.split(","):
            n = int(events * a.backend_scale)
            c = dfc_run(n, extra=["-D", f"state.backend.type={a.state_backend}"], may_fail=True)
            h = dfc_run(n)
            extras.append(fmt_run(n, c) + "/" + fmt_run(n, h))
        else:
            extras.append("-")
    hf = fmt if q in HANDWRITTEN else (lambda v: "-")
    bw = "-" if bwall is None else f"{bwall:.2f}s"
    bc = "-" if bcpu is None else f"{bcpu:.2f}s"
    print(f"{q:<6} {events / 1e6:>6.1f}M {fmt(gen_dfc):>9} {hf(gen_hand):>9} {ratio(gen_dfc, gen_hand):>6} {fmt(rep_dfc):>10}"
          f" {hf(rep_hand):>11} {ratio(rep_dfc, rep_hand):>6} {rss / 1024:>8.1f} {bw:>10} {bc:>9}"
          + "".join(f" {x:>13}" for x in extras), flush=True)

# Latency at a fixed rate.
lat_job = f"{root}/bench/jobs/nexmark_latency.json"
env = dict(os.environ, DFC_CACHE_DIR=f"{tmp}/cache-latency")
subprocess.run([dfc, "build", lat_job, "-o", f"{tmp}/latency"], env=env, check=True, stdout=subprocess.DEVNULL)
subprocess.run([f"{tmp}/latency", "-D", f"bid.rate={a.latency_rate}", "-D", f"bid.events={a.latency_events}",
                "-D", f"out.path={tmp}/latency.csv"], check=True, cwd=tmp, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
vals = []
for f in os.listdir(tmp):
    if f.startswith("latency.csv"):
        vals += [int(l.rsplit(",", 1)[1]) for l in open(f"{tmp}/{f}") if l.strip()]
vals.sort()
pct = lambda p: vals[min(len(vals) - 1, int(p / 100 * len(vals)))]
print(f"\nlatency, q1 pipeline + hash shuffle (bench/jobs/nexmark_latency.json), parallelism 2, "
      f"{a.latency_rate:,} events/s: {len(vals):,} rows, p50 {pct(50)} us, p99 {pct(99)} us, max {vals[-1]} us")
print(f"(total {time.time() - t_start:.0f} s)")
shutil.rmtree(tmp, ignore_errors=True)
PY
