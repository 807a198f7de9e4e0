#!/usr/bin/env python3
"""Stop-with-savepoint with and without drain (Flink's `stop --drain`).

Runs tests/checkpoint/Inputs/drain.json with rest.port=0, waits for a completed checkpoint, stops it
with `JOB stop --port P [--drain] --target sp`, and compares the committed window output with the
windows computed here from the committed raw records: with drain every window and session holding
a committed record fired (the sources emitted the maximum watermark before the savepoint's
barrier); without drain the windows still open at the stop did not. Prints lines for FileCheck."""
import collections
import datetime
import glob
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kill_test import committed  # noqa: E402


EPOCH = datetime.datetime(1970, 1, 1)


def ms(text):
    """A TIMESTAMP(3) column as the CSV sink writes it ('1970-01-01 00:00:00.100') -> epoch ms."""
    return int((datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f") - EPOCH) / datetime.timedelta(milliseconds=1))


def windows_of(rows):
    """Committed window rows key,start,end,n,s with the bounds in epoch ms."""
    out = collections.Counter()
    for r in rows:
        key, start, end, n, s = r.split(",")
        out[f"{key},{ms(start)},{ms(end)},{n},{s}"] += 1
    return out


def expected_windows(raw, gap=10, size=100):
    by_key = collections.defaultdict(list)
    for r in raw:
        key, i, t = r.split(",")
        key, i, ts = int(key), int(i), ms(t)
        by_key[key].append((ts, i))
    tumble, sess = collections.Counter(), collections.Counter()
    for key, rows in by_key.items():
        agg = collections.defaultdict(lambda: [0, 0])
        for ts, i in rows:
            w = agg[ts - ts % size]
            w[0] += 1
            w[1] += i
        for start, (n, s) in agg.items():
            tumble[f"{key},{start},{start + size},{n},{s}"] += 1
        gappy = sorted((ts, i) for ts, i in rows if i % 1000 < 700)
        cur = None
        for ts, i in gappy:
            if cur and ts <= cur[1]:
                cur = [cur[0], max(cur[1], ts + gap), cur[2] + 1, cur[3] + i]
            else:
                if cur:
                    sess[f"{key},{cur[0]},{cur[1]},{cur[2]},{cur[3]}"] += 1
                cur = [ts, ts + gap, 1, i]
        if cur:
            sess[f"{key},{cur[0]},{cur[1]},{cur[2]},{cur[3]}"] += 1
    return tumble, sess


def run(job, work, drain):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    err = open(os.path.join(work, "run.err"), "w+")
    p = subprocess.Popen([job, "-p", "2", "-D", "rest.port=0"], cwd=work, stdout=subprocess.DEVNULL, stderr=err)
    port = None
    deadline = time.time() + 30
    while time.time() < deadline and p.poll() is None:
        err.seek(0)
        m = re.search(r"REST endpoint http://127.0.0.1:(\d+)/jobs/", err.read())
        if m and glob.glob(os.path.join(work, "checkpoints", "*", "chk-*", "_metadata")):
            port = m.group(1)
            break
        time.sleep(0.01)
    if port is None:
        p.kill()
        print("FAIL: no REST endpoint / checkpoint")
        return None
    time.sleep(0.3)  # let windows open and fire
    r = subprocess.run([job, "stop", "--port", port, "--target", "sp"] + (["--drain"] if drain else []),
                       capture_output=True, text=True, cwd=work)
    label = "stop --drain" if drain else "stop"
    print(f"{label}: {r.returncode} {r.stdout.strip()} {r.stderr.strip()}")
    rc = p.wait(timeout=60)
    err.seek(0)
    stopped = [l for l in err.read().splitlines() if "stopped with savepoint" in l]
    print("job exit:", rc, "|", re.sub(r"after .*", "after ...", stopped[0]) if stopped else "no stop line")
    raw = committed(os.path.join(work, "raw"))
    tumble, sess = expected_windows(raw)
    got_t = windows_of(committed(os.path.join(work, "out")))
    got_s = windows_of(committed(os.path.join(work, "sess")))
    return raw, tumble, sess, got_t, got_s


def main():
    job, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    res = run(job, os.path.join(work, "drain"), True)
    if res is None:
        return 1
    raw, tumble, sess, got_t, got_s = res
    ok = bool(raw) and got_t == tumble and got_s == sess
    print("drain: raw rows > 0:", bool(raw))
    print("drain: tumbling windows", "exactly those of the committed records" if got_t == tumble else
          f"differ: {sum((tumble - got_t).values())} missing, {sum((got_t - tumble).values())} unexpected")
    print("drain: sessions", "exactly those of the committed records" if got_s == sess else
          f"differ: {sum((sess - got_s).values())} missing, {sum((got_s - sess).values())} unexpected")
    res = run(job, os.path.join(work, "plain"), False)
    if res is None:
        return 1
    raw, tumble, sess, got_t, got_s = res
    # Without drain the windows still open at the stop have not fired (and nothing else is wrong).
    pending = not (tumble - got_t) == collections.Counter() and not (got_t - tumble)
    print("plain stop: open windows not fired, the rest exact:", pending)
    return 0 if ok and pending else 1


if __name__ == "__main__":
    sys.exit(main())
