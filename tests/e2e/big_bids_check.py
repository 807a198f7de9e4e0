"""End-to-end check of samples/big_bids against an independent computation in Python.

Generates bids.csv (with quoted fields, quotes and commas inside channel names), runs the job at
several parallelisms, and compares the JSON lines as multisets of (ordered) records.
usage: big_bids_check.py EXE WORKDIR PARALLELISM...
"""
import collections
import csv
import json
import random
import subprocess
import sys

exe, work = sys.argv[1], sys.argv[2]
pars = [int(p) for p in sys.argv[3:]] or [1, 2, 4]

rng = random.Random(7)
channels = ["Google", "Apple", "Baidu", "Face,book", 'say "hi"', "baidu", "channel-5"]
rows = []
for i in range(20000):
    rows.append([rng.randrange(1000, 1100), rng.randrange(2000, 5000), rng.randrange(0, 3000),
                 rng.choice(channels)])
with open(f"{work}/bids.csv", "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)

expected = collections.Counter()
for a, b, price, ch in rows:
    if price >= 1000 and ch != "Baidu":
        # CAST(DOUBLE AS BIGINT) truncates toward zero, as in Flink; UPPER of ASCII.
        expected[(("auction", a), ("bidder", b), ("price_eur", int(price * 0.908)),
                  ("channel", ch.upper()))] += 1

for p in pars:
    out = f"{work}/big_bids_p{p}.jsonl"
    r = subprocess.run([exe, "--parallelism", str(p), "-D", f"bids.path={work}/bids.csv",
                        "-D", f"out.path={out}"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"parallelism {p}: exit {r.returncode}\n{r.stderr}")
    got = collections.Counter()
    for line in open(out, encoding="utf-8"):
        got[tuple(json.loads(line, object_pairs_hook=list))] += 1
    got = collections.Counter({tuple(tuple(kv) for kv in k): v for k, v in got.items()})
    if got != expected:
        sys.exit(f"parallelism {p}: output differs; missing {list((expected - got).items())[:3]} "
                 f"extra {list((got - expected).items())[:3]}")
    print(f"parallelism {p}: {sum(got.values())} rows OK")
