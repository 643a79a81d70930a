"""Large inputs finish, whole, within bounded memory: one 100 MB line, and
a million lines.  (Speed is measured in bench/, not here.)"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import PLANPARSE, check, done, equal, scratch  # noqa: E402

# Sanitizer builds trade memory for checks: there only completion counts.
SANITIZED = bool(os.environ.get("PP_SANITIZED"))
tmp = scratch("pp-scale-")
MEASURE = """
import os, sys
pid = os.spawnv(os.P_NOWAIT, sys.argv[1], [sys.argv[1], "--format", "json", sys.argv[2]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[2] + ".rss", "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss * 1024}")
"""


def convert(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    size = os.path.getsize(path)
    # A child's peak memory counts the image it was forked from, so the
    # run is started from a small, fresh interpreter, not from this one.
    with open(path + ".json", "wb") as out, open(path + ".err", "wb") as err:
        m = subprocess.run([sys.executable, "-c", MEASURE, PLANPARSE, path], stdout=out, stderr=err,
                           timeout=900)
    with open(path + ".rss", encoding="ascii") as f:
        code, peak = map(int, f.read().split())
    status = m.returncode if m.returncode else code
    with open(path + ".err", "rb") as f:
        equal((status, f.read()), (0, b""), f"{name}: converted")
    with open(path + ".json", "rb") as f:
        result = json.load(f)
    for p_ in (path, path + ".json", path + ".err", path + ".rss"):
        os.unlink(p_)
    if not SANITIZED:
        bound = 10 * size + 64 * 1024 * 1024
        check(peak <= bound, f"{name}: peak memory {peak >> 20} MiB within 10 x input + 64 MiB "
                             f"({bound >> 20} MiB)")
    return result


# One line of about 100 MB under a heading: kept whole, as the section's text.
sentence = "这是一行很长的正文，"
line = sentence * (100 * 1024 * 1024 // len(sentence.encode()))
t = convert("line.txt", "一、标题\n" + line + "\n")
equal(len(t["children"]), 1, "100 MB line: one section")
check(t["children"][0]["text"] == line, "100 MB line: kept whole")
del line, t

# A million short lines: a million items, numbered in order.
t = convert("lines.txt", "一、标题\n" + "".join(f"{i}.事项{i}。\n" for i in range(1, 1000)) +
            "这是正文。\n" * 999_000)
items = t["children"][0]["children"]
equal(len(items), 999, "million lines: every item")
equal(items[-1]["text"].count("\n"), 999_000 - 1, "million lines: every body line kept")

done("scale")
