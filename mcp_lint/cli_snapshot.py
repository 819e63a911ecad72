"""`mcp-lint snapshot [PATHS] [--output FILE] [--check]`: the static tools/list snapshot."""

from __future__ import annotations

from pathlib import Path

from mcp_lint.cli import error


def add_parser(sub) -> None:
    snapshot = sub.add_parser("snapshot", help="write (or --check) the static tools/list schema snapshot")
    snapshot.add_argument("paths", nargs="*", type=Path, help="files or directories (default: the current directory)")
    snapshot.add_argument("--output", type=Path, help="snapshot file (default: the MCP0902 `path` option, else mcp-tools.snapshot.json at the project root)")
    snapshot.add_argument("--check", action="store_true", help="compare with the committed snapshot; exit 1 on drift")
    snapshot.add_argument("--config", action="append", help="path to pyproject.toml / mcp-lint.toml, or an inline 'key = value' override")
    snapshot.set_defaults(run=run)


def run(args) -> int:
    from mcp_lint import snapshot
    from mcp_lint.cli_check import missing
    from mcp_lint.config import ConfigError, load_config
    from mcp_lint.registry import all_rules

    targets = args.paths or [Path(".")]
    try:
        config = load_config(targets, args.config, {}, all_rules())
    except ConfigError as exc:
        return error(str(exc))
    if missing(targets):
        return 2
    output = args.output or config.root / config.rule_options.get("MCP0902", {}).get("path", snapshot.DEFAULT_PATH)
    tools = snapshot.project_tools(targets, config)
    text = snapshot.render(snapshot.canonical(tools))
    if args.check:
        return _check(output, text)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        Path(f"{output}.sha256").write_text(snapshot.sha256_line(text, output.name), encoding="utf-8")
    except OSError as exc:
        return error(f"cannot write {output}: {exc.strerror}")
    print(f"wrote {output} ({len(tools)} tool{'s' if len(tools) != 1 else ''}) and {output.name}.sha256")
    return 0


def _check(output: Path, text: str) -> int:
    from mcp_lint import snapshot

    try:
        committed = snapshot.load(output.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"{output}: no snapshot committed; run `mcp-lint snapshot` and commit it")
        return 1
    except (OSError, ValueError) as exc:
        return error(f"cannot read snapshot {output}: {exc}")
    changes = snapshot.diff(committed, snapshot.load(text))
    if not changes:
        print(f"{output}: up to date")
        return 0
    breaking = sum(1 for c in changes if c.breaking)
    for change in changes:
        print(f"{output}: {change.text}")
    print(f"schema drift: {breaking} breaking, {len(changes) - breaking} additive; review, then run `mcp-lint snapshot` and commit the result")
    return 1
