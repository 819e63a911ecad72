"""Name resolution without executing or importing anything: dotted names of expressions and
the file's import aliases (`import os.path as p`, `from mcp.server.fastmcp import FastMCP as F`)."""

from __future__ import annotations

from typing import Dict, Optional, Sequence, Tuple

import libcst as cst


def dotted(expr: cst.BaseExpression) -> Optional[str]:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
        return ".".join(reversed(parts))
    return None


def last_part(name: Optional[str]) -> str:
    """The last part of a dotted name (`mcp.shared.exceptions.McpError` -> `McpError`); "" for None."""
    return (name or "").split(".")[-1]


# Keywords of result types that mark a failure (`CallToolResult(isError=True)`, 2.x `is_error`).
ERROR_FLAG_KEYWORDS = ("isError", "is_error")
# Return annotations that declare no output type of the tool's own: an `error` field in what such a
# tool returns is no documented part of its result.
GENERIC_RETURNS = frozenset({
    "str", "dict", "Dict", "Any", "list", "List", "Sequence", "Mapping", "object", "Optional", "Union",
    "CallToolResult", "ToolResult", "TextContent", "ImageContent", "AudioContent", "EmbeddedResource", "ResourceLink",
})  # the SDKs' result and content types: no output schema of the tool's own
# The attribute where FastMCP keeps its own low-level `Server` (`mcp._mcp_server.call_tool()(f)`).
LOWLEVEL_ATTRIBUTE = "._mcp_server"

# Calls that run a function in a thread pool within the caller's work, by the position of that
# function among the positional arguments (`pool.submit(f, q)`, `loop.run_in_executor(None, f, q)`).
THREAD_POOL_CALLS = {"submit": 0, "to_thread": 0, "run_sync": 0, "run_in_threadpool": 0, "run_in_executor": 1}

# Attaching a command to a command line runs nothing: click / typer groups run the one the
# command line names (`main.add_command(serve)`), argparse hands it over as `args.func`
# (`sub.set_defaults(func=run)`).
SUBCOMMAND_ATTACH = ("add_command", "add_typer", "set_defaults")


def through_thread_pool(call: cst.Call) -> Tuple[cst.BaseExpression, Sequence[cst.Arg]]:
    """The function a call really runs and its arguments: `pool.submit(run, q)` runs `run(q)`;
    any other call runs its own callee."""
    func = call.func
    method = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    position = THREAD_POOL_CALLS.get(method)
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if position is None or len(positional) <= position or not isinstance(positional[position].value, (cst.Name, cst.Attribute)):
        return func, call.args
    target = positional[position]
    return target.value, [a for a in call.args if a is not target and a not in positional[:position]]


def callee(expr: cst.BaseExpression) -> cst.BaseExpression:
    """The function part of a call or decorator: `x.tool()` -> `x.tool`."""
    return expr.func if isinstance(expr, cst.Call) else expr


def string_value(expr: Optional[cst.BaseExpression]) -> Optional[str]:
    """The value of a plain (non-f) string literal, else None."""
    if type(expr) is cst.SimpleString:
        plain = _unescaped(expr.value)
        if plain is not None:
            return plain
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _unescaped(literal: str) -> Optional[str]:
    """The value of a str literal with no escape and no carriage return: its text between the
    quotes (rules read tens of thousands of literals; `evaluated_value` parses each with
    `ast.literal_eval`). None when the literal needs evaluating (or is bytes)."""
    start = 0
    while literal[start] not in "'\"":
        start += 1
    if "b" in literal[:start].lower():
        return None
    quotes = 3 if literal[start : start + 3] in ('"""', "'''") and len(literal) - start >= 6 else 1
    body = literal[start + quotes : len(literal) - quotes]
    return body if "\\" not in body and "\r" not in body else None


def keyword(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call: cst.Call, index: int) -> Optional[cst.Arg]:
    args = [a for a in call.args if a.keyword is None and not a.star]
    return args[index] if index < len(args) else None


def module_name_of(node: cst.ImportFrom, package: str) -> str:
    """Absolute dotted module of a `from ... import` (relative ones resolved against `package`)."""
    module = dotted(node.module) if node.module is not None else ""
    depth = len(node.relative)
    if not depth:
        return module or ""
    base = package.split(".") if package else []
    base = base[: max(0, len(base) - (depth - 1))]
    return ".".join([*base, module] if module else base)


class ImportTable:
    """Local name -> fully qualified dotted name, from every import in the file."""

    def __init__(self, package: str = ""):
        self.package = package
        self.aliases: Dict[str, str] = {}

    def add(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted(alias.name) or ""
                if alias.asname is not None:
                    self.aliases[dotted(alias.asname.name) or full] = full
                else:
                    head = full.split(".")[0]
                    self.aliases.setdefault(head, head)
        elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            module = module_name_of(node, self.package)
            for alias in node.names:
                name = dotted(alias.name) or ""
                local = dotted(alias.asname.name) if alias.asname is not None else name
                self.aliases[local or name] = f"{module}.{name}" if module else name

    def resolve(self, name: Optional[str]) -> Optional[str]:
        """Qualify a dotted name through the imports: `F` -> `mcp.server.fastmcp.FastMCP`,
        `p.join` -> `os.path.join`. Unimported heads are returned unchanged."""
        if not name:
            return name
        head, _, rest = name.partition(".")
        full = self.aliases.get(head)
        if full is None:
            return name
        return f"{full}.{rest}" if rest else full

    def qualify(self, expr: cst.BaseExpression) -> Optional[str]:
        return self.resolve(dotted(expr))

    def package_prefixes(self) -> Tuple[str, ...]:
        """Dotted prefixes that name this project's own modules (best effort: the top package)."""
        top = self.package.split(".")[0] if self.package else ""
        return (top + ".",) if top else ()

    def imports_any(self, *prefixes: str) -> bool:
        return any(full == p or full.startswith(p + ".") for full in self.aliases.values() for p in prefixes)
