"""Rules over TypeScript/JavaScript files.

One code per check across languages: a `TypeScriptRule` whose `code` already belongs to a rule
for another kind is that rule's TypeScript *implementation* (the registry attaches it; it
reports under the owner's code, name, severity and fix hint, and `mcp-lint rule CODE` shows
both languages). A `TypeScriptRule` with a code of its own is an ordinary TS-only rule."""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from mcp_lint.rule import DocumentRule, ProjectRule


class TypeScriptRule(DocumentRule):
    """A rule over one TypeScript/JavaScript file: `check()` asks `self.model` (the file's
    `TsModel`) and reports nodes with `self.report_node(node, message)`."""

    kinds = ("typescript",)
    scope: ClassVar[str] = "mcp-file"
    # Set by the registry on implementations: the rule whose code this one reports under.
    implements: ClassVar[Optional[type]] = None

    @property
    def model(self):
        from mcp_lint.typescript.model import model_of

        return model_of(self.document)

    def report_node(self, node, message: Optional[str] = None, **details: Any) -> None:
        doc = self.document
        self.findings.append(self.make_finding(doc.location(node), message, snippet=doc.snippet(node), **details))


class TypeScriptProjectRule(ProjectRule):
    """A TS rule whose verdict needs the whole project: `collect` gets the document (use
    `model_of(document)`), returns plain data; `check` sees every TS file's facts."""

    kinds = ("typescript",)
    scope: ClassVar[str] = "mcp-project"
    implements: ClassVar[Optional[type]] = None


def is_implementation(rule: type) -> bool:
    return getattr(rule, "implements", None) is not None
