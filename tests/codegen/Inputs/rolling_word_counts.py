# Independent wordcount for tests: the rolling counts samples/wordcount writes (one `word,n` line
# per occurrence: reduce emits every update), sorted. usage: rolling_word_counts.py INPUT
import sys
counts, lines = {}, []
for line in open(sys.argv[1], encoding="utf-8", errors="surrogateescape"):
    w = ""
    for ch in line.rstrip("\n") + " ":
        if ch.isascii() and ch.isalnum():
            w += ch.lower()
        elif w:
            counts[w] = counts.get(w, 0) + 1
            lines.append(f"{w},{counts[w]}")
            w = ""
sys.stdout.write("".join(sorted(l + "\n" for l in lines)))
