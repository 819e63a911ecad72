"""Static tool schemas of TypeScript/JavaScript servers for `mcp-lint snapshot`: literal Zod
shapes and objects (`{ q: z.string().describe("...") }`, `z.object({...})`) and low-level
`tools/list` literals become JSON Schema; anything built by code becomes `{}` with a
`$comment`, as in the Python snapshot. Nothing is run."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Tuple

from mcp_lint.documents.typescript import walk
from mcp_lint.snapshot import StaticTool
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.syntax import arguments, last_name, object_property, string_value, unwrap

NOT_STATIC = {"$comment": "not a literal Zod schema: not captured statically"}
_SCALARS = {"string": "string", "number": "number", "boolean": "boolean", "bigint": "integer", "int": "integer", "date": "string"}


def _chain(model, node) -> Optional[List[Tuple[str, list]]]:
    """`z.string().min(1).optional()` -> [("string", []), ("min", [1]), ("optional", [])]; None
    when the expression is not a call chain rooted at `z` (or `zod`)."""
    links: List[Tuple[str, list]] = []
    node = unwrap(node)
    for _ in range(64):
        if node is None or node.type != "call_expression":
            return None
        function = unwrap(node.child_by_field_name("function"))
        if function is None or function.type != "member_expression":
            return None
        links.append((model.text(function.child_by_field_name("property")), arguments(node)))
        receiver = unwrap(function.child_by_field_name("object"))
        if receiver is not None and receiver.type == "identifier" and model.text(receiver) in ("z", "zod"):
            return list(reversed(links))
        node = receiver
    return None


def _literal(model, node) -> Tuple[bool, Any]:
    """A JSON value written literally (strings, numbers, booleans, null, arrays, objects)."""
    node = unwrap(node)
    if node is None:
        return False, None
    text = string_value(model.doc, node)
    if text is not None:
        return True, text
    if node.type in ("number", "true", "false", "null"):
        try:
            return True, json.loads(model.text(node).replace("_", ""))
        except ValueError:
            return False, None
    if node.type == "unary_expression" and model.text(node).startswith("-"):
        ok, value = _literal(model, node.named_children[0])
        return (True, -value) if ok and isinstance(value, (int, float)) else (False, None)
    if node.type == "array":
        items = [_literal(model, c) for c in node.named_children]
        return (True, [v for _, v in items]) if all(ok for ok, _ in items) else (False, None)
    if node.type == "object":
        out = {}
        for child in node.named_children:
            if child.type != "pair":
                return False, None
            ok, value = _literal(model, child.child_by_field_name("value"))
            if not ok:
                return False, None
            out[model.text(child.child_by_field_name("key")).strip("'\"")] = value
        return True, out
    return False, None


def zod_schema(model, node, depth: int = 0) -> Tuple[Dict[str, Any], bool]:
    """(JSON Schema, optional?) of a Zod expression."""
    node = model.resolve_value(node)
    links = _chain(model, node) if depth < 32 else None
    if not links:
        return dict(NOT_STATIC), False
    base, args = links[0]
    optional = False
    if base in _SCALARS:
        schema: Dict[str, Any] = {"type": _SCALARS[base]}
    elif base in ("any", "unknown"):
        schema = {}
    elif base == "literal" and args:
        ok, value = _literal(model, args[0])
        schema = {"const": value} if ok else dict(NOT_STATIC)
    elif base == "enum" and args:
        ok, values = _literal(model, args[0])
        schema = {"type": "string", "enum": values} if ok else dict(NOT_STATIC)
    elif base == "array" and args:
        schema = {"type": "array", "items": zod_schema(model, args[0], depth + 1)[0]}
    elif base == "object" and args:
        schema = shape_schema(model, args[0], depth + 1)
    elif base == "record":
        schema = {"type": "object"}
    elif base == "union" and args and unwrap(args[0]).type == "array":
        schema = {"anyOf": [zod_schema(model, c, depth + 1)[0] for c in unwrap(args[0]).named_children]}
    else:
        return dict(NOT_STATIC), False
    for method, margs in links[1:]:
        ok, value = _literal(model, margs[0]) if margs else (False, None)
        if method == "optional":
            optional = True
        elif method == "nullable":
            schema = {"anyOf": [schema, {"type": "null"}]}
        elif method == "default":
            optional = True
            if ok:
                schema["default"] = value
        elif method == "describe" and ok:
            schema["description"] = value
        elif method == "int":
            schema["type"] = "integer"
        elif method in ("min", "max", "gte", "lte", "gt", "lt", "length") and ok:
            schema.update(_bound(schema.get("type"), method, value))
        elif method == "strict" and schema.get("type") == "object":
            schema["additionalProperties"] = False
    return schema, optional


def _bound(kind: Optional[str], method: str, value: Any) -> Dict[str, Any]:
    low = method in ("min", "gte", "gt")
    if kind == "string":
        return {"minLength" if low else "maxLength": value} if method != "length" else {"minLength": value, "maxLength": value}
    if kind == "array":
        return {"minItems" if low else "maxItems": value} if method != "length" else {"minItems": value, "maxItems": value}
    if method == "gt":
        return {"exclusiveMinimum": value}
    if method == "lt":
        return {"exclusiveMaximum": value}
    return {"minimum" if low else "maximum": value}


def shape_schema(model, node, depth: int = 0) -> Dict[str, Any]:
    """JSON Schema of a raw Zod shape `{ q: z.string() }` or of `z.object({...})`."""
    node = model.resolve_value(node)
    if node is None:
        return {"type": "object", "properties": {}}
    if node.type != "object":
        schema, _ = zod_schema(model, node, depth)
        return schema
    properties: Dict[str, Any] = {}
    required: List[str] = []
    for child in node.named_children:
        if child.type != "pair":
            return dict(NOT_STATIC)
        key = model.text(child.child_by_field_name("key")).strip("'\"")
        schema, optional = zod_schema(model, child.child_by_field_name("value"), depth + 1)
        properties[key] = schema
        if not optional:
            required.append(key)
    out: Dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = sorted(required)
    return out


def tools_in_document(document) -> List[StaticTool]:
    """The tools a TS file registers, with their static input schemas."""
    model = model_of(document)
    found: List[StaticTool] = []
    for tool in (*model.tools, *model.handled_elsewhere):
        if tool.kind in ("lowlevel", "jsonrpc", "linked"):
            continue  # listed by its list handler; or registered (and snapshot) in another module
        args = arguments(tool.registration)
        description = ""
        if tool.name_node is not None:  # a call of a registration wrapper, or a tool written as an object
            description = string_value(model.doc, tool.description_node) or ""
        elif tool.kind == "fastmcp":
            description = string_value(model.doc, object_property(model.doc, args[0], "description")) or ""
        elif len(args) >= 3 and unwrap(model.resolve_value(args[1])).type == "object" and model.callee(tool.registration).endswith("registerTool"):
            description = string_value(model.doc, object_property(model.doc, model.resolve_value(args[1]), "description")) or ""
        elif len(args) >= 3:
            description = string_value(model.doc, args[1]) or ""
        if _computed_name(model, tool):
            continue  # not a static tool (see tools_built_at_run_time)
        found.append(StaticTool(tool.name, description, shape_schema(model, tool.schema), document.location(tool.registration)))
    for call in model.list_tools_handlers:
        found.extend(_listed_tools(model, document, call))
    return found


_EMPTY_LIST = re.compile(r"tools\s*:\s*\[\s*\]")  # a tools/list handler that lists nothing
_FETCHED = re.compile(r"\bfetch\s*\(")  # a tools/list handler that asks another server over HTTP


def _computed_name(model, tool) -> bool:
    """The registration names its tool with an expression, not a string (`this.name`)."""
    if tool.name_node is not None:
        return string_value(model.doc, tool.name_node) is None
    first = arguments(tool.registration)[0]
    return not tool.name or tool.name == model.text(first) and string_value(model.doc, first) is None


def tools_built_at_run_time(document) -> list:
    """Where a TS file registers or lists tools no static snapshot can name: a registration
    whose name is computed (`server.registerTool(this.name, config, handler)` in a base class)
    or whose handler is looked up at run time (`TOOLS.forEach(t => server.tool(t.name, ...,
    HANDLERS[t.name]))`), or a tools/list handler whose list holds none of the literal tools
    `_listed_tools` reads (`tools: [...INCIDENT_TOOLS, ...LOGS_TOOLS]` of other modules). The
    tools exist: MCP0901 still asks for a snapshot, MCP0902 cannot compare them."""
    model = model_of(document)
    found = [document.location(t.registration) for t in (*model.tools, *model.handled_elsewhere)
             if t.kind not in ("lowlevel", "jsonrpc", "linked") and _computed_name(model, t)]
    found += [document.location(call) for call in model.opaque_registrations]  # `server.tool(tool.name, ..., handlers[tool.name])`
    for call in model.list_tools_handlers:
        handler = model.resolve_function(arguments(call)[-1])
        if handler is None or _listed_tools(model, document, call) or _EMPTY_LIST.search(model.text(handler)):
            continue
        if _FETCHED.search(model.text(handler)):
            continue  # a proxy: it lists what another server answers (an IDE's `/mcp/list_tools`)
        found.append(document.location(call))
    return found


def _listed_objects(model, handler, depth: int = 3) -> list:
    """The object literals a tools/list handler lists: written in it, module constants it names
    in an array (`tools: [CREATE_TASK_TOOL, GET_TASKS_TOOL]`), a module constant array it
    names (`tools: MAPS_TOOLS`), or what a function or method of the file it calls returns
    (`tools: this.getToolDefinitions()`, which may gather `...this.getQueryTools()`; `depth` levels)."""
    found = []
    for node in walk(handler):
        if node.type == "call_expression" and depth:
            name = model.callee(node)
            if name.count(".") == (1 if name.startswith("this.") else 0):
                for function in model.functions_by_name.get(last_name(name), ()):
                    found.extend(_listed_objects(model, function, depth - 1))
        elif node.type == "object":
            found.append(node)
        elif node.type == "array":
            found.extend(_array_objects(model, node))
        elif node.type == "identifier" and node.parent is not None and node.parent.type == "pair":
            value = model.resolve_value(node)
            if value is not node and value is not None and value.type == "array":
                found.extend(c for c in value.named_children if c.type == "object")
                found.extend(_array_objects(model, value))
    return found


def _array_objects(model, array) -> list:
    return [v for v in (model.resolve_value(e) for e in array.named_children if e.type == "identifier") if v is not None and v.type == "object"]


def _listed_tools(model, document, call) -> List[StaticTool]:
    """Low-level servers: the literal `tools: [{ name, description, inputSchema }]` of the
    tools/list handler, also through module constants (`tools: [SEARCH_TOOL]`)."""
    handler = model.resolve_function(arguments(call)[-1])
    if handler is None:
        return []
    found = []
    for node in _listed_objects(model, handler):
        name = string_value(model.doc, object_property(model.doc, node, "name"))
        schema_node = object_property(model.doc, node, "inputSchema")
        if name is None or schema_node is None:
            continue
        ok, schema = _literal(model, model.resolve_value(schema_node))
        description = string_value(model.doc, object_property(model.doc, node, "description")) or ""
        found.append(StaticTool(name, description, schema if ok else {"$comment": "inputSchema is not a literal: not captured statically"}, document.location(node)))
    return found
