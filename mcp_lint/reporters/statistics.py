"""`--statistics`: how many findings each rule produced, most frequent first (ruff's
`--statistics`), as text or, with `--output-format json`, as a JSON list."""

from __future__ import annotations

import json
from collections import Counter


def rows(result) -> list:
    counts = Counter(f.code for f in result.findings)
    names = {f.code: f.name for f in result.findings}
    fixable = {f.code for f in result.findings if f.fix is not None}
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    return [{"code": c, "name": names[c], "count": counts[c], "fixable": c in fixable} for c in ordered]


def render(result, as_json: bool = False) -> str:
    table = rows(result)
    if as_json:
        return json.dumps(table, indent=2) + "\n"
    width = max((len(str(r["count"])) for r in table), default=1)
    return "".join(f"{r['count']:>{width}}\t{r['code']}\t{'[*] ' if r['fixable'] else '    '}{r['name']}\n" for r in table)
