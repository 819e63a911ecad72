"""Which values in tool code come from the caller's arguments (a small, flow-insensitive taint pass).

Public API (kept small on purpose; rules about logging, SQL or shell arguments can share it):

- `tainted_names(function, handler, sanitizers=DEFAULT_SANITIZERS, safe=())` -> the local names of
  `function` (a tool handler, or a same-file helper it calls) that may hold caller-supplied data.
  Computed once per function and cached.
- `expression_uses(expr, names, attrs=(), sanitizers=DEFAULT_SANITIZERS, at=None)` -> the first
  sub-expression of `expr` that carries caller data, or None.
- `SeedTaint(function, handler, sanitizers, safe)` -> for one function of tool code, which
  argument (seed) reaches an expression, each seed followed on its own; built once per function.

Seeds are the handler's argument parameters (`ToolHandler.argument_names`) and argument attributes
(`params.arguments` for low-level v2 handlers); for a helper, the helper parameters that receive a
tainted value at a call site in its handler. Taint flows through assignments, augmented
assignments, `for` / `with ... as` / walrus / comprehension targets and unpacking, and through
expressions that keep the value's content: attribute and item access, methods called on a tainted
value (`query.strip()`, `arguments.get("q")`), f-strings, `%` and `+`, containers, and a few
content-preserving functions (`str`, `repr`, `json.dumps`, `", ".join(...)`, `"{}".format(...)`).
A call to any other function (`db.search(query)`) returns a new value and is not tainted: the
result of a query is not the query. Sanitizers (`len`, `type`, `hash`, redaction helpers, ...)
and comparisons turn caller data into values that reveal nothing about it, and a name the
function uses as a number (`x % 2`, `x += 1`, `x - 1`) holds a number, not what the caller wrote.

The pass is flow-insensitive: a name that holds caller data anywhere in the function is
tainted everywhere in it. Where the statements show which assignment reaches a read (the same
name assigned in sibling `except` branches, reaching.py), a read is judged by that assignment's
value when the caller says where the read is (`at`).
"""

from __future__ import annotations

from collections import Counter
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst

from mcp_lint.python import walk

from mcp_lint.python.mcp_model import ToolHandler
from mcp_lint.python.names import dotted, through_thread_pool
from mcp_lint.python.reaching import dominating_value

# Calls whose result reveals nothing about the argument. A trailing `.*` matches a module's
# functions; other entries match the full dotted callee or its last component (`utils.redact`).
DEFAULT_SANITIZERS: FrozenSet[str] = frozenset(
    {"len", "bool", "type", "id", "hash", "isinstance", "redact", "mask", "sha256", "hashlib.*"}
)
# Functions whose result still contains the argument's content (matched on the last component).
PASS_THROUGH = frozenset(
    {"str", "repr", "ascii", "format", "list", "tuple", "dict", "set", "frozenset", "sorted", "reversed",
     "dumps", "loads", "pformat", "quote", "quote_plus", "unquote", "shorten", "copy", "deepcopy",
     "join", "format_map"}
)
# Methods that answer a yes/no or position question about a tainted receiver, and `keys()` of
# an arguments dict (the parameter names the schema declares, not what the caller sent).
PREDICATE_METHODS = frozenset(
    {"startswith", "endswith", "isdigit", "isalpha", "isalnum", "isnumeric", "isspace", "islower",
     "isupper", "count", "find", "rfind", "index", "__len__", "keys"}
)
# `locals()` / `vars()` without arguments expose every local, arguments included.
SCOPE_DUMPS = frozenset({"locals", "vars"})
_SAFE_ATTRS = frozenset({"__class__", "__name__", "__qualname__"})

_REACHING_DEPTH = 4  # assignments followed back from a read (`b = a`, `c = b`, ...)
_CACHE_LIMIT = 512  # functions of the files currently analysed; bounded so trees are not kept alive
_cache: Dict[tuple, FrozenSet[str]] = {}


def tainted_names(
    function: cst.FunctionDef,
    handler: ToolHandler,
    sanitizers: Iterable[str] = DEFAULT_SANITIZERS,
    safe: Iterable[str] = (),
) -> FrozenSet[str]:
    """Local names of `function` that may hold caller-supplied data. Parameters listed in
    `safe` (configured as harmless, e.g. an enum-like `sort_by`) are not seeds."""
    # The seeds come from the handler: one function is asked about with different handlers (a
    # tool's, or a sink's own parameters), and each answer is kept under its own.
    key = (function, handler.function, handler.argument_names, handler.argument_attrs, frozenset(sanitizers), frozenset(safe))
    found = _cache.get(key)
    if found is None:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        found = _cache[key] = _compute(function, handler, key[4], key[5])
    return found


def expression_uses(
    expr: cst.CSTNode,
    names: Iterable[str],
    attrs: Iterable[str] = (),
    sanitizers: Iterable[str] = DEFAULT_SANITIZERS,
    at: Optional[Tuple[cst.FunctionDef, cst.CSTNode]] = None,
) -> Optional[cst.CSTNode]:
    """The first sub-expression of `expr` that carries caller data, or None; with `at` (the
    function and the node `expr` is read in), names are read where they are (see `SeedTaint.uses`)."""
    finder = _Finder(frozenset(names), frozenset(attrs), frozenset(sanitizers))
    return (finder.at(*at) if at is not None else finder).find(expr)


class SeedTaint:
    """Which of the caller's arguments reach an expression in `function`, each argument (seed)
    followed on its own, the other seeds counted as safe: a value is judged by the argument it
    comes from. Most expressions carry no caller data at all, so each is first tested against
    the names tainted by all seeds together (a superset of every seed's); only one that passes
    is tested seed by seed. Keep one per function: the answers are computed once."""

    def __init__(self, function: cst.FunctionDef, handler: ToolHandler, sanitizers: Iterable[str], safe: Iterable[str]):
        self.function = function
        self.handler = handler
        self.sanitizers = frozenset(sanitizers)
        self.safe = frozenset(safe)
        self.seeds = sorted((handler.argument_names | {a.split(".")[0] for a in handler.argument_attrs}) - self.safe)
        self.attrs = handler.argument_attrs if function is handler.function else frozenset()
        self._any: Optional[_Finder] = None
        self._each: Optional[List[Tuple[str, _Finder]]] = None

    def reaches(self, expr: cst.CSTNode, at: Optional[cst.CSTNode] = None) -> bool:
        """Whether any seed may reach `expr` (True whenever `uses` finds something); with `at`,
        the statement-level node `expr` is read in (see `uses`)."""
        if self._any is None:
            names = tainted_names(self.function, self.handler, self.sanitizers, self.safe)
            self._any = _Finder(names, self.attrs, self.sanitizers)
        return self._any.at(self.function, at).find(expr) is not None

    def uses(self, exprs: Iterable[cst.CSTNode], at: Optional[cst.CSTNode] = None) -> List[Tuple[str, cst.CSTNode]]:
        """(seed, the sub-expression carrying it) for each seed and each of `exprs` it reaches,
        seed by seed in name order, then in the order of `exprs`. With `at` (the node the
        expressions are read in, e.g. the log call), a name whose last assignment before `at`
        is plain to see (reaching.py) carries only what that assignment's value carries."""
        reached = [e for e in exprs if self.reaches(e, at)]
        if not reached:
            return []
        found = []
        for seed, finder in self._seed_finders():
            finder = finder.at(self.function, at)
            for expr in reached:
                used = finder.find(expr)
                if used is not None:
                    found.append((seed, used))
        return found

    def _seed_finders(self) -> List[Tuple[str, "_Finder"]]:
        if self._each is None:
            self._each = []
            for seed in self.seeds:
                names = tainted_names(self.function, self.handler, self.sanitizers, self.safe | (set(self.seeds) - {seed}))
                attrs = frozenset(a for a in self.attrs if a.split(".")[0] == seed)
                self._each.append((seed, _Finder(names, attrs, self.sanitizers)))
        return self._each


def _compute(function: cst.FunctionDef, handler: ToolHandler, sanitizers: FrozenSet[str], safe: FrozenSet[str]) -> FrozenSet[str]:
    attrs = frozenset(a for a in handler.argument_attrs if a.split(".")[0] not in safe)
    if function is handler.function:
        seeds = set(handler.argument_names) - safe
    else:
        caller = tainted_names(handler.function, handler, sanitizers, safe)
        seeds = _helper_seeds(function, handler.function, _Finder(caller, attrs, sanitizers))
        if _defined_in(function, handler.function):
            own = {p.name.value for p in function.params.params}
            seeds |= caller - own  # a closure reads the handler's variables
    return frozenset(_propagate(function, seeds, attrs, sanitizers))


def _propagate(function: cst.FunctionDef, seeds: Set[str], attrs: FrozenSet[str], sanitizers: FrozenSet[str]) -> Set[str]:
    pairs = _body(function).pairs
    tainted = set(seeds)
    changed = True
    while changed:  # loops can carry taint backwards; a few rounds reach the fixpoint
        changed = False
        finder = _Finder(frozenset(tainted), attrs, sanitizers)
        for target, value in pairs:
            if finder.find(value) is None:
                continue
            new = set(_target_names(target)) - tainted
            if new:
                tainted |= new
                changed = True
    return tainted - _body(function).numeric  # numbers reveal little of what the caller wrote


def _helper_seeds(helper: cst.FunctionDef, caller: cst.FunctionDef, finder: "_Finder") -> Set[str]:
    """Helper parameters that receive a tainted value at one of the caller's call sites."""
    params = [*helper.params.posonly_params, *helper.params.params]
    by_name = {p.name.value for p in [*params, *helper.params.kwonly_params]}
    bound = bool(params) and params[0].name.value in ("self", "cls")
    seeds: Set[str] = set()
    for args, through_attribute in _calls_to(caller, helper.name.value):
        positional = [a for a in args if a.keyword is None and not a.star]
        offset = 1 if bound and through_attribute else 0  # `obj.method(q)` fills the parameter after self
        for index, arg in enumerate(positional, offset):
            if index < len(params) and finder.find(arg.value) is not None:
                seeds.add(params[index].name.value)
        for arg in args:
            if arg.keyword is not None and arg.keyword.value in by_name and finder.find(arg.value) is not None:
                seeds.add(arg.keyword.value)
    return seeds


def _defined_in(inner: cst.FunctionDef, outer: cst.FunctionDef) -> bool:
    return inner in _body(outer).nested


def _calls_to(function: cst.FunctionDef, name: str) -> List[Tuple[Sequence[cst.Arg], bool]]:
    """The arguments of each call of `name` in the function (through a thread pool too), and
    whether it is called through an attribute (`obj.method(q)`)."""
    return _body(function).calls.get(name, [])


def _body(function: cst.FunctionDef) -> "_Body":
    """What the pass reads from a function's body, gathered in one walk and kept for the file:
    each seed, set of safe parameters and helper asks the same body the same questions."""
    return walk.remembered(function, _Body)


class _Body:
    """Every (target, value) pair of the body (the target holds caller data when the value
    does), the calls of a plain name or a method by that name, and the functions defined inside."""

    def __init__(self, function: cst.FunctionDef) -> None:
        self.pairs: List[Tuple[cst.BaseExpression, cst.CSTNode]] = []
        self.calls: Dict[str, List[Tuple[Sequence[cst.Arg], bool]]] = {}
        self.nested: Set[cst.FunctionDef] = set()
        self.numeric: Set[str] = set()  # names used as numbers (`x % 2`, `x += 1`)
        walk.visit_each(function.body, self)
        params = function.params
        bindings = [n for target, _ in self.pairs for n in _target_names(target)]
        bindings += [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
        self._bound_once: Set[str] = {n for n, count in Counter(bindings).items() if count == 1}

    def rebound(self, name: str) -> bool:
        """Whether `name` is bound more than once (a parameter counts): only then can the
        assignment that reaches a read differ from the flow-insensitive answer."""
        return name not in self._bound_once

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, _NUMERIC_OPERATORS):
            for name, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(name, cst.Name) and isinstance(other, (cst.Integer, cst.Float)):
                    self.numeric.add(name.value)

    def visit_Call(self, node: cst.Call) -> None:
        func, args = through_thread_pool(node)  # `pool.submit(run, q)` calls `run(q)`
        if isinstance(func, cst.Name):
            self.calls.setdefault(func.value, []).append((args, False))
        elif isinstance(func, cst.Attribute):  # `db.execute_query(q)`, `self.run(q)`
            self.calls.setdefault(func.attr.value, []).append((args, True))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.nested.add(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        self.pairs.extend((t.target, node.value) for t in node.targets)

    def visit_AnnAssign(self, node) -> None:  # also AugAssign and NamedExpr
        if node.value is not None:
            self.pairs.append((node.target, node.value))

    visit_NamedExpr = visit_AnnAssign

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.visit_AnnAssign(node)
        if isinstance(node.target, cst.Name) and isinstance(node.value, (cst.Integer, cst.Float)) and isinstance(node.operator, _NUMERIC_AUGMENTED):
            self.numeric.add(node.target.value)

    def visit_For(self, node) -> None:  # also CompFor
        self.pairs.append((node.target, node.iter))

    visit_CompFor = visit_For

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.pairs.append((node.asname.name, node.item))


# Arithmetic with a number literal that a string would not survive (`"a" * 2` would): the name
# holds a number.
_NUMERIC_OPERATORS = (cst.Add, cst.Subtract, cst.Modulo, cst.FloorDivide, cst.Divide, cst.Power)
_NUMERIC_AUGMENTED = (cst.AddAssign, cst.SubtractAssign, cst.ModuloAssign, cst.FloorDivideAssign, cst.DivideAssign, cst.PowerAssign)


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    """Names bound by an assignment target, through tuple/list unpacking and starred targets."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


class _Finder:
    """Finds the first sub-expression carrying caller data, given the tainted names and attributes."""

    def __init__(self, names: FrozenSet[str], attrs: FrozenSet[str], sanitizers: FrozenSet[str]):
        self.names = names
        self.attrs = attrs
        self.sanitizers = sanitizers
        self.function: Optional[cst.FunctionDef] = None  # with `anchor`: where names are read
        self.anchor: Optional[cst.CSTNode] = None
        self.depth = 0

    def at(self, function: cst.FunctionDef, anchor: Optional[cst.CSTNode], depth: int = 0) -> "_Finder":
        """This finder reading names at `anchor` in `function` (itself when `anchor` is None;
        a flow-insensitive one past `_REACHING_DEPTH` assignments followed back)."""
        if anchor is None:
            return self
        other = _Finder(self.names, self.attrs, self.sanitizers)
        if depth <= _REACHING_DEPTH:
            other.function, other.anchor, other.depth = function, anchor, depth
        return other

    def find(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is not None:
            return method(node)
        return None  # literals, comparisons, lambdas and anything unknown carry nothing

    def _first(self, nodes: Iterable[Optional[cst.CSTNode]]) -> Optional[cst.CSTNode]:
        for node in nodes:
            if node is not None:
                found = self.find(node)
                if found is not None:
                    return found
        return None

    def _Name(self, node: cst.Name) -> Optional[cst.CSTNode]:
        if node.value not in self.names:
            return None
        if self.anchor is not None and _body(self.function).rebound(node.value):
            value = dominating_value(self.function, self.anchor, node.value)
            if value is not None:  # what this name holds here: its last assignment's value
                return node if self.at(self.function, value, self.depth + 1).find(value) is not None else None
        return node

    def _Attribute(self, node: cst.Attribute) -> Optional[cst.CSTNode]:
        if node.attr.value in _SAFE_ATTRS:
            return None
        name = dotted(node)
        if name is not None and any(name == a or name.startswith(a + ".") for a in self.attrs):
            return node
        return self.find(node.value)

    def _Subscript(self, node: cst.Subscript) -> Optional[cst.CSTNode]:
        return self.find(node.value)

    def _Call(self, node: cst.Call) -> Optional[cst.CSTNode]:
        name = dotted(node.func) or ""
        last = name.split(".")[-1]
        if self._sanitizes(name):
            return None
        if last in SCOPE_DUMPS and not node.args:
            return node if self.names or self.attrs else None
        if isinstance(node.func, cst.Attribute):
            if last in PREDICATE_METHODS:
                return None
            found = self.find(node.func.value)  # query.strip(), arguments.get("q")
            if found is not None:
                return found
        if last in PASS_THROUGH:  # str(q), json.dumps(args), ", ".join(terms), "{}".format(q)
            return self._first(a.value for a in node.args)
        return None

    def _sanitizes(self, name: str) -> bool:
        if not name:
            return False
        last = name.split(".")[-1]
        for entry in self.sanitizers:
            if entry.endswith(".*"):
                if name.startswith(entry[:-1]):
                    return True
            elif name == entry or last == entry:
                return True
        return False

    def _FormattedString(self, node: cst.FormattedString) -> Optional[cst.CSTNode]:
        return self._first(p.expression for p in node.parts if isinstance(p, cst.FormattedStringExpression))

    def _ConcatenatedString(self, node: cst.ConcatenatedString) -> Optional[cst.CSTNode]:
        return self._first([node.left, node.right])

    def _BinaryOperation(self, node: cst.BinaryOperation) -> Optional[cst.CSTNode]:
        return self._first([node.left, node.right])

    def _BooleanOperation(self, node: cst.BooleanOperation) -> Optional[cst.CSTNode]:
        return self._first([node.left, node.right])

    def _UnaryOperation(self, node: cst.UnaryOperation) -> Optional[cst.CSTNode]:
        return None if isinstance(node.operator, cst.Not) else self.find(node.expression)

    def _IfExp(self, node: cst.IfExp) -> Optional[cst.CSTNode]:
        return self._first([node.body, node.orelse])

    def _Await(self, node: cst.Await) -> Optional[cst.CSTNode]:
        return self.find(node.expression)

    def _NamedExpr(self, node: cst.NamedExpr) -> Optional[cst.CSTNode]:
        return self.find(node.value)

    def _elements(self, node) -> Optional[cst.CSTNode]:
        return self._first(e.value for e in node.elements)

    _Tuple = _List = _Set = _elements

    def _Dict(self, node: cst.Dict) -> Optional[cst.CSTNode]:
        parts: List[cst.CSTNode] = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                parts.extend((element.key, element.value))
            else:
                parts.append(element.value)  # **mapping
        return self._first(parts)

    def _comprehension(self, node) -> Optional[cst.CSTNode]:
        return self.find(node.elt)

    _ListComp = _SetComp = _GeneratorExp = _comprehension

    def _DictComp(self, node: cst.DictComp) -> Optional[cst.CSTNode]:
        return self._first([node.key, node.value])

    def _Arg(self, node: cst.Arg) -> Optional[cst.CSTNode]:
        return self.find(node.value)
