"""Line grammar: what cn-plan takes for a heading, and what it must not."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import check, done, equal, of_kind, tree  # noqa: E402


def parse(text, *opts):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(text)
    try:
        return tree(f.name, *opts)
    finally:
        os.unlink(f.name)


HEAD = "一、总体要求\n\n"

# Items in every spelling a plan uses.
for line, label, number in [("1.加强党建。", "1", 1), ("1. 加强党建。", "1", 1),
                            ("1、加强党建。", "1", 1), ("1．加强党建。", "1", 1),
                            ("１２．加强党建。", "１２", 12), ("\u3000\u30003.加强党建。", "3", 3),
                            ("**4. 加强党建。**正文。", "4", 4), ("12 、加强党建。", "12", 12)]:
    t = parse(HEAD + line + "\n")
    items = of_kind(t, "item")
    equal([(i["label"], i["number"], i["title"]) for i in items], [(label, number, "加强党建")],
          f"item spelled {line!r}")

# Lines that start with digits but are no items.
for line in ["2023 年工作要点", "2023年，全市教育工作要聚焦重点。", "3月底前完成摸底。",
             "1+X证书制度试点持续推进。", "90%以上的学校完成达标。", "1.5万名教师参加培训。",
             "2023.3.15召开会议。", "12345热线服务能力提升。"]:
    t = parse(HEAD + line + "\n")
    equal(of_kind(t, "item"), [], f"no item in {line!r}")
    equal(t["children"][0]["text"], line, f"{line!r} stays body text")

# Sections and the levels below them.
t = parse("一、坚持党建引领\n（一）加强政治建设\n1.学习。内容。\n（1）细化。\n①第一点。\n②第二点。\n"
          "（二）强化组织建设\n十二、最后一节\n")
equal([(n["kind"], n["label"], n["number"]) for n in
       [t["children"][0], t["children"][0]["children"][0], t["children"][0]["children"][0]["children"][0]]],
      [("section", "一", 1), ("subsection", "（一）", 1), ("item", "1", 1)], "nested levels")
item = t["children"][0]["children"][0]["children"][0]
sub = item["children"][0]
equal((sub["kind"], sub["label"], sub["number"]), ("subitem", "（1）", 1), "subitem")
equal([(p["kind"], p["label"], p["number"]) for p in sub["children"]],
      [("point", "①", 1), ("point", "②", 2)], "circled points")
equal([(s["label"], s["number"]) for s in t["children"]], [("一", 1), ("十二", 12)], "十二 reads as 12")
equal(len(t["children"][0]["children"]), 2, "（二） closes （一）")
w = [x["message"] for x in t["warnings"]]
equal(len([m for m in w if "section 12" in m]), 1, f"section 12 after 1 warns: {w}")

# Spaces inside the brackets of a label.
t = parse("一、总体要求\n（ 一 ）加强党建。内容。\n（ 1 ）细化。\n")
sub = t["children"][0]["children"][0]
equal((sub["label"], sub["number"], sub["children"][0]["number"]), ("（ 一 ）", 1, 1), "（ 一 ） and （ 1 ）")

# "一以贯之" opens no section; "一是" neither.
t = parse(HEAD + "一以贯之推动党建。\n一是加强领导。\n")
equal(len(t["children"]), 1, "一以贯之 and 一是 are body text")

# Numbering checks: a gap and a repeat.
t = parse(HEAD + "1.甲。\n2.乙。\n4.丁。\n4.戊。\n")
msgs = [(x["line"], x["message"]) for x in t["warnings"]]
equal([m[0] for m in msgs], [5, 6], f"gap and repeat warned at their lines: {msgs}")
equal(len(of_kind(t, "item")), 4, "every numbered item is kept")

# Fields: names padded with spaces are one name; lists split on 、 and spaces.
t = parse(HEAD + "1.甲。\n责任领导：崔 茜 马学明\n牵头单位：市教育局、市财政局\n配合单位:各县区\n")
f = of_kind(t, "item")[0]["fields"]
equal(f, {"责任领导": ["崔茜", "马学明"], "牵头单位": ["市教育局", "市财政局"], "配合单位": ["各县区"]},
      "fields")

# Fields given inside the text, in brackets, split at semicolons.
t = parse(HEAD + "1.加强基层党组织建设。推进标准化建设。（牵头单位：组织人事科、宣传科；配合单位：各学校）\n"
          "2.扩大学前资源。新建幼儿园(责任单位:学前科)。（一）不是字段\n")
items = of_kind(t, "item")
equal([i["fields"] for i in items], [{"牵头单位": ["组织人事科", "宣传科"], "配合单位": ["各学校"]},
                                     {"责任单位": ["学前科"]}], "bracketed fields in the text")
check("（牵头单位：组织人事科、宣传科；配合单位：各学校）" in items[0]["text"], "the text keeps its brackets")

# Page-break joins: only where a sentence is cut, never after a heading.
t = parse(HEAD + "1.标题。正文在这里被分\n\n页了。\n\n2.第二。完整的句子。\n\n另一段。\n")
items = of_kind(t, "item")
equal(items[0]["text"], "正文在这里被分页了。", "a cut sentence is joined")
equal(items[1]["text"], "完整的句子。\n另一段。", "whole paragraphs stay apart")
equal([r["lines"] for r in t["repairs"]], [[3, 5]], "the join is reported")

# Values YAML would retype stay strings in both outputs.
t = parse("一、yes\n\n1.null。2023\n\n2. 2023-03-15。~\n")
items = of_kind(t, "item")
equal((t["children"][0]["title"], items[0]["title"], items[0]["text"], items[1]["title"], items[1]["text"]),
      ("yes", "null", "2023", "2023-03-15", "~"), "type-looking strings stay strings")

# Empty and whitespace-only input: an empty tree with a warning.
for text in ["", " \n\u3000\n\n"]:
    t = parse(text)
    equal((t["children"], t["preamble"]), ([], []), f"empty tree for {text!r}")
    equal(len(t["warnings"]), 1, f"one warning for {text!r}")

# A heading wrapped in bold as a whole: the bold span is the title.
t = parse("**一、加强党建**坚持党的领导。推进工作。\n")
equal((t["children"][0]["title"], t["children"][0]["text"]), ("加强党建", "坚持党的领导。推进工作。"),
      "bold span opened before the label")

# A label with nothing after it but markup is no heading; a stray ** is
# removed as markup, not kept as an empty paragraph.
t = parse(HEAD + "二、**\n\n**\n")
equal(len(t["children"]), 1, "'二、**' is no heading")
equal([(r["line"], r["reason"]) for r in t["removed"]], [(5, "markup only")], "a stray ** is removed")

# Warnings quote long fragments whole: no character is cut in two, so the
# YAML and JSON outputs stay valid (tree() loads both).
s340 = "甲乙丙丁戊己庚辛壬癸" * 34
t = parse("一、标题\n前言。" + s340 + "。\n" + s340 + "\n")
w = [x["message"] for x in t["warnings"] if "repeated fragment" in x["message"]]
equal(len(w), 1, "a 340-character repeated fragment is warned")
check(w and s340 in w[0], "the warning quotes the whole fragment")

# Titles: the last title-like line before the first heading, a bracketed
# note after it included; an issuer line above a title that starts with
# the year is joined to it.
t = parse("某市教育局2024年工作要点（征求意见稿）\n\n一、总体要求\n")
equal(t["meta"]["title"], "某市教育局2024年工作要点（征求意见稿）", "title with a bracketed note")
t = parse("岢岚县教育局\n2024年工作计划\n一、总体要求\n")
equal((t["meta"]["title"], t["meta"]["issuers"], t["meta"]["region"], t["meta"]["year"]),
      ("岢岚县教育局 2024年工作计划", ["岢岚县教育局"], "岢岚县", 2024), "title over two lines")
t = parse("关于印发2024年工作要点的通知\n一、总体要求\n")
equal(t["meta"]["title"], None, "a notice's own title is not the plan's")

# A signature block closing the plan goes to meta, not into the last text.
t = parse("岢岚县教育局2023年工作计划\n一、主要工作\n加强领导，落实责任。\n\n岢岚县教育局\n"
          "2023年1月10日\n（此件主动公开）\n")
equal((t["children"][0]["text"], t["children"][0]["lines"], t["meta"].get("signature"), t["meta"].get("date"),
       t["meta"].get("issuers"), t["meta"].get("publicity")),
      ("加强领导，落实责任。", [2, 3], [5, 7], "2023-01-10", ["岢岚县教育局"], "此件主动公开"),
      "closing signature block read into meta")
t = parse(HEAD + "1.召开会议。\n2023年3月5日\n")
equal((of_kind(t, "item")[0]["text"], "signature" in t["meta"]), ("2023年3月5日", False),
      "a date alone after the text is text")

# Web-page furniture is removed, and said so; the header's date is kept.
t = parse("当前位置：首页 > 通知公告\n发布时间：2024-03-01 09:00  浏览次数：356  【字体：大 中 小】\n"
          "某市教育局2024年工作要点\n一、总体要求\n1.加强党建。内容。\n责任编辑：张三\n")
equal([(r["line"], r["text"]) for r in t["removed"]],
      [(1, "当前位置：首页 > 通知公告"), (2, "【字体：大 中 小】"), (2, "浏览次数：356"), (6, "责任编辑：张三")],
      "breadcrumb, font control, view counter and editor credit removed")
equal((t["meta"]["published"], of_kind(t, "item")[0]["text"]), ("2024-03-01 09:00", "内容。"), "the rest stays")

# Targets: numbers with units, bound by the words around them.
t = parse(HEAD + "1.推进工作。确保覆盖率不低于90%，辍学率控制在1%以内，新建幼儿园3-5所，"
          "实施第二批试点，开展“1+X”证书试点，2023年3月完成，经费增加200万元。\n")
got = [(x["indicator"], x["value"], x["unit"], x["comparator"], x.get("range")) for x in of_kind(t, "item")[0]["targets"]]
equal(got, [("覆盖率", 90, "%", "at_least", None), ("辍学率", 1, "%", "at_most", None),
            ("新建幼儿园", 3, "所", "equals", [3, 5]), ("经费", 200, "万元", "increase_by", None)],
      "targets, and what is no target (第二批, 1+X, 2023年3月)")

# Every numbering a plan uses reads as its number.
t = parse("一百零五、节\n⑴甲。\n⑵乙。\n❶丙。\n㉑丁。\n㊱戊。\n两、节\n十、节\n二十一、节\n")
got = [(n["label"], n["number"]) for n in t["children"]]
equal(got, [("一百零五", 105), ("两", 2), ("十", 10), ("二十一", 21)], "Chinese numerals with 百, 零, 两, 十")
sub = [(n["label"], n["number"]) for n in t["children"][0]["children"]]
equal(sub[:2], [("⑴", 1), ("⑵", 2)], "parenthesised digits")
pts = [(n["label"], n["number"]) for n in t["children"][0]["children"][1]["children"]]
equal(pts, [("❶", 1), ("㉑", 21), ("㊱", 36)], "circled numbers past 20")

# A rule is skipped on lines that lack the literal text every match of it
# must contain, or that begin with a byte no match of it can begin with;
# both are read from the pattern, and must never demand what the pattern
# leaves optional, case-free, quoted or alternative.
gdir = tempfile.mkdtemp()
cases = [  # (pattern of a field, a line it must match)
    (r"^(?i)LEADER\s*:\s*(?<value>\S.*)", "leader: 甲"),      # (?i): no literal
    (r"^(?i:HEAD)\s*:\s*(?<value>\S.*)", "Head: 甲"),
    (r"^责任科?室\s*:\s*(?<value>\S.*)", "责任室：甲"),          # 科? may be absent
    (r"^联系部{0}门\s*:\s*(?<value>\S.*)", "联系门：甲"),        # {0}: absent
    (r"^经办x{2,3}\s*:\s*(?<value>\S.*)", "经办xx：甲"),        # digits of {2,3}
    (r"^(?x) 备 注 \s*:\s*(?<value>\S.*)", "备注：甲"),          # (?x): spaces ignored
    (r"^\Q[协调]\E\s*:\s*(?<value>\S.*)", "[协调]：甲"),        # \Q…\E
    (r"^督办|^督查人\s*:\s*(?<value>\S.*)", "督查人：甲"),       # alternatives
    (r"^[审核]{2}人\s*:\s*(?<value>\S.*)", "核审人：甲"),       # a class is no literal
    (r"^\x{8054}络员\s*:\s*(?<value>\S.*)", "联络员：甲"),       # an escape is no literal
    (r"^(?:甲|乙)?丙方\s*:\s*(?<value>\S.*)", "丙方：甲"),        # an optional start
    (r"^.?戊方\s*:\s*(?<value>\S.*)", "x戊方：甲"),              # any first character
    (r"^(?:\*\*)?\d?己方\s*:\s*(?<value>\S.*)", "**己方：甲"),  # markup first
]
with open(os.path.join(gdir, "lit.yaml"), "w", encoding="utf-8") as f:
    f.write("name: lit\nlevels:\n  - name: item\n    number: arabic\n    patterns:\n"
            "      - '^(?<label>\\d+)\\.(?<title>\\S.*)'\nfields:\n")
    for k, (pat, _) in enumerate(cases):
        f.write(f"  - name: f{k}\n    pattern: '{pat}'\n")
body = "1.事项。\n" + "".join(line + "\n" for _, line in cases)
t = parse(body, "--grammar", os.path.join(gdir, "lit.yaml"))
fields = of_kind(t, "item")[0].get("fields", {})
for k, (pat, line) in enumerate(cases):
    check(f"f{k}" in fields, f"{pat!r} still matches {line!r} (fields: {fields})")

done("matching")
