#!/usr/bin/env python3
"""What an analyst might write instead of planparse: one regex per heading
level, a dict per section and item, json.dumps (or PyYAML with --yaml).
No encodings, repairs, fields or metadata.  Used by bench/tools.sh as the
yardstick planparse must beat."""
import json
import re
import sys

SECTION = re.compile(r"^[\s\u3000]*([一二三四五六七八九十]+)、(.*)$")
ITEM = re.compile(r"^[\s\u3000]*(\d{1,3})[.、．](?!\d)\s*(.*)$")


def convert(text):
    doc, section, item = {"children": []}, None, None
    for no, line in enumerate(text.splitlines(), 1):
        if m := SECTION.match(line):
            section = {"label": m[1], "title": m[2], "line": no, "children": []}
            doc["children"].append(section)
            item = None
        elif (m := ITEM.match(line)) and section is not None:
            title, _, rest = m[2].partition("。")
            item = {"label": m[1], "title": title, "text": rest, "line": no}
            section["children"].append(item)
        elif line.strip() and item is not None:
            item["text"] += "\n" + line.strip()
    return doc


use_yaml = "--yaml" in sys.argv
if use_yaml:
    import yaml
for path in [a for a in sys.argv[1:] if a != "--yaml"]:
    with open(path, encoding="utf-8") as f:
        tree = convert(f.read())
    if use_yaml:
        sys.stdout.write(yaml.safe_dump(tree, allow_unicode=True) + "---\n")
    else:
        sys.stdout.write(json.dumps(tree, ensure_ascii=False) + "\n")
