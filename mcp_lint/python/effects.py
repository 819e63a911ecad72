"""What a block of code does, as far as a rule needs to know: does it only write a log line?

A branch whose only statements are log calls (`logger.debug(...)`, `logging.info(...)`,
`print(...)`) or `pass` changes nothing the caller sees: a test that selects it decides what is
written to the log, not whether a request is allowed.
"""

from __future__ import annotations

import libcst as cst

from mcp_lint.python.names import dotted

LOG_CALL_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "trace"}
)


# Levels that report the normal course of things, not a problem.
ROUTINE_LEVELS = frozenset({"debug", "info"})


def only_logs(suite: cst.BaseSuite, levels: frozenset = LOG_CALL_METHODS) -> bool:
    """True when every statement of the block is a log call (at one of `levels`) or `pass`
    (and there is one)."""
    statements = suite.body if isinstance(suite, cst.IndentedBlock) else [suite]
    smalls = []
    for statement in statements:
        if not isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return False
        smalls.extend(statement.body)
    return bool(smalls) and all(isinstance(s, cst.Pass) or _is_log_call(s, levels) for s in smalls)


def _is_log_call(small: cst.BaseSmallStatement, levels: frozenset) -> bool:
    if not isinstance(small, cst.Expr):
        return False
    call = small.value.expression if isinstance(small.value, cst.Await) else small.value
    if not isinstance(call, cst.Call):
        return False
    name = dotted(call.func) or ""
    if name == "print":
        return levels is LOG_CALL_METHODS
    receiver, _, method = name.rpartition(".")
    return method in levels and "log" in receiver.split(".")[-1].lower()
