"""Normalizes `dfc --emit=ir` output so a job.json and its job.cpp can be diffed.

What legitimately differs between the two: the layout of user-function text (one JSON line vs
formatted C++) and the order in which a JSON author wrote a node's keys. With --mask-fn, user
functions are hidden entirely (the function and functor forms of a sample name their function
instead of inlining a lambda).
"""
import json
import re
import sys


def squeeze(code):
    code = re.sub(r"\s+", " ", code.strip())
    return re.sub(r" ?([^\w\s]) ?", r"\1", code)


def main():
    mask_fn = "--mask-fn" in sys.argv
    path = [a for a in sys.argv[1:] if not a.startswith("--")][0]
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^(\s*)params: (\{.*\})$", line)
        if m:
            params = json.loads(m.group(2))
            if "fn" in params:
                params["fn"] = "<fn>" if mask_fn else squeeze(params["fn"])
            print(m.group(1) + "params: " + json.dumps(params, sort_keys=True))
            continue
        m = re.match(r"^(\s*)fn: (inline|named) (\".*\")$", line)
        if m:
            code = "<fn>" if mask_fn else squeeze(json.loads(m.group(3)))
            print(m.group(1) + "fn: " + json.dumps(code))
            continue
        print(line)


main()
