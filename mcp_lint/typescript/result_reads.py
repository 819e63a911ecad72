"""What callers read of the value a function returns.

A helper of another module that catches an error and returns a result object (`return {
success: false, error: error.message }`) sends that text to the client only where the tool code
calling it passes the field on. When every such caller reads only other fields (`const result =
await parser.parseFormFile(path); if (result.success && result.data) ...`), the text stops there.

The engine's link pass asks the calling modules (`reads_of_calls`) and tells each defining module
what its callers read (`tool_links.helper_fields_read`); `fields_read` answers for a function of
that module. Unknown stays unknown (None): a caller that returns, spreads, passes or logs the whole
value, or a call of the function inside its own module, whose use the pass does not see."""

from __future__ import annotations

from typing import FrozenSet, Optional

from mcp_lint.typescript.model import enclosing_class_body
from mcp_lint.typescript.syntax import enclosing_function, last_name

Reads = Optional[FrozenSet[str]]


def reads_of_calls(model, callee: str) -> Reads:
    """The fields the module reads of the values of its calls of `callee` (written so:
    `this.parser.parseFormFile`, `parseFormFile`), wherever they are (the pass runs before the
    module learns which of its functions are tool code); None when one of them is used whole, or
    when no call is written so."""
    calls = [call for call in model.nodes("call_expression") if model.callee(call) == callee]
    fields: set = set()
    for call in calls:
        read = _reads_of_value(model, call)
        if read is None:
            return None
        fields |= read
    return frozenset(fields) if calls else None


def _reads_of_value(model, call) -> Reads:
    node = call
    while node.parent is not None and node.parent.type in ("await_expression", "parenthesized_expression"):
        node = node.parent
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "expression_statement":
        return frozenset()  # the value is dropped
    if parent.type != "variable_declarator" or parent.child_by_field_name("value") != node:
        return None
    name = parent.child_by_field_name("name")
    if name.type == "object_pattern":
        return _destructured(model, name)
    if name.type != "identifier":
        return None
    return _fields_of_local(model, model.text(name), _scope_of(parent), name)


def _scope_of(declarator):
    """Where a declared name is seen: the block around a `const` or `let` (a function may declare
    `const result` in each branch), the whole function for a `var`."""
    declaration = declarator.parent
    if declaration is not None and declaration.type == "lexical_declaration" and declaration.parent is not None:
        return declaration.parent
    return enclosing_function(declarator)


def _destructured(model, pattern) -> Reads:
    """`const { success, data } = await parse(x)`: the keys taken (a rest element takes all)."""
    keys = set()
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            keys.add(model.text(child))
        elif child.type in ("pair_pattern", "object_assignment_pattern"):
            key = child.child_by_field_name("key") or child.child_by_field_name("left")
            if key is None or key.type not in ("property_identifier", "shorthand_property_identifier_pattern"):
                return None
            keys.add(model.text(key))
        else:
            return None
    return frozenset(keys)


def _fields_of_local(model, name: str, scope, declared) -> Reads:
    """The fields read of a local holding the value: `result.success`, `result?.data`; a test of
    the value itself (`if (!result)`) reads none. Any other use (returned, passed, spread,
    assigned) is the whole value."""
    if scope is None:
        return None
    fields = set()
    for node in _names_in(model, scope, name):
        if node == declared:
            continue
        parent = node.parent
        if node.type == "identifier" and parent.type == "member_expression" and parent.child_by_field_name("object") == node:
            fields.add(model.text(parent.child_by_field_name("property")))
        elif not (parent.type == "unary_expression" and model.text(parent).startswith("!")):
            return None
    return frozenset(fields)


def _names_in(model, scope, name: str):
    """The identifiers `name` in `scope`, not in an inner block that declares its own `name`."""
    pending = [scope]
    while pending:
        node = pending.pop()
        if node.type in ("identifier", "shorthand_property_identifier") and model.text(node) == name:
            yield node
        if node is not scope and node.type == "statement_block" and any(
                c.type == "lexical_declaration" and any(model.text(d.child_by_field_name("name")) == name for d in c.named_children
                                                        if d.type == "variable_declarator") for c in node.named_children):
            continue
        pending.extend(node.children)


def fields_read(model, function) -> Reads:
    """What the callers in other modules read of `function`'s value (the link pass's answer),
    or None: unknown, or called within its own module as well."""
    name = model.function_name(function)
    entry = next((read for (export, member), read in getattr(model.doc, "fields_read", ())
                  if model.linked_function(export, member)[1] == function), False)
    if entry is False or entry is None or not name or any(t.handler == function for t in model.tools):
        return None
    if any(_calls(model, call, function, name) for call in model.nodes("call_expression")):
        return None  # its own module's callers are not asked
    return frozenset(entry)


def _calls(model, call, function, name: str) -> bool:
    """The call names `function` (`name`): as a function or method of the module
    (`TsModel.called_functions`), or as a method on an instance of its class."""
    callee = model.callee(call)
    if last_name(callee) != name:
        return False
    if function in model.called_functions(callee):
        return True
    body = enclosing_class_body(function)
    cls = body.parent if body is not None else None
    return cls is not None and model.instance_class(call)[0] == model.text(cls.child_by_field_name("name"))
