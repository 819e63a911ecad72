"""A fast read-only traversal of libcst trees.

libcst's own `node.visit(visitor)` rebuilds every node on the way back up (it is shared with
transformers), which makes a traversal cost about as much as the parse. mcp-lint only reads
trees, so this module walks them directly: children are taken from the dataclass fields (in
source order), whitespace and punctuation nodes are skipped (no rule inspects them), and
`visit_<Node>` / `leave_<Node>` methods are dispatched through a per-class table. Visitors
keep the libcst API: `visit_X` may return False to skip the children (single visitor only),
`leave_X(original_node)` runs after the children."""

from __future__ import annotations

import dataclasses
import enum
import typing
from typing import Callable, Dict, Iterator, List, Sequence, Tuple, TypeVar

import libcst as cst

T = TypeVar("T")

# Trivia: nodes no rule reads, skipped with their subtrees.
_TRIVIA: Tuple[type, ...] = (
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Newline,
    cst.Comment,
    cst.Comma,
    cst.Semicolon,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Colon,
    cst.AssignEqual,
    cst.Dot,
)
# Where the dataclass field order differs from source order (which libcst visits in).
_SOURCE_ORDER: Dict[type, Tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "asynchronous", "name", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.Arg: ("keyword", "value"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.ImportFrom: ("module", "names"),
    cst.With: ("asynchronous", "items", "body"),
    cst.For: ("asynchronous", "target", "iter", "body", "orelse"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.CompFor: ("asynchronous", "target", "iter", "ifs", "inner_for_in"),
}

_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _fields(cls: type) -> Tuple[str, ...]:
    """The fields of a node class that can hold a non-trivia node, in source order."""
    names = _FIELDS.get(cls)
    if names is None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # an annotation this interpreter cannot resolve: keep every field
            hints = {}
        every = [f.name for f in dataclasses.fields(cls) if f.name not in hints or _may_hold_node(hints[f.name])]
        first = [n for n in _SOURCE_ORDER.get(cls, ()) if n in every]
        names = tuple(first + [n for n in every if n not in first])
        _FIELDS[cls] = names
    return names


def _may_hold_node(annotation: object) -> bool:
    """Whether a field so annotated can hold a non-trivia node: `lpar: Sequence[LeftParen]`
    or `whitespace_after: BaseParenthesizableWhitespace` cannot, and are never read (about
    half the fields of a node). Anything not understood is kept."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return False
    if origin is not None:  # Union, Optional, Sequence, ...
        return any(_may_hold_node(arg) for arg in typing.get_args(annotation))
    if not isinstance(annotation, type):
        return True
    if issubclass(annotation, cst.CSTNode):
        return not _concrete_subclasses(annotation) <= _TRIVIA_TYPES
    return not issubclass(annotation, (str, int, float, bool, type(None), enum.Enum))


def _concrete_subclasses(*bases: type) -> frozenset:
    found, pending = set(), list(bases)
    while pending:
        cls = pending.pop()
        found.add(cls)
        pending.extend(cls.__subclasses__())
    return frozenset(found)


# libcst's node classes are ABCs, whose isinstance() is slow: compare exact types instead.
_NODE_TYPES = _concrete_subclasses(cst.CSTNode)
_TRIVIA_TYPES = _concrete_subclasses(*_TRIVIA)
# Children of the nodes seen recently, by id: rules walk the same function bodies many times.
# Each entry keeps its node alive, so an id cannot be reused while cached; `forget()` (called
# per file) bounds the memory.
_CHILDREN: Dict[int, Tuple[cst.CSTNode, List[cst.CSTNode]]] = {}


# Answers about a node that rules ask again and again (the nodes of a function body), by id and
# kind of answer, with the node kept alive as in _CHILDREN; cleared with it.
_REMEMBERED: Dict[Tuple[int, Callable], Tuple[cst.CSTNode, object]] = {}


def forget() -> None:
    _CHILDREN.clear()
    _REMEMBERED.clear()


def remembered(node: cst.CSTNode, compute: Callable[[cst.CSTNode], T]) -> T:
    """`compute(node)`, computed once per file (until `forget()`); the result is shared: read-only."""
    key = (id(node), compute)
    cached = _REMEMBERED.get(key)
    if cached is not None and cached[0] is node:
        return cached[1]  # type: ignore[return-value]
    value = compute(node)
    _REMEMBERED[key] = (node, value)
    return value


# Code that runs at another time than the code around it: nested functions, classes and lambdas.
NESTED_CODE = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})


def own_nodes(root: cst.CSTNode) -> List[cst.CSTNode]:
    """`root` and the nodes below it, pre-order, without nested functions, classes and lambdas
    (`own_nodes(func.body)`: what runs when the function runs). Kept for the file: rules read
    the same function bodies many times."""
    return remembered(root, _own_nodes)


def find_own(root: cst.CSTNode, predicate: Callable[[cst.CSTNode], bool]) -> List[cst.CSTNode]:
    """The nodes matching a predicate, in source order, without entering nested functions,
    lambdas or classes: their bodies run at another time (`own_nodes`)."""
    return [n for n in own_nodes(root) if predicate(n)]


def _own_nodes(root: cst.CSTNode) -> List[cst.CSTNode]:
    found: List[cst.CSTNode] = []
    stack = [root]
    nested = NESTED_CODE
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(child for child in reversed(children(current)) if type(child) not in nested)
    return found


def children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """Non-trivia child nodes, in source order."""
    key = id(node)
    cached = _CHILDREN.get(key)
    if cached is not None and cached[0] is node:
        return cached[1]
    out: List[cst.CSTNode] = []
    nodes, trivia = _NODE_TYPES, _TRIVIA_TYPES
    for name in _fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind in nodes:
            if kind not in trivia:
                out.append(value)
        elif kind is tuple or kind is list:
            for item in value:
                if type(item) in nodes and type(item) not in trivia:
                    out.append(item)
    _CHILDREN[key] = (node, out)
    return out


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every non-trivia node below and including `node`, pre-order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def _method_names(visitor_type: type, node_type: type) -> Tuple[str, str]:
    return f"visit_{node_type.__name__}", f"leave_{node_type.__name__}"


def visit(node: cst.CSTNode, visitor: object) -> None:
    """`node.visit(visitor)` for a read-only visitor, without rebuilding the tree. A visitor
    that overrides libcst's generic `on_visit(node) -> bool` gets that instead of `visit_X`."""
    on_visit = getattr(type(visitor), "on_visit", None)
    if on_visit is not None and on_visit is not cst.CSTVisitor.on_visit:
        stack = [node]
        while stack:
            current = stack.pop()
            if visitor.on_visit(current):  # type: ignore[attr-defined]
                stack.extend(reversed(children(current)))
        return
    visit_batched(node, [visitor], allow_skip=True)


_EACH: Dict[type, Dict[type, str]] = {}


def visit_each(node: cst.CSTNode, visitor: object) -> None:
    """`visitor.visit_X(n)` for every node `n` of type X below and including `node`, pre-order:
    for visitors that never skip children and have no `leave_X`, a plain loop with one look-up
    by exact type per node (the batched traversal's bookkeeping costs as much as the walk)."""
    kind = type(visitor)
    table = _EACH.get(kind)
    if table is None:
        inherited = cst.CSTVisitor  # its `visit_X` for every node type do nothing
        table = _EACH[kind] = {
            getattr(cst, name[6:]): name for name in dir(kind)
            if name.startswith("visit_") and hasattr(cst, name[6:]) and getattr(kind, name) is not getattr(inherited, name, None)
        }
    for current in walk(node):
        name = table.get(type(current))
        if name is not None:
            getattr(visitor, name)(current)


_DEFINED: Dict[Tuple[type, type], Tuple[bool, bool]] = {}
_BATCHES: Dict[Tuple[Tuple[type, ...], type], Tuple[list, list]] = {}


def _defined(kinds: Tuple[type, ...], node_type: type):
    """(index, name) of the visitors defining `visit_X`, then of those defining `leave_X`: per
    batch of visitor classes (files with the same rules share it), from what is known per class
    (the batch differs from file to file, the classes do not)."""
    found = _BATCHES.get((kinds, node_type))
    if found is None:
        found = _BATCHES[(kinds, node_type)] = _defined_in(kinds, node_type)
    return found


def _defined_in(kinds: Tuple[type, ...], node_type: type):
    visit_name, leave_name = _method_names(object, node_type)
    enter, leave = [], []
    for i, kind in enumerate(kinds):
        found = _DEFINED.get((kind, node_type))
        if found is None:
            found = _DEFINED[(kind, node_type)] = (
                callable(getattr(kind, visit_name, None)), callable(getattr(kind, leave_name, None)))
        if found[0]:
            enter.append((i, visit_name))
        if found[1]:
            leave.append((i, leave_name))
    return enter, leave


def visit_batched(node: cst.CSTNode, visitors: Sequence[object], allow_skip: bool = False) -> None:
    """Run several visitors in one traversal: on each node every visitor's `visit_X` in order,
    then the children, then every `leave_X` in order (libcst's batched semantics)."""
    enters: Dict[type, List[Callable]] = {}
    leaves: Dict[type, List[Callable]] = {}
    kinds = tuple(type(v) for v in visitors)

    def tables(node_type: type) -> Tuple[List[Callable], List[Callable]]:
        # Which visitors define visit_X / leave_X is a property of their classes: found once
        # per process, so a sub-walk (a rule walking one function body) only binds those.
        enter_names, leave_names = _defined(kinds, node_type)
        enters[node_type] = [getattr(visitors[i], name) for i, name in enter_names]
        leaves[node_type] = [getattr(visitors[i], name) for i, name in leave_names]
        return enters[node_type], leaves[node_type]

    leave_marker = object()
    stack: List[object] = [node]
    while stack:
        item = stack.pop()
        if item is leave_marker:
            current = stack.pop()
            for leave in leaves[type(current)]:
                leave(current)
            continue
        current = item
        node_type = type(current)
        enter_list = enters.get(node_type)
        if enter_list is None:
            enter_list, _ = tables(node_type)
        descend = True
        for enter in enter_list:
            if enter(current) is False and allow_skip:
                descend = False
        if leaves[node_type]:  # most node types have no leave_X: no marker to push and pop
            stack.append(current)
            stack.append(leave_marker)
        if descend:
            stack.extend(reversed(children(current)))
