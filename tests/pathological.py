"""Hostile documents: each must finish (60 s cap here; each takes well
under a second in a release build), exit 0 with output that reads back,
or fail with one line and a documented status.  Speed itself is measured
in bench/, not here."""
import json
import os
import random
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import check, done, equal, run, scratch  # noqa: E402

tmp = scratch("pp-path-")


def case(name, text, expect=0, readback=False):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    st, out, err = run("--format", "json", path)
    equal(st, expect, f"{name}: exit status ({err[:120]})")
    if st == 0:
        equal(err, "", f"{name}: quiet")
        j = json.loads(out)
        if readback:
            st2, yout, _ = run(path)
            check(st2 == 0 and yaml.load(yout, Loader=yaml.CSafeLoader) == j,
                  f"{name}: YAML reads back as JSON")
        return j
    check(len(err.splitlines()) == 1 and err.startswith("planparse: "), f"{name}: one error line")
    return None


N = 100_000
# Every marker repeated: nesting is bounded by the grammar's levels.
j = case("levels", "".join(f"一、节\n（一）小节\n1.项。\n（1）子项。\n①点。\n" for _ in range(N // 5)))
check(j and len(j["children"]) == N // 5, "levels: every section kept")
for marker in ("一、", "1.", "（1）", "①", "## ", "# ", "**", "责任单位：", "附件：", "（"):
    case(f"marker-{len(marker)}-{ord(marker[0])}", (marker + "\n") * N)
j = case("label-digits", "一、节\n" + "9" * 10_000 + ". 标题\n")
j = case("article-number", "一、节\n第99999999999999999999条 总则\n")
j = case("fdfa", "一、节\n" + "\ufdfa" * N + "\n", readback=True)
check(j and j["children"][0]["text"] == "\ufdfa" * N, "U+FDFA kept as written")
rng = random.Random(6)
case("random", bytes(rng.getrandbits(8) for _ in range(2 << 20)), expect=1)

# Strings that look like other things stay strings, in both outputs.
tricky = ["yes", "null", "2023", "---", "~", "1e3", "0x1F", "true", "- x", "a: b", "#c", "x\u2028y",
          "\x01\x1f", "'q'", '"dq"', "\\n", "[1]", "{a}", "&a", "*b", "!t", "%p", "@q", "`r`", "|", ">"]
j = case("tricky", "一、节\n" + "".join(f"{i + 1}. {t}\n" for i, t in enumerate(tricky)), readback=True)
got = [n["title"] for n in j["children"][0]["children"]] if j else []
equal(got, tricky, "titles that look like YAML or JSON syntax read back as written")

done("pathological")
