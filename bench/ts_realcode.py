"""Runs mcp-lint over each pinned TypeScript repository (/work/realcode/typescript/<owner>__<name>)
and compares the TS findings with the judged verdicts in bench/verdicts/typescript/: precision per
rule and overall, and the findings nobody has judged yet. A script, not a test.

    python bench/ts_realcode.py [--unjudged]"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = Path("/work/realcode/typescript")
TS_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def findings(repo_dir: Path) -> list:
    out = subprocess.run(
        [sys.executable, "-m", "mcp_lint", "check", "--no-cache", "--output-format", "json", str(repo_dir)],
        capture_output=True, text=True, cwd=repo_dir,
    )
    return [f for f in json.loads(out.stdout)["findings"] if f["path"].endswith(TS_SUFFIXES)]


def main() -> None:
    pins = dict(line.split() for line in (HERE / "repos" / "typescript.txt").read_text().splitlines() if line.strip())
    tp, total, unjudged = Counter(), Counter(), []
    for repo, commit in sorted(pins.items()):
        verdict_file = HERE / "verdicts" / "typescript" / f"{repo.replace('/', '__')}.json"
        verdicts = json.loads(verdict_file.read_text()) if verdict_file.exists() else []
        judged = {(v["path"], v["code"], v["line"]): v["verdict"] for v in verdicts}
        for f in findings(ROOT / repo.replace("/", "__")):
            key = (f["path"], f["code"], f["line"])
            verdict = judged.get(key)
            if verdict is None:
                unjudged.append({"repo": repo, "commit": commit, "path": f["path"], "line": f["line"], "code": f["code"],
                                 "severity": f["severity"], "message": f["message"]})
                continue
            total[f["code"]] += verdict != "disputed"
            tp[f["code"]] += verdict == "tp"
    for code in sorted(total):
        print(f"{code}  {tp[code]}/{total[code]}  precision {tp[code] / total[code]:.3f}")
    if total:
        print(f"overall  {sum(tp.values())}/{sum(total.values())}  precision {sum(tp.values()) / sum(total.values()):.3f}")
    print(f"unjudged findings: {len(unjudged)}")
    if "--unjudged" in sys.argv:
        print(json.dumps(unjudged, indent=1))


if __name__ == "__main__":
    main()
