#!/usr/bin/env python3
"""Makes N plans (default 200) from the samples for the compare benchmark:
each starts from one sample, drops about a fifth of its items, shuffles
the rest within their sections and renumbers them, so the plans share
topics the way real ones do without being copies.  Deterministic."""
import os
import random
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
samples = os.path.join(os.path.dirname(here), "samples")
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "plans")
count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
item = re.compile(r"^[\s\u3000]*\d{1,3}[.、．]")
section = re.compile(r"^[一二三四五六七八九十]+、")
rng = random.Random(2023)
os.makedirs(out, exist_ok=True)
bases = []
for name in sorted(os.listdir(samples)):
    with open(os.path.join(samples, name), encoding="utf-8") as f:
        bases.append(f.read().split("\n"))

for k in range(count):
    lines = bases[k % len(bases)]
    head, blocks, current = [], [], None
    for line in lines:
        if section.match(line) or item.match(line):
            current = [line]
            blocks.append(("section" if section.match(line) else "item", current))
        elif current is not None:
            current.append(line)
        else:
            head.append(line)
    text, number, items = list(head), 0, []

    def flush():
        global number
        rng.shuffle(items)
        for b in items:
            number += 1
            b = [item.sub(f"{number}.", b[0], count=1)] + b[1:]
            text.extend(b)
        items.clear()

    for kind, block in blocks:
        if kind == "section":
            flush()
            text.extend(block)
        elif rng.random() > 0.2:
            items.append(block)
    flush()
    with open(os.path.join(out, f"plan-{k:03d}.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(text))
print(f"{count} plans in {out}")
