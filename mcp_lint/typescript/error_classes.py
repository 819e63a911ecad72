"""Project error classes whose messages the project writes itself.

`if (e instanceof LockError) return { content: [{ type: "text", text: e.message }], isError: true }`
sends the caught error's text, but when every `new LockError(...)` in the project passes a
message written there (`` `Lock held by pid=${holder.pid}` ``) and the class hands it to `Error`
unchanged, that text is the project's own, as for the classes a user lists in
`user-facing-exceptions`. A class is such a class only when the whole project shows it: declared
here (`class X extends ...Error`), its constructor passing its own message (or a literal) to
`super`, and constructed somewhere, every time with a message argument (the first, or the one
after a code: `constructor(code, message)`) that is a literal, a
template or a concatenation of them whose words name no error text, response or output
(`` `Request failed: ${res.statusText}` ``, `String(err)`, `new X(error.message)` disqualify the
class). Read from the sources' text (comments removed) by the link pass, before the per-file
phase: no parse."""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Set, Tuple

from mcp_lint.python.argument_kinds import words

_CLASS = re.compile(r"\bclass\s+([A-Z]\w*(?:Error|Exception))\s+extends\s+([\w.]+)\s*(?:<[^>{]*>)?\s*\{")
# Words of a message argument that say it carries text the project did not write.
_FOREIGN_WORDS = frozenset({
    "message", "msg", "stack", "stderr", "stdout", "output", "body", "text", "response", "res", "resp", "data",
    "detail", "details", "reason", "error", "errors", "err", "e", "ex", "exc", "cause", "raw", "payload",
})
_MAX_SCAN = 4000  # characters read for one argument list or class body


def authored_error_classes(texts: Dict[str, str]) -> Tuple[str, ...]:
    """The project's error classes whose every message is written in the project."""
    declared: Dict[str, List[Optional[str]]] = {}
    for text in texts.values():
        for match in _CLASS.finditer(text):
            declared.setdefault(match.group(1), []).append(_balanced(text, match.end() - 1, "{", "}"))
    # a body too long to read (None) is not judged
    kinds = {name: _message_kind(bodies[0]) for name, bodies in declared.items() if len(bodies) == 1 and bodies[0] is not None}
    authored = {name for name, (kind, _) in kinds.items() if kind}
    if not authored:
        return ()
    constructed: Set[str] = set()
    for text in texts.values():
        if "new " not in text or not authored:
            continue
        for match in re.finditer(r"\bnew\s+(%s)\s*\(" % "|".join(map(re.escape, sorted(authored))), text):
            name = match.group(1)
            kind, position = kinds[name]
            argument = _argument(text, match.end() - 1, position)
            # the message passed on must be written here; one the class composes may take any value but foreign text
            if argument is None or not (written_here(argument) if kind == "passes" else not _foreign(argument)):
                authored.discard(name)
            else:
                constructed.add(name)
    return tuple(sorted(authored & constructed))


def _message_kind(body: str) -> Tuple[str, int]:
    """("passes", i) when the class hands `super` its constructor's parameter i (the first, or
    the message after a code: `constructor(public code: string, message: string)`; a class with
    no constructor passes `Error`'s own first), ("composes", 0) when it hands it a text written
    here (`` super(`Invalid regex: ${source}`) ``), else ("", 0)."""
    constructor = re.search(r"\bconstructor\s*\(", body)
    if constructor is None:
        return "passes", 0
    params = _split_top_level(_balanced(body, constructor.end() - 1, "(", ")") or "")
    names = [m.group(1) if m else "" for m in (re.match(r"\s*(?:public\s+|private\s+|protected\s+|readonly\s+)*(\w+)", p) for p in params)]
    call = re.search(r"\bsuper\s*\(", body)
    argument = _first_argument(body, call.end() - 1) if call is not None else None
    if argument is None:
        return "", 0
    if argument and argument in names:
        return "passes", names.index(argument)
    return ("composes", 0) if written_here(argument) else ("", 0)


def written_here(argument: str) -> bool:
    """A message argument the project writes: literals, templates and their concatenation, whose
    words name no error text, response or output."""
    if argument == "":
        return True
    if _choice_of_written(argument):
        return True
    return bool(re.match(r"""\s*[`'"(]""", argument)) and not _foreign(argument)  # not a variable or a call: whatever it holds


def _choice_of_written(argument: str) -> bool:
    """`failed.length > 0 ? "Some companies failed" : `Claim the link: ${GUIDANCE}``: a test
    that names no error text choosing between two messages written here."""
    match = re.match(r"""\s*([^?`'"]+)\?\s*(?=[`'"])""", argument)
    if match is None or _foreign(match.group(1)):
        return False
    first = match.end()
    end = _string_end(argument, first, len(argument))
    rest = re.match(r"\s*:\s*", argument[end:])
    return rest is not None and written_here(argument[end + rest.end():])


def _foreign(argument: str) -> bool:
    """The expression's code names error text, a response or output (`err.message`, `res.text()`,
    `` `Failed: ${body}` ``); the words of its literal text do not ("returned a non-JSON response")."""
    code = _code_of(argument)
    return bool(_FOREIGN_WORDS.intersection(w for token in re.findall(r"[A-Za-z_$][\w$]*", code) for w in words(token)))


def _code_of(argument: str) -> str:
    """The argument without the text of its string literals; a template's `${...}` parts are kept."""
    kept, i = [], 0
    while i < len(argument):
        char = argument[i]
        if char in "'\"`":
            end = _string_end(argument, i, len(argument))
            if char == "`":
                kept.extend(" " + _code_of(part) for part in _substitutions(argument[i:end]))  # `${a}${b}`: two names, not `ab`
            kept.append(" ")
            i = end
            continue
        kept.append(char)
        i += 1
    return "".join(kept)


def _substitutions(template: str) -> List[str]:
    """The `${...}` expressions of a template literal's text."""
    found, i = [], 1
    while i < len(template) - 1:
        if template[i] == "\\":
            i += 2
            continue
        if template.startswith("${", i):
            inner = _balanced(template, i + 1, "{", "}")
            if inner is None:
                break
            found.append(inner)
            i += 2 + len(inner) + 1
            continue
        i += 1
    return found


def _argument(text: str, open_at: int, position: int) -> Optional[str]:
    """The argument at `position` of the call whose `(` is at `open_at` (stripped), "" when it
    has fewer; None when it cannot be read."""
    inner = _balanced(text, open_at, "(", ")")
    if inner is None:
        return None
    parts = _split_top_level(inner)
    return parts[position].strip() if position < len(parts) else ""


def _first_argument(text: str, open_at: int) -> Optional[str]:
    return _argument(text, open_at, 0)


def _balanced(text: str, open_at: int, opening: str, closing: str) -> Optional[str]:
    """What lies between the bracket at `open_at` and its match, skipping strings and templates."""
    depth, i, end = 0, open_at, min(len(text), open_at + _MAX_SCAN)
    while i < end:
        char = text[i]
        if char in "'\"`":
            i = _string_end(text, i, end)
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return text[open_at + 1:i]
        i += 1
    return None


def _string_end(text: str, start: int, end: int) -> int:
    """The index after the string or template literal starting at `start`."""
    quote, i = text[start], start + 1
    while i < end:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == quote:
            return i + 1
        if quote == "`" and text.startswith("${", i):
            inner = _balanced(text, i + 1, "{", "}")
            i += 2 + (len(inner) if inner is not None else 0) + 1
            continue
        i += 1
    return end


def _split_top_level(inner: str) -> List[str]:
    """`inner` split at its top-level commas."""
    parts: List[str] = []
    depth, i, start = 0, 0, 0
    while i < len(inner):
        char = inner[i]
        if char in "'\"`":
            i = _string_end(inner, i, len(inner))
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
        i += 1
    parts.append(inner[start:])
    return parts


def classes_tested(text: str, classes: Iterable[str]) -> Tuple[str, ...]:
    """Of `classes`, those the text tests with `instanceof`."""
    return tuple(name for name in classes if re.search(r"\binstanceof\s+(?:[\w$]+\.)*%s\b" % re.escape(name), text))
