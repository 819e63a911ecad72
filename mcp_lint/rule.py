"""Rule base classes. A rule is a small self-describing class: its metadata, its docs (the
docstring), its embedded test cases and its check logic live together (Fixit's model)."""

from __future__ import annotations

import inspect
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from mcp_lint.model import Finding, Fix, Location, Severity

CODE_PATTERN = re.compile(r"^MCP\d{4}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@dataclass
class Case:
    """An embedded test case: `code` is the file under test (dedented), `path` its name in a
    throw-away project, `files` other files of that project, `options` rule options."""

    code: str
    path: str = "server.py"
    files: Dict[str, str] = field(default_factory=dict)
    options: Dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).lstrip("\n")


@dataclass
class Valid(Case):
    """Must produce no finding from the rule."""


@dataclass
class Invalid(Case):
    """Must produce at least one finding from the rule; `line`, `message` (a substring) and
    `count` are checked when given."""

    line: Optional[int] = None
    message: Optional[str] = None
    count: Optional[int] = None
    severity: Optional[str] = None


class Rule:
    """Metadata shared by every rule kind. Subclasses set the class attributes below."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    item: ClassVar[Optional[int]] = None  # checklist item 1-12
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = ""  # one line; also the default message
    fix_hint: ClassVar[str] = ""
    kinds: ClassVar[Tuple[str, ...]] = ()  # document kinds the rule reads
    # Pruning: the rule can only fire on a file whose text contains one of these strings.
    requires: ClassVar[Tuple[str, ...]] = ()
    # Pruning by what a Python file holds (mcp_lint/python/holdings.py), known before the parse
    # from the project model and the text: the rule can only fire, or collect facts that matter,
    # in a file that holds one of these (for example "tool code").
    needs: ClassVar[Tuple[str, ...]] = ()
    # Pruning across files, for project rules: every finding starts at something of one of these
    # kinds (for example "http server"); in a project unit where no Python file holds one, the
    # rule is idle in all its Python files (facts from them could only qualify such findings).
    needs_in_project: ClassVar[Tuple[str, ...]] = ()
    # Where a Python rule can fire at all: "mcp-file" (a file that mentions MCP or tool
    # registration, or whose functions another module registers), "mcp-project" (any file of
    # a project that has such a file), or "any".
    scope: ClassVar[str] = "mcp-file"
    options: ClassVar[Dict[str, Any]] = {}  # option name -> default
    tags: ClassVar[Tuple[str, ...]] = ()
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    @classmethod
    def may_fire(cls, text: str, options: Dict[str, Any]) -> bool:
        """Pruning by the text with the rule's options (after `requires`, before the parse): for
        what `requires` cannot say, such as words an option configures. True: no opinion."""
        return True

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def describe(cls) -> dict:
        return {
            "code": cls.code,
            "name": cls.name,
            "item": cls.item,
            "severity": cls.severity.label,
            "summary": cls.summary,
            "fix": cls.fix_hint,
            "kinds": list(cls.kinds),
            "options": dict(cls.options),
        }

    def make_finding(
        self,
        location: Location,
        message: Optional[str] = None,
        *,
        fix_hint: Optional[str] = None,
        severity: Optional[Severity] = None,
        related: Iterable[Location] = (),
        fix: Optional[Fix] = None,
        snippet: str = "",
    ) -> Finding:
        return Finding(
            code=self.code,
            name=self.name,
            item=self.item,
            severity=severity or self.severity,
            location=location,
            message=message or self.summary,
            fix_hint=fix_hint or self.fix_hint,
            related=tuple(related),
            fix=fix,
            snippet=snippet,
        )


class PythonRule(Rule):
    """A rule over one Python file. Logic lives in libcst-style `visit_<Node>` /
    `leave_<Node>` methods; all Python rules of a file share one traversal
    (mcp_lint/python/walk.py). `self.ctx` gives the document, the MCP model of the file and the
    rule's options. Report with `self.report(node, message)`."""

    kinds = ("python",)

    def __init__(self, ctx: "PythonContext"):  # noqa: F821 - defined in mcp_lint.python.context
        self.ctx = ctx
        self.findings: List[Finding] = []

    @property
    def model(self):
        return self.ctx.model

    def option(self, key: str) -> Any:
        return self.ctx.options_for(self).get(key, self.options[key])

    def report(self, node: cst.CSTNode, message: Optional[str] = None, **details: Any) -> None:
        """`details`: fix_hint, severity, related, fix (see `Rule.make_finding`)."""
        doc = self.ctx.document
        self.findings.append(self.make_finding(doc.location(node), message, snippet=doc.snippet(node), **details))


class DocumentRule(Rule):
    """A rule over one parsed non-Python document (Dockerfile, manifest, proxy config...).
    The engine calls `check()` once per file of a kind in `kinds`; report with
    `self.report(location, message)` where the location comes from the document
    (e.g. `self.document.location(node)`)."""

    def __init__(self, document, options: Dict[str, Any]):
        self.document = document
        self._options = options
        self.findings: List[Finding] = []

    def option(self, key: str) -> Any:
        return self._options.get(key, self.options[key])

    def check(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def report(self, location: Location, message: Optional[str] = None, **details: Any) -> None:
        """`details`: fix_hint, severity, related, fix (see `Rule.make_finding`)."""
        snippet = self.document.line_text(location.line).strip()
        self.findings.append(self.make_finding(location, message, snippet=snippet, **details))


class ProjectRule(Rule):
    """A cross-file rule in collect-then-merge shape (pylint's map/reduce): `collect` runs in
    the per-file phase (in any worker) and returns small picklable facts; `check` sees the
    facts of every file of the project and returns findings. When only some files were given
    (pre-commit), the engine still collects from the whole project and keeps only findings
    located in the given files, so a partial view cannot produce a false positive."""

    @classmethod
    def collect(cls, document, options: Dict[str, Any]) -> Any:  # pragma: no cover - interface
        return None

    @classmethod
    def check(cls, facts: Dict[str, Any], project) -> Iterable[Finding]:  # pragma: no cover - interface
        return ()

    @classmethod
    def project_option(cls, project, key: str) -> Any:
        return project.options.get(cls.code, {}).get(key, cls.options[key])


class PythonProjectRule(PythonRule, ProjectRule):
    """A Python rule whose verdict needs the whole project (for example: is the server served
    over stdio anywhere?). Its visits fill `self.facts` (picklable: findings, flags, names);
    `check` decides from every file's facts."""

    def __init__(self, ctx):
        super().__init__(ctx)
        self.facts: Dict[str, Any] = {}
