"""Stops a running (unbounded) job with a signal and reports its exit code and summary line.

Waits until the job is running (its first metrics report on stderr, which the runtime prints
after it took over SIGINT/SIGTERM), lets it run ~0.5 s more, sends the signal and waits.
usage: signal_stop.py EXE WORKDIR INT|TERM [JOB ARGS...]
"""
import signal
import subprocess
import sys
import time

exe, work, name = sys.argv[1], sys.argv[2], sys.argv[3]
sig = {"INT": signal.SIGINT, "TERM": signal.SIGTERM}[name]
err_path = f"{work}/signal_{name}.err"
with open(err_path, "w") as err:
    p = subprocess.Popen([exe, "--metrics-interval", "0.1", *sys.argv[4:]], stderr=err, cwd=work)
    deadline = time.monotonic() + 120
    while "metrics:" not in open(err_path).read():
        if p.poll() is not None:
            sys.exit(f"job exited early with {p.returncode}:\n{open(err_path).read()}")
        if time.monotonic() > deadline:
            p.kill()
            sys.exit("job never reported metrics")
        time.sleep(0.02)
    time.sleep(0.5)
    p.send_signal(sig)
    code = p.wait(timeout=120)
print(f"exit {code}")
summary = [l for l in open(err_path) if l.startswith("dfc: job ") and "metrics:" not in l]
for line in summary:
    print(line, end="")
# The summary counts: records reaching the sink never exceed records generated.
fields = summary[-1].rsplit(": ", 1)[1].split()
rin, rout = int(fields[0]), int(fields[3])
print("counts OK" if 0 < rin and 0 <= rout <= rin else f"counts WRONG: {rin} in, {rout} out")
