"""Small questions about tree-sitter TypeScript nodes: names, strings, arguments, enclosing
functions. Everything here is iterative or bounded (trees can be very deep)."""

from __future__ import annotations

from typing import List, Optional

FUNCTION_TYPES = frozenset(
    {"arrow_function", "function_declaration", "function_expression", "method_definition",
     "generator_function_declaration", "generator_function", "function"}
)
# Wrappers that do not change what an expression is: `x as T`, `x!`, `(x)`, `await x`, `x satisfies T`.
_TRANSPARENT = frozenset({"as_expression", "non_null_expression", "parenthesized_expression", "await_expression",
                          "satisfies_expression", "type_assertion"})


def text(doc, node) -> str:
    return doc.source[node.start_byte : node.end_byte].decode("utf-8", "replace") if node is not None else ""


def unwrap(node):
    """The expression under `as`, `!`, parentheses and `await`."""
    while node is not None and node.type in _TRANSPARENT:
        inner = [c for c in node.named_children if c.type not in ("type_annotation",) and not c.type.endswith("_type")]
        if not inner:
            break
        node = inner[0]
    return node


def outer(node):
    """The parent of `node` above the casts, `!` and parentheses around it (not an `await`)."""
    parent = node.parent
    while parent is not None and parent.type in _TRANSPARENT and parent.type != "await_expression":
        parent = parent.parent
    return parent


def dotted(doc, node) -> str:
    """`a.b.c` for identifiers, member chains and `this` (optional chaining flattened); '' otherwise."""
    parts: List[str] = []
    node = unwrap(node)
    for _ in range(64):
        if node is None:
            return ""
        if node.type in ("identifier", "this", "property_identifier", "shorthand_property_identifier"):
            parts.append(text(doc, node))
            return ".".join(reversed(parts))
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            parts.append(text(doc, prop))
            node = unwrap(node.child_by_field_name("object"))
            continue
        if node.type == "subscript_expression":
            index = string_value(doc, node.child_by_field_name("index"))
            if index is None:
                return ""
            parts.append(index)
            node = unwrap(node.child_by_field_name("object"))
            continue
        return ""
    return ""


def callee(doc, call) -> str:
    """Dotted name of what a call or `new` invokes (`server.registerTool`, `pg.Pool`)."""
    field = "constructor" if call.type == "new_expression" else "function"
    return dotted(doc, call.child_by_field_name(field))


def method_name(doc, call) -> str:
    """The called property (`endsWith` in `req.get("x")?.endsWith(y)`), even on a computed receiver."""
    function = unwrap(call.child_by_field_name("function"))
    if function is not None and function.type == "member_expression":
        return text(doc, function.child_by_field_name("property"))
    return text(doc, function) if function is not None and function.type == "identifier" else ""


def last_name(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def arguments(call) -> list:
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "arguments":
        return []
    return [a for a in args.named_children if a.type != "comment"]


def string_value(doc, node) -> Optional[str]:
    """The value of a string literal or a template without substitutions."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return text(doc, node)[1:-1]
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        return text(doc, node)[1:-1]
    return None


def object_property(doc, obj, key: str):
    """The value node of `key` in an object literal (`{key: v}`, `{key}`), or None."""
    obj = unwrap(obj)
    if obj is None or obj.type != "object":
        return None
    for child in obj.named_children:
        if child.type == "pair":
            name = child.child_by_field_name("key")
            if name is not None and (text(doc, name).strip("'\"") == key):
                return child.child_by_field_name("value")
        elif child.type == "shorthand_property_identifier" and text(doc, child) == key:
            return child
    return None


def object_keys(doc, obj) -> List[str]:
    obj = unwrap(obj)
    keys = []
    if obj is not None and obj.type == "object":
        for child in obj.named_children:
            if child.type == "pair":
                keys.append(text(doc, child.child_by_field_name("key")).strip("'\""))
            elif child.type == "shorthand_property_identifier":
                keys.append(text(doc, child))
    return keys


def is_function(node) -> bool:
    return node is not None and node.type in FUNCTION_TYPES


def enclosing_function(node):
    node = node.parent
    while node is not None and node.type not in FUNCTION_TYPES:
        node = node.parent
    return node


def parameters(func) -> list:
    """The parameter nodes of a function (the pattern of each: identifier, object_pattern...)."""
    single = func.child_by_field_name("parameter")
    if single is not None:  # `x => ...`
        return [single]
    params = func.child_by_field_name("parameters")
    if params is None:
        return []
    out = []
    for p in params.named_children:
        if p.type in ("required_parameter", "optional_parameter"):
            pattern = p.child_by_field_name("pattern")
            out.append(pattern if pattern is not None else p)
        elif p.type != "comment":
            out.append(p)
    return out


def parameter_type(func, index: int) -> str:
    params = func.child_by_field_name("parameters")
    if params is None:
        return ""
    named = [p for p in params.named_children if p.type in ("required_parameter", "optional_parameter")]
    if index >= len(named):
        return ""
    annotation = named[index].child_by_field_name("type")
    return annotation.text.decode("utf-8", "replace").lstrip(": ").strip() if annotation is not None else ""


def pattern_names(doc, pattern) -> List[str]:
    """Names a binding pattern introduces (`{a, b: c, d = 1, ...rest}` -> a, c, d, rest)."""
    names: List[str] = []
    stack = [pattern]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        kind = node.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            names.append(text(doc, node))
        elif kind == "pair_pattern":
            stack.append(node.child_by_field_name("value"))
        elif kind in ("object_assignment_pattern", "assignment_pattern"):
            stack.append(node.child_by_field_name("left"))
        elif kind in ("object_pattern", "array_pattern", "rest_pattern"):
            stack.extend(reversed(node.named_children))
    return names


def within(node, container) -> bool:
    return container is not None and container.start_byte <= node.start_byte and node.end_byte <= container.end_byte
