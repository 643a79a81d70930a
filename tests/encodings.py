"""Every sample read in the encodings and spellings plans arrive in gives
the same tree as the UTF-8 original; binary data is refused."""
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import SAMPLES, check, done, equal, run, scratch, tree  # noqa: E402

tmp = scratch("pp-enc-")


def write(name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def shape(t, simplify_titles=True):
    """Kinds, numbers, titles and field names, depth first."""
    out, stack = [], list(t["children"])
    while stack:
        n = stack.pop(0)
        out.append((n["kind"], n["number"], n["title"] if simplify_titles else None,
                    sorted(n["fields"]), [len(v) for v in n["fields"].values()]))
        stack[:0] = n["children"]
    return out


uconv = shutil.which("uconv")
check(uconv is not None, "uconv (icu-devtools) is installed to make traditional copies")

for name in sorted(os.listdir(SAMPLES)):
    path = os.path.join(SAMPLES, name)
    base = tree(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    variants = [("gb18030", text.encode("gb18030"), "GB18030"),
                ("utf16le", b"\xff\xfe" + text.encode("utf-16-le"), "UTF-16LE"),
                ("utf16be", b"\xfe\xff" + text.encode("utf-16-be"), "UTF-16BE"),
                ("utf32le", b"\xff\xfe\x00\x00" + text.encode("utf-32-le"), "UTF-32LE"),
                ("bomcrlf", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), "UTF-8"),
                ("cr", text.replace("\n", "\r").encode(), "UTF-8")]
    for tag, blob, enc in variants:
        t = tree(write(f"{tag}-{name}", blob))
        equal(t["encoding"], enc, f"{name} as {tag}: encoding named")
        check(shape(t) == shape(base), f"{name} as {tag}: same tree as the original")
        equal(t["meta"], base["meta"], f"{name} as {tag}: same meta")
        check("\ufeff" not in json.dumps(t, ensure_ascii=False), f"{name} as {tag}: no BOM in the output")

    # A traditional-character copy: matching sees through it, output keeps
    # it, and --simplify gives back the original's titles.
    if uconv:
        trad = subprocess.run([uconv, "-f", "utf-8", "-t", "utf-8", "-x", "Simplified-Traditional", path],
                              capture_output=True, check=True).stdout
        tpath = write(f"trad-{name}", trad)
        t = tree(tpath)
        check(shape(t, False) == shape(base, False), f"{name} in traditional characters: same structure")
        st = tree(tpath, "--simplify")
        equal(shape(st), shape(base), f"{name} in traditional characters, --simplify: same titles")
        equal(st["meta"], base["meta"], f"{name} in traditional characters, --simplify: same meta")

# The two named cases, spelled out.
if uconv:
    t = tree(os.path.join(tmp, "trad-wafangdian-2023.txt"))
    items = [n for s in t["children"] for n in s["children"]]
    equal((len(t["children"]), len(items)), (6, 24), "traditional wafangdian: 6 sections, 24 items")
    equal(t["meta"]["title"], "瓦房店市教育局2023年工作要點", "output keeps the document's characters")
    with open(os.path.join(tmp, "trad-jinfeng-2023.txt"), encoding="utf-8") as f:
        check("責任領導" in f.read(), "the traditional jinfeng copy spells 責任領導")
    t = tree(os.path.join(tmp, "trad-jinfeng-2023.txt"))
    items = [n for s in t["children"] for n in s["children"]]
    check(all("责任领导" in n["fields"] for n in items), "責任領導 is the 责任领导 field")

# Binary data: NUL bytes, random bytes.
rng = random.Random(2023)
for tag, blob in [("random", bytes(rng.getrandbits(8) for _ in range(2 << 20))),
                  ("zeros", b"\0" * 4096), ("elf", b"\x7fELF\x02\x01\x01" + b"\0" * 100 + b"text" * 50)]:
    p = write(tag + ".bin", blob)
    st, out, err = run(p)
    equal((st, err, out), (1, f"planparse: {p}: not a text document\n", b""), f"{tag} bytes refused")

done("encodings")
