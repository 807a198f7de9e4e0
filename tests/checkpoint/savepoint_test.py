#!/usr/bin/env python3
"""Stop-with-savepoint through the REST endpoint, then resume at another parallelism.

Runs the exactly-once job at parallelism FROM with rest.port=0, waits until it completed a
checkpoint, checks GET /jobs and GET /jobs/<id>, takes a savepoint (`JOB savepoint --port`), then
stops it with a savepoint (`JOB stop --port --target DIR`), resumes `--from-savepoint DIR` at
parallelism TO, and compares the committed output with the rows of an uninterrupted run.
With `--outputs DIR,DIR...` among the extra arguments (any job, e.g. Inputs/windows.json) the
expected output is what an uninterrupted run at parallelism FROM commits into those sink
directories. Prints a few lines for FileCheck; exits 1 on a mismatch."""
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kill_test import committed, committed_all, expected_rows  # noqa: E402


def main():
    job, work, p_from, p_to = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    extra = sys.argv[5:]  # more arguments for the resumed run, e.g. -D state.backend.type=rocksdb
    outputs = None
    if "--outputs" in extra:
        i = extra.index("--outputs")
        outputs = extra[i + 1].split(",")
        del extra[i:i + 2]
    count = 100000
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rate = 15000 if outputs else 40000  # windowed jobs snapshot more state: give the stop time
    rates = ["-D", f"a_gen.rate={rate}", "-D", f"b_gen.rate={rate}"]
    err = open(os.path.join(work, "run1.err"), "w+")
    counts = ["-D", f"a_gen.count={count}", "-D", f"b_gen.count={count}"]
    p = subprocess.Popen([job, "-p", p_from, "-D", "rest.port=0"] + rates + counts, cwd=work,
                         stdout=subprocess.DEVNULL, stderr=err)
    port = None
    deadline = time.time() + 30
    while time.time() < deadline:
        err.seek(0)
        m = re.search(r"REST endpoint http://127.0.0.1:(\d+)/jobs/([0-9a-f]{32})", err.read())
        done = glob.glob(os.path.join(work, "checkpoints", "*", "chk-*", "_metadata"))
        if m and done:
            port, jid = m.group(1), m.group(2)
            break
        time.sleep(0.01)
    if port is None:
        print("FAIL: no REST endpoint / checkpoint")
        return 1
    jobs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/jobs"))
    print("jobs:", jobs["jobs"][0]["status"], "id matches" if jobs["jobs"][0]["id"] == jid else "id differs")
    # The manifest (_metadata) is renamed into place before the coordinator counts the checkpoint
    # as completed (it fsyncs the directory in between): poll briefly.
    poll_end = time.time() + 10
    while True:
        detail = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/jobs/{jid}"))
        if detail["checkpoints"]["counts"]["completed"] > 0 or time.time() > poll_end:
            break
        time.sleep(0.01)
    print("job:", detail["name"], detail["state"], "completed checkpoints > 0:",
          detail["checkpoints"]["counts"]["completed"] > 0)
    r = subprocess.run([job, "savepoint", "--port", port], capture_output=True, text=True, cwd=work)
    print("savepoint:", r.returncode, "at", re.sub(r"\d+$", "N", r.stdout.strip()))
    r = subprocess.run([job, "stop", "--port", port, "--target", "sp"], capture_output=True, text=True, cwd=work)
    print("stop:", r.returncode, r.stdout.strip(), r.stderr.strip())
    rc = p.wait(timeout=60)
    err.seek(0)
    stopped = [l for l in err.read().splitlines() if "stopped with savepoint" in l]
    print("job exit:", rc, "|", re.sub(r"after .*", "after ...", stopped[0]) if stopped else "no stop line")
    r = subprocess.run([job, "-p", p_to, "--from-savepoint", "sp"] + counts + extra, capture_output=True, text=True, cwd=work,
                       timeout=120)
    print("resume:", r.returncode, re.sub(r"in \d+ ms", "in T ms", r.stderr.splitlines()[0]))
    if outputs:
        ref = os.path.join(work, "reference")
        os.makedirs(ref)
        subprocess.run([job, "-p", p_from] + counts, cwd=ref, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120, check=True)
        exp = collections.Counter(committed_all(ref, outputs))
        got = collections.Counter(committed_all(work, outputs))
    else:
        got = collections.Counter(committed(os.path.join(work, "out")))
        exp = collections.Counter(expected_rows(count))
    print("output:", "same as an uninterrupted run" if got == exp else
          f"{sum((exp - got).values())} lost, {sum((got - exp).values())} extra")
    return 0 if got == exp else 1


if __name__ == "__main__":
    sys.exit(main())
