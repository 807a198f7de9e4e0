"""Checks a replayed q0 output against one generated pass: the multiset of rows of pass k equals
the generated rows with dateTime + k * shift_ms.
usage: nexmark_replay_check.py GEN.csv REPLAY.csv PASSES SHIFT_MS"""
import collections, datetime, sys

gen_path, rep_path, passes, shift = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
FMT = "%Y-%m-%d %H:%M:%S.%f"

def shifted(line, ms):
    f = line.rstrip("\n").split(",", 4)  # auction, bidder, price, dateTime, extra
    t = datetime.datetime.strptime(f[3], FMT) + datetime.timedelta(milliseconds=ms)
    f[3] = t.strftime(FMT)[:-3]
    return ",".join(f)

gen = [l for l in open(gen_path) if l.strip()]
want = collections.Counter(shifted(l, k * shift) for k in range(passes) for l in gen)
got = collections.Counter(l.rstrip("\n") for l in open(rep_path) if l.strip())
if want != got:
    sys.exit(f"mismatch: {sum((want - got).values())} rows missing, {sum((got - want).values())} unexpected")
print(f"{sum(got.values())} rows = {passes} passes of {len(gen)}, each shifted by {shift} ms: OK")
