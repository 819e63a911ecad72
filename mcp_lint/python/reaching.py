"""Which assignment of a local name reaches a statement, when the statement structure shows it.

The taint pass (dataflow.py) is flow-insensitive: a name tainted anywhere is tainted everywhere.
That is wrong in a common shape, the same name assigned in sibling branches:

    except FileNotFoundError as e:
        error_text = f"secrets file not found: {e}"        # reaches the log below
        logger.error(error_text)
    except Exception as e:
        error_text = f"could not sign in {user_email}: {e}"

`dominating_value(function, anchor, name)` answers with the value of the plain assignment
`name = value` that every path from the function's start to `anchor` passes last (a value that
does not itself read the name), found by
walking back from `anchor` through earlier statements of the same suite, then of the enclosing
suites. It answers None ("cannot tell": keep the flow-insensitive answer) as soon as an earlier
statement binds the name in any other way (a branch, a loop, `+=`, unpacking, `with ... as`),
when the walk leaves a loop body (a later iteration's assignment may reach), when an `except`,
`else` or `finally` clause follows a `try` body that binds the name, or at the function's start.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

import libcst as cst

from mcp_lint.python import walk

# (the clause owning a suite, its statements, the index of the statement holding the anchor);
# the owner is the function, a compound statement, or a clause node (ExceptHandler, Else, ...).
_Frame = Tuple[cst.CSTNode, Sequence[cst.CSTNode], int]
_LOOPS = (cst.For, cst.While)
_BINDERS = (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor, cst.WithItem,
            cst.ExceptHandler, cst.Import, cst.ImportFrom, cst.Global, cst.Nonlocal, cst.Del,
            cst.FunctionDef, cst.ClassDef, cst.MatchAs, cst.MatchStar)
_BINDER_TYPES = frozenset(_BINDERS)  # concrete node classes: a set lookup, not an isinstance per node
_BLOCKS = (cst.IndentedBlock, cst.SimpleStatementSuite)


def dominating_value(function: cst.FunctionDef, anchor: cst.CSTNode, name: str) -> Optional[cst.BaseExpression]:
    """The value last assigned to `name` on every path to `anchor` (see the module doc)."""
    frames = walk.remembered(function, _paths).get(id(anchor))
    if frames is None:
        return None
    answers = walk.remembered(function, _answers)
    owner, statements, index = frames[-1]
    key = (id(statements[index]), name)  # the statement holding the anchor
    if key not in answers:
        answers[key] = _walk_back(frames, name)
    return answers[key]


def _answers(function: cst.FunctionDef) -> dict:
    """(statement id, name) -> the walk's answer, kept with the function."""
    return {}


def _walk_back(frames: List[_Frame], name: str) -> Optional[cst.BaseExpression]:
    for owner, statements, index in reversed(frames):
        for statement in reversed(statements[:index]):
            value = _plain_assignment(statement, name)
            if value is not None:
                return value
            if _binds(statement, name):
                return None
        if not _may_continue(owner, name, frames):
            return None
    return None


def _paths(function: cst.FunctionDef) -> Dict[int, List[_Frame]]:
    """For each node of the function's own code (not in nested functions, classes or lambdas),
    by id: the suites from the function's body down to the statement that holds it. Built once
    per function: every read asks."""
    found: Dict[int, List[_Frame]] = {}
    pending: List[Tuple[cst.CSTNode, cst.CSTNode, List[_Frame]]] = [(function, function.body, [])]
    while pending:
        owner, block, outer = pending.pop()
        statements = _statements(block)
        for index, statement in enumerate(statements):
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                continue
            frames = [*outer, (owner, statements, index)]
            clauses = _suites(statement)
            blocks = {id(b) for _, b in clauses}
            stack = [statement]
            while stack:
                node = stack.pop()
                found[id(node)] = frames
                stack.extend(c for c in walk.children(node) if id(c) not in blocks and type(c) not in walk.NESTED_CODE)
            pending.extend((clause, block, frames) for clause, block in clauses)
    return found


def _statements(suite: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """The statements of a block, with the small statements of one-line suites and lines as
    statements of their own (`x = 1; log(x)`)."""
    body = suite.body if isinstance(suite, (cst.IndentedBlock, cst.SimpleStatementSuite)) else ()
    out: List[cst.CSTNode] = []
    for statement in body:
        out.extend(statement.body if isinstance(statement, cst.SimpleStatementLine) else (statement,))
    return out


def _suites(statement: cst.CSTNode) -> List[Tuple[cst.CSTNode, cst.CSTNode]]:
    """(clause, block) for each block of a compound statement; an `if`'s `elif` and `else`
    blocks are clauses of that `if`."""
    if isinstance(statement, cst.If):
        out = [(statement, statement.body)]
        orelse = statement.orelse
        while isinstance(orelse, cst.If):
            out.append((orelse, orelse.body))
            orelse = orelse.orelse
        if orelse is not None:
            out.append((orelse, orelse.body))
        return out
    if isinstance(statement, (cst.Try, cst.TryStar)):
        clauses = [(statement, statement.body), *((h, h.body) for h in statement.handlers)]
        clauses += [(c, c.body) for c in (statement.orelse, statement.finalbody) if c is not None]
        return clauses
    if isinstance(statement, _LOOPS):
        return [(statement, statement.body)] + ([(statement.orelse, statement.orelse.body)] if statement.orelse else [])
    if isinstance(statement, cst.With):
        return [(statement, statement.body)]
    if isinstance(statement, cst.Match):
        return [(case, case.body) for case in statement.cases]
    return []


def _may_continue(owner: cst.CSTNode, name: str, frames: List[_Frame]) -> bool:
    """Whether the walk may go on from the start of `owner`'s block to the statements before
    the compound statement that holds it: nothing that runs between binds the name."""
    if isinstance(owner, (cst.FunctionDef, *_LOOPS)):
        return False  # the function's start, or a loop body a later iteration enters again
    compound = next((statements[index] for _, statements, index in frames if _holds_clause(statements[index], owner)), None)
    if compound is None or isinstance(compound, _LOOPS):
        return False  # a loop's `else` runs after its body
    if isinstance(compound, (cst.Try, cst.TryStar)):
        if owner is compound:
            return True
        if isinstance(owner, cst.ExceptHandler) and name in _bound_names(owner):
            return False  # `except E as name:` binds it at the handler's start
        ran = [compound.body] if not isinstance(owner, cst.Finally) else [compound.body, *compound.handlers, *filter(None, [compound.orelse])]
        return not any(_binds(block, name) for block in ran)  # except/else/finally run after (part of) the body
    return not _binds(compound, name, skip_blocks=True)  # `if (x := ...)`, `with ... as x`, `case ... as x`


def _holds_clause(statement: cst.CSTNode, clause: cst.CSTNode) -> bool:
    return statement is clause or any(c is clause for c, _ in _suites(statement))


def _plain_assignment(statement: cst.CSTNode, name: str) -> Optional[cst.BaseExpression]:
    """`name = value` (one plain target, or `name: T = value`) whose value does not read `name`
    (`command = normalise(command)` carries on what the earlier `command` held), else None."""
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0].target, statement.value
    elif isinstance(statement, cst.AnnAssign) and statement.value is not None:
        target, value = statement.target, statement.value
    else:
        return None
    if not (isinstance(target, cst.Name) and target.value == name):
        return None
    return None if any(isinstance(n, cst.Name) and n.value == name for n in walk.walk(value)) else value


def _binds(node: cst.CSTNode, name: str, skip_blocks: bool = False) -> bool:
    """Whether anything in `node` may bind `name`; with `skip_blocks`, outside its blocks (a
    compound statement's header: tests, `with` items, `case` patterns)."""
    if skip_blocks:
        return name in _names_bound(node, skip_blocks=True)
    return name in walk.remembered(node, _names_bound)  # each statement is asked about many names


def _names_bound(node: cst.CSTNode, skip_blocks: bool = False) -> FrozenSet[str]:
    found: Set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) in _BINDER_TYPES:
            found.update(_bound_names(current))
        stack.extend(c for c in walk.children(current) if not (skip_blocks and type(c) in _BLOCKS))
    return frozenset(found)


def _bound_names(binder: cst.CSTNode) -> List[str]:
    """The names a binding node may bind (every name in its targets, conservatively)."""
    if isinstance(binder, cst.Assign):
        targets: List[cst.CSTNode] = [t.target for t in binder.targets]
    elif isinstance(binder, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor, cst.Del)):
        targets = [binder.target]
    elif isinstance(binder, cst.WithItem):
        targets = [binder.asname.name] if binder.asname is not None else []
    elif isinstance(binder, cst.ExceptHandler):
        targets = [binder.name.name] if binder.name is not None else []
    elif isinstance(binder, (cst.Import, cst.ImportFrom)):
        aliases = binder.names if isinstance(binder.names, Sequence) else []
        targets = [a.asname.name if a.asname is not None else a.name for a in aliases]
    elif isinstance(binder, (cst.Global, cst.Nonlocal)):
        targets = [n.name for n in binder.names]
    elif isinstance(binder, (cst.MatchAs, cst.MatchStar)):
        targets = [binder.name] if binder.name is not None else []
    else:  # FunctionDef, ClassDef
        targets = [binder.name]
    return [n.value for t in targets for n in walk.walk(t) if isinstance(n, cst.Name)]
