"""Hostile documents: each must finish in under 5 s with a 1 MiB stack
(ulimit -s 1024) and peak memory within 10 x input + 64 MiB, and exit 0
with output that reads back, or fail with one line and a documented
status.  Speed itself is measured in bench/, not here."""
import json
import os
import random
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import PLANPARSE, check, done, equal, run, scratch  # noqa: E402

tmp = scratch("pp-path-")


SANITIZED = bool(os.environ.get("PP_SANITIZED"))
# Run from a small fresh interpreter, so a child's peak memory is its own.
MEASURE = """
import os, resource, sys
def limit():
    resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, 1 << 20))  # ulimit -s 1024
pid = os.fork()
if pid == 0:
    limit()
    fd = os.open(sys.argv[3], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 1)
    os.execv(sys.argv[1], [sys.argv[1], "--format", "json", sys.argv[2]])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024)
"""


def measured(path):
    """Exit status, stdout, stderr and peak memory of one run with a 1 MiB stack."""
    outp = path + ".out"
    p = subprocess.run([sys.executable, "-c", MEASURE, PLANPARSE, path, outp], capture_output=True,
                       timeout=600)
    status, peak = map(int, p.stdout.split())
    with open(outp, "rb") as f:
        out = f.read()
    os.unlink(outp)
    return status, out, p.stderr.decode(), peak


def case(name, text, expect=0, readback=False):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    size = os.path.getsize(path)
    t0 = time.monotonic()
    st, out, err, peak = measured(path)
    took = time.monotonic() - t0
    if not SANITIZED:
        # A hang guard, not a benchmark: the cases take well under a second.
        check(took < 5, f"{name}: done in under 5 s ({took:.1f} s)")
        check(peak <= 10 * size + (64 << 20), f"{name}: peak memory {peak >> 20} MiB within 10 x input + 64 MiB")
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
