"""The TypeScript/JavaScript part of `mcp-lint inspect`: what the per-file TS model
(mcp_lint/typescript/model.py) sees in the TS files a `check` reads, after the same link pass
`check` runs (mcp_lint/typescript/tool_links.py, through `engine.link_ts_modules`), so a tool
registered in one module with a handler exported by another shows both places.

Shown: servers (constructed, a parameter typed with a server class, or a function dispatching
JSON-RPC `tools/call` itself), tools (where
registered, the handler, the names bound to caller arguments), the registrations whose handler
no file shows (`handlers[tool.name]`: not tool code to the rules), transports, and the HTTP
routes that serve MCP. Each file is parsed once; one that does not parse is listed as not read, as
`check` would report it."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, TextIO, Tuple

KIND = "typescript"


def describe_ts(files: Sequence, config) -> Dict:
    """The `typescript` object of the inspect report, for the discovered `files`."""
    from mcp_lint.engine import source_text

    sources = sorted((f for f in files if f.kind == KIND), key=lambda f: f.rel)
    documents: Dict[str, object] = {}
    skipped: Dict[str, str] = {}

    def parse(rel: str, text: Optional[str]):
        if rel not in documents and rel not in skipped:
            _parse(rel, text, documents, skipped)
        document = documents.get(rel)
        return _model(document) if document is not None else None

    views, note = _links(sources, config, parse)
    models = {}
    for source in sources:
        text, why = source_text(source)
        if text is None:
            skipped[source.rel] = why or "unreadable"
            continue
        parse(source.rel, text)
        if source.rel in documents:
            model = _model(documents[source.rel], views.get(source.rel))
            if model is not None:
                models[source.rel] = model
            else:
                skipped[source.rel] = "the model could not be built"
    return _report(models, skipped, note)


def _parse(rel: str, text: Optional[str], documents: Dict[str, object], skipped: Dict[str, str]) -> None:
    from mcp_lint.documents.base import ParseError, SkipFile
    from mcp_lint.documents.typescript import TypeScriptDocument

    if text is None:
        skipped[rel] = "unreadable"
        return
    document = TypeScriptDocument(rel, text)
    try:
        document.parse()
    except SkipFile as exc:
        skipped[rel] = exc.reason
    except ParseError as exc:
        skipped[rel] = f"does not parse (line {exc.line}): {exc.message}"
    except Exception as exc:  # noqa: BLE001 - a parser bug must not end inspect
        skipped[rel] = f"parser crashed: {type(exc).__name__}"
    else:
        documents[rel] = document


def _links(sources, config, parse) -> Tuple[Dict[str, object], str]:
    """Each module's view from `check`'s link pass, and a note when the pass failed."""
    from mcp_lint.engine import link_ts_modules

    try:
        return link_ts_modules(config.root, sources, config, parse), ""
    except Exception as exc:  # noqa: BLE001 - as in check: shown without the links
        return {}, f"handlers in other modules not followed ({type(exc).__name__}); tools are listed where registered"


def _model(document, view=None):
    """The document's `TsModel`; with a link-pass view, one built with what the view tells it
    (the same tree, indexed again), as the rule phase of `check` builds it."""
    from mcp_lint.typescript.model import TsModel, model_of

    linked = getattr(view, "ts_linked", ())
    unused = getattr(view, "ts_unused_registrars", ())
    try:
        if not linked and not unused:
            return model_of(document)
        document.linked_handlers, document.unused_registrars = linked, unused
        return TsModel(document)
    except Exception:  # noqa: BLE001 - a model bug: the file is listed as not read
        return None


def _report(models: Dict[str, object], skipped: Dict[str, str], note: str) -> Dict:
    tools, transports, routes, servers, opaque = [], [], [], [], []
    linked = {rel: [t for t in model.tools if t.kind == "linked"] for rel, model in models.items()}
    claimed: set = set()
    for rel, model in sorted(models.items()):
        servers.extend(_servers(rel, model))
        tools.extend(_tool(rel, t, rel, t) for t in model.tools if t.kind != "linked")
        tools.extend(_elsewhere(rel, t, linked, claimed) for t in model.handled_elsewhere)
        opaque.extend({"path": rel, "line": _line(call)} for call in model.opaque_registrations)
        transports.extend({"kind": kind, "path": rel, "line": _line(node)} for kind, node in model.transports)
        routes.extend({"app": r.app, "method": r.method.upper(), "route": r.path, "path": rel, "line": _line(r.call)}
                      for r in model.routes if r.serves_mcp)
    for rel, found in sorted(linked.items()):
        tools.extend(_tool(None, t, rel, t) for t in found if id(t) not in claimed)
    return {
        "modules": len(models),
        "servers": sorted(servers, key=lambda s: (s["path"], s["line"], s["name"])),
        "tools": sorted(tools, key=lambda t: (t["name"], t["registered"] or "", t["handler"] or "")),
        "unresolved_registrations": sorted(opaque, key=lambda r: (r["path"], r["line"])),
        "transports": sorted(transports, key=lambda t: (t["path"], t["line"], t["kind"])),
        "routes": sorted(routes, key=lambda r: (r["path"], r["line"])),
        "not_read": [{"path": rel, "reason": reason} for rel, reason in sorted(skipped.items())],
        "note": note,
    }


def _servers(rel: str, model) -> List[Dict]:
    """The model's servers where they are declared: a construction assigned to a name, or a
    function parameter typed with a server class."""
    from mcp_lint.typescript.model import SERVER_CLASSES
    from mcp_lint.typescript.syntax import FUNCTION_TYPES, enclosing_function, parameter_type, parameters, within

    found: Dict[str, Dict] = {}
    for new in model.nodes("new_expression"):
        kind = SERVER_CLASSES.get(model._class_name(model.callee(new)))
        name = model._assigned_name(new) if kind else ""
        if name and model.servers.get(name) == kind and name not in found:
            found[name] = {"name": name, "kind": kind, "declared": "new", "path": rel, "line": _line(new)}
    for func in model.nodes(*FUNCTION_TYPES):
        for index, param in enumerate(parameters(func)):
            kind = SERVER_CLASSES.get(parameter_type(func, index).split("<", 1)[0].strip())
            name = model.text(param) if param.type == "identifier" else ""
            if kind and name not in found and model.servers.get(name) == kind:
                found[name] = {"name": name, "kind": kind, "declared": "parameter", "path": rel, "line": _line(param)}
    servers = list(found.values())
    for tool in model.tools:  # JSON-RPC written without an SDK: the function that dispatches `tools/call`
        if tool.kind == "jsonrpc":
            func = enclosing_function(tool.registration)
            route = next((r for r in model.routes if func is not None and any(within(func, h) for h in r.handlers)), None)
            name = (model.function_name(func) if func is not None else "") \
                or (f"{route.method.upper()} {route.path or '*'} handler" if route is not None else "(top level)" if func is None else "(anonymous)")
            servers.append({"name": name, "kind": "jsonrpc", "declared": "dispatch", "path": rel, "line": _line(tool.registration)})
    return servers


def _tool(registered_in: Optional[str], registration, handler_in: str, handled) -> Dict:
    """A tool registered at `registration` in `registered_in` (None: the registering module
    is not known) whose handler is `handled.handler` in `handler_in`."""
    return {
        "name": registration.name,
        "kind": registration.kind,
        "registered": f"{registered_in}:{_line(registration.registration)}" if registered_in else None,
        "handler": f"{handler_in}:{_line(handled.handler)}" if handled is not None and handled.handler is not None else None,
        "arguments": sorted(handled.arg_names) if handled is not None else [],
        "handler_elsewhere": registered_in != handler_in,
    }


def _elsewhere(rel: str, tool, linked: Dict[str, list], claimed: set) -> Dict:
    """A tool registered here with a handler imported from another module: joined with the
    linked tool of that name when exactly one module holds one."""
    matches = [(other, t) for other, found in sorted(linked.items()) for t in found if t.name == tool.name and id(t) not in claimed]
    if len(matches) != 1:
        entry = _tool(rel, tool, rel, None)
        entry["handler_elsewhere"] = True
        return entry
    other, handled = matches[0]
    claimed.add(id(handled))
    return _tool(rel, tool, other, handled)


def _line(node) -> int:
    return node.start_point[0] + 1


def render_ts(report: Dict, out: TextIO) -> None:
    """The TypeScript sections of `inspect`'s text output."""
    write = out.write
    write("\nTypeScript servers\n")
    _none(report["servers"], write)
    for server in report["servers"]:
        how = {"parameter": ", parameter", "dispatch": ", written without an SDK"}.get(server["declared"], "")
        write(f"  {server['name']}  [{server['kind']}{how}]  {server['path']}:{server['line']}\n")
    write("\nTypeScript tools\n")
    _none(report["tools"], write)
    for tool in report["tools"]:
        where = tool["registered"] or "registered in another module"
        handler = tool["handler"] or ("a handler imported from another module" if tool["handler_elsewhere"] else "?")
        write(f"  tool {tool['name'] or '?'}({', '.join(tool['arguments'])})  [{tool['kind']}]  {where}  -> {handler}\n")
    for item in report["unresolved_registrations"]:
        write(f"  a registration whose handler no file shows  {item['path']}:{item['line']}\n")
    if report["note"]:
        write(f"  ({report['note']})\n")
    write("\nTypeScript transports\n")
    _none(report["transports"], write)
    for transport in report["transports"]:
        write(f"  {transport['kind']}  {transport['path']}:{transport['line']}\n")
    write("\nTypeScript routes serving MCP\n")
    _none(report["routes"], write)
    for route in report["routes"]:
        path = route["route"] or ("(every path)" if route["method"] == "USE" else "(a path that is not a literal)")
        write(f"  {route['method']} {path}  on {route['app']}  {route['path']}:{route['line']}\n")
    if report["not_read"]:
        write("\nTypeScript files not read\n")
        for item in report["not_read"]:
            write(f"  {item['path']}: {item['reason']}\n")


def _none(items: list, write) -> None:
    if not items:
        write("  (none found)\n")
