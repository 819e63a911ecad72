"""asyncio task idioms a rule must tell apart from the code around them.

Cancel-and-drain: `task.cancel()` followed by `try: await task / except CancelledError: pass`.
A loop that stops on cancel: `while True: try: await asyncio.sleep(60) ... except
CancelledError: break` as the function's last awaiting statement: the task ends when cancelled
(a background cleanup loop started with `create_task`), nothing keeps running.
The `CancelledError` that `await task` raises is the cancelled child's own result: catching it
is how asyncio's documentation waits for a cancelled task to unwind. It is the caller's own
cancellation only if the caller is cancelled during that same await (code that must tell the two
apart checks `asyncio.current_task().cancelling()`); the idiom itself swallows nothing of the
caller's.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.names import dotted


def drains_cancelled_task(try_node: cst.Try, function: cst.FunctionDef) -> bool:
    """True when the `try` only awaits a task that `function` cancelled before it."""
    task = _awaited_name(try_node.body)
    if task is None:
        return False
    for node in walk.walk(function.body):
        if node is try_node:
            return False  # reached the try without seeing `task.cancel()`
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "cancel" \
                and dotted(node.func.value) == task and not node.args:
            return True
    return False


def _awaited_name(body: cst.BaseSuite) -> Optional[str]:
    """`task` (or `self.task`) when the block is exactly `await task` (or `x = await task`)."""
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    if len(statements) != 1 or not isinstance(statements[0], (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return None
    smalls = statements[0].body
    if len(smalls) != 1:
        return None
    small = smalls[0]
    value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
    return dotted(value.expression) if isinstance(value, cst.Await) else None


def stops_loop_on_cancel(handler: cst.ExceptHandler, try_node: cst.Try, function: cst.FunctionDef) -> bool:
    """The handler ends with `break` out of a loop of the function's body that holds the `try`
    directly, and nothing after that loop awaits."""
    last = handler.body.body[-1] if isinstance(handler.body, cst.IndentedBlock) and handler.body.body else None
    if not (isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Break)):
        return False
    statements = list(function.body.body) if isinstance(function.body, cst.IndentedBlock) else []
    for index, statement in enumerate(statements):
        if isinstance(statement, (cst.While, cst.For)) and isinstance(statement.body, cst.IndentedBlock) and try_node in statement.body.body:
            return not any(isinstance(n, cst.Await) for later in statements[index + 1:] for n in walk.walk(later))
    return False
