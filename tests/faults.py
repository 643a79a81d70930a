"""When the disk or the pipe fails: a clean error, a documented status,
never truncated output with status 0 (tests/faults.c injects the faults)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import PLANPARSE, SAMPLES, check, done, equal, scratch  # noqa: E402

shim = os.environ["PP_FAULTS_LIB"]
plan = os.path.join(SAMPLES, "xinzhou-2023.txt")
whole = subprocess.run([PLANPARSE, plan], capture_output=True).stdout


def faulty(fault, *args, **kw):
    env = dict(os.environ, LD_PRELOAD=shim, PP_FAULT=fault)
    p = subprocess.run([PLANPARSE, *args], capture_output=True, env=env, timeout=60, **kw)
    return p.returncode, p.stdout, p.stderr.decode()


st, out, err = faulty("write-eio", plan)
equal((st, err), (2, "planparse: write error: Input/output error\n"), "a failing write: status 2, one line")
st, out, err = faulty("write-short", plan)
equal((st, out == whole, err), (0, True, ""), "short writes: the whole output, status 0")
st, out, err = faulty("read-eio", plan)
equal((st, out, err), (2, b"", f"planparse: {plan}: read error: Input/output error\n"),
      "a read error part-way: status 2, nothing written")
st, out, err = faulty("open-eacces", plan)
equal((st, out, err), (2, b"", f"planparse: {plan}: Permission denied\n"), "a failing open: status 2")
tmp = scratch("pp-faults-")
st, out, err = faulty("write-eio", "--format", "jsonl", plan, plan)
check(st == 2 and err.count("write error") == 1, "a batch stops at the first failed write, said once")

# stdout closed outright.
p = subprocess.run([PLANPARSE, plan], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   preexec_fn=lambda: os.close(1))
equal((p.returncode, p.stderr.decode()), (2, "planparse: write error: Bad file descriptor\n"),
      "stdout closed: status 2, one line")

done("faults")
