"""Shared helpers for the planparse test scripts: run the CLI, load its
output as JSON and as YAML (through libyaml), and check the invariants
every tree must hold."""
import json
import os
import shutil
import subprocess
import tempfile
import sys

import yaml

PLANPARSE = os.environ.get("PLANPARSE", "planparse")
# e.g. "valgrind -q --error-exitcode=99 --leak-check=full": every run goes
# through it, so the memory checker sees the whole suite.
WRAPPER = os.environ.get("PLANPARSE_WRAPPER", "").split()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")

failures = 0
checks = 0


def run(*args, stdin=None, env=None):
    """Runs planparse; returns (status, stdout bytes, stderr text)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([*WRAPPER, PLANPARSE, *args], input=stdin, capture_output=True,
                       env=e, timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what)


def equal(got, want, what):
    check(got == want, f"{what}: got {got!r}, want {want!r}")


def tree(path, *opts):
    """The JSON tree of a sample, after checking that YAML says the same."""
    st, out, err = run("--format", "json", *opts, path)
    equal(st, 0, f"{path}: exit status ({err.strip()})")
    j = json.loads(out)
    st, yout, err = run(*opts, path)
    equal(st, 0, f"{path}: yaml exit status ({err.strip()})")
    y = yaml.load(yout, Loader=yaml.CSafeLoader)
    check(y == j, f"{path}: YAML and JSON outputs load to the same data")
    return j


def nodes(t):
    """Every node, depth first."""
    stack = list(reversed(t["children"]))
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n["children"]))


def of_kind(t, kind):
    return [n for n in nodes(t) if n["kind"] == kind]


def check_coverage(path, t):
    """Every non-blank input line is removed, or lies in exactly one of
    meta, a preamble paragraph, a top-level node, an appendix article; and
    children lie inside their parents, disjoint from their siblings."""
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    spans = []
    if "lines" in t["meta"]:
        spans.append(("meta", t["meta"]["lines"]))
    if "signature" in t["meta"]:
        spans.append(("meta", t["meta"]["signature"]))
    spans += [("preamble", p["lines"]) for p in t["preamble"]]
    spans += [("node", n["lines"]) for n in t["children"]]
    spans += [("appendix", a["lines"]) for a in t["appendix"]]
    removed = {r["line"] for r in t["removed"]
               if r["text"].strip() == lines[r["line"] - 1].strip(" \t\u3000\u00a0")}
    for no, line in enumerate(lines, 1):
        if not line.strip(" \t\u3000\u00a0\ufeff"):
            continue
        homes = [k for k, (a, b) in spans if a <= no <= b]
        if no in removed:
            equal(homes, [], f"{path}:{no}: a removed line lies in no span")
        else:
            equal(len(homes), 1, f"{path}:{no}: the line lies in exactly one span {homes}")
    stack = [(None, n) for n in t["children"]]
    while stack:
        parent, n = stack.pop()
        a, b = n["lines"]
        check(a <= b, f"{path}: node {n['label']} lines ordered")
        if parent:
            pa, pb = parent["lines"]
            check(pa <= a and b <= pb, f"{path}: node {n['label']} inside its parent")
        prev = None
        for c in n["children"]:
            if prev:
                check(prev["lines"][1] < c["lines"][0], f"{path}: siblings disjoint")
            prev = c
            stack.append((n, c))


_scratch = []


def scratch(prefix):
    """A temporary directory, removed when the suite is done."""
    d = tempfile.mkdtemp(prefix=prefix)
    _scratch.append(d)
    return d


def done(name):
    for d in _scratch:
        shutil.rmtree(d, ignore_errors=True)
    print(f"{name}: {checks - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)
