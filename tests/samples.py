"""What a careful reader of each sample plan knows to be true of it.

Every expectation here was read off the sample by hand (line numbers refer
to samples/*.txt); none is copied from planparse's own output."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppt import SAMPLES, check, check_coverage, done, equal, of_kind, scratch, tree  # noqa: E402


def sample(name):
    path = os.path.join(SAMPLES, name)
    t = tree(path)
    check_coverage(path, t)
    return t


def items_by_number(t):
    return {n["number"]: n for n in of_kind(t, "item")}


def joins(t):
    return [r["lines"][0] for r in t["repairs"] if r["kind"] == "join"]


# ---- xinzhou-2023: cover notice, page-break splits -----------------------
t = sample("xinzhou-2023.txt")
equal(t["grammar"], "cn-plan", "xinzhou grammar")
secs = t["children"]
equal(len(secs), 7, "xinzhou sections")
equal([s["label"] for s in secs], list("一二三四五六七"), "xinzhou section labels")
equal([s["number"] for s in secs], list(range(1, 8)), "xinzhou section numbers")
items = of_kind(t, "item")
equal([i["number"] for i in items], list(range(1, 29)), "xinzhou items 1-28 in order")
equal([i["number"] for i in secs[2]["children"]], [9, 10, 11, 12, 13], "xinzhou section 三 holds 9-13")
it = items_by_number(t)
check("党组织领导作用" in it[2]["text"], "xinzhou item 2 joined across the page break")
equal(it[2]["title"], "一以贯之推动党建质量提升", "xinzhou item 2 title (lead sentence)")
check(it[2]["text"].startswith("深入贯彻落实新时代党的组织路线"), "xinzhou item 2 text starts after the title")
equal(it[2]["lines"], [35, 37], "xinzhou item 2 lines")
equal(secs[0]["title"], "坚持党建引领，全面加强党对教育工作的领导", "xinzhou section 一 title")
equal(secs[0]["lines"], [31, 39], "xinzhou section 一 spans its items")
equal(joins(t), [35, 43, 49, 75, 95], "xinzhou joins")
check("督導體制" in it[25]["text"], "xinzhou keeps the document's own characters (督導體制)")
check("2023" in (t["meta"]["title"] or "") and "工作要点" in t["meta"]["title"], "xinzhou title")
equal(len(t["preamble"]), 1, "xinzhou preamble paragraphs")
equal(t["preamble"][0]["lines"], [29, 29], "xinzhou preamble line")
equal(t["warnings"], [], "xinzhou has nothing to warn about")
m = t["meta"]
equal((m.get("doc_number"), m.get("date"), m.get("year"), m.get("region"), m.get("publicity")),
      ("忻教发〔2023〕1号", "2023-03-15", 2023, "忻州市", "此件主动公开"), "xinzhou cover facts")
equal(m.get("issuers"), ["中共忻州市教育系统工委", "忻州市教育局"], "xinzhou issuers (signature block)")
equal(m.get("recipients"), "各县（市、区）教育科技局、五台山风景名胜区教育管理中心，局机关各科室、直属事业单位，市直各学校",
      "xinzhou recipients")

# ---- suizhou-2023: a web page ------------------------------------------
t = sample("suizhou-2023.txt")
secs = t["children"]
equal(len(secs), 6, "suizhou sections")
equal([[i["number"] for i in s["children"]] for s in secs],
      [[1, 2, 3, 4, 5], [6, 7, 8, 9], [10, 11, 12, 13, 14, 15], [16, 17, 18],
       [19, 20, 21, 22], [23, 24, 25, 26, 27]], "suizhou items per section")
equal(len(of_kind(t, "item")), 27, "suizhou items")
equal(items_by_number(t)[1]["label"], "1", "suizhou label as written")
equal(joins(t), [], "suizhou joins")
rem = {r["line"]: r for r in t["removed"]}
equal(sorted(rem), [1, 5, 89, 91], "suizhou removed lines")
check(rem[1]["text"].startswith("当前位置"), "suizhou breadcrumb removed")
equal(rem[5]["text"], "字号:[ ]", "suizhou font-size control removed, the rest of line 5 kept")
check(rem[89]["text"].startswith("附件"), "suizhou empty attachment label removed")
equal(rem[91]["text"], "扫一扫在手机上查看当前页面", "suizhou share footer removed")
check(all(r["reason"] for r in t["removed"]), "every removal has a reason")
title = t["meta"]["title"] or ""
check(title.startswith("中共随州市委教育工委") and title.endswith("随州市教育局2023年工作要点"),
      "suizhou title is line 17, not the web page's notice title")
equal(secs[-1]["lines"], [76, 86], "suizhou last section ends before the footer")
m = t["meta"]
equal((m.get("date"), m.get("published"), m.get("index_id"), m.get("region"), m.get("year")),
      ("2023-03-05", "2023-03-06 14:55", "730845566/2023-09429", "随州市", 2023), "suizhou header facts")
equal(m.get("issuers"), ["中共随州市委教育工作委员会", "随州市教育局"], "suizhou issuers")
equal(m.get("recipients"), "各县、市、区教育局,市直有关单位", "suizhou recipients")
check("doc_number" not in m and "publicity" not in m, "suizhou: absent facts are absent")

# ---- lvliang-2022: a news report -----------------------------------------
t = sample("lvliang-2022.txt")
equal(t["grammar"], "markdown-plan", "lvliang grammar")
secs = t["children"]
equal(len(secs), 10, "lvliang sections (the text announces 十项重点工作)")
equal(secs[0]["title"], "加强党对教育事业的全面领导", "lvliang first section")
equal(secs[-1]["title"], "坚守教育安全稳定底线", "lvliang last section")
equal([s["number"] for s in secs], list(range(1, 11)), "lvliang sections numbered in order")
check(all(s["text"] for s in secs), "lvliang sections each have text")
check(all(s["kind"] == "section" and not s["children"] for s in secs), "lvliang has no items")
equal([a["title"] for a in t["appendix"]],
      ["2022年全市教育工作暨教育系统党风廉政建设会议召开", "市委教育工委召开抓基层党建述职会"],
      "lvliang appendix articles")
equal(joins(t), [11, 23, 33, 45, 53, 65, 75, 83, 93, 105], "lvliang joins")
frag = [w for w in t["warnings"] if "repeated fragment" in w["message"]]
equal(len(frag), 1, "lvliang repeated fragment warned once")
check(frag and frag[0]["line"] == 85 and "力争全市平安校" in frag[0]["message"], "lvliang fragment at line 85")
check(secs[-1]["text"].endswith("从严从紧开展教育创安、科技创安、文化创安等一系列活动,辐射学校周边和社会,力争全市平安校"),
      "lvliang keeps the repeated fragment in the text")
check("园覆盖率达到90%" in secs[-1]["text"], "lvliang last section joined across the break")
equal(t["meta"]["title"], None, "lvliang has no plan title")
equal(len(t["preamble"]), 1, "lvliang lead paragraph is preamble")
equal((t["meta"].get("year"), t["meta"].get("region"), "doc_number" in t["meta"]), (2022, "吕梁市", False),
      "lvliang year and region from the text")

# ---- wafangdian-2023: no cover, ideographic indents, no blank lines --------
t = sample("wafangdian-2023.txt")
secs = t["children"]
equal(len(secs), 6, "wafangdian sections")
equal([i["number"] for i in of_kind(t, "item")], list(range(1, 25)), "wafangdian items 1-24")
it = items_by_number(t)
equal(it[4]["lines"], [10, 10], "wafangdian item 4 (ideographic-space indent) found")
equal(it[4]["title"], "坚定不移推进全面从严治党", "wafangdian item 4 title")
equal((it[7]["lines"][0], it[16]["lines"][0], it[17]["lines"][0]), (16, 35, 36),
      "wafangdian items 7, 16, 17 without blank lines found")
equal([i["number"] for i in secs[1]["children"]], [5, 6, 7, 8], "wafangdian section 二")
equal(t["meta"]["title"], "瓦房店市教育局2023年工作要点", "wafangdian title")
equal(joins(t), [], "wafangdian joins")

# The same plan with item 7 (line 16) deleted: a warning at item 8 names the
# missing number, and every item that is there stays.
with open(os.path.join(SAMPLES, "wafangdian-2023.txt"), encoding="utf-8") as f:
    lines = f.read().split("\n")
check(lines[15].startswith("7."), "wafangdian line 16 is item 7")
cut = os.path.join(scratch("pp-samples-"), "wafangdian-no7.txt")
with open(cut, "w", encoding="utf-8") as f:
    f.write("\n".join(lines[:15] + lines[16:]))
c = tree(cut)
equal([i["number"] for i in of_kind(c, "item")], [n for n in range(1, 25) if n != 7], "deleted item: the rest stay")
equal([(w["line"], w["message"]) for w in c["warnings"]],
      [(17, "item 8 follows 6: expected 7, so it is missing")], "deleted item: warned at item 8")
m = t["meta"]
equal((m.get("issuers"), m.get("region"), m.get("year"), "date" in m), (["瓦房店市教育局"], "瓦房店市", 2023, False),
      "wafangdian facts from the title; no date")

# ---- jinfeng-2023: bold titles, per-item fields --------------------------
t = sample("jinfeng-2023.txt")
secs = t["children"]
equal(len(secs), 6, "jinfeng sections")
items = of_kind(t, "item")
equal([i["number"] for i in items], list(range(1, 18)), "jinfeng items 1-17")
it = items_by_number(t)
equal(it[1]["title"], "深入学习宣传贯彻党的二十大精神", "jinfeng item 1 title without asterisks")
check("*" not in it[1]["text"], "jinfeng item 1 text without asterisks")
check(it[1]["text"].startswith("深入学习宣传贯彻习近平"), "jinfeng item 1 text follows the bold title")
check(all(isinstance(i["fields"].get("责任领导"), list) and isinstance(i["fields"].get("责任单位"), list)
          for i in items), "jinfeng every item has 责任领导 and 责任单位 lists")
equal(it[1]["fields"]["责任领导"], ["张学兵", "高学芳"], "jinfeng item 1 leaders")
equal(it[8]["fields"]["责任领导"], ["崔茜"], "jinfeng item 8 padded name is one name")
equal(it[11]["fields"]["责任领导"], ["崔茜", "马学明"], "jinfeng item 11 leaders")
equal(len(it[8]["fields"]["责任单位"]), 8, "jinfeng item 8 has 8 units")
equal(it[8]["fields"]["责任单位"][0], "学前室", "jinfeng item 8 first unit")
equal(it[1]["fields"]["责任单位"], ["教育党工委", "各支部"], "jinfeng item 1 units")
equal(it[8]["lines"], [59, 63], "jinfeng item 8 spans its fields")
equal(joins(t), [49, 65, 81, 97], "jinfeng joins")
check("金凤区教育党工委" in t["meta"]["title"] and "2023年工作要点" in t["meta"]["title"], "jinfeng title")
m = t["meta"]
equal((m.get("issuers"), m.get("region"), m.get("year")), (["金凤区教育党工委", "金凤区教育局"], "金凤区", 2023),
      "jinfeng issuers, region, year")

# ---- themes (grammars/themes.yaml), as a reader sees them ---------------
def themes(name, number):
    t = tree(os.path.join(SAMPLES, name))
    return items_by_number(t)[number]["themes"]


for name, number, theme in [("xinzhou-2023.txt", 11, "双减"), ("wafangdian-2023.txt", 6, "双减"),
                            ("jinfeng-2023.txt", 16, "双减"), ("xinzhou-2023.txt", 17, "师德师风"),
                            ("wafangdian-2023.txt", 19, "师德师风"), ("jinfeng-2023.txt", 10, "师德师风"),
                            ("suizhou-2023.txt", 5, "疫情防控"), ("xinzhou-2023.txt", 28, "疫情防控"),
                            ("xinzhou-2023.txt", 9, "学前教育"), ("jinfeng-2023.txt", 4, "全面从严治党")]:
    check(theme in themes(name, number), f"{name} item {number} has the theme {theme}")
check("双减" not in themes("xinzhou-2023.txt", 17), "xinzhou item 17 (师德师风) is not about 双减")

# ---- targets, as read by hand (issue 7's examples) ------------------------
def targets(name, number=None, title=None):
    t = tree(os.path.join(SAMPLES, name))
    node = items_by_number(t)[number] if number else next(n for n in t["children"] if n["title"] == title)
    return [(x["indicator"], x["value"], x["unit"], x["comparator"], x.get("bound"), x.get("range"))
            for x in node["targets"]]


def has(got, indicator, value, unit, comparator, bound=None, rng=None, what=""):
    hits = [g for g in got if indicator in g[0] and g[1:] == (value, unit, comparator, bound, rng)]
    check(hits, f"{what}: {indicator} {comparator} {value}{unit} in {got}")


x9 = targets("xinzhou-2023.txt", 9)
has(x9, "新改扩建", 6, "所", "equals", what="xinzhou 9")
check(any("公办园" in g[0] and g[1] == 6 for g in x9), "xinzhou 9: the 6 are 公办园")
has(x9, "县级公办在园幼儿占比", 55, "%", "at_least", what="xinzhou 9")
w9 = targets("wafangdian-2023.txt", 9)
has(w9, "公办幼儿园在园幼儿占比", 50, "%", "equals", what="wafangdian 9")
has(w9, "普惠园覆盖率", 85, "%", "equals", what="wafangdian 9")
j2 = targets("jinfeng-2023.txt", 2)
for ind, v in [("党支部规范化率", 90), ("优良率", 56), ("“四星级”“五星级”", 22), ("中小学校专任教师党员比例", 35)]:
    has(j2, ind, v, "%", "equals", what="jinfeng 2")
j7 = targets("jinfeng-2023.txt", 7)
has(j7, "学生近视率", 0.5, "%", "decrease_by", "at_least", what="jinfeng 7")
has(j7, "近视防控示范校", 4, "所", "equals", what="jinfeng 7")
has(j7, "市级劳动教育精品课", 3, "节", "equals", rng=[3, 5], what="jinfeng 7")
lv = targets("lvliang-2022.txt", title="着力补齐基础教育短板")
has(lv, "普惠性幼儿园", 48, "所", "equals", what="lvliang")
has(lv, "公办率", 55, "%", "at_least", what="lvliang")
has(lv, "普惠率", 80, "%", "at_least", what="lvliang")
has(lv, "撤并", 110, "所", "equals", what="lvliang")
# No years, dates, ordinals, model names or quoted slogans.
for name in ("xinzhou-2023.txt", "suizhou-2023.txt", "jinfeng-2023.txt"):
    t = tree(os.path.join(SAMPLES, name))
    every = [x for n in of_kind(t, "item") for x in n["targets"]]
    check(not any(x["unit"] in ("年", "月", "日", "号") for x in every), f"{name}: no dates as targets")
    check(not any(x["value"] in (2022, 2023, 2024, 12345) for x in every), f"{name}: no years or 12345")
s25 = targets("suizhou-2023.txt", 25)
check(not any(g[1] == 100 for g in s25), f"suizhou 25: “四个100%” is a slogan, not a target: {s25}")

done("samples")
