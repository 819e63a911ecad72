"""Static `tools/list` snapshot: every tool's name, description and input schema, computed from
the source without importing it, canonicalised so that it can be committed and diffed.

Schemas come from the handlers of the shared MCP model (type annotations, defaults,
`Annotated[..., Field(...)]`, in-file Enums and pydantic models) and, for low-level servers,
from `Tool(name=..., inputSchema={...})` literals. This approximates what the SDKs publish at
run time (see the README: the wire form differs in details such as titles, `$defs` and
`additionalProperties`); it is a drift gate, not the wire bytes."""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from mcp_lint.model import Location
from mcp_lint.python.mcp_model import McpModel, STANDALONE_TOOL_DECORATORS, ToolHandler
from mcp_lint.python.names import callee, dotted, keyword, positional, string_value

DEFAULT_PATH = "mcp-tools.snapshot.json"
SNAPSHOT_RULE = "MCP0902"  # its facts are each file's tools; its `path` option names the snapshot
FORMAT_VERSION = 1

_SCALARS = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "bytes": "string"}
_ARRAYS = {"list", "List", "Sequence", "MutableSequence", "Iterable", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple"}
_OBJECTS = {"dict", "Dict", "Mapping", "MutableMapping"}
_TYPING_MODULES = ("typing.", "typing_extensions.", "collections.abc.", "builtins.")
_ENUM_BASES = {"enum.Enum", "enum.StrEnum", "enum.IntEnum", "Enum", "StrEnum", "IntEnum"}
_MODEL_BASES = {"pydantic.BaseModel", "BaseModel", "typing.TypedDict", "typing_extensions.TypedDict", "TypedDict"}
# pydantic `Field(...)` constraints -> JSON Schema keywords.
_CONSTRAINTS = {
    "ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum",
    "min_length": "minLength", "max_length": "maxLength", "pattern": "pattern",
}
_LOW_LEVEL_TOOL = {"mcp.types.Tool", "mcp.Tool", "mcp.types.tools.Tool"}


@dataclass(frozen=True)
class StaticTool:
    """One tool as the snapshot stores it, and where it is registered."""

    name: str
    description: str
    input_schema: Dict[str, Any]
    location: Location

    def entry(self) -> Dict[str, Any]:
        return {"name": self.name, "description": self.description, "inputSchema": self.input_schema}


def _name(expr: cst.BaseExpression, model: McpModel) -> str:
    """The short type name of an annotation head: `typing.List` -> `List`, `str` -> `str`."""
    full = model.qualify(expr) or ""
    for prefix in _TYPING_MODULES:
        if full.startswith(prefix):
            return full[len(prefix):]
    return full


def _literal(expr: Optional[cst.BaseExpression], module: cst.Module) -> Tuple[bool, Any]:
    """(True, value) when `expr` is a literal Python value; (False, None) otherwise."""
    if expr is None:
        return False, None
    try:
        return True, ast.literal_eval(module.code_for_node(expr))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


class SchemaBuilder:
    """JSON Schema of annotations, resolving Enums and pydantic models defined in the file."""

    def __init__(self, module: cst.Module, model: McpModel):
        self.module = module
        self.model = model
        self.classes: Dict[str, cst.ClassDef] = {
            s.name.value: s for s in module.body if isinstance(s, cst.ClassDef)
        }
        self._expanding: List[str] = []

    # -- annotations -----------------------------------------------------------------
    def annotation(self, expr: cst.BaseExpression) -> Dict[str, Any]:
        text = string_value(expr)
        if text is not None:
            try:
                expr = cst.parse_expression(text)
            except cst.ParserSyntaxError:
                return {"$comment": f"string annotation `{text}` could not be parsed"}
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            return _any_of([self.annotation(expr.left), self.annotation(expr.right)])
        if isinstance(expr, cst.Name) and expr.value == "None":
            return {"type": "null"}
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr)
        name = _name(expr, self.model)
        if name in _SCALARS:
            return {"type": _SCALARS[name]}
        if name in _ARRAYS:
            return {"type": "array", "items": {}}
        if name in _OBJECTS:
            return {"type": "object", "additionalProperties": True}
        if name in ("Any", "object"):
            return {}
        local = self.classes.get(dotted(expr) or "")
        if local is not None:
            return self._class(local)
        return {"$comment": f"type `{dotted(expr) or self.module.code_for_node(expr)}` is not defined in this file: not expanded"}

    def _subscript(self, expr: cst.Subscript) -> Dict[str, Any]:
        head = _name(expr.value, self.model)
        args = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
        if head in _ARRAYS:
            homogeneous = len(args) == 2 and _is_ellipsis(args[1])
            if head in ("tuple", "Tuple") and not homogeneous:
                return {"type": "array", "prefixItems": [self.annotation(a) for a in args]}
            return {"type": "array", "items": self.annotation(args[0]) if args else {}}
        if head in _OBJECTS:
            return {"type": "object", "additionalProperties": self.annotation(args[-1]) if args else True}
        if head == "Optional" and args:
            return _any_of([self.annotation(args[0]), {"type": "null"}])
        if head == "Union":
            return _any_of([self.annotation(a) for a in args])
        if head == "Literal":
            return _enum([_literal(a, self.module)[1] for a in args])
        if head == "Annotated" and args:
            schema = self.annotation(args[0])
            for extra in args[1:]:
                if isinstance(extra, cst.Call) and (dotted(extra.func) or "").split(".")[-1] == "Field":
                    schema.update(self.field_keywords(extra))
            return schema
        return {"$comment": f"type `{self.module.code_for_node(expr)}` is not understood statically: not expanded"}

    # -- in-file classes -------------------------------------------------------------
    def _bases(self, cls: cst.ClassDef) -> List[str]:
        return [self.model.qualify(b.value) or "" for b in cls.bases]

    def _class(self, cls: cst.ClassDef) -> Dict[str, Any]:
        bases = self._bases(cls)
        if any(b in _ENUM_BASES or b.endswith(".Enum") for b in bases):
            return self._enum_class(cls)
        if self._is_model(cls) and cls.name.value not in self._expanding:
            self._expanding.append(cls.name.value)
            try:
                return self._model_class(cls)
            finally:
                self._expanding.pop()
        return {"$comment": f"class `{cls.name.value}` is not an Enum or a pydantic model: not expanded"}

    def _is_model(self, cls: cst.ClassDef, depth: int = 0) -> bool:
        for base in self._bases(cls):
            if base in _MODEL_BASES:
                return True
            parent = self.classes.get(base)
            if parent is not None and depth < 10 and self._is_model(parent, depth + 1):
                return True
        return False

    def _enum_class(self, cls: cst.ClassDef) -> Dict[str, Any]:
        values = []
        for stmt in _class_statements(cls):
            if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1:
                ok, value = _literal(stmt.value, self.module)
                if ok:
                    values.append(value)
        return _enum(values)

    def _model_class(self, cls: cst.ClassDef) -> Dict[str, Any]:
        properties: Dict[str, Any] = {}
        required: List[str] = []
        for stmt in _class_statements(cls):
            if isinstance(stmt, cst.AnnAssign) and isinstance(stmt.target, cst.Name):
                name = stmt.target.value
                if _name(stmt.annotation.annotation, self.model) == "ClassVar":
                    continue
                schema, has_default = self.parameter(stmt.annotation.annotation, stmt.value)
                properties[name] = schema
                if not has_default:
                    required.append(name)
        return _object(properties, required)

    # -- parameters ------------------------------------------------------------------
    def parameter(self, annotation: Optional[cst.BaseExpression], default: Optional[cst.BaseExpression]) -> Tuple[Dict[str, Any], bool]:
        """(schema, has a default) for a parameter or model field."""
        schema = self.annotation(annotation) if annotation is not None else {}
        if default is None:
            return schema, False
        if isinstance(default, cst.Call) and (dotted(default.func) or "").split(".")[-1] == "Field":
            schema.update(self.field_keywords(default))
            return schema, _field_has_default(default)
        ok, value = _literal(default, self.module)
        if ok and _json_safe(value):
            schema["default"] = value
        return schema, True

    def field_keywords(self, call: cst.Call) -> Dict[str, Any]:
        found: Dict[str, Any] = {}
        description = keyword(call, "description")
        if description is not None and string_value(description.value) is not None:
            found["description"] = string_value(description.value)
        default = keyword(call, "default") or positional(call, 0)
        if default is not None:
            ok, value = _literal(default.value, self.module)
            if ok and value is not Ellipsis and _json_safe(value):
                found["default"] = value
        for name, target in _CONSTRAINTS.items():
            arg = keyword(call, name)
            ok, value = _literal(arg.value, self.module) if arg is not None else (False, None)
            if ok and _json_safe(value):
                found[target] = value
        return found


def _class_statements(cls: cst.ClassDef) -> Iterable[cst.BaseSmallStatement]:
    for line in cls.body.body:
        if isinstance(line, cst.SimpleStatementLine):
            yield from line.body


def _field_has_default(call: cst.Call) -> bool:
    if keyword(call, "default_factory") is not None:
        return True
    default = keyword(call, "default") or positional(call, 0)
    return default is not None and not _is_ellipsis(default.value)


def _is_ellipsis(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Ellipsis)


def _json_safe(value: Any) -> bool:
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError):
        return False


def _any_of(options: List[Dict[str, Any]]) -> Dict[str, Any]:
    flat: List[Dict[str, Any]] = []
    for option in options:
        flat.extend(option["anyOf"] if set(option) == {"anyOf"} else [option])
    return {"anyOf": flat}


def _enum(values: List[Any]) -> Dict[str, Any]:
    values = [v for v in values if _json_safe(v)]
    schema: Dict[str, Any] = {"enum": values}
    kinds = {_SCALARS.get(type(v).__name__) for v in values}
    if len(kinds) == 1 and None not in kinds:
        schema["type"] = kinds.pop()
    return schema


def _object(properties: Dict[str, Any], required: List[str]) -> Dict[str, Any]:
    schema: Dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = sorted(required)
    return schema


# ---------------------------------------------------------------------------------------
# Tools of one file


def tools_in_module(module: cst.Module, model: McpModel, locate) -> List[StaticTool]:
    """The tools a file registers; `locate(node)` turns a CST node into a `Location`. Computed
    once per file (MCP0901 and MCP0902 both ask) and kept in the model's memo."""
    found = model.memo.get("snapshot-tools")
    if found is None:
        found = model.memo["snapshot-tools"] = _tools(module, model, locate)
    return list(found)


def _tools(module: cst.Module, model: McpModel, locate) -> List[StaticTool]:
    builder = SchemaBuilder(module, model)
    found = [
        _handler_tool(handler, builder, locate)
        for handler in model.handlers.values()
        if handler.kind == "tool"
    ]
    if model.imports_mcp:
        found.extend(_low_level_tools(module, model, locate))
    return found


def _tool_decorator(handler: ToolHandler, model: McpModel) -> Optional[cst.Decorator]:
    for dec in handler.function.decorators:
        target = callee(dec.decorator)
        if model.qualify(target) in STANDALONE_TOOL_DECORATORS or isinstance(target, cst.Attribute) and target.attr.value == "tool":
            return dec
    return None


def _handler_tool(handler: ToolHandler, builder: SchemaBuilder, locate) -> StaticTool:
    func = handler.function
    properties: Dict[str, Any] = {}
    required: List[str] = []
    for param in handler.params:
        if param.node.star:  # *args / **kwargs carry no named argument
            continue
        annotation = param.node.annotation.annotation if param.node.annotation is not None else None
        schema, has_default = builder.parameter(annotation, param.node.default)
        properties[param.name] = schema
        if not has_default:
            required.append(param.name)
    decorator = _tool_decorator(handler, builder.model)
    description = None
    if decorator is not None and isinstance(decorator.decorator, cst.Call):
        arg = keyword(decorator.decorator, "description")
        description = string_value(arg.value) if arg is not None else None
    if description is None:
        docstring = func.get_docstring(clean=False)
        description = inspect.cleandoc(docstring) if docstring else ""
    where = locate(decorator if decorator is not None else func.name)
    return StaticTool(handler.tool_name, description, _object(properties, required), where)


def _tool_objects(model: McpModel) -> Iterable[Tuple[cst.Call, Optional[str]]]:
    """Each `types.Tool(...)` construction of the file, with its literal name (None when the name
    is computed: `Tool(name=self.name, ...)`, `Tool(name="Spotify" + cls.__name__, ...)`)."""
    for call in model.calls:
        qualified = model.qualify(call.func) or ""
        if qualified in _LOW_LEVEL_TOOL or (qualified.startswith("mcp.") and qualified.endswith(".Tool")):
            name = keyword(call, "name")
            yield call, string_value(name.value) if name is not None else None


def tools_built_at_run_time(model: McpModel, locate) -> List[Location]:
    """Where the file builds tools whose names are computed, or registers functions it does not
    show (a loop over a table of tools): they exist, but no static snapshot can list them
    (MCP0901 still asks for one; MCP0902 cannot compare them)."""
    found = model.memo.get("built-tools")
    if found is None:  # MCP0901 and MCP0902 both ask
        found = model.memo["built-tools"] = [locate(call) for call, name in _tool_objects(model) if not name] if model.imports_mcp else []
        found += [locate(node) for node in model.opaque_registrations]  # `mcp.tool(name=n)(tool.func)` in a loop
    return list(found)


def _low_level_tools(module: cst.Module, model: McpModel, locate) -> Iterable[StaticTool]:
    """`types.Tool(name="x", description="...", inputSchema={...})` literals (`input_schema=` in 2.x)."""
    for call, name_value in _tool_objects(model):
        if not name_value:
            continue
        description = keyword(call, "description")
        schema_arg = keyword(call, "inputSchema") or keyword(call, "input_schema")
        ok, schema = _literal(schema_arg.value if schema_arg is not None else None, module)
        if not ok or not isinstance(schema, dict):
            schema = {"$comment": "inputSchema is not a literal: not captured statically"}
        text = string_value(description.value) if description is not None else None
        yield StaticTool(name_value, text or "", schema, locate(call))


@dataclass(frozen=True)
class UnitTools:
    """The tools of one project unit (mcp_lint/units.py) and where its snapshot lives."""

    root: Path
    path_option: str  # the MCP0902 `path` option of the unit's configuration
    tools: Tuple[StaticTool, ...]

    @property
    def file(self) -> Path:
        return self.root / self.path_option


def project_tools(targets: Sequence[Path], config, jobs: Optional[int] = None) -> List[UnitTools]:
    """The tools of each project unit of a run over `targets`, exactly as `check` sees them:
    the facts its schema snapshot rules collect (`SNAPSHOT_RULE`, Python and TypeScript), from
    models built with the shared project model (servers imported or renamed across modules,
    factories, subclasses). `config` must enable `SNAPSHOT_RULE` for every file. A run with no
    unit (no file found) has the configuration's root as its one unit, without tools."""
    from mcp_lint import engine
    from mcp_lint.units import Layout

    def at(root: Path, unit_config, tools: Tuple[StaticTool, ...]) -> UnitTools:
        return UnitTools(root, str(unit_config.rule_options.get(SNAPSHOT_RULE, {}).get("path", DEFAULT_PATH)), tools)

    layout = Layout(config, targets)
    found = []
    for unit, results in engine.unit_results(targets, config, jobs):
        tools = tuple(t for result in results for t in result.facts.get(SNAPSHOT_RULE, {}).get("tools", ()))
        found.append(at(unit.root, layout.config_for(unit.root, is_dir=True), tools))
    return sorted(found, key=lambda u: u.root) or [at(Path(config.root), config, ())]


# ---------------------------------------------------------------------------------------
# Canonical form, files


def canonical(tools: Sequence[StaticTool]) -> Dict[str, Any]:
    """The snapshot document: tools sorted by name (a duplicate name keeps the first seen)."""
    by_name: Dict[str, Dict[str, Any]] = {}
    for tool in sorted(tools, key=lambda t: (t.name, t.location.path, t.location.line)):
        by_name.setdefault(tool.name, tool.entry())
    return {"format": FORMAT_VERSION, "generator": "mcp-lint snapshot (static)", "tools": list(by_name.values())}


def render(document: Dict[str, Any]) -> str:
    """Readable, deterministic JSON: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_line(text: str, filename: str) -> str:
    """`sha256sum` format, so `sha256sum -c mcp-tools.snapshot.json.sha256` verifies it."""
    return f"{digest(text)}  {filename}\n"


def load(text: str) -> Dict[str, Dict[str, Any]]:
    """Tools of a snapshot file by name; ValueError when it is not one."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    tools = data.get("tools") if isinstance(data, dict) else None
    if not isinstance(tools, list) or not all(isinstance(t, dict) and isinstance(t.get("name"), str) for t in tools):
        raise ValueError("not an mcp-lint tools snapshot (expected {\"tools\": [{\"name\": ...}, ...]})")
    return {t["name"]: t for t in tools}


# ---------------------------------------------------------------------------------------
# Diff


@dataclass(frozen=True, order=True)
class Change:
    tool: str
    parameter: str  # "" for a tool-level change
    kind: str  # "tool removed", "parameter retyped", ...
    breaking: bool
    detail: str = ""

    @property
    def text(self) -> str:
        subject = f"tool `{self.tool}`" + (f", parameter `{self.parameter}`" if self.parameter else "")
        label = "breaking" if self.breaking else "additive"
        return f"{subject}: {self.kind}{': ' + self.detail if self.detail else ''} ({label})"


_NOT_TYPE = ("description", "title", "default", "$comment", "examples")


def _type_of(schema: Any) -> str:
    """The schema without its documentation keys, as canonical text (what a retype changes)."""
    if not isinstance(schema, dict):
        return json.dumps(schema, sort_keys=True)
    return json.dumps({k: v for k, v in schema.items() if k not in _NOT_TYPE}, sort_keys=True)


def _short(schema: Any) -> str:
    text = _type_of(schema)
    return text if len(text) <= 80 else text[:77] + "..."


def _properties(tool: Dict[str, Any]) -> Tuple[Dict[str, Any], set]:
    schema = tool.get("inputSchema") if isinstance(tool.get("inputSchema"), dict) else {}
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    required = set(schema.get("required") or ()) if isinstance(schema.get("required"), list) else set()
    return properties, required


def diff(old: Dict[str, Dict[str, Any]], new: Dict[str, Dict[str, Any]]) -> List[Change]:
    """Changes from the committed snapshot `old` to the computed one `new`, sorted."""
    changes: List[Change] = []
    removed = [n for n in old if n not in new]
    added = [n for n in new if n not in old]
    for name in removed:
        twin = next((a for a in added if _type_of(old[name].get("inputSchema")) == _type_of(new[a].get("inputSchema"))), None)
        if twin is not None:
            added.remove(twin)
            changes.append(Change(name, "", "tool renamed", True, f"now `{twin}`"))
        else:
            changes.append(Change(name, "", "tool removed", True))
    changes.extend(Change(name, "", "tool added", False) for name in added)
    for name in sorted(set(old) & set(new)):
        changes.extend(_tool_changes(name, old[name], new[name]))
    return sorted(changes)


def _tool_changes(name: str, old: Dict[str, Any], new: Dict[str, Any]) -> Iterable[Change]:
    if old.get("description") != new.get("description"):
        yield Change(name, "", "description changed", False)
    old_props, old_required = _properties(old)
    new_props, new_required = _properties(new)
    gone = [p for p in old_props if p not in new_props]
    fresh = [p for p in new_props if p not in old_props]
    for param in gone:
        twin = next((f for f in fresh if _type_of(old_props[param]) == _type_of(new_props[f])), None)
        if twin is not None:
            fresh.remove(twin)
            yield Change(name, param, "parameter renamed", True, f"now `{twin}`")
        else:
            yield Change(name, param, "parameter removed", True)
    for param in fresh:
        if param in new_required:
            yield Change(name, param, "required parameter added", True)
        else:
            yield Change(name, param, "optional parameter added", False)
    for param in sorted(set(old_props) & set(new_props)):
        before, after = old_props[param], new_props[param]
        retyped = _type_of(before) != _type_of(after)
        if retyped:
            yield Change(name, param, "parameter retyped", True, f"{_short(before)} -> {_short(after)}")
        if param in new_required and param not in old_required:
            yield Change(name, param, "parameter newly required", True)
        elif param in old_required and param not in new_required:
            yield Change(name, param, "parameter no longer required", False)
        for key in () if retyped else ("description", "default"):  # a retype explains those already
            if isinstance(before, dict) and isinstance(after, dict) and before.get(key) != after.get(key):
                yield Change(name, param, f"{key} changed", False)
