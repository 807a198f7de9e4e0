"""End-to-end check of samples/windows/sliding_counts.json: runs the job at several parallelisms
and compares its rows (sorted) with the sliding-window counts computed here from the same
generator formulas (row i: auction = i % 7, price = i * 37 % 1000, date_time = -20000 + 37 i).
usage: windows_check.py EXE WORKDIR PARALLELISM... [-- JOB ARGS...]
"""
import datetime
import subprocess
import sys

exe, work = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
extra = args[args.index("--") + 1:] if "--" in args else []
args = args[:args.index("--")] if "--" in args else args
pars = [int(p) for p in args] or [1, 4]
N, SIZE, SLIDE = 3000, 10000, 2000

windows = {}
for i in range(N):
    auction, price, t = i % 7, i * 37 % 1000, -20000 + 37 * i
    last = t - (t % SLIDE)  # Python's % floors: the window start for negative t too
    start = last
    while start > t - SIZE:
        w = windows.setdefault((auction, start, start + SIZE), [0, -1, 0])
        w[0] += 1
        w[1] = max(w[1], price)
        w[2] += price
        start -= SLIDE


def ts(ms):  # TIMESTAMP(3) as the CSV format writes it
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=ms)
    return d.strftime("%Y-%m-%d %H:%M:%S.") + f"{ms % 1000:03d}"


expected = sorted(f"{a},{ts(s)},{ts(e)},{c},{m},{tot}" for (a, s, e), (c, m, tot) in windows.items())

for p in pars:
    out = f"{work}/sliding_p{p}.csv"
    r = subprocess.run([exe, "--parallelism", str(p), "-D", f"out.path={out}"] + extra, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"parallelism {p}: exit {r.returncode}\n{r.stderr}")
    got = sorted(line.rstrip("\n") for line in open(out, encoding="utf-8"))
    if got != expected:
        missing = sorted(set(expected) - set(got))[:5]
        extra = sorted(set(got) - set(expected))[:5]
        sys.exit(f"parallelism {p}: {len(got)} rows, expected {len(expected)}; missing {missing} extra {extra}")
    print(f"parallelism {p}: {len(got)} rows OK")
