"""The command line: options, exit statuses, exact error lines, encodings,
grammar files, output errors."""
import json
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import PLANPARSE, SAMPLES, check, done, equal, run, scratch, tree  # noqa: E402

tmp = scratch("pp-cli-")
xinzhou = os.path.join(SAMPLES, "xinzhou-2023.txt")


def write(name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def fails(args, status, message, what, stdin=None, env=None):
    st, out, err = run(*args, stdin=stdin, env=env)
    equal(st, status, f"{what}: exit status")
    equal(err.splitlines()[:1], [message], f"{what}: error line")
    equal(out, b"", f"{what}: nothing on stdout")


# ---- help, version, usage ------------------------------------------------
st, out, err = run("--help")
equal((st, err), (0, ""), "--help exits 0 quietly")
help_text = out.decode()
for opt in ["--format", "--grammar", "--list-grammars", "--encoding", "--lossy", "--simplify", "--help",
            "--version", "--threshold", "--width", "--color", "--ambiguous-width", "diff", "compare", "--output",
            "--files-from", "--jobs", "--quiet", "jsonl", "csv", "tsv", "--themes", "--targets"]:
    check(opt in help_text, f"--help mentions {opt}")
for code in ["0  success", "1  an input", "2  usage", "3  a grammar", "4  out of memory"]:
    check(code in help_text, f"--help documents exit status '{code}'")
man_path = os.path.join(os.path.dirname(SAMPLES), "man", "planparse.1")
man = open(man_path, encoding="utf-8").read() if os.path.exists(man_path) else ""
for opt in ["format", "grammar", "list\\-grammars", "encoding", "lossy", "simplify", "help", "version",
            "PLANPARSE_GRAMMAR_PATH", "PLANPARSE_NO_JIT", "PLANPARSE_STATS", "threshold", "width", "color", "ambiguous\\-width",
            "NO_COLOR", "diff", "compare", "output", "files\\-from", "jobs", "quiet", "jsonl", "csv", "tsv", "themes", "targets"]:
    check(opt in man, f"the man page documents {opt}")
st, out, err = run("--version")
equal((st, out.decode().split()[0], err), (0, "planparse", ""), "--version")
fails(["--bogus"], 2, "planparse: unknown option '--bogus'", "unknown option")
fails(["--format", "xml", xinzhou], 2, "planparse: unknown format 'xml' (yaml, json, jsonl, csv or tsv)", "bad format")
fails(["--format"], 2, "planparse: option '--format' needs a value", "missing value")
# A value joined to a short option, or after =, as getopt programs take it.
st, joined, err = run("-fjson", "-j1", xinzhou)
st2, spaced, err2 = run("--format", "json", "--jobs", "1", xinzhou)
st3, equals, err3 = run("--format=json", "--jobs=1", xinzhou)
check(st == st2 == st3 == 0 and joined == spaced == equals and json.loads(joined)["source"] == xinzhou,
      "-fjson -j1, --format=json --jobs=1 and --format json --jobs 1 alike")
fails(["-j0", xinzhou], 2, "planparse: --jobs takes a number from 1 to 1024, not '0'", "-j0")
fails(["-fxml", xinzhou], 2, "planparse: unknown format 'xml' (yaml, json, jsonl, csv or tsv)", "-fxml")
fails(["-qj2", xinzhou], 2, "planparse: unknown option '-qj2'", "bundled options")

# ---- files ---------------------------------------------------------------
fails([os.path.join(tmp, "nope.txt")], 2, f"planparse: {tmp}/nope.txt: No such file or directory",
      "missing file")
fails([SAMPLES], 2, f"planparse: {SAMPLES}: is a directory", "directory")
empty = write("empty.txt", "")
st, out, err = run("--format", "json", empty)
equal((st, err), (0, ""), "empty file is no error")
t = json.loads(out)
equal((t["children"], len(t["warnings"])), ([], 1), "empty file: empty tree and a warning")
blank = write("blank.txt", "  \n\u3000\u3000\n\t\n")
t = tree(blank)
equal((t["children"], [w["message"] for w in t["warnings"]]), ([], ["empty document: no text found"]),
      "whitespace-only file")

# stdin, as "-" and by default
with open(xinzhou, "rb") as f:
    data = f.read()
for args in (["-f", "json"], ["-f", "json", "-"]):
    st, out, err = run(*args, stdin=data)
    t = json.loads(out)
    equal((st, t["source"], len(t["children"])), (0, "-", 7), f"stdin with {args}")

# several files: one YAML document each; a bad one does not stop the rest
st, out, err = run(xinzhou, os.path.join(tmp, "nope.txt"), os.path.join(SAMPLES, "jinfeng-2023.txt"))
import yaml  # noqa: E402
docs = list(yaml.load_all(out, Loader=yaml.CSafeLoader))
equal((st, [d["source"].split("/")[-1] for d in docs]), (2, ["xinzhou-2023.txt", "jinfeng-2023.txt"]),
      "several files, one missing")

# ---- encodings -----------------------------------------------------------
bad = write("bad.txt", "一、甲\n".encode() + b"\xff\xfe\xfd")
fails([bad], 1, f"planparse: {bad}:2: invalid UTF-8 byte sequence at offset 10", "invalid UTF-8")
badgb = write("badgb.txt", "一、甲\n乙\n".encode("gb18030") + b"\x81\x20")
fails([badgb], 1, f"planparse: {badgb}:3: invalid GB18030 byte sequence at offset 10", "invalid GB18030")
st, out, err = run("-f", "json", "--lossy", bad)
t = json.loads(out)
equal((st, [w["message"] for w in t["warnings"]][:1]),
      (0, ["3 invalid byte sequences replaced by U+FFFD"]), "--lossy")
nul = write("nul.bin", b"\x00\x01\x02binary\x00" * 100)
fails([nul], 1, f"planparse: {nul}: not a text document", "NUL bytes")
odd = write("odd.txt", b"\xff\xfe" + "一、甲\n".encode("utf-16-le") + b"\x41")
fails([odd], 1, f"planparse: {odd}:2: truncated UTF-16LE input: 11 bytes is not a whole number of code units",
      "odd-length UTF-16")
fails(["--encoding", "nonesuch", xinzhou], 2, f"planparse: {xinzhou}: unknown encoding 'nonesuch'",
      "unknown encoding")
t = tree(write("forced.txt", data.decode("utf-8").encode("gb18030")), "--encoding", "GB18030")
equal(t["encoding"], "GB18030", "--encoding GB18030")

# ---- grammars ------------------------------------------------------------
st, out, err = run("--list-grammars")
equal(st, 0, "--list-grammars")
check("cn-plan" in out.decode() and "markdown-plan" in out.decode(), "both grammars listed")
t = tree(xinzhou, "--grammar", "markdown-plan")
equal(t["grammar"], "markdown-plan", "--grammar by name")
fails(["--grammar", "nonesuch", xinzhou], 3, "planparse: unknown grammar 'nonesuch' (see --list-grammars)",
      "unknown grammar")

gdir = os.path.join(tmp, "grammars")
os.mkdir(gdir)
with open(os.path.join(gdir, "my-plan.yaml"), "w", encoding="utf-8") as f:
    f.write("name: my-plan\ndescription: 第N条 rules\nlevels:\n  - name: article\n    number: chinese\n"
            "    patterns:\n      - '^(?<label>第(?<num>[一二三四五六七八九十]+)条)\\s*(?<title>\\S.*)$'\n")
rules = write("rules.txt", "第一条 总则。\n\n第二条 范围。\n")
st, out, err = run("-f", "json", rules, env={"PLANPARSE_GRAMMAR_PATH": gdir})
t = json.loads(out)
equal((st, t["grammar"], [(n["kind"], n["label"], n["number"]) for n in t["children"]]),
      (0, "my-plan", [("article", "第一条", 1), ("article", "第二条", 2)]),
      "PLANPARSE_GRAMMAR_PATH adds a grammar, chosen by score")
st, out, err = run("-f", "json", "--grammar", os.path.join(gdir, "my-plan.yaml"), rules)
equal((st, json.loads(out)["grammar"]), (0, "my-plan"), "--grammar FILE")


def bad_grammar(name, body, message, what):
    g = write(name, body)
    fails(["--grammar", g, xinzhou], 3, message.replace("G", g, 1), what)


head = "name: x\nlevels:\n  - name: item\n    number: arabic\n    patterns:\n"
bad_grammar("notyaml.yaml", "name: [x\nlevels: {\n", "planparse: G:2:7: not valid YAML: did not find expected ',' or ']'",
            "grammar not YAML")
bad_grammar("regex.yaml", head + "      - '^(?<label>\\d+(?<title>.*)$'\n",
            "planparse: G:6: level item: bad pattern: missing closing parenthesis at offset 26",
            "grammar regex error")
bad_grammar("unknown.yaml", head + "      - '^(?<label>\\d+)(?<title>.*)$'\nlevles: []\n",
            "planparse: G:7: unknown key 'levles'", "grammar unknown key")
bad_grammar("dup.yaml", head + "      - '^(?<label>\\d+)(?<title>.*)$'\n  - name: item\n    number: arabic\n"
            "    patterns: ['(?<label>x)(?<title>y)']\n", "planparse: G:7: level 'item' is defined twice",
            "grammar duplicate level")
bad_grammar("alias.yaml", "a: &a [x]\nb: *a\n", "planparse: G:2: aliases are not allowed in grammar files",
            "grammar alias")
bad_grammar("deep.yaml", "x: " + "[" * 100000, "planparse: G:1: nesting deeper than 16 levels", "grammar nesting")
bad_grammar("bsc.yaml", head + "      - '^(?<label>\\C)(?<title>.*)$'\n",
            "planparse: G:6: level item: bad pattern: using \\C is disabled by the application at offset 12",
            "grammar \\C")
bad_grammar("undef.yaml", head + "      - '^(?<label>\\d+)\\.(?<title>.+)$'\nfields:\n  - name: 责任单位\n"
            "    pattern: '^责任单位:(?<value>.+)$'\n    levels: [item, itme]\n",
            "planparse: G:10: field 责任单位: undefined level 'itme'", "grammar field names an undefined level")
bad_grammar("many.yaml", "name: x\nlevels:\n" + "".join(
    f"  - {{name: l{i}, number: ordinal, patterns: ['^{i}(?<title>.+)$']}}\n" for i in range(33)),
    "planparse: G:35: more than 32 levels", "grammar with too many levels")

# A field limited to some levels goes to the innermost open node of those.
lv = write("lv.yaml", "name: lv\nlevels:\n"
           "  - {name: section, number: chinese, patterns: ['^(?<label>[一二三])、(?<title>.+)$']}\n"
           "  - {name: item, number: arabic, patterns: ['^(?<label>\\d+)\\.(?<title>.+)$']}\n"
           "fields:\n  - {name: 牵头单位, pattern: '^牵头单位:(?<value>.+)$', split: list, levels: [section]}\n"
           "  - {name: 责任人, pattern: '^责任人:(?<value>.+)$', split: names}\n")
t = tree(write("lv.txt", "一、甲\n1.乙。\n牵头单位：市教育局、市财政局\n责任人：张三\n"), "--grammar", lv)
sec = t["children"][0]
equal((sec["fields"], sec["children"][0]["fields"]),
      ({"牵头单位": ["市教育局", "市财政局"]}, {"责任人": ["张三"]}), "field levels")

slow = write("slow.yaml", head + "      - '^(?<label>(a+)+)(?<title>$)'\n")
victim = write("victim.txt", "a" * 2000 + "b\n")
fails(["--grammar", slow, victim], 3,
      f"planparse: {slow}:6: level item: pattern hit the match limit on {victim} line 1",
      "catastrophic pattern")

# User grammars may let through what cn-plan bounds: huge numbers read as
# null (with a warning), never as a wrapped-around integer.
big = write("big.yaml", head + "      - '^(?<label>\\d+)\\.\\s*(?<title>\\S.*)$'\n"
            "boilerplate:\n  - pattern: 'AD\\s+'\n    reason: advert\n"
            "title: '^.*工作要点$'\n")
bigdoc = write("big.txt", "教育局" * 40 + "2023年工作要点\n\n9223372036854775807. 甲\n\n"
               "99999999999999999999. 乙\n\n前文AD   后文结尾\n")
t = tree(bigdoc, "--grammar", big)
equal([n["number"] for n in t["children"]], [9223372036854775807, None], "huge item numbers")
equal(t["children"][1]["text"], "前文后文结尾", "part of a line removed, the rest kept whole")
equal([r["text"] for r in t["removed"]], ["AD"], "the removed part is reported")
equal(t["meta"].get("issuers"), ["教育局" * 40], "a long issuer is not cut")

# More abuse: a pattern that backtracks forever, one that tries to raise its
# own match limit, invalid UTF-8 in a pattern, wrong types.
slow2 = write("slow2.yaml", head + "      - '^(?<label>a*a*a*[bc])(?<title>x)'\n")
victim2 = write("victim2.txt", "a" * 2000 + "\n")
st, out, err = run("-f", "json", "--grammar", slow2, victim2)
equal((st, err, json.loads(out)["children"] if st == 0 else None), (0, "", []),
      "a*a*a*[bc] on 2000 a's: PCRE2 sees no b or c and answers at once; no heading")
raise_ = write("raise.yaml", head + "      - '(*LIMIT_MATCH=100000000)^(?<label>(a+)+)(?<title>$)'\n")
fails(["--grammar", raise_, victim], 3,
      f"planparse: {raise_}:6: level item: pattern hit the match limit on {victim} line 1",
      "a pattern cannot raise its own match limit")
badutf = write("badutf.yaml", head.encode() + b"      - '^(?<label>\xff)(?<title>.*)'\n")
st, out, err = run("--grammar", badutf, xinzhou)
equal((st, out), (3, b""), "invalid UTF-8 in a grammar file: status 3")
check(err.startswith(f"planparse: {badutf}:") and len(err.splitlines()) == 1, "invalid UTF-8: one line naming the file")
bad_grammar("types.yaml", "name: x\nlevels: notalist\n", "planparse: G:2: 'levels' must be a non-empty list",
            "a level list of the wrong type")
bad_grammar("types2.yaml", head + "      - [nested]\n", "planparse: G:6: level item: a pattern must be a string",
            "a pattern of the wrong type")

for name, body, msg, what in [
    ("reserved.yaml", head + "      - '^(?<label>\\d+)(?<title>.*)'\nmeta:\n  title: 'x(?<value>y)'\n",
     "planparse: G:8: meta key 'title' is reserved", "a reserved meta key"),
    ("split.yaml", head + "      - '^(?<label>\\d+)(?<title>.*)'\nfields:\n  - {name: a, pattern: '(?<value>a)', split: words}\n",
     "planparse: G:8: unknown split 'words' (none, list or names)", "an unknown split"),
    ("nopat.yaml", head + "      - '^(?<label>\\d+)(?<title>.*)'\nfields:\n  - {name: a}\n",
     "planparse: G:8: field 'a' needs a 'pattern'", "a field without a pattern"),
    ("style.yaml", "name: x\nlevels:\n  - name: item\n    number: roman\n    patterns: ['(?<label>x)(?<title>y)']\n",
     "planparse: G:4: unknown number style 'roman' (arabic, chinese, circled or ordinal)", "an unknown number style"),
    ("novalue.yaml", head + "      - '^(?<label>\\d+)(?<title>.*)'\nfields:\n  - {name: a, pattern: 'a'}\n",
     "planparse: G:8: field a: the pattern has no (?<value>...) group", "a field pattern without value"),
    ("notitle.yaml", head + "      - '^(?<label>\\d+)'\n", "planparse: G:6: level item: the pattern has no (?<title>...) group",
     "a level pattern without title"),
    ("themes-bad.yaml", "themes: [{name: x, patterns: [[1]]}]\n", "planparse: G:1: theme x: a pattern must be a string",
     "a theme pattern of the wrong type")]:
    bad_grammar(name, body, msg, what)

# A themes file of one's own, first on the path, with a pattern that needs
# a regex (so not the word automaton).
tdir = os.path.join(tmp, "themes")
os.mkdir(tdir)
with open(os.path.join(tdir, "mine.yaml"), "w", encoding="utf-8") as f:
    f.write("themes:\n  - name: 减负\n    patterns: ['双\\s*减', '作业(?:管理|负担)']\n"
            "  - name: 学前\n    patterns: [幼儿园]\n")
st, out, err = run("-f", "json", os.path.join(SAMPLES, "xinzhou-2023.txt"), env={"PLANPARSE_GRAMMAR_PATH": tdir})
t = json.loads(out)
its = {n["number"]: n["themes"] for s_ in t["children"] for n in s_["children"]}
equal((st, its[11], its[17]), (0, ["减负"], []), "a regex themes file replaces the shipped one")

# Plain words: a theme is in a text when its words occur twice without
# overlapping.  甲乙丙丁 holds 乙 and 丙丁 apart (twice) though 甲乙丙丁
# covers both; 甲乙 and 乙丙 overlap in 甲乙丙 (once).  Half-width text
# between the words (0.5%, AB) must not put the search out of step.
wdir = os.path.join(tmp, "words")
os.mkdir(wdir)
with open(os.path.join(wdir, "words.yaml"), "w", encoding="utf-8") as f:
    f.write("themes:\n  - name: T\n    patterns: [甲乙丙丁, 乙, 丙丁]\n"
            "  - name: U\n    patterns: [甲乙, 乙丙]\n  - name: V\n    patterns: [戊己]\n")
words = write("words.txt", "一、总体要求\n1.第一项。甲乙丙丁。\n2.第二项。甲乙丙。\n"
              "3.第三项。下降0.5%戊己，AB戊己。\n4.第四项。戊己。\n")
st, out, err = run("-f", "json", words, env={"PLANPARSE_GRAMMAR_PATH": wdir})
got = [n["themes"] for n in json.loads(out)["children"][0]["children"]]
equal((st, got), (0, [["T"], [], ["V"], []]), "theme words counted without overlaps, in step after ASCII")

# ---- ICU is loaded only by what uses it -----------------------------------
# The loader's own log (LD_DEBUG=files) names every library it opens; a
# wrapper such as valgrind would mix its own loading in, so unwrapped only.
def loads_icu(*args, stdin=None):
    p = subprocess.run([PLANPARSE, *args], input=stdin, capture_output=True,
                       env=dict(os.environ, LD_DEBUG="files"), timeout=60)
    return p.returncode, "libicu" in p.stderr.decode("utf-8", "replace")


jinfeng = os.path.join(SAMPLES, "jinfeng-2023.txt")
gb = write("xinzhou-gb.txt", open(xinzhou, encoding="utf-8").read().encode("gb18030"))
u16 = write("xinzhou-u16.txt", open(xinzhou, encoding="utf-8").read().encode("utf-16"))
equal(loads_icu(xinzhou), (0, False), "UTF-8 to YAML: ICU not loaded")
equal(loads_icu("-f", "jsonl", "-j", "2", xinzhou, jinfeng), (0, False), "UTF-8 batch to JSONL: ICU not loaded")
equal(loads_icu("-", stdin=open(xinzhou, "rb").read()), (0, False), "UTF-8 on stdin: ICU not loaded")
equal(loads_icu(gb), (0, True), "GB18030: ICU loaded to convert")
equal(loads_icu(u16), (0, True), "UTF-16 with BOM: ICU loaded to convert")
equal(loads_icu("--encoding", "utf8", xinzhou), (0, True), "--encoding: ICU loaded to check the name")
equal(loads_icu("--simplify", xinzhou), (0, True), "--simplify: ICU loaded to transliterate")
equal(loads_icu("diff", xinzhou, jinfeng), (0, True), "diff: ICU loaded to segment words")
# What ICU gives is what it gave when linked: the same tree from GB18030,
# UTF-16 and UTF-8, and a width-aligned diff.
equal(tree(gb)["children"], tree(xinzhou)["children"], "GB18030 through the loaded ICU: same tree")
equal(tree(u16)["children"], tree(xinzhou)["children"], "UTF-16 through the loaded ICU: same tree")
st, out, err = run("--encoding", "utf8", "-f", "json", xinzhou)
equal((st, json.loads(out)["encoding"]), (0, "UTF-8"), "--encoding utf8 is named UTF-8 (ICU's name matching)")

# ---- output errors -------------------------------------------------------
if os.path.exists("/dev/full"):
    with open("/dev/full", "wb") as full:
        p = subprocess.run([PLANPARSE, xinzhou], stdout=full, stderr=subprocess.PIPE)
    equal((p.returncode, p.stderr.decode()), (2, "planparse: write error: No space left on device\n"),
          "> /dev/full")
p = subprocess.Popen([PLANPARSE, xinzhou], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdout.read(1)
p.stdout.close()
err = p.stderr.read().decode()
p.wait()
check(p.returncode in (0, -signal.SIGPIPE), f"| head -c1: status {p.returncode}")
equal(err, "", "| head -c1 ends quietly")

done("cli")
