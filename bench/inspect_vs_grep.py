"""Does `mcp-lint inspect` show every tool a plain text search for registrations finds?

    python bench/inspect_vs_grep.py [/work/realcode/python-model]

For each repository under the folder: the text search takes the function under every
`@<name>.tool` / `@<name>.tool(...)` / `@tool` decorator and the first argument of every
`.add_tool(fn` / `.tool(fn` / `.tool(...)(fn` call, in Python files outside tests; inspect's JSON
lists the tools of every server. A registration the search finds is "shown" when inspect has
a tool whose handler function has that name. Prints one line per repository and the totals."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

DECORATOR = re.compile(r"^\s*@\s*(?:[\w.]+\.)?(?:tool|call_tool)\b")
DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)")
CALL = re.compile(r"\.(?:add_tool|tool)\s*\((?:[^()]*\)\s*\()?\s*([A-Za-z_][\w.]*)\s*[,)]")
SKIP_PARTS = {"tests", "test", ".venv", "node_modules", ".git", "docs", "examples", "example"}


def grep_registrations(root: Path):
    found = set()
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if SKIP_PARTS & set(rel.parts) or rel.name.startswith("test_") or rel.name == "conftest.py":
            continue
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for i, line in enumerate(lines):
            if DECORATOR.match(line):
                for following in lines[i + 1 : i + 40]:
                    match = DEF.match(following)
                    if match:
                        found.add((str(rel), match.group(1)))
                        break
            for match in CALL.finditer(line):
                name = match.group(1).split(".")[-1]
                if name not in ("name", "description", "self", "None", "lambda"):
                    found.add((str(rel), name))
    return found


def inspect_tools(root: Path):
    out = subprocess.run(
        [sys.executable, "-m", "mcp_lint", "inspect", ".", "--output-format", "json"],
        cwd=root, capture_output=True, text=True, timeout=600,
    )
    report = json.loads(out.stdout)
    tools = [t for s in report["servers"] for t in s["tools"]] + report["tools_without_server"]
    return {t["handler"].rsplit(":", 1)[1].split(".")[-1] for t in tools}, len(report["servers"])


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/realcode/python-model")
    total = shown = 0
    for root in sorted(p for p in folder.iterdir() if p.is_dir()):
        grepped = grep_registrations(root)
        handlers, servers = inspect_tools(root)
        missing = sorted(f"{rel}:{name}" for rel, name in grepped if name not in handlers)
        total += len(grepped)
        shown += len(grepped) - len(missing)
        print(f"{root.name}: servers {servers}, inspect tools {len(handlers)}, grep registrations {len(grepped)}, missing {len(missing)}")
        for item in missing:
            print(f"    missing {item}")
    print(f"total: {shown}/{total} registrations found by text search are shown by inspect")
    return 0 if shown == total else 1


if __name__ == "__main__":
    sys.exit(main())
