"""diff and compare in a real terminal (tmux): the view takes the
terminal's width, colours its marks, and honours NO_COLOR."""
import os
import shutil
import subprocess
import sys
import time

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

done("terminal")
