"""Batch conversion: streams of many documents, one file per input,
lists of files, parallel jobs in input order, bad files amid good ones,
and tables for spreadsheets."""
import csv
import io
import json
import os
import shutil
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import SAMPLES, check, done, equal, run, scratch  # noqa: E402

tmp = scratch("pp-batch-")
samples = sorted(os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES))
names = [os.path.basename(s) for s in samples]

# ---- streams --------------------------------------------------------------
st, out, err = run("--format", "jsonl", *samples)
lines = out.decode().split("\n")
equal((st, err, lines[-1]), (0, "", ""), "jsonl: ends with a newline, no error")
docs = [json.loads(l) for l in lines[:-1]]
equal([os.path.basename(d["source"]) for d in docs], names, "jsonl: one object per line, in input order")
st, out, err = run("--format", "json", samples[0])
check(json.loads(out) == docs[0], "jsonl and json give the same tree")
st, out, err = run(*samples)
ydocs = list(yaml.load_all(out, Loader=yaml.CSafeLoader))
equal([os.path.basename(d["source"]) for d in ydocs], names, "yaml: one document per input")

# Parallel jobs change nothing in the output, byte for byte.
many = samples * 8
outs = {j: run("--format", "jsonl", "-j", str(j), *many)[1] for j in (1, 2, 7)}
check(outs[1] == outs[2] == outs[7] and outs[1].count(b"\n") == len(many), "-j 1, 2 and 7: same output")

# ---- lists of files ------------------------------------------------------
for sep, tag in ((b"\0", "NUL"), (b"\n", "newline"), (b"\r\n", "CRLF")):
    listed = sep.join(s.encode() for s in samples) + sep
    st, out, err = run("--format", "jsonl", "--files-from", "-", stdin=listed)
    equal((st, [os.path.basename(json.loads(l)["source"]) for l in out.decode().splitlines()]),
          (0, names), f"--files-from - with {tag}-separated names")
lst = os.path.join(tmp, "list.txt")
with open(lst, "w") as f:
    f.write("\n".join(samples[:2]) + "\n")
st, out, err = run("--format", "jsonl", "--files-from", lst, samples[2])
equal([os.path.basename(json.loads(l)["source"]) for l in out.decode().splitlines()],
      [names[2], names[0], names[1]], "--files-from FILE after the named files")
lst2 = os.path.join(tmp, "list2.txt")
with open(lst2, "w") as f:
    f.write(samples[3] + "\n")
st, out, err = run("--format", "jsonl", "--files-from", lst, "--files-from", lst2)
equal((st, [os.path.basename(json.loads(l)["source"]) for l in out.decode().splitlines()]),
      (0, [names[0], names[1], names[3]]), "--files-from twice: both lists, in order")
# An empty list is nothing to do: standard input is not read instead.
empty = os.path.join(tmp, "empty.lst")
open(empty, "w").close()
st, out, err = run("--format", "jsonl", "--files-from", empty, stdin=open(samples[0], "rb").read())
equal((st, out, err), (0, b"", ""), "an empty --files-from list converts nothing, reads no stdin")
st, out, err = run("--format", "jsonl", "--files-from", "-", stdin=b"")
equal((st, out, err), (0, b"", ""), "an empty list on stdin converts nothing")
stdin_twice = ("planparse: standard input can be read once: as one plan or as one list of files\n"
               "Try 'planparse --help' for more information.\n")
st, out, err = run("--files-from", "-", "-", stdin=samples[0].encode() + b"\n")
equal((st, out, err), (2, b"", stdin_twice), "--files-from - with - as a plan: usage error")
st, out, err = run("--files-from", "-", "--files-from", "-", stdin=b"")
equal((st, out, err), (2, b"", stdin_twice), "--files-from - twice: usage error")
st, out, err = run("--files-from", "-", stdin=b"-\n")
equal((st, out, err), (2, b"", stdin_twice), "a list on stdin naming - : usage error")
dash_twice = os.path.join(tmp, "dashes.lst")
with open(dash_twice, "w") as f:
    f.write("-\n-\n")
st, out, err = run("--files-from", dash_twice, stdin=b"")
equal((st, out, err), (2, b"", stdin_twice), "a list naming - twice: usage error")
dash_once = os.path.join(tmp, "dash.lst")
with open(dash_once, "w") as f:
    f.write("-\n")
st, out, err = run("-f", "jsonl", "--files-from", dash_once, stdin=open(samples[0], "rb").read())
equal((st, json.loads(out)["source"], err), (0, "-", ""), "a list naming - once reads the plan on stdin")

# ---- a bad file does not stop the batch ----------------------------------
binary = os.path.join(tmp, "binary.txt")
with open(binary, "wb") as f:
    f.write(b"\0\1\2" * 100)
st, out, err = run("--format", "jsonl", samples[0], os.path.join(tmp, "missing.txt"), binary, samples[1])
equal([os.path.basename(json.loads(l)["source"]) for l in out.decode().splitlines()], names[:2],
      "the good files around the bad ones are converted")
equal(err.splitlines(), [f"planparse: {tmp}/missing.txt: No such file or directory",
                         f"planparse: {binary}: not a text document"], "each bad file: one line, in order")
equal(st, 2, "the status is the worst of the files'")
check("files/s" not in err, "no progress line when stderr is not a terminal")

# ---- one file per input --------------------------------------------------
outdir = os.path.join(tmp, "out", "nested")
st, out, err = run("-o", outdir, "--format", "json", *samples)
equal((st, out, err), (0, b"", ""), "-o: quiet, nothing on stdout")
equal(sorted(os.listdir(outdir)), sorted(n.replace(".txt", ".json") for n in names),
      "-o: DIR/NAME.json per input, DIR created, no temporary files left")
with open(os.path.join(outdir, "xinzhou-2023.json"), encoding="utf-8") as f:
    check(len(json.load(f)["children"]) == 7, "-o: the file holds the tree")
st, out, err = run("-o", outdir, *samples[:1])
check(os.path.exists(os.path.join(outdir, names[0].replace(".txt", ".yaml"))), "-o: .yaml for YAML")
# Never over an input, nor over another input's output.
clash = os.path.join(tmp, "clash")
os.makedirs(os.path.join(clash, "b"))
shutil.copy(samples[0], os.path.join(clash, "x.yaml"))
shutil.copy(samples[1], os.path.join(clash, "b", "x.txt"))
st, out, err = run("-o", clash, os.path.join(clash, "x.yaml"))
equal((st, err.splitlines()[:1]), (2, [f"planparse: {clash}/x.yaml: output {clash}/x.yaml would overwrite an "
                                       "input or another input's output"]), "-o: an input is never overwritten")
with open(os.path.join(clash, "x.yaml"), encoding="utf-8") as f, open(samples[0], encoding="utf-8") as g:
    check(f.read() == g.read(), "-o: the input is intact")
st, out, err = run("-o", os.path.join(tmp, "o2"), samples[0], os.path.join(clash, "b", "x.txt"),
                   os.path.join(clash, "x.yaml"))
equal(st, 2, "-o: two inputs with one output name: an error for the second")
for jobs in ("1", "2"):  # the same verdicts whichever worker gets there first
    o3 = os.path.join(tmp, "o3-" + jobs)
    st, out, err = run("-j", jobs, "-o", o3, samples[0], os.path.join(clash, "b", "x.txt"),
                       os.path.join(clash, "x.yaml"))
    equal((st, err.splitlines()), (2, [f"planparse: {clash}/x.yaml: output {o3}/x.yaml would overwrite an "
                                       "input or another input's output"]), f"-o -j {jobs}: the later input errs")
    with open(os.path.join(o3, "x.yaml"), encoding="utf-8") as f:
        equal(yaml.safe_load(f)["source"], os.path.join(clash, "b", "x.txt"), f"-o -j {jobs}: the first input's output")

# ---- tables ---------------------------------------------------------------
st, out, err = run("--format", "csv", *samples)
rows = list(csv.reader(io.StringIO(out.decode())))
equal(rows[0], ["source", "region", "section_label", "section_title", "item_label", "item_title", "fields"],
      "csv header, once")
items = sum(sum(1 for _ in csv.reader(io.StringIO(run("--format", "csv", s)[1].decode()))) - 1 for s in samples)
equal(len(rows) - 1, items, "csv: a row per work unit of every plan")
jin = [r for r in rows if r[0].endswith("jinfeng-2023.txt")]
equal(len(jin), 17, "csv: jinfeng's 17 items")
equal(jin[7][1:7], ["金凤区", "三", "坚持对标需求、资源优化，推动基础教育服务水平提升", "8",
                    "全力推进学前教育普及普惠县（区）创建",
                    "责任领导: 崔茜; 责任单位: 学前室、基建室、条装室、财务室、督导室、教研室、办公室、各幼儿园"],
      "csv: jinfeng item 8, its section and fields")
lv = [r for r in rows if r[0].endswith("lvliang-2022.txt")]
equal((len(lv), lv[0][2], lv[0][5]), (10, "", "加强党对教育事业的全面领导"), "csv: lvliang's sections as units")
st, out, err = run("--format", "tsv", samples[0])
check(all(l.count("\t") == 6 for l in out.decode().splitlines()), "tsv: seven columns on every line")

done("batch")
