"""End-to-end check of samples/wordcount: builds random input, runs the job executable at several
parallelisms and compares its output with an independent computation in Python.

Rolling reduce emits the updated count for every input word, so for a word seen c times the
output holds exactly (w,1), (w,2) ... (w,c): that multiset is the same at every parallelism.
usage: wordcount_check.py EXE WORKDIR PARALLELISM...
"""
import collections
import random
import re
import subprocess
import sys

exe, work = sys.argv[1], sys.argv[2]
pars = [int(p) for p in sys.argv[3:]] or [1, 2, 4]

rng = random.Random(42)
vocab = ["apple", "Banana", "cherry", "x", "Zeta9", "to", "be", "42", "naïve", "o'neil"]
lines = []
for i in range(3000):
    k = rng.randrange(0, 12)
    words = [rng.choice(vocab) for _ in range(k)]
    seps = [rng.choice([" ", "  ", ", ", "\t", "--", "!", "."]) for _ in words]
    lines.append("".join(w + s for w, s in zip(words, seps)))
with open(f"{work}/input.txt", "w", encoding="utf-8", newline="\n") as f:
    f.write("\n".join(lines) + "\n")

# Independent tokenizer: the UDF splits on bytes that are not ASCII alphanumerics, lower-cases.
data = open(f"{work}/input.txt", "rb").read()
counts = collections.Counter(w.lower().decode() for w in re.findall(rb"[A-Za-z0-9]+", data))
expected = collections.Counter()
for w, c in counts.items():
    for k in range(1, c + 1):
        expected[(w, k)] += 1

for p in pars:
    out = f"{work}/counts_p{p}.csv"
    r = subprocess.run([exe, "--parallelism", str(p), "-D", f"lines.path={work}/input.txt",
                        "-D", f"out.path={out}"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"parallelism {p}: exit {r.returncode}\n{r.stderr}")
    got = collections.Counter()
    for line in open(out, encoding="utf-8"):
        w, n = line.rstrip("\n").rsplit(",", 1)
        got[(w, int(n))] += 1
    if got != expected:
        missing = expected - got
        extra = got - expected
        sys.exit(f"parallelism {p}: output differs; missing {list(missing.items())[:5]} extra {list(extra.items())[:5]}")
    print(f"parallelism {p}: {sum(got.values())} rows OK")
