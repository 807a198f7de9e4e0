"""Bounded buffering under backpressure: runs a job (fast source -> shuffle -> slow map) with a
small and a 10x larger record count and compares the peak RSS of the two runs.

Peak RSS comes from `/usr/bin/time -f %M` when present, else from polling the job's VmHWM in
/proc. (Not getrusage/wait4 from here: a child forked from Python carries Python's own peak RSS
in ru_maxrss across exec, which would hide the job's.)
usage: backpressure_memory.py EXE SMALL_COUNT LARGE_COUNT MAX_RATIO [JOB ARGS...]
"""
import os
import subprocess
import sys
import tempfile
import time

exe, small, large, max_ratio = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
args = sys.argv[5:]
GNU_TIME = "/usr/bin/time"


def run(count):
    cmd = [exe, *args, "-D", f"gen.count={count}"]
    if os.access(GNU_TIME, os.X_OK):
        with tempfile.NamedTemporaryFile("r") as t:
            r = subprocess.run([GNU_TIME, "-f", "%M", "-o", t.name, *cmd], stderr=subprocess.PIPE, text=True)
            out = t.read().strip().splitlines()
            peak = int(out[-1]) if out and out[-1].isdigit() else 0
        return r.returncode, r.stderr, peak
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    peak = 0
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    return p.returncode, p.stderr.read(), peak


def peak_rss_kib(count):
    code, err, peak = run(count)
    if code != 0 or peak <= 0:
        sys.exit(f"{count} records: exit {code}, peak RSS {peak}\n{err}")
    sys.stdout.write(err)
    return peak


a = peak_rss_kib(small)
b = peak_rss_kib(large)
ratio = b / a
print(f"peak RSS: {small} records {a} KiB, {large} records {b} KiB, ratio {ratio:.2f}")
if ratio >= max_ratio:
    sys.exit(f"peak RSS grew {ratio:.2f}x (limit {max_ratio}x): buffering is not bounded")
print("bounded buffering OK")
