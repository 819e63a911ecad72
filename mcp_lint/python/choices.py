"""Whether a tool argument is a choice among fixed names rather than something the user wrote.

Two kinds of evidence, both read from the code itself rather than from the argument's name:

- **The parameter's own documentation** (`Field(description=...)`, in `Annotated[...]` or as the
  default, or the function docstring's entry for it) says it is `one of` a set of quoted names,
  spells the whole set out after a colon (`Interpolation method: 'nearest', 'linear', 'area'`,
  `Available sections: posts, jobs`), or gives only name-shaped examples (`e.g. 'cp',
  'describe-instances'`): the author documents an identifier, whatever the parameter is called
  (`command` of a help tool names a subcommand), lists them in parentheses (`Filter by status
  ('active', 'alpha')`); or it opens by calling the value the name of a
  thing that is not a person (`profile: Profile name to use`, `Name of the saved report`).
- **A checked lookup**: the value is logged past a lookup that raises when it fails
  (`interp = METHODS[x]`), or in the branch where it failed a lookup in a fixed set of names:
  the body of `if x not in SUPPORTED:`, the `else` of `if x in SUPPORTED:`, or the `except` of a
  `try` that did `SomeEnum[x]`, `SomeEnum(x)` or `TABLE[x]`. A value that the
  code checks against a list of names is expected to be one of them; what is logged is the
  name that was not recognised (`"unknown source type %s"`), not what the user wrote. The
  logged value and the tested one must be the same value up to normalisation (`x.strip()`,
  `x.lower()`, an alias table's `.get(x, x)`): a command whose *first word* is checked is
  still a command.

Fixed sets are literals of at least two strings (list, tuple, set, `frozenset({...})`, a dict's
keys), written inline or bound to a name (in the module or the function), and Enum classes: a class subscripted with
a runtime value (`EpisodeType[x]`), or called with one when it is named like an enum
(`SourceKind(x)`; any class can be built from one argument).
"""

from __future__ import annotations

import re
from typing import AbstractSet, Dict, FrozenSet, Iterable, List, Optional

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.ancestry import path_to
from mcp_lint.python.argument_kinds import CHOICE_SUFFIXES, CODE_SYSTEMS, PERSON_WORDS
from mcp_lint.python.names import dotted, keyword, string_value

# Methods and functions whose result is the same name, normalised.
NORMALISERS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title", "str"})
_NAME_SHAPED = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:/+-]{0,39}$")  # no `@`: e-mail addresses are personal
# Descriptions of people or of free text: their examples are samples of personal data, not names of things.
_PERSONAL = re.compile(r"\b(e-?mails?|user ?names?|display names?|persons?|people|phone|addresse?s?|free[- ]form|free text|natural language)\b", re.I)
_QUOTED = re.compile(r"'([^'\n]{1,60})'|\"([^\"\n]{1,60})\"|`([^`\n]{1,60})`")
_ONE_OF = re.compile(r"\b(one of|(valid|allowed|possible|supported) values)\b", re.I)
_CODE_SHAPED = re.compile(r"[-_.:/0-9]")  # `describe-instances`, `us-east-1`: not a plain word
_EXAMPLES = re.compile(r"\b(e\.g\.|eg\.|for example|such as|examples?)", re.I)
_MAX_DEPTH = 8
# The whole set spelled out after a colon: `Interpolation method: 'nearest', 'linear', 'area'`.
_ENUMERATED = re.compile(r":\s*(?:['\"`][^'\"`\n]{1,40}['\"`]\s*(?:,|/|\bor\b)\s*){2,}(?:\band\b\s*|\bor\b\s*)?['\"`]")
# `Available sections: posts, jobs`, `Valid modes are: fast, full`.
_AVAILABLE = re.compile(
    r"\b(?:available|valid|allowed|possible|supported)\s+\w+(?:\s+\w+)?(?:\s+are)?\s*:\s*"
    r"([\w.-]+(?:\s*(?:,|/|\bor\b|\band\b)\s*[\w.-]+)+)",
    re.I,
)
# The whole set in parentheses, with no "e.g.": `Filter by lifecycle status ('active', 'alpha', 'obsolescent')`.
_PARENTHESIZED = re.compile(r"\(\s*(?:['\"`][^'\"`\n]{1,40}['\"`]\s*(?:,|/|\bor\b|\|)\s*)+(?:\bor\b\s*)?['\"`][^'\"`\n]{1,40}['\"`]\s*\)")
_LIST_SEPARATOR = re.compile(r"\s*(?:,|/|\bor\b|\band\b)\s*")
# Documented as the name of a thing: `Profile name to use`, `Name of the saved profile`
# (the words naming the thing: before "name", or after "name of" / "name for" up to a preposition or a stop).
_NOT_A_NOUN_PHRASE = frozenset({"by", "with", "for", "to", "of", "or", "and", "in", "on", "from", "filter", "search", "match", "matching"})
_THING_NAME = re.compile(r"(?:(?:the|an?)\s+)?(?!(?:the|an?)\b)((?:\w+\s+){1,3}?)name\b")
_NAME_OF_THING = re.compile(r"(?:the\s+)?name\s+(?:of|for)\s+(?:(?:the|an?)\s+)?((?:\w+\s*?){1,4}?)(?=\s+(?:to|for|in|on|that|which|used|or)\b|\s*[,.;:()]|\s*$)")
# `Stock code (5 digits, e.g. 27800)`, `ISO country code`: an entry of a code list, not source code.
_CODE_OF_SYSTEM = re.compile(r"(?:(?:the|an?)\s+)?(?:\w+\s+)?(\w+)\s+codes?\b")
# `URI slug, not the display name`, `The calendar ID`, `Identifier of the board`: an identifier.
_IDENTIFIER_OPENING = re.compile(
    r"(?:(?:the|an?)\s+)?(?:[\w-]+\s+){0,2}?(?:slug|id|uuid|guid|identifier)(?:\s+of\s+(?:(?:the|an?)\s+)?[\w-]+(?:\s+[\w-]+)?)?")
_FIRST_SENTENCE = re.compile(r".*?(?:[.!?](?=\s)|$)", re.S)
_ENTRY_HEAD = re.compile(r"^\s*(:param\s+(\w+\s+)?)?\*{0,2}\w+\b\s*(\([^)]*\))?\s*:\s*")


# ---------------------------------------------------------------- documented choices


def described_as_choice(param: cst.Param, docstring: Optional[str]) -> bool:
    """The parameter's description says it holds one of a few names (see the module doc)."""
    return description_names_choice(field_description(param) or docstring_entry(docstring or "", param.name.value))


def description_names_choice(text: str) -> bool:
    """A parameter's description (Python's `Field(description=...)` or docstring entry, a Zod
    schema's `.describe(...)`) says it holds one of a few names, or the name of a thing."""
    if not text:
        return False
    # The name of a thing is told by the first sentence; later ones may speak of other things
    # ("Name for the broadcast. ... based on the email subject").
    opening = _FIRST_SENTENCE.match(_ENTRY_HEAD.sub("", text, count=1)).group(0)
    if not _PERSONAL.search(opening) and _names_a_thing(opening):
        return True
    clause = re.split(r"[,;(]", opening, maxsplit=1)[0].strip().lower()
    if _IDENTIFIER_OPENING.fullmatch(clause.rstrip(".")) and not _PERSONAL.search(clause):
        return True
    code_of = _CODE_OF_SYSTEM.match(opening.strip().lower())
    if code_of is not None and code_of.group(1) in CODE_SYSTEMS - {"program"}:  # `program code`: source code
        return True
    if _PERSONAL.search(text):
        return False
    listed = _AVAILABLE.search(text)  # `Available sections: posts, jobs` (unquoted)
    if listed and all(_NAME_SHAPED.match(item) for item in _LIST_SEPARATOR.split(listed.group(1)) if item):
        return True
    quoted = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(text)]
    if not quoted or not all(_NAME_SHAPED.match(q) for q in quoted):
        return False
    if _ONE_OF.search(text) or _spelled_out(text) or _PARENTHESIZED.search(text):
        return True
    # Examples alone: plain words could be free text (`e.g. 'python'` for a search), so at least
    # one must be written like an identifier.
    return len(quoted) >= 2 and bool(_EXAMPLES.search(text)) and any(_CODE_SHAPED.search(q) for q in quoted)


def _names_a_thing(text: str) -> bool:
    """The description opens by calling the value the name of a thing that is not a person
    (`Profile name to use`, `Name of the saved profile`; not `Full name of the user`)."""
    text = text.strip().lower()
    match = _THING_NAME.match(text) or _NAME_OF_THING.match(text)
    # `filter by name, job title, or skill`: a search over names (a person's, too), not a name.
    return match is not None and not set(match.group(1).split()) & (PERSON_WORDS | _NOT_A_NOUN_PHRASE)


def _spelled_out(text: str) -> bool:
    """Quoted names listed after a colon that does not introduce examples
    (`Interpolation method: 'nearest', 'linear', 'area'`, not `Examples: "Enter", "Tab", ...`)."""
    match = _ENUMERATED.search(text)
    return match is not None and not _EXAMPLES.search(text[max(0, match.start() - 20): match.start()])


def field_description(param: cst.Param) -> Optional[str]:
    """`description=` of a pydantic `Field(...)` given as the default or inside `Annotated[...]`."""
    candidates: List[cst.BaseExpression] = []
    if param.default is not None:
        candidates.append(param.default)
    annotation = param.annotation.annotation if param.annotation is not None else None
    if isinstance(annotation, cst.Subscript) and (dotted(annotation.value) or "").split(".")[-1] == "Annotated":
        candidates.extend(e.slice.value for e in annotation.slice[1:] if isinstance(e.slice, cst.Index))
    for value in candidates:
        if isinstance(value, cst.Call) and (dotted(value.func) or "").split(".")[-1] == "Field":
            arg = keyword(value, "description")
            text = _text(arg.value) if arg is not None else None
            if text:
                return text
    return None


def docstring_entry(docstring: str, name: str) -> str:
    """The lines a Google- or Sphinx-style docstring gives to parameter `name`."""
    lines = docstring.splitlines()
    start = re.compile(rf"^\s*(:param\s+(\w+\s+)?)?\*{{0,2}}{re.escape(name)}\b\s*(\([^)]*\))?\s*:")
    for i, line in enumerate(lines):
        if not start.match(line):
            continue
        indent = len(line) - len(line.lstrip())
        entry = [line]
        for follow in lines[i + 1:]:
            if not follow.strip() or len(follow) - len(follow.lstrip()) <= indent:
                break
            entry.append(follow)
        return "\n".join(entry)
    return ""


def _text(expr: cst.BaseExpression) -> Optional[str]:
    if isinstance(expr, cst.ConcatenatedString):
        parts = [_text(expr.left), _text(expr.right)]
        return "".join(p for p in parts if p) or None
    return string_value(expr)


# ---------------------------------------------------------------- rejected lookups


def fixed_sets(module: cst.Module) -> FrozenSet[str]:
    """Module-level names bound to a literal collection of at least two strings."""
    names = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
            targets = small.targets if isinstance(small, cst.Assign) else [small] if isinstance(small, cst.AnnAssign) else []
            if value is None or not _literal_names(value):
                continue
            for target in targets:
                if isinstance(target.target, cst.Name):
                    names.add(target.target.value)
    return frozenset(names)


def _literal_names(expr: cst.BaseExpression) -> bool:
    """A list, tuple, set or dict literal (optionally wrapped in `frozenset(...)`, `set(...)`,
    `tuple(...)`) of at least two strings, or with at least two string keys."""
    if isinstance(expr, cst.Call) and (dotted(expr.func) or "") in ("frozenset", "set", "tuple", "list") and len(expr.args) == 1:
        return _literal_names(expr.args[0].value)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        values = [e.value for e in expr.elements if isinstance(e, cst.Element)]
    elif isinstance(expr, cst.Dict):
        values = [e.key for e in expr.elements if isinstance(e, cst.DictElement)]
    else:
        return False
    return len(values) >= 2 and all(string_value(v) is not None for v in values)


def rejected_choice(function: cst.FunctionDef, call: cst.CSTNode, logged: cst.CSTNode, sets: FrozenSet[str],
                    enums: AbstractSet[str] = frozenset()) -> bool:
    """`call` (in `function`) runs only after `logged` was looked up in a fixed set of names:
    in the branch where the lookup failed, or after a statement whose lookup raises when it
    fails (`interp = METHODS[x]`, or `Priority(x)` in a `try` whose every `except` raises).
    Names bound to a literal set in the function count too; `enums` names the project's enum
    classes (`Priority`, whatever its name says)."""
    path = path_to(function, call)
    if not path:
        return False
    aliases = _assignments(function)
    root = _root(logged, aliases)
    if root is None:
        return False
    sets = sets | frozenset(name for name, values in aliases.items() if values and all(_literal_names(v) for v in values))
    for parent, child in zip(path, path[1:]):
        tested = _rejecting_test(parent, child, sets, enums)
        if tested is not None and any(_root(t, aliases) == root for t in tested):
            return True
        if any(_root(key, aliases) == root for key in _passed_lookups(parent, child, sets, enums)):
            return True
    return False


def _passed_lookups(parent: cst.CSTNode, child: cst.CSTNode, sets: FrozenSet[str], enums: AbstractSet[str]) -> Iterable[cst.BaseExpression]:
    """Keys of the raising lookups (`TABLE[x]`, `Enum[x]`) in the statements of a block that
    come before `child`, alone or in a `try` whose every `except` raises: past them, each key
    is one of the names."""
    if not isinstance(parent, cst.IndentedBlock):
        return
    for statement in parent.body:
        if statement is child:
            return
        if isinstance(statement, cst.Try) and statement.handlers and all(_ends_in_raise(h.body) for h in statement.handlers):
            statement = statement.body
        elif not isinstance(statement, cst.SimpleStatementLine):
            continue
        for node in walk.walk(statement):
            yield from _lookup_keys(node, sets, enums)


def _ends_in_raise(block: cst.BaseSuite) -> bool:
    last = block.body[-1] if isinstance(block, cst.IndentedBlock) and block.body else None
    return isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Raise)


def _rejecting_test(parent: cst.CSTNode, child: cst.CSTNode, sets: FrozenSet[str], enums: AbstractSet[str]) -> Optional[List[cst.BaseExpression]]:
    """The values `parent` looked up in a fixed set, when `child` is the branch taken on failure."""
    if isinstance(parent, cst.If):
        test = parent.test
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            target = test.comparisons[0]
            if _is_fixed(target.comparator, sets):
                if isinstance(target.operator, cst.NotIn) and child is parent.body:
                    return [test.left]
                if isinstance(target.operator, cst.In) and child is parent.orelse:
                    return [test.left]
        return None
    if isinstance(parent, cst.Try) and isinstance(child, cst.ExceptHandler):
        return [key for node in walk.walk(parent.body) for key in _lookup_keys(node, sets, enums)]
    return None


def _lookup_keys(node: cst.CSTNode, sets: FrozenSet[str], enums: AbstractSet[str]) -> Iterable[cst.BaseExpression]:
    """`Enum[x]`, `Enum(x)`, `TABLE[x]`: the `x` of a lookup that raises when it fails."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        key = node.slice[0].slice.value
        if string_value(key) is None and (_is_class_name(node.value) or _is_fixed(node.value, sets)):
            yield key
    elif isinstance(node, cst.Call) and (_is_choice_class(node.func) or dotted(node.func) in enums) and len(node.args) == 1 and node.args[0].keyword is None:
        if string_value(node.args[0].value) is None:
            yield node.args[0].value


def _is_class_name(expr: cst.BaseExpression) -> bool:
    name = (dotted(expr) or "").split(".")[-1]
    return bool(name) and name[0].isupper() and not name.isupper() and "_" not in name


def _is_choice_class(expr: cst.BaseExpression) -> bool:
    """`EpisodeType(x)`: a call only counts for a class named like an enum (any class can be
    built from one argument, and failing to parse a query says nothing about it)."""
    return _is_class_name(expr) and (dotted(expr) or "").endswith(CHOICE_SUFFIXES)


def _is_fixed(expr: cst.BaseExpression, sets: FrozenSet[str]) -> bool:
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "keys" and not expr.args:
        expr = expr.func.value
    return _literal_names(expr) or (isinstance(expr, cst.Name) and expr.value in sets)


def _root(expr: cst.CSTNode, aliases: Dict[str, List[cst.BaseExpression]], seen: FrozenSet[str] = frozenset(), depth: int = 0) -> Optional[str]:
    """The local name a value is, up to normalisation; None when it is computed from it."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in NORMALISERS:
            return _root(func.value, aliases, seen, depth + 1)
        if isinstance(func, cst.Name) and func.value in NORMALISERS and len(expr.args) == 1:
            return _root(expr.args[0].value, aliases, seen, depth + 1)
        if isinstance(func, cst.Attribute) and func.attr.value == "get" and len(expr.args) == 2:
            key, default = (_root(a.value, aliases, seen, depth + 1) for a in expr.args)
            return key if key is not None and key == default else None  # `ALIASES.get(x, x)`
        return None
    if not isinstance(expr, cst.Name):
        return None
    name = expr.value
    values = aliases.get(name, [])
    if not values or name in seen:
        return name
    roots = {_root(v, aliases, seen | {name}, depth + 1) for v in values}
    roots.discard(name)  # `x = ALIASES.get(x, x)` keeps it the same value
    return roots.pop() if len(roots) == 1 and None not in roots else name


def _assignments(function: cst.FunctionDef) -> Dict[str, List[cst.BaseExpression]]:
    found: Dict[str, List[cst.BaseExpression]] = {}
    for node in walk.walk(function.body):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            found.setdefault(node.targets[0].target.value, []).append(node.value)
    return found
