"""Runs a rule's embedded cases: each case is written into a throw-away project and linted
through the real engine (discovery, parse, model, suppressions), so the cases test what users get."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import List, Type

from mcp_lint.config import Config
from mcp_lint.engine import run
from mcp_lint.model import Finding
from mcp_lint.rule import Case, Invalid, Rule


def run_case(rule: Type[Rule], case: Case) -> List[Finding]:
    with tempfile.TemporaryDirectory(prefix="mcp-lint-case-") as tmp:
        root = Path(tmp)
        for rel, text in {**case.files, case.path: case.source}.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text if rel == case.path else _dedent(text), encoding="utf-8")
        config = Config(root=root, select=[rule.code], exclude=[])
        if case.options:
            config.rule_options = {rule.code: dict(case.options)}
        result = run([root], config, jobs=1)
        errors = result.internal_errors
        if errors:
            raise AssertionError(f"internal error: {errors}")
        return [f for f in result.findings if f.code == rule.code and f.path == case.path]


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).lstrip("\n")


def check_case(rule: Type[Rule], case: Case) -> None:
    findings = run_case(rule, case)
    shown = "\n".join(f"  {f.location.line}:{f.location.column} {f.message}" for f in findings)
    if not isinstance(case, Invalid):
        assert not findings, f"{rule.code} fired on a valid case:\n{shown}\n--- case ---\n{case.source}"
        return
    assert findings, f"{rule.code} did not fire on an invalid case:\n{case.source}"
    if case.count is not None:
        assert len(findings) == case.count, f"expected {case.count} findings, got {len(findings)}:\n{shown}"
    if case.line is not None:
        assert any(f.location.line == case.line for f in findings), f"no finding on line {case.line}:\n{shown}"
    if case.message is not None:
        assert any(case.message in f.message for f in findings), f"no message containing {case.message!r}:\n{shown}"
    if case.severity is not None:
        assert any(f.severity.label == case.severity for f in findings), f"no finding of severity {case.severity}:\n{shown}"
    for f in findings:
        assert f.fix_hint, f"{rule.code} finding without a fix hint"
