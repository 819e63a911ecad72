"""When the code of a server lifespan runs: startup before its `yield`, teardown after it.

A lifespan (`FastMCP(..., lifespan=app_lifespan)`, `Server(..., lifespan=...)`) is an async
context manager the SDK enters around serving. Read from the SDKs' source:

- mcp 1.x (`mcp.server.fastmcp.FastMCP.run_stdio_async`, 1.30) and 2.x (`MCPServer`, 2.3):
  `async with stdio_server()` is entered first, then `Server.run()` enters the lifespan and
  serves until the read side of the transport closes (stdin reaches EOF); only then does the
  lifespan exit.
- fastmcp (4.2, `run_stdio_async`): the lifespan is entered before `stdio_server()` and exits
  after it has closed.

So the startup half runs while the client is already reading the process's stdout as JSON-RPC
(it does from the moment it spawns the server), and the teardown half runs once the session is
over: nothing reads stdout as protocol any more.

`after_yield(function, node)` says whether `node` can only run after the function's `yield`
returned: statements following the one that holds the `yield`, at any level, and the `finally`
and `else` of a `try` whose body holds it. An `except` of that `try` may catch a failure before
the `yield` (during startup), so it does not count.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.ancestry import path_to

_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def after_yield(function: cst.FunctionDef, node: cst.CSTNode) -> bool:
    found = first_yield(function)
    if found is None:
        return False
    to_yield, to_node = path_to(function, found), path_to(function, node)
    if not to_yield or not to_node:
        return False
    depth = 0
    while depth < min(len(to_yield), len(to_node)) and to_yield[depth] is to_node[depth]:
        depth += 1
    if depth == 0 or depth >= min(len(to_yield), len(to_node)):
        return False  # the node holds the yield, or is inside it
    parent, yield_side, node_side = to_node[depth - 1], to_yield[depth], to_node[depth]
    if isinstance(parent, cst.Try):
        return yield_side is parent.body and node_side in (parent.finalbody, parent.orelse)
    siblings = getattr(parent, "body", None)
    if isinstance(siblings, (tuple, list)):
        order = [id(s) for s in siblings]
        if id(yield_side) in order and id(node_side) in order:
            return order.index(id(node_side)) > order.index(id(yield_side))
    return False


def first_yield(function: cst.FunctionDef) -> Optional[cst.Yield]:
    """The function's own first `yield` (not one of a nested function or class)."""
    stack = list(reversed(walk.children(function.body)))
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Yield):
            return current
        if not isinstance(current, _SCOPES):
            stack.extend(reversed(walk.children(current)))
    return None
