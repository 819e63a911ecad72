"""Project-level pruning: a rule that can only report when some string occurs in *some* file of
the project unit does nothing on a unit where no file contains it.

`Rule.requires` prunes per file. Some project rules need a fact that another file states: MCP0103
reports a `Settings()` built in a tool only when the class derives, through project classes, from
pydantic-settings' `BaseSettings`, and every file that could declare such a class spells that
name out (in its import or its base list). On a unit where no file contains it, every candidate
the rule would gather (with its position, which costs a code generation up to the node) is
dropped by `check`. Files are scanned as bytes while they are hashed; the scan errs towards
"present" (a file that declares an encoding in which ASCII text may be spelled with other bytes,
such as UTF-7, counts as containing every string)."""

from __future__ import annotations

import codecs
import re
from typing import FrozenSet, Iterable, Tuple, Type

# PEP 263 declaration (first two lines). In these encodings a character below 128 is always the
# byte of the same value, so a token in the decoded text is a token in the bytes.
_DECLARED = re.compile(rb"^[ \t\f]*#[^\r\n]*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)
_ASCII_SAFE = re.compile(r"utf-8|ascii|latin-1|iso8859-\d+|cp125\d")


def tokens_of(rules: Iterable[Type]) -> Tuple[str, ...]:
    """Every string some rule's `project_requires` names."""
    return tuple(sorted({t for rule in rules for t in getattr(rule, "project_requires", ())}))


def found_in(data: bytes, tokens: Tuple[str, ...]) -> FrozenSet[str]:
    """The tokens this file may contain. A declared encoding other than UTF-8 could spell a
    token with other bytes: such a file counts as containing every token."""
    if not tokens:
        return frozenset()
    if not _ascii_safe(data):
        return frozenset(tokens)
    return frozenset(t for t in tokens if t.encode("ascii") in data)


def _ascii_safe(data: bytes) -> bool:
    head = b"\n".join(data[:1024].split(b"\n", 2)[:2])
    declared = _DECLARED.search(head)
    if declared is None:
        return True  # UTF-8, or not Python text at all (the rules then never read it)
    try:
        name = codecs.lookup(declared.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return False
    return _ASCII_SAFE.fullmatch(name) is not None


def idle_codes(rules: Iterable[Type], found: FrozenSet[str]) -> FrozenSet[str]:
    """Codes of the rules whose `project_requires` occur in no file of the unit: they cannot
    report there, so the per-file phase does not run them (the file is still parsed when other
    rules need it, so parse errors and skipped files are reported as before)."""
    return frozenset(
        rule.code for rule in rules
        if getattr(rule, "project_requires", ()) and not found.intersection(rule.project_requires)
    )
