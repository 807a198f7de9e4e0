"""Every sample job written as JSON has a C++ DSL twin that says the same thing.

A sample job is a samples/**/NAME.json with a "nodes" key (samples/nexmark/types.json is not a
job); its twin is NAME.cpp beside it. Modes:

  twins.py ir DFC SAMPLES          every twin exists, and `dfc plan --emit=ir` of both agree
                                   (normalize_ir.py: user-function layout and key order aside)
  twins.py run DFC SAMPLES WORKDIR [DIR/|-DIR/]
                                   every pair (under samples/DIR, or not under it) builds, and both executables give the same output
                                   (stdout and every file written, each sorted by line); pairs
                                   with processing-time windows are built, not compared

A missing twin fails both modes, naming the file to write. Large generated inputs are cut down
for `run` with -D overrides (the same for both executables).
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from normalize_ir import normalize  # noqa: E402

# `run` caps generated inputs so that a pair runs in seconds (both executables get the same -D).
MAX_DATAGEN_ROWS = 200000
MAX_NEXMARK_EVENTS = 100000


def sample_jobs(samples):
    jobs = []
    for root, dirs, files in os.walk(samples):
        dirs[:] = sorted(d for d in dirs if d not in ("node_modules",))
        for f in sorted(files):
            if not f.endswith(".json"):
                continue
            path = os.path.join(root, f)
            with open(path, encoding="utf-8") as fh:
                if re.search(r'"nodes"\s*:', fh.read()):
                    jobs.append(path)
    return jobs


def pairs_or_fail(samples):
    pairs, missing = [], []
    for j in sample_jobs(samples):
        twin = j[: -len(".json")] + ".cpp"
        (pairs if os.path.exists(twin) else missing).append((j, twin))
    rel = lambda p: os.path.relpath(p, os.path.dirname(os.path.abspath(samples)))
    for j, twin in missing:
        print(f"error: {rel(j)} has no C++ DSL twin: write {rel(twin)}, the same job with "
              f"<dfc/dsl.h> (docs/DSL.md), so that `dfc plan --emit=ir` of both agree "
              f"(tests/dsl/samples_twins_ir.test)", file=sys.stderr)
    if not pairs and not missing:
        print(f"error: no sample jobs under {samples}", file=sys.stderr)
        sys.exit(1)
    return pairs, bool(missing), rel


def dfc_ir(dfc, path):
    r = subprocess.run([dfc, "plan", "--emit=ir", path], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"error: dfc plan --emit=ir {path} failed:\n{r.stderr}", file=sys.stderr)
        return None
    return normalize(r.stdout.splitlines())


def mode_ir(dfc, samples):
    pairs, failed, rel = pairs_or_fail(samples)
    for j, cpp in pairs:
        a, b = dfc_ir(dfc, j), dfc_ir(dfc, cpp)
        if a is None or b is None:
            failed = True
            continue
        if a != b:
            failed = True
            print(f"error: the IR of {rel(cpp)} differs from {rel(j)}:", file=sys.stderr)
            sys.stderr.writelines(l + "\n" for l in difflib.unified_diff(a, b, rel(j), rel(cpp), lineterm=""))
        else:
            print(f"same IR: {rel(j)} {rel(cpp)}")
    return 1 if failed else 0


def size_overrides(ir_lines):
    """-D overrides that cap the sources' generated input, read from the JSON job's IR."""
    args, node, op = [], None, None
    for line in ir_lines:
        m = re.match(r"^node \d+ (.*): (\w+)$", line)
        if m:
            node, op = m.group(1), m.group(2)
            continue
        m = re.match(r"^\s+params: (\{.*\})$", line)
        if not m or op != "source":
            continue
        p = json.loads(m.group(1))
        if p.get("connector") == "datagen" and p.get("count", MAX_DATAGEN_ROWS + 1) > MAX_DATAGEN_ROWS:
            args += ["-D", f"{node}.count={MAX_DATAGEN_ROWS}"]
        if p.get("connector") == "nexmark" and p.get("events", MAX_NEXMARK_EVENTS + 1) > MAX_NEXMARK_EVENTS:
            args += ["-D", f"{node}.events={MAX_NEXMARK_EVENTS}"]
    return args


def run_job(exe, sample_dir, workdir, args):
    """Runs exe in a fresh copy of the sample's input files; returns {output name: sorted lines}."""
    if os.path.exists(workdir):
        shutil.rmtree(workdir)
    os.makedirs(workdir)
    inputs = set()
    for f in os.listdir(sample_dir):
        src = os.path.join(sample_dir, f)
        if os.path.isfile(src) and not f.endswith((".json", ".cpp")):
            shutil.copy(src, workdir)
            inputs.add(f)
    r = subprocess.run([exe] + args, cwd=workdir, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"error: {exe} {' '.join(args)} exited with {r.returncode}:\n{r.stderr}", file=sys.stderr)
        return None
    out = {"<stdout>": sorted(r.stdout.splitlines())}
    for root, _, files in os.walk(workdir):
        for f in files:
            path = os.path.join(root, f)
            name = os.path.relpath(path, workdir)
            if name in inputs:
                continue
            with open(path, encoding="utf-8", errors="replace") as fh:
                out[name] = sorted(fh.read().splitlines())
    return out


def mode_run(dfc, samples, work, select=None):
    pairs, failed, rel = pairs_or_fail(samples)
    if select:  # "DIR/" runs only samples under samples/DIR, "-DIR/" all others (lit runs shards in parallel)
        keep = lambda p: (rel(p).startswith("samples/" + select.lstrip("-")) != select.startswith("-"))
        pairs = [(j, c) for j, c in pairs if keep(j)]
    os.makedirs(work, exist_ok=True)
    for j, cpp in pairs:
        tag = rel(j)[: -len(".json")].replace(os.sep, "_")
        ir = dfc_ir(dfc, j)
        if ir is None:
            failed = True
            continue
        # Which rows a processing-time window gets depends on the wall clock: two runs of the same
        # executable differ. Such pairs are built, not compared (the IR comparison covers them).
        wall_clock = any('"time":"processing"' in l.replace(" ", "") for l in ir)
        args = ["--parallelism", "1"] + size_overrides(ir)
        outputs = []
        for path, kind in ((j, "json"), (cpp, "cpp")):
            exe = os.path.join(work, f"{tag}.{kind}")
            r = subprocess.run([dfc, "build", path, "-o", exe], capture_output=True, text=True)
            if r.returncode != 0:
                print(f"error: dfc build {rel(path)} failed:\n{r.stderr}", file=sys.stderr)
                outputs.append(None)
                continue
            if wall_clock:
                outputs.append({})
                continue
            outputs.append(run_job(exe, os.path.dirname(j), os.path.join(work, f"{tag}.{kind}.run"), args))
        if wall_clock and outputs == [{}, {}]:
            print(f"built, not compared: {rel(j)} {rel(cpp)} (processing-time windows: the output depends on the wall clock)")
            continue
        a, b = outputs
        if a is None or b is None:
            failed = True
            continue
        if a != b:
            failed = True
            print(f"error: {rel(cpp)} and {rel(j)} give different output ({' '.join(args)}):", file=sys.stderr)
            for name in sorted(set(a) | set(b)):
                if a.get(name) != b.get(name):
                    sys.stderr.writelines(l + "\n" for l in difflib.unified_diff(
                        a.get(name, []), b.get(name, []), f"{rel(j)}: {name}", f"{rel(cpp)}: {name}",
                        lineterm="", n=1))
        elif sum(len(v) for v in a.values()) == 0:
            failed = True
            print(f"error: {rel(j)} produced no output: nothing was compared", file=sys.stderr)
        else:
            lines = sum(len(v) for v in a.values())
            print(f"same output: {rel(j)} {rel(cpp)} ({lines} lines in {len(a)} outputs) {' '.join(args)}".rstrip())
    return 1 if failed else 0


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "ir" and len(sys.argv) == 4:
        return mode_ir(sys.argv[2], sys.argv[3])
    if mode == "run" and len(sys.argv) in (5, 6):
        return mode_run(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) == 6 else None)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
