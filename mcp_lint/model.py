"""The value types every part of mcp-lint shares: severities, locations, findings, fixes.

Positions are 1-based lines and 1-based columns counted in Unicode code points; an end
column points one past the last character (the SARIF convention). Adapters convert
from their parser's conventions once, when they build a `Location`.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field, replace
from typing import Optional, Tuple


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def sarif_level(self) -> str:
        return {"info": "note"}.get(self.label, self.label)

    @classmethod
    def parse(cls, text: str) -> "Severity":
        key = text.strip().lower()
        aliases = {"note": "info", "warn": "warning"}
        key = aliases.get(key, key)
        try:
            return cls[key.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True, order=True)
class Location:
    path: str  # relative to the project root, '/' separators
    line: int
    column: int
    end_line: int
    end_column: int
    message: str = ""  # what a related location is, e.g. "drain timeout set here"

    def to_json(self) -> dict:
        data = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }
        if self.message:
            data["message"] = self.message
        return data


@dataclass(frozen=True)
class Edit:
    """Replace the text between two positions (same conventions as `Location`)."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Fix:
    description: str
    edits: Tuple[Edit, ...]
    applicability: str = "safe"  # "safe" | "unsafe"


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    item: Optional[int]
    severity: Severity
    location: Location
    message: str
    fix_hint: str
    related: Tuple[Location, ...] = ()
    fix: Optional[Fix] = None
    # Text of the flagged source, used for a line-independent fingerprint.
    snippet: str = field(default="", compare=False)
    fingerprint: str = field(default="", compare=False)

    @property
    def path(self) -> str:
        return self.location.path

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)

    def with_severity(self, severity: Severity) -> "Finding":
        return replace(self, severity=severity)


def fingerprint_findings(findings: list[Finding]) -> list[Finding]:
    """Give each finding a fingerprint that survives edits elsewhere in the file.

    The key is the rule, the path, the whitespace-normalised snippet and the index of that
    (rule, path, snippet) among its repeats, so moving code up or down keeps the identity
    (bandit's baseline idea)."""
    seen: dict[tuple, int] = {}
    out = []
    for finding in findings:
        normalised = " ".join(finding.snippet.split())
        key = (finding.code, finding.path, normalised)
        index = seen.get(key, 0)
        seen[key] = index + 1
        digest = hashlib.sha256("\0".join([*key, str(index)]).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        out.append(replace(finding, fingerprint=digest))
    return out


@dataclass(frozen=True, order=True)
class Diagnostic:
    """Something about a file or the run that is not a rule finding.

    kind: "skipped" (binary, too large, not UTF-8, templated...), "internal-error"
    (a rule or adapter raised: a bug of ours), "io-error"."""

    path: str
    kind: str
    message: str
    rule: str = ""

    def to_json(self) -> dict:
        data = {"path": self.path, "kind": self.kind, "message": self.message}
        if self.rule:
            data["rule"] = self.rule
        return data
