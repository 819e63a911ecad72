"""Source that the running interpreter's `ast` can read, from a module written for a newer Python.

The project model summarises modules with CPython's `ast` (file_summary.py), which only knows the
grammar of the Python that runs mcp-lint; libcst, which the rules use, reads newer grammar too. A
server written for Python 3.12 uses f-strings that nest quotes or span lines (PEP 701) and type
parameters (`def f[T: Enum](...)`, `class C[T]:`, `type X = ...`, PEP 695); under 3.11 `ast`
rejects the module and the model would silently lose its tools and calls.

`for_older_ast(text)` rewrites only those constructs, found by libcst, keeping every line where it
was (columns too, except where a replacement cannot fit its span):
- an f-string (or t-string) becomes a plain string literal of the same shape: what the model
  reads from it is "some text", as it reads any computed string;
- type parameters become spaces;
- `type X = ...` becomes `X = 0`.
None when libcst cannot parse the text either, or the text is past the limits the rule phase
puts on libcst (that phase reports both). Such a module is parsed twice, once here: it is rare.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from mcp_lint.documents.base import ParseError, SkipFile
from mcp_lint.documents.python import PythonDocument

# Nodes whose text older grammars reject, and how each is rewritten.
_STRINGS = tuple(t for t in (cst.FormattedString, getattr(cst, "TemplatedString", None)) if t is not None)
_TYPE_PARAMETERS = getattr(cst, "TypeParameters", None)
_TYPE_ALIAS = getattr(cst, "TypeAlias", None)

_Edit = Tuple[CodeRange, str, str]  # (span, "string" | "blank" | "alias", the alias's name)


def for_older_ast(text: str) -> Optional[str]:
    document = PythonDocument("<summary>", text)
    try:
        document.parse()  # with the rule phase's guards against hostile nesting and size
    except (ParseError, SkipFile, RecursionError, MemoryError, ValueError):
        return None
    positions = document.metadata(PositionProvider)
    lines = text.split("\n")
    for span, kind, name in reversed(_outermost(_edits(positions))):
        _apply(lines, span, kind, name)
    return "\n".join(lines)


def _edits(positions) -> List[_Edit]:
    found: List[_Edit] = []
    for node, span in positions.items():
        if isinstance(node, _STRINGS):
            found.append((span, "string", ""))
        elif _TYPE_PARAMETERS is not None and isinstance(node, _TYPE_PARAMETERS):
            found.append((span, "blank", ""))
        elif _TYPE_ALIAS is not None and isinstance(node, _TYPE_ALIAS):
            found.append((span, "alias", node.name.value))
    return found


def _outermost(edits: List[_Edit]) -> List[_Edit]:
    """The edits in source order, without those inside another (an f-string in an f-string)."""
    kept: List[_Edit] = []
    for edit in sorted(edits, key=lambda e: (e[0].start.line, e[0].start.column, -e[0].end.line, -e[0].end.column)):
        if kept and _key(edit[0].start) < _key(kept[-1][0].end):
            continue
        kept.append(edit)
    return kept


def _key(position) -> Tuple[int, int]:
    return position.line, position.column


def _apply(lines: List[str], span: CodeRange, kind: str, name: str) -> None:
    first, last = span.start.line - 1, span.end.line - 1
    head, tail = lines[first][: span.start.column], lines[last][span.end.column:]
    widths = [span.end.column - span.start.column] if first == last else (
        [len(lines[first]) - span.start.column, *(len(lines[i]) for i in range(first + 1, last)), span.end.column]
    )
    if kind == "string":
        body = _string_shape(widths)
    elif kind == "alias":
        body = [f"{name} = 0".ljust(widths[0]), *(" " * w for w in widths[1:])]
    else:
        body = [" " * w for w in widths]
    body[0] = head + body[0]
    body[-1] = body[-1] + tail
    lines[first: last + 1] = body


def _string_shape(widths: List[int]) -> List[str]:
    """A plain string literal spanning the same lines with the same widths where they fit."""
    if len(widths) == 1:
        return ['"' + " " * max(widths[0] - 2, 0) + '"']
    return ['"""' + " " * max(widths[0] - 3, 0), *(" " * w for w in widths[1:-1]), " " * max(widths[-1] - 3, 0) + '"""']
