"""When the disk or the pipe fails: a clean error, a documented status,
never truncated output with status 0 (tests/faults.c injects the faults)."""
import os
import shutil
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

# ICU cannot be loaded: what needs it fails cleanly, what does not goes on.
gb = os.path.join(tmp, "xinzhou-gb.txt")
with open(gb, "wb") as f:
    f.write(open(plan, encoding="utf-8").read().encode("gb18030"))
missing = "cannot load ICU: libicui18n.so: cannot open shared object file: No such file or directory"
st, out, err = faulty("icu-missing", plan)
equal((st, out == whole, err), (0, True, ""), "no ICU: a UTF-8 plan converts as ever")
st, out, err = faulty("icu-missing", gb)
equal((st, out, err), (2, b"", f"planparse: {gb}: {missing}\n"), "no ICU: GB18030 input, status 2, one line")
st, out, err = faulty("icu-missing", "-f", "jsonl", "-j", "1", plan, gb, plan)
nlines = out.count(b"\n")
check(st == 2 and nlines == 2 and err == f"planparse: {gb}: {missing}\n",
      f"no ICU: the batch goes on past the GB18030 file (status {st}, {nlines} lines, {err!r})")
st, out, err = faulty("icu-missing", "diff", plan, plan)
equal((st, out, err), (2, b"", f"planparse: {missing}\n"), "no ICU: diff fails with status 2")
st, out, err = faulty("icu-missing", "--simplify", plan)
equal((st, out, err), (2, b"", f"planparse: {plan}: {missing}\n"), "no ICU: --simplify fails with status 2")
st, out, err = faulty("icu-nomem", gb)
equal((st, out, err), (4, b"", f"planparse: {gb}: out of memory\n"), "the loader out of memory: status 4")

# Interrupted while writing -o DIR: the temporary file goes with the run,
# which dies of the signal; a signal the caller ignores (nohup) stays
# ignored.
import signal as sg  # noqa: E402
import time  # noqa: E402


def interrupted(sig, jobs, ignore=None):
    outdir = os.path.join(tmp, f"killed-{sig}-{jobs}")
    env = dict(os.environ, LD_PRELOAD=shim, PP_FAULT="write-stall")
    pre = (lambda: sg.signal(ignore, sg.SIG_IGN)) if ignore else None
    p = subprocess.Popen([PLANPARSE, "-q", "-j", str(jobs), "-o", outdir, plan, gb], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=pre)
    seen = []
    for _ in range(200):
        seen = [f for f in os.listdir(outdir)] if os.path.isdir(outdir) else []
        if any(f.startswith(".") for f in seen):
            break
        time.sleep(0.05)
    if ignore:
        p.send_signal(ignore)
        time.sleep(0.3)
        check(p.poll() is None, f"{ignore.name} ignored by the caller stays ignored")
    p.send_signal(sig)
    try:
        p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    left = os.listdir(outdir) if os.path.isdir(outdir) else []
    return [f for f in seen if f.startswith(".")], p.returncode, left


for sig, jobs in ((sg.SIGINT, 1), (sg.SIGTERM, 2), (sg.SIGHUP, 1)):
    temps, st, left = interrupted(sig, jobs)
    check(len(temps) >= 1, f"-j {jobs}: a temporary file was being written when {sig.name} came ({temps})")
    equal((st, left), (-sig, []), f"-j {jobs}, {sig.name} mid-file: dies of it, no temporary file left")
temps, st, left = interrupted(sg.SIGTERM, 1, ignore=sg.SIGINT)
equal((st, left), (-sg.SIGTERM, []), "SIGINT ignored, then SIGTERM: no temporary file left")

# A signal the caller blocks stays blocked: the run is not cut short.
copies = os.path.join(tmp, "copies")
os.mkdir(copies)
for k in range(200):
    shutil.copy(plan, os.path.join(copies, f"{k}.txt"))
outdir = os.path.join(tmp, "blocked")
p = subprocess.Popen([PLANPARSE, "-q", "-j", "1", "-o", outdir,
                      *sorted(os.path.join(copies, f) for f in os.listdir(copies))],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                     preexec_fn=lambda: sg.pthread_sigmask(sg.SIG_BLOCK, {sg.SIGTERM}))
time.sleep(0.05)
p.send_signal(sg.SIGTERM)
p.wait(timeout=60)
equal((p.returncode, len(os.listdir(outdir))), (0, 200), "SIGTERM blocked by the caller: the run goes on")

# stdout closed outright.
p = subprocess.run([PLANPARSE, plan], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   preexec_fn=lambda: os.close(1))
equal((p.returncode, p.stderr.decode()), (2, "planparse: write error: Bad file descriptor\n"),
      "stdout closed: status 2, one line")

done("faults")
