"""Normalizes `dfc --emit=ir` output so a job.json and its job.cpp can be diffed.

What legitimately differs between the two: the layout of user-function text (one JSON line vs
formatted C++) and the order in which a JSON author wrote a node's keys. With --mask-fn, user
functions are hidden entirely (the function and functor forms of a sample name their function
instead of inlining a lambda).
"""
import json
import re
import sys


# Parameters holding C++ code (user functions).
CODE_PARAMS = ("fn", "fn1", "fn2", "on_timer")
# Members of a state declaration's object form holding C++ code.
STATE_CODE = ("fn", "add", "get_result", "create_accumulator")


def squeeze(code):
    code = re.sub(r"\s+", " ", code.strip())
    return re.sub(r" ?([^\w\s]) ?", r"\1", code)


def normalize(lines, mask_fn=False):
    """The normalized lines of an IR printout (an iterable of lines, newlines stripped or not)."""
    out = []
    for line in lines:
        line = line.rstrip("\n")
        m = re.match(r"^(\s*)params: (\{.*\})$", line)
        if m:
            params = json.loads(m.group(2))
            for key in CODE_PARAMS:
                if key in params:
                    params[key] = "<fn>" if mask_fn else squeeze(params[key])
            for decl in (params.get("state") or {}).values():
                if isinstance(decl, dict):
                    for key in STATE_CODE:
                        if key in decl:
                            decl[key] = "<fn>" if mask_fn else squeeze(decl[key])
            out.append(m.group(1) + "params: " + json.dumps(params, sort_keys=True))
            continue
        m = re.match(r"^(\s*)fn: (inline|named) (\".*\")$", line)
        if m:
            code = "<fn>" if mask_fn else squeeze(json.loads(m.group(3)))
            out.append(m.group(1) + "fn: " + json.dumps(code))
            continue
        out.append(line)
    return out


def main():
    mask_fn = "--mask-fn" in sys.argv
    path = [a for a in sys.argv[1:] if not a.startswith("--")][0]
    with open(path, encoding="utf-8") as f:
        for line in normalize(f, mask_fn):
            print(line)


if __name__ == "__main__":
    main()
