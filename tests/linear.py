"""Linear time, counted rather than timed: each hostile shape of
bench/linear.sh at N and 2N units, converted to JSON under callgrind, must
cost at most 2.5 times as many instructions at 2N as at N.  Instruction
counts move by a few thousand in hundreds of millions from run to run,
whatever the load on the machine, so the check does not flake.  Start-up (loading ICU, compiling the grammars), measured on
one unit of the shape, is taken off both counts first, so that it cannot
hide growth in the part that depends on the input.

N is 10,000 units: at that size an extra step costing a few instructions
per pair of lines already pushes the ratio over the bound (a quadratic
loop over the lines was inserted in lines.c to see it fail).  PP_LINEAR_N
sets another N."""
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import PLANPARSE, check, done, equal, scratch  # noqa: E402

SKIP = 77  # ctest's SKIP_RETURN_CODE for this test
BOUND = 2.5
N = int(os.environ.get("PP_LINEAR_N", "10000"))

if os.environ.get("PP_SANITIZED"):
    print("linear: skipped: valgrind cannot run a sanitizer build")
    sys.exit(SKIP)
VALGRIND = shutil.which("valgrind")
if not VALGRIND:
    print("linear: skipped: valgrind is not installed (apt-get install valgrind)")
    sys.exit(SKIP)

# The shapes of bench/linear.sh, one unit each.
SHAPES = {
    "sections": "一、节\n",
    "items": "1.项。内容。\n",
    "body": "这是正文，没有句号\n",  # no full stop: every line joins the one before
    "fields": "责任单位：甲、乙\n",
    "mixed": "一、节\n（一）小节\n1.项。\n（1）子项。\n①点。\n",
}

tmp = scratch("pp-linear-")


def instructions(shape, units):
    """Exit status, stderr and callgrind's instruction total for planparse
    on `units` units of the shape."""
    path = os.path.join(tmp, f"{shape}.{units}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(SHAPES[shape] * units)
    out = path + ".callgrind"
    p = subprocess.run([VALGRIND, "--tool=callgrind", "-q", f"--callgrind-out-file={out}",
                        PLANPARSE, "--format", "json", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    total = None
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            m = re.search(r"^(?:summary|totals): (\d+)", f.read(), re.M)
        total = int(m.group(1)) if m else None
        os.unlink(out)
    os.unlink(path)
    return p.returncode, p.stderr.decode("utf-8", "replace"), total


# Two at a time on two cores: callgrind runs one thread per process.
jobs = [(s, u) for s in SHAPES for u in (1, N, 2 * N)]
with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    results = dict(zip(jobs, pool.map(lambda j: instructions(*j), jobs)))
counts = {}
for (s, u), (status, err, total) in results.items():
    equal(status, 0, f"{s} x {u}: exit status ({err[-300:]})")
    check(total is not None, f"{s} x {u}: callgrind's instruction total read")
    counts[(s, u)] = total or 0

for s in SHAPES:
    base, one, two = counts[(s, 1)], counts[(s, N)], counts[(s, 2 * N)]
    if one <= base:
        check(False, f"{s}: {N} units cost no more than one ({one} <= {base})")
        continue
    ratio = (two - base) / (one - base)
    print(f"linear: {s}: {one - base} instructions at N = {N}, {two - base} at 2N, "
          f"ratio {ratio:.2f} (start-up {base})")
    check(ratio <= BOUND, f"{s}: doubling the input costs {ratio:.2f} x the instructions "
                          f"(at most {BOUND})")

done("linear")
