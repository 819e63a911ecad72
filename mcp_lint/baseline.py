"""Baselines for adopting mcp-lint on an existing codebase (bandit's `-b`): record today's
findings once with `--write-baseline FILE`, then `--baseline FILE` reports only findings that
are not in it. Findings are matched by their line-independent fingerprint (rule, path,
normalised source snippet, occurrence), so edits elsewhere in a file keep them matched."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Set, Tuple

from mcp_lint import __version__

VERSION = 1


class BaselineError(Exception):
    pass


def write(path: Path, result) -> int:
    entries = [
        {"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "line": f.location.line, "message": f.message}
        for f in result.findings
    ]
    document = {"version": VERSION, "tool": {"name": "mcp-lint", "version": __version__}, "findings": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror}") from None
    return len(entries)


def load(path: Path) -> Set[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline {path} not found (create it with --write-baseline {path})") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise BaselineError(f"{path}: not an mcp-lint baseline of version {VERSION}")
    findings = document.get("findings")
    if not isinstance(findings, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in findings):
        raise BaselineError(f"{path}: `findings` must be a list of objects with a `fingerprint`")
    return {e["fingerprint"] for e in findings}


def without_baselined(result, fingerprints: Set[str]) -> Tuple[object, int]:
    """(the result without findings in the baseline, how many were dropped)."""
    kept = [f for f in result.findings if f.fingerprint not in fingerprints]
    return replace(result, findings=kept), len(result.findings) - len(kept)
