"""Alignment quality against answer keys read by hand (tests/keys/*.yaml):
precision (a pair is right when the key calls it certain or acceptable) and
recall (of the certain pairs).  The matcher was tuned on xinzhou-suizhou;
wafangdian-jinfeng is held out."""
import glob
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import SAMPLES, check, done, equal, run  # noqa: E402

KEYS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keys")
verbose = "-v" in sys.argv

for key_path in sorted(glob.glob(os.path.join(KEYS, "*.yaml"))):
    with open(key_path, encoding="utf-8") as f:
        key = yaml.safe_load(f)
    st, out, err = run("diff", "--format", "json", os.path.join(SAMPLES, key["a"]),
                       os.path.join(SAMPLES, key["b"]))
    equal((st, err), (0, ""), f"{key['a']} vs {key['b']}: diff runs")
    report = json.loads(out)
    got = {(p["a"]["number"], p["b"]["number"]) for p in report["pairs"]}
    certain = {tuple(p) for p in key["certain"]}
    acceptable = certain | {tuple(p) for p in key.get("acceptable", [])}
    right = got & acceptable
    precision = len(right) / len(got) if got else 0
    recall = len(got & certain) / len(certain)
    name = os.path.basename(key_path)[:-5]
    print(f"{name}: precision {precision:.2f} ({len(right)}/{len(got)}), "
          f"recall {recall:.2f} ({len(got & certain)}/{len(certain)})")
    if verbose:
        print("  wrong:", sorted(got - acceptable))
        print("  missed:", sorted(certain - got))
    check(precision >= 0.90, f"{name}: precision {precision:.2f} >= 0.90")
    check(recall >= 0.80, f"{name}: recall {recall:.2f} >= 0.80")
    # The report accounts for every item of both plans once.
    for side in ("a", "b"):
        t = json.loads(run("--format", "json", os.path.join(SAMPLES, key[side]))[1])
        items = sorted(n["number"] for s in t["children"] for n in s["children"])
        listed = sorted([p[side]["number"] for p in report["pairs"]] + [u["number"] for u in report["only_" + side]])
        equal(listed, items, f"{name}: every item of {side} paired or listed alone, once")
    check(all(0 <= p["score"] <= 1 for p in report["pairs"]), f"{name}: scores in [0, 1]")

done("alignment")
