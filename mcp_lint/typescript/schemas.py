"""What the fields of a tool's Zod input schema hold: text, or no text at all.

A schema is an object of Zod values (`{ query: z.string(), limit: z.number() }`), written in the
registration, held in a module constant, wrapped in `z.object(...)` or read as its `.shape`, and
often defined in a sibling module (`SearchToolArgs.shape` imported from `./search.types.js`).
A field holds no text when it is a number, a flag, an enum or a literal, or when its
`.describe(...)` calls it the name of a thing or one of a few names. Rules ask this of the
schemas they see in the file; the link pass asks it of imported ones in their own module
(`imported_schema_fields`) and tells the importer."""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from mcp_lint.python.argument_kinds import IDENTIFIER, kind_of_name
from mcp_lint.python.choices import description_names_choice
from mcp_lint.typescript.syntax import arguments, unwrap

NON_TEXT_ZOD = re.compile(r"z\s*\.\s*(number|boolean|bigint|enum|literal|int|nativeEnum|date)\b")
_DESCRIBE = re.compile(r"\.describe\(\s*(['\"`])((?:(?!\1).)*)\1", re.S)
_MAX_DEPTH = 8  # constants, spreads and nested objects followed (a schema may name itself: `z.lazy`, a cycle)

Fields = Tuple[Tuple[str, bool], ...]  # (field name, holds no text)


# Methods of a Zod object schema that keep its fields (or a subset: `pick`, `omit`; the whole set
# is kept, which can only make more fields count as text), and those that add another's.
_KEEPS_FIELDS = frozenset({"strict", "passthrough", "strip", "describe", "superRefine", "refine", "optional", "nullable", "partial",
                           "required", "default", "catchall", "pick", "omit", "readonly", "brand"})
_ADDS_FIELDS = frozenset({"extend", "merge", "and"})
_OBJECT_BUILDERS = frozenset({"object", "strictObject", "looseObject"})


def schema_objects(model, node, depth: int = 0) -> Optional[list]:
    """The object literals that make up a schema: `{...}`, `z.object({...})`, its `.shape`, a
    constant of this module holding one, `.extend({...})` / `.merge(Other)` of them (each part),
    `.strict()`, `.superRefine(...)` and the like; None when a part cannot be seen here."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    if node.type == "object":
        return [node]
    if node.type == "member_expression" and model.text(node.child_by_field_name("property")) == "shape":
        return schema_objects(model, node.child_by_field_name("object"), depth + 1)
    if node.type == "identifier":
        value = model.resolve_value(node)
        return None if value is None or value is node else schema_objects(model, value, depth + 1)
    if node.type != "call_expression":
        return None
    function, args = unwrap(node.child_by_field_name("function")), arguments(node)
    method = model.text(function.child_by_field_name("property")) if function is not None and function.type == "member_expression" else \
        model.text(function) if function is not None and function.type == "identifier" else ""
    if method in _OBJECT_BUILDERS:
        return schema_objects(model, args[0], depth + 1) if args else None
    base = function.child_by_field_name("object") if function is not None and function.type == "member_expression" else None
    if base is None:
        return None
    if method in _KEEPS_FIELDS:
        return schema_objects(model, base, depth + 1)
    if method in _ADDS_FIELDS and args:
        first, second = schema_objects(model, base, depth + 1), schema_objects(model, args[0], depth + 1)
        return first + second if first is not None and second is not None else None
    return None


# The field that stands for what a spread the reader cannot follow adds (`...(flag ? { a } : {})`):
# unknown content, so the object as a whole is never taken for text-free.
UNREAD = "..."


def schema_pairs(model, objects, depth: int = 0) -> List[tuple]:
    """(field name, Zod value) of a schema's objects, with the fields of objects they spread
    (`...PaginationArgs`, a constant of this module); a spread it cannot read (or too deep, a
    cycle) counts as one field `UNREAD` of unknown value, and `{ query }` as a field whose value
    is not seen."""
    pairs: List[tuple] = []
    for obj in objects:
        for member in obj.named_children:
            if member.type == "pair":
                pairs.append((model.text(member.child_by_field_name("key")).strip("'\""), member.child_by_field_name("value")))
            elif member.type == "spread_element":
                spread = schema_objects(model, member.named_children[0], depth + 1) if member.named_children and depth < _MAX_DEPTH else None
                pairs.extend(schema_pairs(model, spread, depth + 1) if spread is not None else [(UNREAD, None)])
            elif member.type == "shorthand_property_identifier":
                pairs.append((model.text(member), None))
    return pairs


def holds_no_text(model, value, depth: int = 0) -> bool:
    """`z.number()`, `z.enum([...]).array()`, a module constant of such a type and calls on it
    (`EventSchema.array().min(1)` with `const EventSchema = z.enum([...])`), a field whose
    `.describe(...)` calls it the name of a thing (`z.string().describe("Webhook name")`), or an
    object of such fields."""
    if value is None or depth > _MAX_DEPTH:
        return False
    text = model.text(value)
    if NON_TEXT_ZOD.match(text):
        return True
    found = _DESCRIBE.search(text)
    if found and description_names_choice(found.group(2)):
        return True
    objects = schema_objects(model, value, depth + 1)  # a nested object (`inline: z.object({ path, line })`): its fields decide
    pairs = schema_pairs(model, objects, depth + 1) if objects else []
    if pairs:
        return all(holds_no_text(model, inner, depth + 1) or kind_of_name(key) == IDENTIFIER for key, inner in pairs)
    root = unwrap(value)
    while root is not None and root.type in ("call_expression", "member_expression"):
        root = unwrap(root.child_by_field_name("function" if root.type == "call_expression" else "object"))
    if root is None or root.type != "identifier":
        return False
    declared = model.resolve_value(root)
    return declared is not root and declared is not None and bool(NON_TEXT_ZOD.match(model.text(declared)))


def schema_root(model, node) -> str:
    """The name a schema expression starts from (`SearchToolArgs` of `SearchToolArgs.shape`)."""
    node = unwrap(node)
    while node is not None and node.type in ("member_expression", "call_expression"):
        node = unwrap(node.child_by_field_name("object" if node.type == "member_expression" else "function"))
    return model.text(node) if node is not None and node.type == "identifier" else ""


def fields_of(model, node) -> Optional[Fields]:
    """The fields of the schema at `node`, each with whether it holds no text; None when unseen."""
    objects = schema_objects(model, node)
    return tuple((key, holds_no_text(model, value)) for key, value in schema_pairs(model, objects)) if objects is not None else None
