"""Reads a running job's metrics over its REST endpoint (Flink's REST shape).

Starts EXE with rest.port=0 (the bound port is printed on stderr), waits until the counts of
chain 2 settle at EXPECTED records into its first operator, prints the vertices of GET /jobs/J,
the metric ids and values of chain 2, and the sums over subtasks; then cancels the job.
usage: rest_metrics.py EXE WORKDIR EXPECTED
"""
import json
import re
import signal
import subprocess
import sys
import time
import urllib.request

exe, work, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
err_path = f"{work}/rest.err"


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


with open(err_path, "w") as err:
    p = subprocess.Popen([exe, "-D", "rest.port=0"], stderr=err, stdout=subprocess.DEVNULL, cwd=work)
    deadline = time.monotonic() + 120
    base = None
    while True:
        if p.poll() is not None:
            sys.exit(f"job exited early with {p.returncode}:\n{open(err_path).read()}")
        if time.monotonic() > deadline:
            p.kill()
            sys.exit(f"counts never reached {expected}:\n{open(err_path).read()}")
        m = re.search(r"REST endpoint (http://127.0.0.1:\d+/jobs/[0-9a-f]{32})", open(err_path).read())
        if m:
            base = m.group(1)
            agg = get(f"{base}/vertices/2/subtasks/metrics?get=both.numRecordsIn&agg=sum")
            if agg and agg[0]["sum"] == expected:
                break
        time.sleep(0.05)
    job = get(base)
    print("state:", job["state"])
    for v in job["vertices"]:
        print(f"vertex {v['id']}: {v['name']} p={v['parallelism']} ops={','.join(v['operators'])}",
              f"read-records={v['metrics']['read-records']} write-records={v['metrics']['write-records']}")
    ids = [m["id"] for m in get(f"{base}/vertices/2/metrics")]
    print("metric ids of subtask 0:", " ".join(i for i in ids if i.startswith("0.")))
    values = get(f"{base}/vertices/2/metrics?get=0.even.numRecordsOut,1.even.numRecordsOut,0.nope")
    print("values:", " ".join(f"{v['id']}={v['value']}" for v in values))
    sums = get(f"{base}/vertices/2/subtasks/metrics?get=both.numRecordsIn,even.numRecordsOut,"
               "out.numRecordsIn,numRecordsIn&agg=sum,max")
    print("sums:", " ".join(f"{s['id']}={s['sum']:g}" for s in sums))
    try:
        urllib.request.urlopen(f"{base}/vertices/9/metrics", timeout=10)
        print("vertex 9: found?!")
    except urllib.error.HTTPError as e:
        print("vertex 9:", e.code)
    p.send_signal(signal.SIGTERM)
    print("exit", p.wait(timeout=60))
