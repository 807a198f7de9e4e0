"""Runs an unbounded job until an operator's count reaches a number, then cancels it (SIGTERM).

Polls the --metrics-interval table on stderr until operator OP shows numRecordsIn >= N (at most
120 s, else fails), sends SIGTERM and prints the exit code. What happens before the cancel is what
the test checks (e.g. windows fired by an idle source while the job runs: a cancel fires nothing).
usage: wait_then_cancel.py EXE WORKDIR OP N [JOB ARGS...]
"""
import signal
import subprocess
import sys
import time

exe, work, op, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
err_path = f"{work}/wait.err"


def count_in(text):
    last = None
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == op and parts[2].isdigit():
            last = int(parts[2])
    return last


with open(err_path, "w") as err:
    p = subprocess.Popen([exe, "--metrics-interval", "0.05", *sys.argv[5:]], stderr=err,
                         stdout=subprocess.DEVNULL, cwd=work)
    deadline = time.monotonic() + 120
    while (count_in(open(err_path).read()) or 0) < n:
        if p.poll() is not None:
            sys.exit(f"job exited with {p.returncode} before {op} saw {n} records:\n{open(err_path).read()}")
        if time.monotonic() > deadline:
            p.kill()
            sys.exit(f"{op} never saw {n} records:\n{open(err_path).read()[-2000:]}")
        time.sleep(0.02)
    p.send_signal(signal.SIGTERM)
    print(f"{op} saw at least {n} records while running; exit {p.wait(timeout=60)}")
