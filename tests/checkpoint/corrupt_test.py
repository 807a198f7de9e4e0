#!/usr/bin/env python3
"""Corruption of the latest checkpoint (RELIABILITY.md): a checkpointing job is killed once at
least two checkpoints are complete; then, for every file of the latest checkpoint and for each of
truncate / flip one bit / delete, a copy of that state is damaged and the job restarted. Each
restart must warn about the damaged checkpoint naming the file, fall back to the previous one, and
finish with the exact expected output (the job of kill_test.py).

Prints `cases: N, all fell back with exact output` on success; exits 1 naming the failing case.
"""
import argparse
import collections
import glob
import os
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kill_test import committed, expected_rows  # noqa: E402


def checkpoints(work):
    base = os.path.join(work, "checkpoints", "exactly-once")
    done = [d for d in glob.glob(os.path.join(base, "chk-*")) if os.path.exists(os.path.join(d, "_metadata"))]
    return sorted(done, key=lambda d: int(d.rsplit("-", 1)[1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("job")
    ap.add_argument("workdir")
    ap.add_argument("--count", type=int, default=60000)
    a = ap.parse_args()
    job = os.path.abspath(a.job)
    shutil.rmtree(a.workdir, ignore_errors=True)
    pristine = os.path.join(a.workdir, "pristine")
    os.makedirs(pristine)
    args = [job, "--parallelism", "2", "-D", f"a_gen.count={a.count}", "-D", f"b_gen.count={a.count}"]
    # Slow enough to catch three checkpoints; the restarted cases run at full speed.
    slow = ["-D", "a_gen.rate=4000", "-D", "b_gen.rate=4000"]

    # Run until at least three checkpoints are complete, then kill -9 (retention keeps two).
    p = subprocess.Popen(args + slow, cwd=pristine, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while len(checkpoints(pristine)) < 2 or int(checkpoints(pristine)[-1].rsplit("-", 1)[1]) < 3:
        if time.time() > deadline or p.poll() is not None:
            print("FAIL: the job did not complete two checkpoints")
            return 1
        time.sleep(0.02)
    p.send_signal(signal.SIGSTOP)  # freeze it: the copy below must be of a quiet directory
    time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    latest = checkpoints(pristine)[-1]
    files = sorted(os.listdir(latest))
    expected = collections.Counter(expected_rows(a.count))

    cases = 0
    for name in files:
        for damage in ("truncate", "bitflip", "delete"):
            work = os.path.join(a.workdir, f"case-{name}-{damage}")
            shutil.copytree(pristine, work, symlinks=True)
            target = os.path.join(work, os.path.relpath(latest, pristine), name)
            size = os.path.getsize(target)
            if damage == "truncate":
                os.truncate(target, size // 2)
            elif damage == "bitflip":
                if size == 0:
                    continue  # an empty state file has no bit to flip
                with open(target, "r+b") as f:
                    f.seek(size // 2)
                    b = f.read(1)
                    f.seek(size // 2)
                    f.write(bytes([b[0] ^ 0x10]))
            else:
                os.unlink(target)
            r = subprocess.run(args, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               timeout=120)
            what = f"{damage} of {name}"
            if r.returncode != 0:
                print(f"FAIL: {what}: exit {r.returncode}\n{r.stderr}")
                return 1
            warned = [l for l in r.stderr.splitlines() if "unusable" in l and name in l]
            if not warned and not (damage == "truncate" and size == 0):
                print(f"FAIL: {what}: no warning naming the file:\n{r.stderr}")
                return 1
            if "restored from checkpoint" not in r.stderr:
                print(f"FAIL: {what}: did not restore from the previous checkpoint:\n{r.stderr}")
                return 1
            got = collections.Counter(committed(os.path.join(work, "out")))
            if got != expected:
                print(f"FAIL: {what}: {sum((expected - got).values())} lost, "
                      f"{sum((got - expected).values())} duplicated")
                return 1
            cases += 1
            shutil.rmtree(work)
    print(f"cases: {cases}, all fell back with exact output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
