#!/usr/bin/env python3
"""Adds messages to extension/_locales/{en,de}/messages.json, keeping the one-line-per-key layout.

Usage: tools/add-messages.py FILE.json   where FILE.json is
  {"key": {"en": "text with $1", "de": "Text mit $1", "description": "...", "placeholders": ["name", ...]}}
Keys already present are replaced in place; new keys are appended. Placeholders are named in
order ($1, $2, ...): the message text uses $NAME$ for them (write $1 in the input: it is turned
into $NAME$ here).
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
new = json.loads(Path(sys.argv[1]).read_text())
for lang in ("en", "de"):
    path = ROOT / "extension" / "_locales" / lang / "messages.json"
    lines = path.read_text().rstrip().split("\n")
    assert lines[0] == "{" and lines[-1] == "}"
    body = lines[1:-1]
    index = {}
    for i, l in enumerate(body):
        m = re.match(r'\s*"([^"]+)":', l)
        if m:
            index[m.group(1)] = i
    for key, spec in new.items():
        text = spec[lang]
        names = spec.get("placeholders", [])
        for n, name in enumerate(names, 1):
            text = text.replace(f"${n}", f"${name.upper()}$")
        entry = {"message": text}
        if lang == "en" and spec.get("description"):
            entry["description"] = spec["description"]
        if names:
            entry["placeholders"] = {name: {"content": f"${n}"} for n, name in enumerate(names, 1)}
        line = f'  "{key}": ' + json.dumps(entry, ensure_ascii=False).replace('{"content"', '{"content"')
        if key in index:
            body[index[key]] = line + ("," if body[index[key]].rstrip().endswith(",") else "")
        else:
            if body and not body[-1].rstrip().endswith(","):
                body[-1] = body[-1].rstrip() + ","
            body.append(line)
            index[key] = len(body) - 1
    # the last entry has no comma
    body[-1] = body[-1].rstrip().rstrip(",")
    path.write_text("\n".join(["{"] + body + ["}"]) + "\n")
    json.loads(path.read_text())  # still valid
print("ok")
