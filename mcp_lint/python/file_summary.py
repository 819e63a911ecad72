"""Per-file summaries for the project model: small, cacheable facts about one Python module
(imports, bindings, classes, functions with their calls and statement structure).

They are extracted with CPython's `ast` (its C parser is an order of magnitude faster than
libcst), so the project-wide pass never parses a file with libcst: libcst parses each file once,
in the per-file rule phase, which then reads the merged project model. Values are encoded as
short strings so summaries stay small and JSON-cacheable:

    "s:<text>"      a string literal            "S:a|b"     one of several literals (`a if c else b`)
    "n:<dotted>"    a name or attribute chain    "l:a,b"     a list/tuple of names
    "L:a\x1fb"      a list/tuple of string literals (`tags=["mcp"]`), separated by U+001F
    "d:a,b"         a dict whose values are names  "o:a,b"     one of several names (`A if c else B`)
    "c:<index>"     the result of a call (index into the unit's `calls`)
    "m:c:<i>.<attr>" an attribute of a call's result (`create_server().run`)
    "e:<value>"     an element of <value> (a `for` target)
    "i:<value>"     an item of <value> (`HANDLERS[cmd]`, `HANDLERS.get(cmd)`)
    "x"             anything else
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from mcp_lint.python.newer_syntax import for_older_ast
from mcp_lint.reading import split_lines

JSONRPC_METHODS = ("initialize", "tools/list", "tools/call")
LITERAL_SEPARATOR = "\x1f"  # between the strings of an "L:" value


def literals(value: Optional[str]) -> Optional[Tuple[str, ...]]:
    """The strings of an encoded list of string literals, or None when it is not one."""
    return tuple(value[2:].split(LITERAL_SEPARATOR)) if value is not None and value.startswith("L:") else None


@dataclass(frozen=True)
class CallSite:
    func: str  # encoded callee: "n:mcp.run", "i:n:HANDLERS", "c:3" (a call's result), "x"
    line: int
    col: int
    end_line: int
    end_col: int
    args: Tuple[str, ...] = ()
    kwargs: Tuple[Tuple[str, str], ...] = ()

    def kwarg(self, name: str) -> Optional[str]:
        return next((v for k, v in self.kwargs if k == name), None)

    @property
    def callee(self) -> str:
        """Dotted callee text, or "" when the callee is not a plain name."""
        return self.func[2:] if self.func.startswith("n:") else ""


@dataclass(frozen=True)
class Statement:
    line: int
    end_line: int
    calls: Tuple[int, ...]  # indexes into the unit's calls, in the statement's own expressions
    suites: Tuple[Tuple["Statement", ...], ...] = ()
    branching: bool = False  # if / try / match: the suites are alternatives
    exits: bool = False  # return, raise, sys.exit(...)
    main_guard: bool = False  # `if __name__ == "__main__":`
    jsonrpc: str = ""  # the JSON-RPC method this branch handles (`if method == "tools/call":`)
    ends_process: bool = False  # sys.exit(...), raise SystemExit: the caller never gets control back
    terminal_only: bool = False  # `if sys.stdout.isatty():` / `if config.is_interactive:`: its body writes to a terminal
    flag: str = ""  # `if LOCAL_MODE:` -> "LOCAL_MODE", `if not LOCAL_MODE:` -> "!LOCAL_MODE"
    raises: bool = False  # a `raise` statement
    context: bool = False  # a `with` statement: its calls are the context managers', its suite the block
    unset_tested: Tuple[str, ...] = ()  # `if not a or not b:`, `if a is None:`: names whose being unset runs the body


@dataclass(frozen=True)
class Binding:
    target: str  # dotted: "mcp", "self.server", "Cls.attr"
    value: str
    line: int


@dataclass(frozen=True)
class Unit:
    """A function or a module body: what it calls and in which statements."""

    qualname: str  # "" for the module body
    line: int
    end_line: int
    calls: Tuple[CallSite, ...] = ()
    body: Tuple[Statement, ...] = ()
    bindings: Tuple[Binding, ...] = ()
    imports: Tuple[Tuple[str, str], ...] = ()  # (local name, qualified target)
    # Functions only:
    name: str = ""
    cls: str = ""  # qualname of the class a method belongs to
    params: Tuple[str, ...] = ()
    positional: int = 0  # how many arguments it takes by position; -1: any number (`*args`)
    param_defaults: Tuple[Tuple[str, str], ...] = ()
    decorators: Tuple[int, ...] = ()  # indexes into calls (a bare `@x.tool` is a call site too)
    returns: Tuple[str, ...] = ()
    return_annotation: str = ""
    reads_json_body: bool = False
    jsonrpc_methods: Tuple[str, ...] = ()
    raises: bool = False  # a `raise` statement in its own code (not in nested functions)
    absorbs: bool = False  # its whole body is a `try` whose broad `except` does not raise: a call cannot raise
    globals: Tuple[str, ...] = ()  # module names it declares `global` (its bindings of them rebind the module's)


@dataclass(frozen=True)
class ClassInfo:
    qualname: str
    line: int
    bases: Tuple[str, ...]  # encoded
    bindings: Tuple[Binding, ...] = ()  # class attributes
    calls: Tuple[CallSite, ...] = ()  # calls in the class body ("c:<i>" values of the bindings)


@dataclass(frozen=True)
class ModuleSummary:
    rel: str
    package: str
    module: Unit
    functions: Tuple[Unit, ...] = ()
    classes: Tuple[ClassInfo, ...] = ()
    star_imports: Tuple[str, ...] = ()
    web_framework: bool = False  # imports fastapi / starlette / flask / aiohttp / http.server
    reads_stdin: bool = False
    # CPython parsed the text as written, within the depth libcst is given (the rule phase's
    # parse needs no gate of its own: mcp_lint/documents/python.py `PythonDocument.parse_checked`)
    parse_checked: bool = False


WEB_FRAMEWORKS = ("fastapi", "starlette", "flask", "aiohttp", "http.server", "quart", "sanic", "django")
EXIT_CALLS = ("exit", "quit")


def summarise(rel: str, text: str, package: str) -> Optional[ModuleSummary]:
    """The summary of one module, or None when it does not parse (the rule phase reports that).
    A module written for a newer Python than the one running is read through newer_syntax.py."""
    from mcp_lint.documents.python import parse_checked

    tree = _parsed(rel, text)
    checked = tree is not None and parse_checked(text, tree)
    if tree is None:
        older = for_older_ast(text)
        tree = _parsed(rel, older) if older is not None else None
        if tree is None:
            return None
        text = older
    try:
        return _Summariser(rel, package, "tools/call" in text, text).module(tree, checked)
    except RecursionError:
        return None


def _parsed(rel: str, text: str) -> Optional[ast.Module]:
    try:
        return ast.parse(text, filename=rel)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


class _UnitBuilder:
    def __init__(self, qualname: str, node: ast.AST):
        self.qualname = qualname
        self.node = node
        self.calls: List[CallSite] = []
        self.bindings: List[Binding] = []
        self.imports: List[Tuple[str, str]] = []
        self.returns: List[str] = []
        self.loop_values: Dict[str, str] = {}
        self.reads_json = False
        self.raises = False
        self.methods: set = set()
        self.globals: List[str] = []  # names a `global` statement of the function declares


class _Summariser:
    def __init__(self, rel: str, package: str, jsonrpc: bool = False, text: str = ""):
        self.rel = rel
        # `ast` columns count UTF-8 bytes; findings and related locations count characters
        self._lines = None if text.isascii() else split_lines(text)
        self.jsonrpc = jsonrpc  # the text mentions `tools/call`: look for hand-rolled dispatch
        self.package = package
        self.functions: List[Unit] = []
        self.classes: List[ClassInfo] = []
        self.star_imports: List[str] = []
        self.web = False
        self.stdin = False

    def call_site(self, func: str, node: ast.expr, args=(), kwargs=()) -> CallSite:
        end = _end(node)
        return CallSite(func, node.lineno, self._column(node.lineno, node.col_offset), end,
                        self._column(end, node.end_col_offset or 0), args, kwargs)

    def _column(self, line: int, byte_offset: int) -> int:
        if self._lines is None or not 0 < line <= len(self._lines):
            return byte_offset
        return len(self._lines[line - 1].encode("utf-8")[:byte_offset].decode("utf-8", "ignore"))

    def module(self, tree: ast.Module, parse_checked: bool = False) -> ModuleSummary:
        unit = _UnitBuilder("", tree)
        body = self.suite(tree.body, unit, "")
        module_unit = Unit("", 1, _end(tree), tuple(unit.calls), body, tuple(unit.bindings), tuple(unit.imports))
        return ModuleSummary(
            self.rel, self.package, module_unit, tuple(self.functions), tuple(self.classes),
            tuple(self.star_imports), self.web, self.stdin, parse_checked,
        )

    # -- statements ------------------------------------------------------------------------
    def suite(self, statements, unit: _UnitBuilder, scope: str) -> Tuple[Statement, ...]:
        out = []
        for node in statements:
            statement = self.statement(node, unit, scope)
            if statement is not None:
                out.append(statement)
        return tuple(out)

    def statement(self, node: ast.stmt, unit: _UnitBuilder, scope: str) -> Optional[Statement]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function(node, unit, scope)
            return None
        if isinstance(node, ast.ClassDef):
            self.class_(node, unit, scope)
            return None
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.import_(node, unit)
            return None
        if isinstance(node, ast.Global):
            unit.globals.extend(node.names)  # declares, runs nothing
            return None
        start = len(unit.calls)
        line, end = node.lineno, _end(node)
        if isinstance(node, ast.If):
            calls = self.exprs(unit, node.test)
            suites = [self._narrowed_suite(node, unit, scope)]
            suites.append(self.suite(node.orelse, unit, scope) if node.orelse else ())
            method = next((m for m in _string_constants(node.test) if m in JSONRPC_METHODS), "") if self.jsonrpc else ""
            return Statement(line, end, calls, tuple(suites), True, False, _is_main_guard(node.test), method,
                             terminal_only=_tests_terminal(node.test), flag=_flag_of(node.test), unset_tested=_unset_names(node.test))
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            suites = [self.suite(node.body, unit, scope)]
            suites += [self.suite(h.body, unit, scope) for h in node.handlers]
            suites += [self.suite(part, unit, scope) for part in (node.orelse, node.finalbody) if part]
            return Statement(line, end, (), tuple(suites), True)
        if isinstance(node, ast.Match):
            calls = self.exprs(unit, node.subject)
            suites = tuple(self.suite(case.body, unit, scope) for case in node.cases)
            return Statement(line, end, calls, suites, True)
        if isinstance(node, (ast.For, ast.AsyncFor)):
            calls = self.exprs(unit, node.iter)
            if isinstance(node.target, ast.Name):
                unit.loop_values[node.target.id] = "e:" + self.value(node.iter, unit)
            elif isinstance(node.target, ast.Tuple):
                unit.loop_values.update(_table_columns(node.target, node.iter))
            suites = (self.suite(node.body, unit, scope), self.suite(node.orelse, unit, scope))
            return Statement(line, end, calls, suites)
        if isinstance(node, ast.While):
            calls = self.exprs(unit, node.test)
            return Statement(line, end, calls, (self.suite(node.body, unit, scope), self.suite(node.orelse, unit, scope)))
        if isinstance(node, (ast.With, ast.AsyncWith)):
            calls = self.exprs(unit, *(item.context_expr for item in node.items))
            return Statement(line, end, calls, (self.suite(node.body, unit, scope),), context=True)
        # Simple statements.
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            value = self.value(node.value, unit)
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = _dotted(target)
                if name:
                    unit.bindings.append(Binding(name, value, node.lineno))
        elif isinstance(node, ast.Return) and node.value is not None:
            unit.returns.append(self.value(node.value, unit))
        elif isinstance(node, ast.Raise) and isinstance(node.exc, (ast.Name, ast.Attribute)) and _dotted(node.exc):
            # `raise NotFound` instantiates the class, as `raise NotFound()` does
            exc = node.exc
            unit.calls.append(CallSite("n:" + _dotted(exc), exc.lineno, exc.col_offset, exc.end_lineno or exc.lineno, exc.end_col_offset or 0))
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.value(child, unit)
        # Leaving for another mode (`--version`, a subcommand) ends in return / exit; an error
        # path that raises still runs in the serving process, so its output still counts.
        ends_process = (
            isinstance(node, ast.Raise) and (_dotted(getattr(node.exc, "func", node.exc)) or "").endswith("Exit")
        ) or (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and (_dotted(node.value.func) or "").split(".")[-1] in EXIT_CALLS
        )
        exits = ends_process or isinstance(node, ast.Return)
        unit.raises = unit.raises or isinstance(node, ast.Raise)
        return Statement(line, end, tuple(range(start, len(unit.calls))), exits=exits, ends_process=ends_process,
                         raises=isinstance(node, ast.Raise))

    def exprs(self, unit: _UnitBuilder, *nodes: ast.expr) -> Tuple[int, ...]:
        start = len(unit.calls)
        for node in nodes:
            self.value(node, unit)
        return tuple(range(start, len(unit.calls)))

    def _narrowed_suite(self, node: ast.If, unit: _UnitBuilder, scope: str) -> Tuple[Statement, ...]:
        """The body of `if transport == "stdio":` reads the name as that literal (`mcp.run(
        transport=transport)` there serves stdio), as it reads a loop variable as an element."""
        test = node.test
        if not (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and len(test.ops) == 1
                and isinstance(test.ops[0], ast.Eq) and isinstance(test.comparators[0], ast.Constant)
                and isinstance(test.comparators[0].value, str)):
            return self.suite(node.body, unit, scope)
        name, before = test.left.id, unit.loop_values.get(test.left.id)
        unit.loop_values[name] = "s:" + test.comparators[0].value
        try:
            return self.suite(node.body, unit, scope)
        finally:
            if before is None:
                del unit.loop_values[name]
            else:
                unit.loop_values[name] = before

    # -- definitions -----------------------------------------------------------------------
    def function(self, node, outer: _UnitBuilder, scope: str) -> None:
        qualname = f"{scope}.{node.name}" if scope else node.name
        unit = _UnitBuilder(qualname, node)
        decorators = []
        for dec in node.decorator_list:
            decorators.append(self.decorator(dec, unit))
        args = node.args
        params = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
        defaults: List[Tuple[str, str]] = []
        positional = [*args.posonlyargs, *args.args]
        for arg, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
            defaults.append((arg.arg, self.value(default, unit)))
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is not None:
                defaults.append((arg.arg, self.value(default, unit)))
        body = self.suite(node.body, unit, qualname)
        cls = scope if scope and isinstance(getattr(outer, "node", None), ast.ClassDef) else ""
        methods = _string_constants_in(node) if self.jsonrpc else ()
        self.functions.append(Unit(
            qualname, node.lineno, _end(node), tuple(unit.calls), body, tuple(unit.bindings), tuple(unit.imports),
            name=node.name, cls=cls, params=tuple(params), param_defaults=tuple(defaults),
            positional=len(positional) if args.vararg is None else -1,
            decorators=tuple(decorators), returns=tuple(unit.returns),
            return_annotation=_dotted(node.returns) or (node.returns.value if isinstance(node.returns, ast.Constant) and isinstance(node.returns.value, str) else "") if node.returns is not None else "",
            reads_json_body=unit.reads_json, raises=unit.raises, absorbs=_absorbs_everything(node),
            jsonrpc_methods=tuple(m for m in JSONRPC_METHODS if m in methods), globals=tuple(sorted(set(unit.globals))),
        ))

    def decorator(self, dec: ast.expr, unit: _UnitBuilder) -> int:
        index = len(unit.calls)
        if isinstance(dec, ast.Call):
            self.value(dec, unit)  # calls are recorded outermost first
        else:
            unit.calls.append(self.call_site("n:" + (_dotted(dec) or "?"), dec))
        return index

    def class_(self, node: ast.ClassDef, outer: _UnitBuilder, scope: str) -> None:
        qualname = f"{scope}.{node.name}" if scope else node.name
        unit = _UnitBuilder(qualname, node)
        bases = tuple(self.value(b, outer) for b in node.bases)
        for statement in node.body:
            self.statement(statement, unit, qualname)
        self.classes.append(ClassInfo(qualname, node.lineno, bases, tuple(unit.bindings), tuple(unit.calls)))

    def import_(self, node, unit: _UnitBuilder) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    unit.imports.append((alias.asname, alias.name))
                else:
                    unit.imports.append((alias.name.split(".")[0], alias.name.split(".")[0]))
                    if "." in alias.name:
                        unit.imports.append(("", alias.name))  # loads the submodule too
                self._note_module(alias.name)
            return
        module = _absolute(node.module or "", node.level, self.package)
        self._note_module(module)
        for alias in node.names:
            if alias.name == "*":
                self.star_imports.append(module)
                continue
            unit.imports.append((alias.asname or alias.name, f"{module}.{alias.name}" if module else alias.name))

    def _note_module(self, module: str) -> None:
        if module.split(".")[0] in {w.split(".")[0] for w in WEB_FRAMEWORKS}:
            self.web = True

    # -- expressions -----------------------------------------------------------------------
    def value(self, node: ast.expr, unit: _UnitBuilder) -> str:
        """Encode an expression, recording every call in it (outermost first)."""
        if isinstance(node, ast.Constant):
            return f"s:{node.value}" if isinstance(node.value, str) else "x"
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = _dotted(node)
            if name is None:
                base = self.value(node.value, unit) if isinstance(node, ast.Attribute) else "x"
                # `create_server().run`: a method of a call's result
                return f"m:{base}.{node.attr}" if base.startswith("c:") else "x"
            if name in unit.loop_values:
                return unit.loop_values[name]
            if name.endswith(".json") or name == "sys.stdin" or name.startswith("sys.stdin."):
                self._note_read(name, unit)
            return f"n:{name}"
        if isinstance(node, ast.Call):
            index = len(unit.calls)
            unit.calls.append(self.call_site("x", node))
            func = self.value(node.func, unit)
            args = tuple(self.value(a.value if isinstance(a, ast.Starred) else a, unit) for a in node.args)
            kwargs = tuple((k.arg or "**", self.value(k.value, unit)) for k in node.keywords)
            unit.calls[index] = self.call_site(func, node, args, kwargs)
            callee = func[2:] if func.startswith("n:") else ""
            if callee.split(".")[-1] in ("json", "get_json") or callee in ("json.loads", "json.load"):
                unit.reads_json = True
            if callee.startswith("sys.stdin"):
                self.stdin = True
            if callee.endswith(".get") and func.startswith("n:"):
                return f"i:n:{callee[:-4]}"
            return f"c:{index}"
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            names = [self.value(e, unit) for e in node.elts]
            if names and all(n.startswith("n:") for n in names):
                return "l:" + ",".join(n[2:] for n in names)
            if names and all(n.startswith("s:") for n in names):
                return "L:" + LITERAL_SEPARATOR.join(n[2:] for n in names)
            return "x"
        if isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    self.value(key, unit)
            # `None` holds a place (a tool answered elsewhere, `"get_version": None`): it dispatches nothing
            values = [self.value(v, unit) for v in node.values if not _is_none(v)]
            if values and all(v.startswith("n:") for v in values):
                return "d:" + ",".join(v[2:] for v in values)
            return "x"
        if isinstance(node, ast.Subscript):
            base = self.value(node.value, unit)
            self.value(node.slice, unit)
            return f"i:{base}" if base.startswith("n:") else "x"
        if isinstance(node, ast.IfExp):
            self.value(node.test, unit)
            options = [self.value(node.body, unit), self.value(node.orelse, unit)]
            if all(o.startswith(("s:", "S:")) for o in options):
                return "S:" + "|".join(o[2:] for o in options)
            if all(o.startswith("n:") for o in options):
                return "o:" + ",".join(o[2:] for o in options)
            return "x"
        if isinstance(node, ast.Await):
            return self.value(node.value, unit)
        if isinstance(node, ast.NamedExpr):
            value = self.value(node.value, unit)
            unit.bindings.append(Binding(node.target.id, value, node.lineno))
            return value
        if isinstance(node, ast.Lambda):
            return "x"  # its body runs later, if ever
        self._visit_children(node, unit)
        return "x"

    def _visit_children(self, node: ast.AST, unit: _UnitBuilder) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.value(child, unit)
            elif isinstance(child, ast.comprehension):
                self.value(child.iter, unit)
                for condition in child.ifs:
                    self.value(condition, unit)
            elif isinstance(child, (ast.keyword,)):
                self.value(child.value, unit)
            elif isinstance(child, ast.arguments):
                continue

    def _note_read(self, name: str, unit: _UnitBuilder) -> None:
        if name.startswith("sys.stdin"):
            self.stdin = True
        else:
            unit.reads_json = True


def _end(node: ast.AST) -> int:
    return getattr(node, "end_lineno", None) or getattr(node, "lineno", 1)


def _dotted(node: Optional[ast.AST]) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _absolute(module: str, level: int, package: str) -> str:
    if not level:
        return module
    base = package.split(".") if package else []
    base = base[: max(0, len(base) - (level - 1))]
    return ".".join([*base, module] if module else base)


# What a test that holds only on a terminal names: `sys.stdout.isatty()`, `config.is_interactive`.
TERMINAL_TESTS = ("isatty", "is_interactive", "interactive", "is_tty")


def _flag_of(test: ast.expr) -> str:
    """`if NAME:` -> "NAME", `if not NAME:` -> "!NAME": a branch on one name's truth."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return "!" + test.operand.id
    return test.id if isinstance(test, ast.Name) else ""


def _unset_names(test: ast.expr) -> Tuple[str, ...]:
    """The names whose being unset (falsy or None) makes the test true: `not a`, each of `not a
    or not b`, `a is None`."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return tuple(name for value in test.values for name in _unset_names(value))
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return (test.operand.id,)
    if isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
        return (test.left.id,)
    return ()


def _tests_terminal(test: ast.expr) -> bool:
    """The `if` body runs only when the process talks to a terminal, never to an MCP client's
    pipe: its test (or one operand of an `and`) is `x.isatty()` or names interactivity."""
    if isinstance(test, ast.BoolOp):
        return isinstance(test.op, ast.And) and any(_tests_terminal(v) for v in test.values)
    if isinstance(test, ast.Call) and not test.args:
        test = test.func
    name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
    return name in TERMINAL_TESTS


def _table_columns(target: ast.Tuple, table: ast.expr) -> Dict[str, str]:
    """`for name, fn, doc in [("a", f, "..."), ("b", g, "...")]`: each target name whose column
    of the literal table holds only names, as the list of those names (`fn` -> "e:l:f,g"), the
    way tools are registered from a table (`server.add_tool(fn, name=name)`)."""
    rows = table.elts if isinstance(table, (ast.List, ast.Tuple)) else []
    if not rows or not all(isinstance(r, ast.Tuple) and len(r.elts) == len(target.elts) for r in rows):
        return {}
    columns = {}
    for index, name in enumerate(target.elts):
        cells = [row.elts[index] for row in rows]
        if isinstance(name, ast.Name) and all(isinstance(c, ast.Name) for c in cells):
            columns[name.id] = "e:l:" + ",".join(dict.fromkeys(c.id for c in cells))
    return columns


def _is_main_guard(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare):
        return False
    sides = [test.left, *test.comparators]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


def _string_constants(node: ast.AST) -> List[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _string_constants_in(node: ast.AST) -> set:
    """String literals compared with a value, used as dict keys or match patterns."""
    found = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Compare):
            found.update(_string_constants(n))
        elif isinstance(n, ast.Dict):
            found.update(k.value for k in n.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
        elif isinstance(n, ast.match_case):
            found.update(_string_constants(n.pattern))
    return found


def _absorbs_everything(node) -> bool:
    """The function's whole body (after its docstring) is one `try` with a broad `except` (bare,
    `Exception`, `BaseException`) and no `raise` in its handlers nor a `finally`:
    `try: ... except Exception as e: return f"failed: {e}"`."""
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Try) or body[0].finalbody:
        return False
    handlers = body[0].handlers
    broad = any(h.type is None or (_dotted(h.type) or "").split(".")[-1] in ("Exception", "BaseException") for h in handlers)
    return broad and not any(isinstance(n, ast.Raise) for h in handlers for n in ast.walk(h))


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
