"""Bounded buffering under backpressure: runs a job (fast source -> shuffle -> slow map) with a
small and a 10x larger record count and compares the peak RSS of the two runs.

Peak RSS comes from wait4() on each child (ru_maxrss, KiB on Linux), so the runs do not mix.
usage: backpressure_memory.py EXE SMALL_COUNT LARGE_COUNT MAX_RATIO [JOB ARGS...]
"""
import os
import subprocess
import sys

exe, small, large, max_ratio = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
args = sys.argv[5:]


def peak_rss_kib(count):
    p = subprocess.Popen([exe, *args, "-D", f"gen.count={count}"], stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{count} records: exit {p.returncode}\n{err}")
    sys.stdout.write(err)
    return usage.ru_maxrss


a = peak_rss_kib(small)
b = peak_rss_kib(large)
ratio = b / a
print(f"peak RSS: {small} records {a} KiB, {large} records {b} KiB, ratio {ratio:.2f}")
if ratio >= max_ratio:
    sys.exit(f"peak RSS grew {ratio:.2f}x (limit {max_ratio}x): buffering is not bounded")
print("bounded buffering OK")
