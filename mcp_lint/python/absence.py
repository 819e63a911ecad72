"""Whether code handles a missing value with a fallback, or treats it as a failure.

`os.environ.get("X")` returns None (or the empty default) when the variable is unset. What the
function does next decides whether the variable is required:

- a fallback: the missing value selects another value or an alternative branch that is a valid
  configuration: `base = os.getenv("BASE") ... if not base: base = home`, `raw = os.getenv("ALLOW",
  "").strip(); if not raw: return None` ("no allowlist"), `os.getenv("A") or DEFAULT`, a missing
  branch that only notes the absence at debug or info level and goes on, a value used only
  under a test that it is set (`if ca: config["ssl_ca"] = ca`, `if ca and ...:`, `if ca :=
  read:`, `if read:`, no `else`, or an `else` that builds the same thing another way; `a if
  read else b`, a value picked by whether it is set; a read
  inside such a branch of a test of the same variable), a
  branch that wants the variable unset (`if A and not (read or ...):`, alternative
  credentials), a missing branch that returns a constant (`return DEFAULT_TIMEOUT`), or the
  read is itself the default of another read (`os.getenv(specific, os.getenv("GLOBAL"))`);
- a choice: the value is compared with fixed values (`if mode == "DISABLED": ... elif ...`)
  and no choice (no `else`, or one that falls back) is a valid setting, or it only becomes an
  on/off flag (`read.lower() in ("1", "true")`, `bool(read or other)`); or the read fills a key
  of a dict from which None values are dropped (`{k: v for k, v in config.items() if v is not
  None}`);
- a failure: the missing branch raises, or returns an error (`return "Error: X is not set"`), or
  nothing tests the value at all and it flows into a call.

Only a fallback is "handled". The check is local to one function and flow-insensitive: the name
bound to the read (through method chains such as `.strip().lower()`) and the `if` statements and
`or` expressions that test it.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional, Set

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.effects import ROUTINE_LEVELS, only_logs
from mcp_lint.python.names import dotted, string_value

IsRead = Callable[[cst.Call], bool]  # does this call read the environment (a getter with its default at 1)?


def absence_handled(read: cst.Call, function: cst.FunctionDef, is_read: IsRead) -> bool:
    """True when `function` treats a missing result of `read` as a valid configuration."""
    if _is_default_of_read(read, function, is_read) or _or_fallback(read, function) or _dropped_when_none(read, function):
        return True
    if _guarded_by_presence(read, function, is_read) or _probed_absent(read, function):
        return True
    names = _bound_names(read, function)
    for node in walk.walk(function.body):
        if isinstance(node, cst.If) and names and _contains(node, read) and not _contains(node.test, read):
            continue  # `if api_key is None: api_key = read`: it tests the value before the read
        if isinstance(node, cst.If) and _tests_missing(node.test, read, names):
            return _fallback_branch(node.body, names)
        if isinstance(node, cst.If) and _selects_choice(node.test, read, names):
            return _chain_falls_back(node, names)  # `if mode == "DISABLED": ... elif ...`
        if isinstance(node, cst.If) and _tests_present(node.test, read, names):
            # `if ssl_ca: config["ssl_ca"] = ssl_ca`: without the value the feature is skipped
            return node.orelse is None or _fallback_branch(node.orelse, names) or _builds_alternative(node)
        if isinstance(node, cst.IfExp) and _tests_present(node.test, read, names):
            return True  # `"anthropic" if os.getenv("ANTHROPIC_API_KEY") else None`: presence picks a value
        if names and isinstance(node, (cst.BooleanOperation, cst.IfExp)) and _name_with_fallback(node, names):
            return True
    return _kept_as_flag(read, function)


def _contains(root: cst.CSTNode, target: cst.CSTNode) -> bool:
    return any(node is target for node in walk.walk(root))


def _is_default_of_read(read: cst.Call, function: cst.FunctionDef, is_read: IsRead) -> bool:
    """`os.getenv(service_var, os.getenv("GLOBAL_VAR"))`: the global read only fills in a default."""
    for node in walk.walk(function.body):
        if isinstance(node, cst.Call) and node is not read and len(node.args) > 1 and is_read(node):
            default = node.args[1]
            if _contains(default.value, read):
                return True
    return False


def _or_fallback(read: cst.Call, function: cst.FunctionDef) -> bool:
    """`os.getenv("A") or DEFAULT` where DEFAULT is a real value (not `""` or None)."""
    for node in walk.walk(function.body):
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            if _contains(node.left, read) and not _contains(node.right, read) and not _missing_literal(node.right):
                return True
    return False


def _variable(call: cst.Call) -> Optional[str]:
    return string_value(call.args[0].value) if call.args else None


def _and_operands(test: cst.BaseExpression) -> Iterable[cst.BaseExpression]:
    """The operands of a condition's `and` chain (the condition itself when it is none)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        yield from _and_operands(test.left)
        yield from _and_operands(test.right)
    else:
        yield test


def _guarded_by_presence(read: cst.Call, function: cst.FunctionDef, is_read: IsRead) -> bool:
    """`if os.getenv("TOKEN"): config.token = os.getenv("TOKEN")`, `if os.getenv("A") and ...:
    key = os.getenv("A")`: the read runs only where a test has just found the variable set."""
    variable = _variable(read)
    if variable is None:
        return False
    for node in walk.walk(function.body):
        if isinstance(node, cst.If) and _contains(node.body, read) and any(
                isinstance(op, cst.Call) and op is not read and is_read(op) and _variable(op) == variable for op in _and_operands(node.test)):
            return True
    return False


def _probed_absent(read: cst.Call, function: cst.FunctionDef) -> bool:
    """`if os.getenv("CONN") and not (os.getenv("KEY") or os.getenv("TOKEN")):` a branch that
    wants KEY unset (one of several alternative credentials): unset is the state it looks for."""
    for node in walk.walk(function.body):
        if isinstance(node, cst.If):
            operands = list(_and_operands(node.test))
            if len(operands) > 1 and any(isinstance(op, cst.UnaryOperation) and isinstance(op.operator, cst.Not)
                                         and _contains(op.expression, read) for op in operands):
                return not any(isinstance(n, cst.Raise) for n in walk.walk(node.body))
    return False


def _bound_names(read: cst.Call, function: cst.FunctionDef) -> Set[str]:
    """Local names holding the read's value: `x = read`, `x = read.strip().lower()`, `x: str = read`,
    `(x := read)`."""
    names: Set[str] = set()
    for node in walk.walk(function.body):
        if isinstance(node, cst.Assign) and _same_value(node.value, read):
            names.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
        elif isinstance(node, (cst.AnnAssign, cst.NamedExpr)) and node.value is not None and _same_value(node.value, read):
            if isinstance(node.target, cst.Name):
                names.add(node.target.value)
    return names


def _same_value(value: cst.BaseExpression, read: cst.Call) -> bool:
    """The read itself, or a chain of method calls on it (`read.strip()`), also through an `or`
    (`(read or "").strip()`; an `or` with a real default is a fallback, `_or_fallback`), where
    it may be the last alternative (`os.getenv("GITHUB_TOKEN") or read`: the value is missing
    when the read is)."""
    while value is not read:
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
            value = value.func.value
        elif isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
            value = value.right if value.right is read else value.left
        else:
            return False
    return True


def _mentions(test: cst.BaseExpression, read: Optional[cst.Call], names: Set[str]) -> bool:
    return (read is not None and _contains(test, read)) or any(isinstance(n, cst.Name) and n.value in names for n in walk.walk(test))


def _tests_missing(test: cst.BaseExpression, read: Optional[cst.Call], names: Set[str]) -> bool:
    """`not x`, `x is None`, `x == ""` (and `not read.strip()`), alone or as one of several
    (`not key or not secret`: the body runs whenever the value is missing)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        return _tests_missing(test.left, read, names) or _tests_missing(test.right, read, names)
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _mentions(test.expression, read, names)
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if isinstance(target.operator, (cst.Is, cst.Equal)) and _missing_literal(target.comparator):
            return _mentions(test.left, read, names)
    return False


def _tests_present(test: cst.BaseExpression, read: cst.Call, names: Set[str]) -> bool:
    """`if x:` / `if x is not None:` / `if x := read:`, alone or with other conditions (`if x
    and y:`: the body runs only when the value is set; `if x or y:`, either switches it on):
    the missing branch is the `else`."""
    if isinstance(test, cst.BooleanOperation):  # `and`; `or` too (`if os.getenv("A") or os.getenv("B"):`)
        return _tests_present(test.left, read, names) or _tests_present(test.right, read, names)
    if isinstance(test, cst.NamedExpr):
        return _same_value(test.value, read)
    if test is read:  # `if os.getenv("TOKEN"):`
        return True
    if isinstance(test, cst.Name):
        return test.value in names
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if isinstance(target.operator, (cst.IsNot, cst.NotEqual)) and _missing_literal(target.comparator):
            return _mentions(test.left, read, names)
    return False


def read_as_flag(test: cst.BaseExpression, read: cst.Call) -> bool:
    """`os.getenv("X_RBAC", "false").lower() in ("1", "true")`: the test turns the read into an
    on/off choice, whatever the variable holds."""
    return _selects_choice(test, read, set())


def _selects_choice(test: cst.BaseExpression, read: cst.Call, names: Set[str]) -> bool:
    """`x == "DISABLED"`, `x in ("a", "b")`, `read.lower() in ("1", "true")`: a missing value
    matches none of the choices."""
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return False
    left, target = test.left, test.comparisons[0]
    if not ((isinstance(left, cst.Name) and left.value in names) or _same_value(left, read)):
        return False
    if not isinstance(target.operator, (cst.Equal, cst.In)):
        return False
    values = [e.value for e in target.comparator.elements] if isinstance(target.comparator, (cst.Tuple, cst.List, cst.Set)) else [target.comparator]
    return all(string_value(v) for v in values)


def _chain_falls_back(node: cst.If, names: Set[str]) -> bool:
    """The `if`/`elif` chain ends with no `else`, or one that falls back: no choice is a valid setting."""
    end = node.orelse
    while isinstance(end, cst.If):
        end = end.orelse
    return end is None or _fallback_branch(end, names)


def _kept_as_flag(read: cst.Call, function: cst.FunctionDef) -> bool:
    """`local = os.getenv("LOCAL", "").lower() in ("1", "true")`, `"experimental": os.getenv("X")
    is not None`: the read only becomes an on/off flag, which a missing value turns off (a test
    of it in an `if` is judged above)."""
    return any(isinstance(node, cst.Comparison) and (node.left is not read and _selects_choice(node, read, set()) or _presence_test(node, read))
               or _made_bool(node, read) for node in walk.walk(function.body))


def _made_bool(node: cst.CSTNode, read: cst.Call) -> bool:
    """`bool(os.getenv("DISPLAY") or os.getenv("WAYLAND_DISPLAY"))`, `bool(allowlist or
    os.getenv("LOGIN", "").strip())`: whether any is set, a yes/no that a missing value answers."""
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "bool" and len(node.args) == 1):
        return False
    pending = [node.args[0].value]
    while pending:
        operand = pending.pop()
        if _same_value(operand, read):  # the read, or cleaned: `os.environ.get("X", "").strip()`
            return True
        if isinstance(operand, cst.BooleanOperation):
            pending.extend((operand.left, operand.right))
    return False


def _presence_test(comparison: cst.Comparison, read: cst.Call) -> bool:
    """`read is None`, `read is not None`: a yes/no about the variable being set."""
    return comparison.left is read and len(comparison.comparisons) == 1 and \
        isinstance(comparison.comparisons[0].operator, (cst.Is, cst.IsNot)) and _is_none(comparison.comparisons[0].comparator)


def _dropped_when_none(read: cst.Call, function: cst.FunctionDef) -> bool:
    """`config = {"auth_plugin": read, ...}` and later `{k: v for k, v in config.items() if v is
    not None}`: an unset variable leaves its key out."""
    holders = {t.target.value for node in walk.walk(function.body) if isinstance(node, cst.Assign) and isinstance(node.value, cst.Dict)
               and any(isinstance(e, cst.DictElement) and e.value is read for e in node.value.elements)
               for t in node.targets if isinstance(t.target, cst.Name)}
    for node in walk.walk(function.body) if holders else ():
        if isinstance(node, cst.DictComp) and isinstance(node.value, cst.Name):
            source = node.for_in.iter
            if (isinstance(source, cst.Call) and isinstance(source.func, cst.Attribute) and source.func.attr.value == "items"
                    and isinstance(source.func.value, cst.Name) and source.func.value.value in holders
                    and any(_tests_present(i.test, read, {node.value.value}) for i in node.for_in.ifs)):
                return True
    return False


def _fallback_branch(branch: cst.CSTNode, names: Set[str]) -> bool:
    """The missing branch picks another value (rebinds the name), returns nothing, or only notes
    the absence at a routine level (`logger.debug("X not set, will use default")`); one that
    raises, or returns something else (an error message or result), treats the value as required."""
    suite = branch.body if isinstance(branch, cst.Else) else branch
    if isinstance(suite, cst.BaseSuite) and only_logs(suite, ROUTINE_LEVELS):
        return True
    nodes = list(walk.walk(branch))
    if any(isinstance(n, cst.Raise) for n in nodes):
        return False
    returns = [n for n in nodes if isinstance(n, cst.Return)]
    if returns:
        return all(r.value is None or _is_none(r.value) or _is_constant(r.value) for r in returns)
    return any(name in names for name in _assigned(nodes))


def _builds_alternative(node: cst.If) -> bool:
    """`if sa_path: client = Client(sa_path)` / `else: client = Client()`: without the value
    the `else` builds what the body builds another way (default credentials), and neither
    fails. An `else` that sets it to None (`client = None`) builds nothing."""
    if not isinstance(node.orelse, cst.Else):
        return False
    built = set(_assigned(walk.walk(node.body)))
    nodes = list(walk.walk(node.orelse))
    return not any(isinstance(n, (cst.Raise, cst.Return)) for n in nodes) and any(
        isinstance(n, cst.Assign) and not _missing_literal(n.value) and any(isinstance(t.target, cst.Name) and t.target.value in built for t in n.targets)
        for n in nodes)


def _is_constant(expr: cst.BaseExpression) -> bool:
    """A number or a module constant (`return _DEFAULT_LOCK_TIMEOUT`): a default value, not an
    error message or result."""
    if isinstance(expr, (cst.Integer, cst.Float)):
        return True
    name = expr.attr.value if isinstance(expr, cst.Attribute) else expr.value if isinstance(expr, cst.Name) else ""
    return name.strip("_").isupper()


def _assigned(nodes: Iterable[cst.CSTNode]) -> Iterable[str]:
    for node in nodes:
        if isinstance(node, cst.Assign):
            yield from (t.target.value for t in node.targets if isinstance(t.target, cst.Name))
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)) and isinstance(node.target, cst.Name):
            yield node.target.value


def _name_with_fallback(node: cst.CSTNode, names: Set[str]) -> bool:
    """`x or DEFAULT` and `x if x else DEFAULT` with x bound to the read."""
    if isinstance(node, cst.BooleanOperation):
        return (isinstance(node.operator, cst.Or) and isinstance(node.left, cst.Name) and node.left.value in names
                and not _missing_literal(node.right))
    test = node.test
    return isinstance(test, cst.Name) and test.value in names and not _missing_literal(node.orelse)


def _is_none(expr: Optional[cst.BaseExpression]) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _missing_literal(expr: cst.BaseExpression) -> bool:
    return _is_none(expr) or string_value(expr) == ""


def fallback_params(function: cst.FunctionDef) -> Set[str]:
    """Parameters whose missing value (None or empty) the function replaces with a fallback:
    `def make_path(base=None): if not base: base = home` takes an optional setting as it is."""
    params = {p.name.value for p in (*function.params.params, *function.params.kwonly_params)}
    found: Set[str] = set()
    if not params:
        return found  # nothing to replace: no need to read the body
    for node in walk.walk(function.body):
        if isinstance(node, cst.If):
            tested = _tested_name(node.test)
            if tested in params and _tests_missing(node.test, None, {tested}) and _fallback_branch(node.body, {tested}):
                found.add(tested)
    return found


def _tested_name(test: cst.BaseExpression) -> Optional[str]:
    """`p` in `not p`, `p is None` and `not isinstance(p, str)` (None is no instance of a type
    a setting has): the test is about the value itself."""
    inner = test.expression if isinstance(test, cst.UnaryOperation) else test.left if isinstance(test, cst.Comparison) else None
    if isinstance(inner, cst.Call) and isinstance(test, cst.UnaryOperation) and dotted(inner.func) == "isinstance" and inner.args:
        inner = inner.args[0].value
    return inner.value if isinstance(inner, cst.Name) else None
