"""`mcp-lint inspect [PATH]`: print what the project model sees, so a user can trust or correct
a verdict: servers, tools (handler, argument parameters), entrypoints and the transport each
serves, auth given at construction, middleware and limiters, health routes, and the deploy
files whose commands start the server; for TypeScript/JavaScript files, the `typescript` object
of mcp_lint/inspect_ts.py (servers, tools, transports, MCP routes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Sequence, TextIO

from mcp_lint.deploy import DeployCommand, deploy_commands, runs
from mcp_lint.inspect_ts import describe_ts, render_ts
from mcp_lint.python.function_apps import TRIGGER

if TYPE_CHECKING:  # the model imports libcst: not at start-up, where every command pays for it
    from mcp_lint.python.project_model import ProjectModel

HEALTH_WORDS = ("health", "healthz", "ready", "readyz", "live", "livez", "ping", "status")
ROUTE_METHODS = ("custom_route", "get", "route", "api_route", "head")
MIDDLEWARE_CALLS = ("add_middleware", "Middleware")


def build(targets: Sequence[Path], config) -> tuple:
    """(model, deploy commands) for the files a `check` of `targets` would read."""
    return _build(_files(targets, config), config)


def _files(targets: Sequence[Path], config) -> list:
    from mcp_lint.discovery import discover

    files, _ = discover(list(targets), config.root, config.all_excludes, config.respect_gitignore, config.files)
    return files


def _build(files: list, config) -> tuple:
    from mcp_lint.cache import NullCache
    from mcp_lint.engine import file_hash, source_text
    from mcp_lint.python.context import package_of
    from mcp_lint.python.project_model import build_project_model, project_scripts

    scanned = {f.rel: file_hash(f) for f in files if f.kind == "python"}
    model = build_project_model(files, lambda s: source_text(s)[0], scanned.get, NullCache(), package_of, project_scripts(config.root))
    return model, deploy_commands(files)


def describe(model: ProjectModel, commands: List[DeployCommand]) -> Dict:
    servers = []
    mounted = {child for children in model.mounts.values() for child in children}
    for server in sorted(model.servers.values(), key=lambda s: (s.rel, s.line)):
        if server.id.startswith("class:") and server.id in mounted:
            continue  # shown with the instances of the class
        ids = _with_mounts(model, server.id)
        tools = [r for r in model.registrations if r.server in ids]
        servers.append({
            "name": server.name,
            "framework": server.framework,
            "path": server.rel,
            "line": server.line,
            "auth": server.auth,
            "tools": [_tool(model, r) for r in sorted(tools, key=lambda r: (r.tool_name, r.rel, r.line))],
        })
    unattached = [_tool(model, r) for r in model.registrations if not r.server]
    entrypoints = []
    serving = model.serving_entrypoints()
    for entry in model.entrypoints():
        launches = [s for s in serving if s.entrypoint == entry]
        entrypoints.append({
            "kind": entry.kind,
            "label": entry.label,
            "path": entry.rel,
            "function": entry.qualname or None,
            "line": entry.line,
            "serves": [{"transport": s.transport, "server": s.server.name if s.server else None,
                        "launch": f"{s.launch.rel}:{s.launch.call.line}", "call": s.launch.text} for s in launches],
            "deployed_by": [f"{c.path}:{c.line}" for c in commands if runs(c, model, entry)],
        })
    for s in serving:
        if s.entrypoint.kind == "route":
            entrypoints.append({"kind": "route", "label": s.entrypoint.label, "path": s.rel, "function": s.entrypoint.qualname,
                                "line": s.entrypoint.line, "serves": [{"transport": s.transport, "server": s.server.name if s.server else None,
                                                                       "launch": f"{s.rel}:{s.launch.call.line}", "call": s.launch.text}], "deployed_by": []})
    return {
        "servers": servers,
        "tools_without_server": unattached,
        "entrypoints": entrypoints,
        "middleware": _calls(model, lambda c: c.callee.rsplit(".", 1)[-1] in MIDDLEWARE_CALLS, first_arg=True),
        "limiters": _calls(model, lambda c: "limit" in c.callee.rsplit(".", 1)[-1].lower()),
        "health_routes": _health_routes(model),
        "deploy_commands": [{"path": c.path, "line": c.line, "command": c.text} for c in commands],
        "modules": len(model.modules),
    }


def _with_mounts(model: ProjectModel, server_id: str) -> set:
    """The server and every server it mounts (or, for an instance of a subclass, its class)."""
    found, pending = {server_id}, [server_id]
    while pending:
        for child in model.mounts.get(pending.pop(), ()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _tool(model: ProjectModel, registration) -> Dict:
    unit = model.units[(registration.rel, registration.qualname)]
    params = [p for p in unit.params if p not in ("self", "cls", "ctx", "context")]
    if registration.kind == TRIGGER:  # one parameter holds the call's JSON, the others are bindings
        params = [v[2:] for i in unit.decorators if (v := unit.calls[i].kwarg("arg_name") or "").startswith("s:")][:1]
    return {"name": registration.tool_name, "handler": f"{registration.rel}:{registration.qualname}",
            "line": registration.line, "kind": registration.kind, "parameters": params}


def _calls(model: ProjectModel, wanted, first_arg: bool = False) -> List[Dict]:
    found = []
    for (rel, _), unit in sorted(model.units.items()):
        for call in unit.calls:
            if call.callee and wanted(call):
                name = call.args[0][2:] if first_arg and call.args and call.args[0].startswith("n:") else call.callee
                found.append({"name": name, "path": rel, "line": call.line})
    return found


def _health_routes(model: ProjectModel) -> List[Dict]:
    found = []
    for (rel, _), unit in sorted(model.units.items()):
        for call in unit.calls:
            method = call.callee.rsplit(".", 1)[-1]
            path = call.args[0][2:] if call.args and call.args[0].startswith("s:") else ""
            if (method in ROUTE_METHODS or method == "Route") and path.startswith("/"):
                if any(word in path.lower() for word in HEALTH_WORDS):
                    found.append({"route": path, "path": rel, "line": call.line})
    return found


def render_text(report: Dict, out: TextIO) -> None:
    write = out.write
    typescript = report.get("typescript") or {}
    if typescript.get("modules") or typescript.get("not_read"):
        write(f"{report['modules']} Python modules and {typescript['modules']} TypeScript modules in the model\n")
        render_ts(typescript, out)
    else:
        write(f"{report['modules']} Python modules in the model\n")
    write("\nServers\n")
    if not report["servers"]:
        write("  (none found)\n")
    for server in report["servers"]:
        auth = ", auth at construction" if server["auth"] else ""
        write(f"  {server['name']}  [{server['framework']}{auth}]  {server['path']}:{server['line']}\n")
        for tool in server["tools"]:
            write(f"    tool {tool['name']}({', '.join(tool['parameters'])})  -> {tool['handler']}  line {tool['line']}\n")
    if report["tools_without_server"]:
        write("  tools registered without a known server\n")
        for tool in report["tools_without_server"]:
            write(f"    tool {tool['name']}({', '.join(tool['parameters'])})  -> {tool['handler']}\n")
    write("\nEntrypoints\n")
    if not report["entrypoints"]:
        write("  (none found)\n")
    for entry in report["entrypoints"]:
        where = f"{entry['path']}:{entry['line']}"
        write(f"  {entry['label']}  ({entry['kind']}, {where})\n")
        for serve in entry["serves"]:
            write(f"    serves {serve['server'] or '?'} over {serve['transport']} at {serve['launch']} ({serve['call']})\n")
        if not entry["serves"]:
            write("    serves nothing\n")
        for deploy in entry["deployed_by"]:
            write(f"    run by {deploy}\n")
    for title, key, label in (("Middleware", "middleware", "name"), ("Rate limiters", "limiters", "name"), ("Health routes", "health_routes", "route")):
        write(f"\n{title}\n")
        if not report[key]:
            write("  (none found)\n")
        for item in report[key]:
            write(f"  {item[label]}  {item['path']}:{item['line']}\n")
    write("\nDeploy commands\n")
    if not report["deploy_commands"]:
        write("  (none found)\n")
    for command in report["deploy_commands"]:
        write(f"  {command['path']}:{command['line']}  {command['command']}\n")


def add_parser(sub) -> None:
    inspect = sub.add_parser("inspect", help="print the project model: servers, tools, entrypoints, transports")
    inspect.add_argument("paths", nargs="*", type=Path, help="files or directories (default: the current directory)")
    inspect.add_argument("--output-format", choices=("text", "json"), default="text")
    inspect.add_argument("--config", action="append", help="path to pyproject.toml / mcp-lint.toml, or an inline 'key = value' override")
    inspect.set_defaults(run=run)


def run(args) -> int:
    import sys

    from mcp_lint.cli_check import paths_and_config

    loaded = paths_and_config(args)
    if isinstance(loaded, int):
        return loaded
    targets, config = loaded
    return main(targets, config, args.output_format, sys.stdout)


def main(targets: Sequence[Path], config, output_format: str, out: TextIO) -> int:
    files = _files(targets, config)
    model, commands = _build(files, config)
    report = {**describe(model, commands), "typescript": describe_ts(files, config)}
    if output_format == "json":
        json.dump({"version": 1, **report}, out, indent=2, sort_keys=True)
        out.write("\n")
    else:
        render_text(report, out)
    return 0
