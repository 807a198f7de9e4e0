#!/usr/bin/env python3
"""Kills a checkpointing job with SIGKILL at random moments, restarts it, and checks the
committed output of its exactly-once file sink (Flink's end-to-end test style; RELIABILITY.md).

The job is tests/checkpoint/Inputs/exactly_once.json (or a variant): generators A and B each emit
records i = 0..count-1 as (gen, i % 64, i // 64); the expected committed output is every such row
exactly once. Each run is started in WORKDIR; after a kill the next run restores from the latest
checkpoint by itself. Rounds repeat (from scratch once a run finishes) until --kills kills happened.

With --reference (any job, e.g. Inputs/windows.json) the expected output is instead what an
uninterrupted run of the same job commits, over the sink directories named by --outputs.

Prints one summary line per fact checked, so a lit test can FileCheck it:
  kills: N (all by SIGKILL)
  restores from checkpoints: yes
  output: exact            (or, with --at-least-once: output: no loss)
Exits 1 with a message on any mismatch.
"""
import argparse
import collections
import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import time


def expected_rows(count):
    return [f"{g},{i % 64},{i // 64}" for g in "AB" for i in range(count)]


def committed(out_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(out_dir, "part-*"))):
        with open(path) as f:
            rows.extend(line.rstrip("\n") for line in f if line.strip())
    return rows


def committed_all(workdir, outputs):
    """The committed rows of every sink directory, each row prefixed with its directory."""
    return [f"{o}:{r}" for o in outputs for r in committed(os.path.join(workdir, o))]


def latest_complete(workdir):
    """Highest id of a complete checkpoint (one with a manifest) in the job's directory."""
    best = 0
    for m in glob.glob(os.path.join(workdir, "checkpoints", "*", "chk-*", "_metadata")):
        best = max(best, int(m.split(os.sep)[-2][4:]))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("job")
    ap.add_argument("workdir")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--count", type=int, default=200000)
    ap.add_argument("--parallelism", type=int, default=2)
    ap.add_argument("--min-delay", type=float, default=0.0)
    ap.add_argument("--max-delay", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--at-least-once", action="store_true")
    ap.add_argument("--arg", action="append", default=[], help="extra argument for the job")
    ap.add_argument("--reference", action="store_true",
                    help="expected output = what an uninterrupted run commits")
    ap.add_argument("--outputs", default="out", help="comma-separated sink directories to compare")
    a = ap.parse_args()
    outputs = a.outputs.split(",")

    seed = a.seed if a.seed is not None else int(time.time() * 1000) % 1000003
    rng = random.Random(seed)
    job = os.path.abspath(a.job)
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    args = [job, "--parallelism", str(a.parallelism), "-D", f"a_gen.count={a.count}",
            "-D", f"b_gen.count={a.count}"] + a.arg
    if a.at_least_once:
        args += ["-D", "execution.checkpointing.mode=AT_LEAST_ONCE"]
    if a.reference:
        ref = os.path.join(a.workdir, "reference")
        os.makedirs(ref)
        r = subprocess.run(args, cwd=ref, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            print(f"FAIL: the uninterrupted run exited {r.returncode}:\n{r.stderr}")
            return 1
        expected = collections.Counter(committed_all(ref, outputs))
        if not expected:
            print("FAIL: the uninterrupted run committed nothing")
            return 1
    else:
        expected = collections.Counter(f"out:{r}" for r in expected_rows(a.count))

    kills = restores = rounds = runs = expected_restores = 0
    log_path = os.path.join(a.workdir, "runs.log")
    with open(log_path, "w") as log:
        while kills < a.kills:
            rounds += 1
            while True:
                runs += 1
                before = latest_complete(a.workdir)
                p = subprocess.Popen(args, cwd=a.workdir, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
                # Kill only after this run completed a checkpoint of its own (so every restart
                # has something new to restore), then at a random moment.
                while p.poll() is None and latest_complete(a.workdir) <= before:
                    time.sleep(0.005)
                delay = rng.uniform(a.min_delay, a.max_delay)
                try:
                    p.wait(timeout=delay)
                except subprocess.TimeoutExpired:
                    pass
                killed = False
                if p.poll() is None and kills < a.kills:
                    p.send_signal(signal.SIGKILL)
                    killed = True
                _, err = p.communicate(timeout=120)
                log.write(f"--- run {runs} (round {rounds}, delay {delay:.3f}, rc {p.returncode})\n{err}")
                restores += err.count("restored from checkpoint")
                if killed and p.returncode == 0:
                    killed = False  # it finished just before the signal
                if killed:
                    if p.returncode != -signal.SIGKILL:
                        print(f"FAIL: run {runs} was not killed by SIGKILL (rc {p.returncode})")
                        return 1
                    kills += 1
                    # The next run must restore, unless the kill came after the finished job
                    # had already discarded its checkpoints.
                    if latest_complete(a.workdir) > 0:
                        expected_restores += 1
                    continue
                if p.returncode != 0:
                    print(f"FAIL: run {runs} exited {p.returncode}; seed {seed}; see {log_path}:\n{err}")
                    return 1
                break
            got = collections.Counter(committed_all(a.workdir, outputs))
            lost = expected - got
            extra = got - expected
            if a.at_least_once:
                unknown = [r for r in got if r not in expected]
                if lost or unknown:
                    print(f"FAIL: round {rounds}: {sum(lost.values())} rows lost, {len(unknown)} unknown rows; seed {seed}")
                    return 1
            elif lost or extra:
                print(f"FAIL: round {rounds}: {sum(lost.values())} rows lost, {sum(extra.values())} duplicated "
                      f"or unexpected; seed {seed}; e.g. {list(lost)[:3]} {list(extra)[:3]}")
                return 1
            if any(glob.glob(os.path.join(a.workdir, o, ".part-*")) for o in outputs):
                print(f"FAIL: round {rounds}: in-progress files left behind after the job finished")
                return 1

    print(f"kills: {kills} (all by SIGKILL)")
    # Every kill came after a completed checkpoint, so every restart must have restored.
    print("restores from checkpoints: " + ("yes" if restores >= expected_restores > 0 else f"NO ({restores} of {expected_restores})"))
    print("output: " + ("no loss" if a.at_least_once else "exact"))
    sys.stderr.write(f"kill_test: seed {seed}, {rounds} rounds, {runs} runs, {restores} restores\n")
    return 0 if restores >= expected_restores > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
