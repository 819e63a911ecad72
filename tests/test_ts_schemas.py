"""Tool input schemas read where they are defined (mcp_lint/typescript/schemas.py)."""

from __future__ import annotations

import textwrap

import pytest

from mcp_lint.documents.typescript import TypeScriptDocument
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.schemas import UNREAD, fields_of


def _fields(code: str, name: str):
    doc = TypeScriptDocument("src/types.ts", textwrap.dedent(code))
    doc.parse()
    model = model_of(doc)
    return fields_of(model, model.exported_value(name))


@pytest.mark.parametrize("code, expected", [
    # merged, extended and spread parts; a nested object of non-text fields; a described name
    ("""
     const Paging = z.object({ limit: z.number(), cursor: z.string() });
     const Base = { repoSlug: z.string() };
     export const Args = z.object({ ...Base, note: z.string(), inline: z.object({ line: z.number() }) })
       .merge(Paging).extend({ title: z.string().describe("Name of the page") }).strict();
     """, (("repoSlug", False), ("note", False), ("inline", True), ("limit", True), ("cursor", False), ("title", True))),
    # a spread that cannot be followed is a field of unknown content
    ("export const Args = { q: z.string(), ...(flag ? { a: z.number() } : {}) };\n", (("q", False), (UNREAD, False))),
    # schemas that spread or nest themselves end, as unread parts
    ("const A = { ...B, a: z.number() };\nconst B = { ...A };\nexport const Args = z.object(A);\n", None),
    ("export const Node = z.object({ child: Node, n: z.number() });\n", (("child", False), ("n", True))),
])
def test_fields_of(code, expected):
    fields = _fields(code, "Args" if "Args" in code else "Node")
    if expected is None:
        assert fields is not None and (UNREAD, False) in fields and ("a", True) in fields
    else:
        assert fields == expected
