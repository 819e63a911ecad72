"""The checklist report: one row per checklist item (1-12) saying what this run found about
it, as plain text or as Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`.

An item is
- `findings` when any of its rules reported (counted by severity);
- `pass` when its rules read files of this project and found nothing;
- `not visible` when none of the files its rules read were checked (no proxy config or
  manifests: mcp-lint cannot see that part of the deployment);
- `not applicable` when its rules only read a language the project does not use
  (TypeScript items in a Python project);
- `not checked` when the configuration selects none of its rules.
`pass` and `findings` rows also name the kinds of file the item's rules read that were absent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Tuple

from mcp_lint.docs import ITEMS
from mcp_lint.model import Severity

# Kinds that belong to one language: an item read only through absent languages does not apply.
LANGUAGES = {"python": {"python"}, "typescript": {"typescript", "tsconfig", "packagejson"}}
KIND_NAMES = {
    "python": "Python", "typescript": "TypeScript", "tsconfig": "tsconfig", "packagejson": "package.json",
    "dockerfile": "Dockerfile", "k8s": "Kubernetes", "compose": "compose", "caddyfile": "Caddyfile",
    "nginx": "nginx", "shell": "shell", "dotenv": ".env example", "workflow": "CI workflow",
    "helm": "Helm values", "ecs": "ECS task definition",
}
SYMBOL = {"pass": "✅", "findings": "❌", "not visible": "👁️", "not applicable": "➖", "not checked": "⏸️"}


@dataclass
class Row:
    item: int
    title: str
    status: str
    counts: Dict[str, int] = field(default_factory=dict)
    absent: Tuple[str, ...] = ()  # kinds the item reads that this run did not see

    @property
    def detail(self) -> str:
        parts = []
        if self.counts:
            parts.append(", ".join(f"{n} {label}" for label, n in self.counts.items() if n))
        if self.absent and self.status in ("pass", "findings"):
            parts.append("not seen: " + ", ".join(KIND_NAMES.get(k, k) for k in self.absent))
        return "; ".join(parts)

    @property
    def label(self) -> str:
        if self.status == "findings":
            total = sum(self.counts.values())
            return f"{total} finding{'s' if total != 1 else ''}"
        return self.status


def rows(result) -> List[Row]:
    present = {kind for kind, count in result.kinds.items() if count}
    languages = {lang for lang, kinds in LANGUAGES.items() if kinds & present}
    out = []
    for item, title in ITEMS.items():
        rules = [r for r in result.rules if r.item == item]
        kinds = sorted({k for r in rules for k in r.kinds})
        findings = [f for f in result.findings if f.item == item]
        counts = {s.label: sum(1 for f in findings if f.severity is s) for s in sorted(Severity, reverse=True)}
        # Another language's source kinds are not missing files of this project (a Python server
        # has no TypeScript to show); deployment and CI kinds are.
        foreign = {k for lang, members in LANGUAGES.items() if lang not in languages and languages for k in members}
        absent = tuple(k for k in kinds if k not in present and k not in foreign)
        if findings:
            status = "findings"
        elif not rules:
            status = "not checked"
        elif _other_language_only(kinds, languages):
            status = "not applicable"
        elif not set(kinds) & present:
            status = "not visible"
        else:
            status = "pass"
        out.append(Row(item, title, status, counts if findings else {}, absent))
    return out


def _other_language_only(kinds: List[str], languages: set) -> bool:
    owned = [lang for lang, members in LANGUAGES.items() if set(kinds) <= members]
    return bool(owned) and not set(owned) & languages


def _engine_note(result) -> str:
    engine = [f for f in result.findings if f.item is None]
    notes = []
    if engine:
        notes.append(f"{len(engine)} finding{'s' if len(engine) != 1 else ''} about the files themselves (parse errors, suppressions)")
    if result.diagnostics:
        notes.append(f"{len(result.diagnostics)} file{'s' if len(result.diagnostics) != 1 else ''} skipped")
    return "; ".join(notes)


def render_text(result, root=None, color: bool = False) -> str:
    table = rows(result)
    width = max(len(r.title) for r in table)
    lines = [f"MCP production checklist ({result.files_checked} file{'s' if result.files_checked != 1 else ''} checked)", ""]
    for row in table:
        detail = f"  ({row.detail})" if row.detail else ""
        lines.append(f"{row.item:>2}. {row.title:<{width}}  {row.label}{detail}")
    note = _engine_note(result)
    if note:
        lines += ["", f"Also: {note}."]
    return "\n".join(lines) + "\n"


def render_markdown(result, root=None, color: bool = False) -> str:
    table = rows(result)
    tally = {status: sum(1 for r in table if r.status == status) for status in SYMBOL}
    summary = ", ".join(f"{n} {'with findings' if status == 'findings' else status}" for status, n in tally.items() if n)
    lines = [
        "## MCP production checklist",
        "",
        f"{summary} ({result.files_checked} file{'s' if result.files_checked != 1 else ''} checked by mcp-lint).",
        "",
        "| # | Item | Status | Details |",
        "|---|---|---|---|",
    ]
    for row in table:
        lines.append(f"| {row.item} | {row.title} | {SYMBOL[row.status]} {row.label} | {row.detail.replace('|', '/')} |")
    note = _engine_note(result)
    if note:
        lines += ["", f"Also: {note}."]
    return "\n".join(lines) + "\n"
