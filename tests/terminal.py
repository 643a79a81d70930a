"""diff and compare in a real terminal (tmux): the view takes the
terminal's width, colours its marks, and honours NO_COLOR."""
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import time
import tty

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import PLANPARSE, SAMPLES, check, done, equal  # noqa: E402

tmux = shutil.which("tmux")
check(tmux is not None, "tmux is installed")
if not tmux:
    done("terminal")

sock = f"pp-test-{os.getpid()}"
xinzhou = os.path.join(SAMPLES, "xinzhou-2023.txt")
wafangdian = os.path.join(SAMPLES, "wafangdian-2023.txt")


def screen(cmd, cols=100, rows=50, env=""):
    """Runs cmd in a fresh tmux window of cols x rows; returns the first
    screen as tmux shows it, escapes included."""
    subprocess.run([tmux, "-L", sock, "kill-server"], capture_output=True)
    shell = f"{env} LANG=C.UTF-8 {cmd}; echo __done__; sleep 30"
    subprocess.run([tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", str(cols),
                    "-y", str(rows), "sh", "-c", shell], check=True)
    text = ""
    for _ in range(100):
        text = subprocess.run([tmux, "-L", sock, "capture-pane", "-p", "-e", "-S", "0"],
                              capture_output=True, text=True).stdout
        if "__done__" in text:
            break
        time.sleep(0.1)
    subprocess.run([tmux, "-L", sock, "kill-server"], capture_output=True)
    return text


view = screen(f"{PLANPARSE} diff {xinzhou} {wafangdian} | head -40", env="")
# Through a pipe there is no terminal: no colour, width 80 by default.
check("\x1b[1;31m" not in view, "piped: no colour")
rule = [l for l in view.split("\n") if l.startswith("---")]
check(rule and len(rule[0]) == 80, f"piped: 80 columns ({len(rule[0]) if rule else None})")

view = screen(f"{PLANPARSE} diff {xinzhou} {wafangdian}", cols=120, rows=60)
check("\x1b[1;31m" in view or "\x1b[31;1m" in view or "\x1b[1m\x1b[31m" in view,
      "on a terminal: marks in colour")
rule = [l for l in view.split("\n") if l.startswith("---")]
check(rule and len(rule[0].rstrip()) == 120, "on a terminal: the terminal's width (120)")
check("[-" not in view, "on a terminal: colour instead of text marks")

view = screen(f"{PLANPARSE} diff {xinzhou} {wafangdian}", cols=120, rows=60, env="NO_COLOR=1")
check("\x1b[1;31m" not in view and "[-" in view, "NO_COLOR=1: text marks, no colour")

# ---- the progress line of a batch ------------------------------------------
def watch(cmd, cols):
    """Runs cmd in a tmux window cols wide; returns every progress line seen
    while it ran and the screen at its end."""
    subprocess.run([tmux, "-L", sock, "kill-server"], capture_output=True)
    shell = f"LANG=C.UTF-8 {cmd}; echo __done__; sleep 30"
    subprocess.run([tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", str(cols),
                    "-y", "30", "sh", "-c", shell], check=True)
    seen, text = set(), ""
    for _ in range(3000):  # sanitizer builds run slower
        text = subprocess.run([tmux, "-L", sock, "capture-pane", "-p", "-J", "-S", "0"],
                              capture_output=True, text=True).stdout
        seen.update(l for l in text.split("\n") if "files" in l and "/" in l)
        if "__done__" in text:
            break
        time.sleep(0.05)
    subprocess.run([tmux, "-L", sock, "kill-server"], capture_output=True)
    return seen, text


samples = " ".join(os.path.join(SAMPLES, f) for f in sorted(os.listdir(SAMPLES)))
listing = os.path.join(tempfile.mkdtemp(prefix="pp-terminal-"), "many.lst")
# 5,000 plans take a second or more, even with -j 2; under the sanitizers
# a fifth of them do.
with open(listing, "w") as f:
    f.write("\n".join(samples.split() * (200 if os.environ.get("PP_SANITIZED") else 1000)) + "\n")
batch = f"--files-from {listing}"
seen, end = watch(f"{PLANPARSE} -j 1 {batch} > /dev/null", 100)
check(any("files/s" in l and "ETA" in l and l.startswith("[#") for l in seen),
      f"a long batch shows its progress: bar, count, rate, time left ({sorted(seen)[:2]})")
check(all(len(l) < 100 for l in seen), "the progress line fits the terminal")
check(not any("files" in l for l in end.split("\n")), "the progress line is cleared at the end")
seen, end = watch(f"{PLANPARSE} -j 2 {batch} > /dev/null", 40)
check(seen and all(len(l) < 40 for l in seen),
      f"a narrow terminal: the line is cut to fit, never wraps ({sorted(seen)[:2]})")
seen, end = watch(f"{PLANPARSE} -j 2 -q -f jsonl {batch} > /dev/null", 100)
equal(seen, set(), "-q: no progress line")


def stderr_bytes(*args, same=False):
    """Every byte planparse writes to a terminal on its stderr (a pty),
    stdout going to /dev/null or, with same, to that terminal too: a line
    drawn and cleared at once shows here, where a screenshot would miss
    it."""
    master, slave = pty.openpty()
    tty.setraw(slave)  # bytes as written: no line discipline to slow a flood
    p = subprocess.Popen([PLANPARSE, *args], stdout=slave if same else subprocess.DEVNULL,
                         stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 20)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    p.wait()
    os.close(master)
    return p.returncode, b"".join(chunks)


tiny = os.path.join(os.path.dirname(listing), "tiny.txt")
with open(tiny, "w") as f:  # milliseconds in any build, under any load
    f.write("工作要点\n\n一、总体要求\n1.加强党建。\n")
st, raw = stderr_bytes("-j", "2", "-f", "jsonl", tiny, tiny)
equal((st, raw), (0, b""), "a batch of well under half a second: not a byte of progress")
st, raw = stderr_bytes("-j", "2", "-f", "jsonl", "--files-from", listing)
check(st == 0 and b"files/s" in raw and raw.endswith(b"\r\x1b[K"),
      f"a long batch, seen byte for byte: drawn, then cleared ({raw[-40:]!r})")
# One long plan (50 MB: over a second in any build), then a short one,
# with -j 1: the line is drawn while the long one is converted (0 of 2
# done), not only between files.
long_plan = os.path.join(os.path.dirname(listing), "long.txt")
with open(long_plan, "wb") as f:
    whole = b"".join(open(p, "rb").read() for p in samples.split())
    f.write(whole * 600)
st, raw = stderr_bytes("-j", "1", long_plan, samples.split()[0])
check(st == 0 and b" 0/2 files" in raw, f"-j 1: the line moves during a long file ({raw[:60]!r})")
st, raw = stderr_bytes("-j", "1", "-f", "csv", "--files-from", listing, same=True)
check(st == 0 and raw.startswith(b"source,") and b"files/s" not in raw and b"\r[" not in raw,
      "output on the same terminal: no progress line breaks into it")

shutil.rmtree(os.path.dirname(listing), ignore_errors=True)
done("terminal")
