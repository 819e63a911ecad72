"""What a Python rule sees while the shared traversal runs: the document, the MCP model and
where the traversal currently is (enclosing functions, the tool code it is inside)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Type

import libcst as cst

from mcp_lint.documents.python import PythonDocument
from mcp_lint.python import walk
from mcp_lint.python.mcp_model import McpModel, ToolCode, build_model


class PythonContext:
    def __init__(self, document: PythonDocument, model: McpModel, options: Dict[str, Dict[str, Any]]):
        self.document = document
        self.model = model
        self._options = options
        self.function_stack: List[cst.FunctionDef] = []

    def options_for(self, rule) -> Dict[str, Any]:
        return self._options.get(rule.code, {})

    @property
    def current_function(self) -> Optional[cst.FunctionDef]:
        return self.function_stack[-1] if self.function_stack else None

    @property
    def tool_code(self) -> Optional[ToolCode]:
        """The innermost enclosing function that runs on a tool call, if any."""
        for func in reversed(self.function_stack):
            code = self.model.tool_code.get(func)
            if code is not None:
                return code
        return None

    @property
    def at_module_level(self) -> bool:
        return not self.function_stack


class _EnterScope:
    """Runs before every rule on each node, so rules see the function they are in."""

    def __init__(self, ctx: PythonContext):
        self.ctx = ctx

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.ctx.function_stack.append(node)


class _LeaveScope:
    """Runs after every rule on each node, so `leave_FunctionDef` in a rule still sees it."""

    def __init__(self, ctx: PythonContext):
        self.ctx = ctx

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.ctx.function_stack.pop()


def package_of(path: str) -> str:
    """Dotted package of a project-relative path, for resolving relative imports."""
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    if parts and parts[0] == "src":
        parts = parts[1:]
    return ".".join(parts[:-1])


def run_python_rules(
    document: PythonDocument,
    rule_classes: Sequence[Type],
    options: Dict[str, Dict[str, Any]],
    view=None,
):
    """Build the model once and run every rule in one batched traversal.

    Returns (rules, context); each rule holds its findings. A rule that raises is reported by
    the engine, which retries the rules one at a time to isolate the culprit."""
    assert document.module is not None
    walk.forget()
    model = build_model(document.module, package_of(document.path), view, document.location)
    ctx = PythonContext(document, model, options)
    rules = [cls(ctx) for cls in rule_classes]
    walk.visit_batched(document.module, [_EnterScope(ctx), *rules, _LeaveScope(ctx)])
    return rules, ctx
