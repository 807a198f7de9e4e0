#!/usr/bin/env python3
"""Reads committed rows on stdin and checks they are exactly the rows of the checkpoint tests' job
(generators A and B, records 0..COUNT-1 -> "gen,i%64,i//64"). Prints `rows: exact` or exits 1."""
import collections
import sys

count = int(sys.argv[1])
expected = collections.Counter(f"{g},{i % 64},{i // 64}" for g in "AB" for i in range(count))
got = collections.Counter(line.rstrip("\n") for line in sys.stdin if line.strip())
if got != expected:
    print(f"rows: {sum((expected - got).values())} lost, {sum((got - expected).values())} extra")
    sys.exit(1)
print("rows: exact")
