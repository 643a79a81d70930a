"""diff and compare: the terminal views laid out by display width, marks
for differing words and numbers, colour control, and the YAML/JSON
reports."""
import csv
import io
import json
import os
import re
import sys
import unicodedata

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import SAMPLES, check, done, equal, run, scratch  # noqa: E402

tmp = scratch("pp-report-")
samples = sorted(os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES))
xinzhou, wafangdian = os.path.join(SAMPLES, "xinzhou-2023.txt"), os.path.join(SAMPLES, "wafangdian-2023.txt")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def width(line, ambiguous):
    """Display width as a terminal draws it (Unicode East Asian Width)."""
    w = 0
    for ch in ANSI.sub("", line):
        if unicodedata.category(ch) in ("Mn", "Me", "Cf") or ord(ch) < 32:
            continue
        ea = unicodedata.east_asian_width(ch)
        w += 2 if ea in ("W", "F") else ambiguous if ea == "A" else 1
    return w


def write(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# ---- every line of a terminal view is exactly as wide as asked ------------
for cmd, files in (("diff", [xinzhou, wafangdian]), ("compare", samples)):
    for cols in (80, 160):
        for amb in (1, 2):
            for color in ("never", "always"):
                st, out, err = run(cmd, "--width", str(cols), "--ambiguous-width", str(amb),
                                   "--color", color, *files)
                lines = out.decode().split("\n")[:-1]
                bad = [(i, width(l, amb)) for i, l in enumerate(lines) if width(l, amb) != cols]
                equal((st, err, bad[:3]), (0, "", []),
                      f"{cmd} at {cols} columns, ambiguous {amb}, colour {color}: every line {cols} wide")

# ---- marks: words and numbers that differ ---------------------------------
a = write("a.txt", "一、学前教育\n1.扩大学前教育资源。新增学位6000个，公办园占比达到55%。\n"
          "2.加强校园安全管理。开展消防演练。\n")
b = write("b.txt", "一、学前教育\n1.扩大学前教育资源。新增学位2000个，公办园占比达到50%。\n"
          "2.推进教育数字化转型。建设智慧校园。\n")
st, out, err = run("diff", "--width", "100", "--color", "never", a, b)
text = out.decode()
check("[-6000-]" in text and "{+2000+}" in text, "differing numbers are marked: 6000 vs 2000")
check("[-55-]" in text and "{+50+}" in text, "differing percentages are marked: 55 vs 50")
check("[-扩大" not in text, "shared words are not marked")
check("\x1b[" not in text, "--color never: no escape codes")
last = text.rstrip("\n").split("\n")[-1].rstrip()
equal(last, "1 matched · 1 only in a.txt · 1 only in b.txt", "summary line")
st, out, err = run("diff", "--width", "100", "--color", "always", a, b)
check("\x1b[1;31m6000" in out.decode() and "\x1b[1;32m2000" in out.decode(), "--color always: marks in colour")
st, out, err = run("diff", "--width", "100", a, b, env={"NO_COLOR": "1"})
check("\x1b[" not in out.decode(), "not a terminal, or NO_COLOR: no colour by default")

# Rows follow both documents' order; the unmatched stand alone.
rows = text.split("\n")
a_row = [i for i, l in enumerate(rows) if l.startswith("一/2 加强校园安全管理") and re.search(r"\|    \| +$", l)]
b_row = [i for i, l in enumerate(rows) if re.match(r"^ +\|    \| 一/2 推进教育数字化转型", l)]
check(len(a_row) == 1 and len(b_row) == 1 and a_row[0] < b_row[0], "a-only and b-only items each on a row of their own")

# ---- the YAML and JSON reports -------------------------------------------
st, out, err = run("diff", "--format", "json", a, b)
j = json.loads(out)
st2, yout, err2 = run("diff", "--format", "yaml", a, b)
check(yaml.load(yout, Loader=yaml.CSafeLoader) == j, "diff: YAML and JSON say the same")
equal(sorted(j), ["a", "b", "only_a", "only_b", "pairs"], "diff report keys")
equal(sorted(j["a"]), ["region", "source", "title"], "diff plan keys")
equal(len(j["pairs"]), 1, "one pair")
p = j["pairs"][0]
equal((sorted(p), sorted(p["a"])), (["a", "b", "score"], ["kind", "number", "path", "title"]), "pair keys")
equal((p["a"]["kind"], p["a"]["number"], p["a"]["path"], p["b"]["title"]), ("item", 1, "一/1", "扩大学前教育资源"),
      "pair content")
check(0 < p["score"] <= 1, "score in (0, 1]")
equal(([u["number"] for u in j["only_a"]], [u["number"] for u in j["only_b"]]), ([2], [2]), "only_a, only_b")

st, out, err = run("compare", "--format", "json", *samples)
c = json.loads(out)
st2, yout, err2 = run("compare", "--format", "yaml", *samples)
check(yaml.load(yout, Loader=yaml.CSafeLoader) == c, "compare: YAML and JSON say the same")
equal(sorted(c), ["plans", "similarity", "topics"], "compare report keys")
n = len(samples)
equal([len(r) for r in c["similarity"]], [n] * n, "similarity is n x n")
check(all(c["similarity"][i][i] == 1 for i in range(n)), "similarity 1 on the diagonal")
check(all(c["similarity"][i][k] == c["similarity"][k][i] for i in range(n) for k in range(n)), "symmetric")
check(all(len({m["plan"] for m in t["members"]}) == len(t["members"]) >= 2 for t in c["topics"]),
      "a topic holds at most one unit per plan, and at least two plans")
# What an analyst sees by eye: these themes run through at least four plans.
for theme in ("双减", "师德师风", "学前教育", "全面从严治党"):
    wide = [t for t in c["topics"] if theme in t["label"] and len(t["members"]) >= 4]
    check(wide, f"a topic '{theme}' shared by at least four plans")

# ---- themes by plan ---------------------------------------------------------
st, out, err = run("compare", "--themes", "--format", "json", *samples)
th = json.loads(out)
equal(sorted(th), ["plans", "themes"], "compare --themes report keys")
counts = {t["name"]: t["counts"] for t in th["themes"]}
for i, s in enumerate(samples):
    t = json.loads(run("--format", "json", s)[1])
    units = [n for sec in t["children"] for n in (sec["children"] or [sec])]
    for name, row in counts.items():
        equal(row[i], sum(name in u["themes"] for u in units), f"--themes: {name} counted in {os.path.basename(s)}")
check(all(counts[t][i] > 0 for t in ("双减", "师德师风") for i in range(len(samples)) if i != 1),
      "双减 and 师德师风 in every plan with numbered items")
for cols in (80, 160):
    st, out, err = run("compare", "--themes", "--width", str(cols), *samples)
    lines = out.decode().split("\n")[:-1]
    check(st == 0 and all(width(l, 1) == cols for l in lines), f"compare --themes: every line {cols} wide")

# ---- targets across plans ---------------------------------------------------
st, out, err = run("compare", "--targets", "--format", "json", *samples)
tg = json.loads(out)
equal(sorted(tg), ["groups", "plans"], "compare --targets report keys")
groups = [{(os.path.basename(m["plan"]).split("-")[0], m["indicator"], m["value"]) for m in g["members"]}
          for g in tg["groups"]]
check({("lvliang", "公办率", 55), ("wafangdian", "公办幼儿园在园幼儿占比", 50),
       ("xinzhou", "县级公办在园幼儿占比", 55)} in groups, f"公办 share lined up across three plans: {groups}")
check(not any({m[0] for m in g} == {"lvliang", "wafangdian"} and any("平安" in m[1] for m in g) for g in groups),
      "平安校园覆盖率 is not 普惠园覆盖率")
check(all(len({m[0] for m in g}) >= 2 for g in groups), "each group spans two plans or more")
st, out, err = run("compare", "--targets", "--format", "csv", *samples)
rows = list(csv.reader(io.StringIO(out.decode())))
equal(rows[0], ["plan", "region", "path", "indicator", "comparator", "value", "unit", "text"], "targets csv header")
total = 0
for s_ in samples:
    t = json.loads(run("--format", "json", s_)[1])
    total += sum(len(u["targets"]) for sec in t["children"] for u in (sec["children"] or [sec]))
equal(len(rows) - 1, total, "targets csv: a row per target of every plan's work items")
for cols in (80, 160):
    st, out, err = run("compare", "--targets", "--width", str(cols), "--ambiguous-width", "2", *samples)
    check(st == 0 and all(width(l, 2) == cols for l in out.decode().split("\n")[:-1]),
          f"compare --targets: every line {cols} wide")

# ---- usage ---------------------------------------------------------------
for args, msg in [(["diff", xinzhou], "planparse: diff compares two plans, not 1"),
                  (["compare", xinzhou], "planparse: compare needs at least two plans, not 1"),
                  (["diff", "--width", "5", xinzhou, xinzhou],
                   "planparse: --width takes a number of columns from 20 to 10000, not '5'"),
                  (["diff", "--color", "sometimes", xinzhou, xinzhou],
                   "planparse: --color takes auto, always or never, not 'sometimes'"),
                  (["diff", "--threshold", "2", xinzhou, xinzhou],
                   "planparse: --threshold takes a number from 0 to 1, not '2'")]:
    st, out, err = run(*args)
    equal((st, err.splitlines()[:1], out), (2, [msg], b""), f"usage: {' '.join(args[:2])}")
st, out, err = run("diff", xinzhou, os.path.join(tmp, "missing.txt"))
equal((st, out), (2, b""), "diff with a missing file writes nothing")

done("report")
