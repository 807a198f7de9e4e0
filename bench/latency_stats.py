"""Prints p50/p90/p99/max of the latency column (microseconds, last CSV column) of the given files.
usage: latency_stats.py FILE..."""
import sys

vals = []
for path in sys.argv[1:]:
    rows = [int(line.rstrip("\n").rsplit(",", 1)[1]) for line in open(path) if line.strip()]
    vals += rows
vals.sort()
if not vals:
    sys.exit("no latency rows")
def pct(p):
    return vals[min(len(vals) - 1, int(p / 100 * len(vals)))]
print(f"latency over {len(vals)} records (us): p50 {pct(50)}  p90 {pct(90)}  p99 {pct(99)}  max {vals[-1]}"
      f"  -> p99 {'<' if pct(99) < 10000 else '>='} 10 ms target")
