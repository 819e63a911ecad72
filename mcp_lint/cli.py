"""Command line: `mcp-lint check [PATHS]`, `mcp-lint rule CODE`, `mcp-lint rules`,
`mcp-lint snapshot [PATHS] [--output FILE] [--check]`, `--version`.

Exit codes: 0 clean, 1 findings at or above the fail threshold, 2 usage, config or internal
error (as ruff and ESLint)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from mcp_lint import __version__

SUBCOMMANDS = ("check", "rule", "rules", "snapshot", "inspect")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors already; keep its message short
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mcp-lint", description="Lint MCP server code and deployment config against the production checklist.")
    parser.add_argument("--version", action="version", version=f"mcp-lint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="lint files or directories (default: .)")
    check.add_argument("paths", nargs="*", type=Path, help="files or directories (default: the current directory)")
    check.add_argument("--select", help="comma-separated codes, prefixes or names to enable (replaces the configured selection)")
    check.add_argument("--extend-select", help="codes to enable on top of the selection")
    check.add_argument("--ignore", help="comma-separated codes, prefixes or names to disable (on top of the configuration)")
    check.add_argument(
        "--config",
        action="append",
        help="path to pyproject.toml / mcp-lint.toml, or an inline 'key = value' override (repeatable)",
    )
    check.add_argument("--output-format", choices=("text", "json", "sarif", "github"), help="output format (default: text)")
    check.add_argument("-o", "--output-file", type=Path, help="write the report to a file instead of stdout")
    check.add_argument("--fail-on", choices=("error", "warning", "info", "note"), help="lowest severity that makes the exit code 1")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain (2 still means an error)")
    check.add_argument("--force-exclude", action="store_true", help="apply excludes to files named on the command line too")
    check.add_argument("--jobs", type=int, help="worker processes (default: number of cores)")
    check.add_argument("--fix", action="store_true", help="apply safe autofixes, then report what remains")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply fixes that may change behaviour")
    check.add_argument("--diff", action="store_true", help="print the autofixes as a unified diff instead of writing them (exit 1 if any)")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    check.add_argument("--cache-dir", help="cache location (default: $MCP_LINT_CACHE_DIR, else $XDG_CACHE_HOME/mcp-lint or ~/.cache/mcp-lint)")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output")

    rule = sub.add_parser("rule", help="explain a rule")
    rule.add_argument("code", nargs="?", help="rule code or name, e.g. MCP0701 or tool-arguments-logged")
    rule.add_argument("--all", action="store_true", help="explain every rule")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--output-format", choices=("text", "json"), default="text")

    snapshot = sub.add_parser("snapshot", help="write (or --check) the static tools/list schema snapshot")
    snapshot.add_argument("paths", nargs="*", type=Path, help="files or directories (default: the current directory)")
    snapshot.add_argument("--output", type=Path, help="snapshot file (default: the MCP0902 `path` option, else mcp-tools.snapshot.json at the project root)")
    snapshot.add_argument("--check", action="store_true", help="compare with the committed snapshot; exit 1 on drift")
    snapshot.add_argument("--config", action="append", help="path to pyproject.toml / mcp-lint.toml, or an inline 'key = value' override")

    inspect = sub.add_parser("inspect", help="print the project model: servers, tools, entrypoints, transports")
    inspect.add_argument("paths", nargs="*", type=Path, help="files or directories (default: the current directory)")
    inspect.add_argument("--output-format", choices=("text", "json"), default="text")
    inspect.add_argument("--config", action="append", help="path to pyproject.toml / mcp-lint.toml, or an inline 'key = value' override")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in SUBCOMMANDS and args_list[0] not in ("-h", "--help", "--version"):
        args_list.insert(0, "check")
    elif not args_list:
        args_list = ["check"]
    try:
        args = build_parser().parse_args(args_list)
        if args.command == "rule":
            return _cmd_rule(args)
        if args.command == "rules":
            return _cmd_rules(args)
        if args.command == "snapshot":
            return _cmd_snapshot(args)
        if args.command == "inspect":
            return _cmd_inspect(args)
        return _cmd_check(args)
    except UsageError as exc:
        print(f"mcp-lint: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # argparse's --help and --version: return the code, do not exit
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # our bug: say so without a traceback, unless debugging
        if os.environ.get("MCP_LINT_DEBUG"):
            raise
        print(f"mcp-lint: internal error: {type(exc).__name__}: {exc} (set MCP_LINT_DEBUG=1 for a traceback)", file=sys.stderr)
        return 2


def _split(value: Optional[str]) -> Optional[List[str]]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _missing(targets: Sequence[Path]) -> bool:
    """Say which targets do not exist (exit 2 follows)."""
    missing = [str(t) for t in targets if not os.path.lexists(t)]
    if missing:
        print(f"mcp-lint: error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
    return bool(missing)


def _cmd_check(args) -> int:
    from mcp_lint.config import ConfigError, load_config
    from mcp_lint.engine import exit_code, run
    from mcp_lint.registry import RegistryError, all_rules
    from mcp_lint.reporters import reporter

    try:
        rules = all_rules()
        overrides = {
            "select": _split(args.select),
            "extend-select": _split(args.extend_select),
            "ignore": _split(args.ignore),
            "fail-on": args.fail_on,
            "output-format": args.output_format,
        }
        targets = args.paths or [Path(".")]
        config = load_config(targets, args.config, overrides, rules)
    except (ConfigError, RegistryError) as exc:
        print(f"mcp-lint: error: {exc}", file=sys.stderr)
        return 2
    if _missing(targets):
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("mcp-lint: error: --jobs must be at least 1", file=sys.stderr)
        return 2
    from mcp_lint.cache import open_cache, salt_for

    cache = open_cache(salt_for([r.code for r in config.enabled_rules(rules)], config.cache_key()), not args.no_cache, args.cache_dir)
    lint = lambda: run(targets, config, force_exclude=args.force_exclude, jobs=args.jobs, cache=cache)  # noqa: E731
    try:
        if args.fix or args.diff:
            from mcp_lint.fixer import fix_files

            result, fixes = fix_files(lint, config.root, args.unsafe_fixes, write=not args.diff)
            if args.diff:
                sys.stdout.write(fixes.diff())
                return 1 if fixes.current else 0
            if fixes.fixed:
                print(f"mcp-lint: fixed {fixes.fixed} finding(s) in {len(fixes.current)} file(s)", file=sys.stderr)
        else:
            result = lint()
    finally:
        cache.close()
    to_file = args.output_file is not None
    color = args.color == "always" or (args.color == "auto" and not to_file and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    text = reporter(config.output_format)(result, root=config.root, color=color)
    if to_file:
        try:
            args.output_file.parent.mkdir(parents=True, exist_ok=True)
            args.output_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"mcp-lint: error: cannot write {args.output_file}: {exc.strerror}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    for diag in result.internal_errors:
        print(f"mcp-lint: internal error in {diag.rule or 'engine'} on {diag.path}: {diag.message}", file=sys.stderr)
    code = exit_code(result, config.fail_on)
    return 0 if args.exit_zero and code == 1 else code


def _cmd_rule(args) -> int:
    from mcp_lint.registry import all_rules, rule_by_code_or_name

    if args.all:
        selected = list(all_rules())
    elif args.code:
        rule = rule_by_code_or_name(args.code)
        if rule is None:
            print(f"mcp-lint: error: unknown rule {args.code!r} (see `mcp-lint rules`)", file=sys.stderr)
            return 2
        selected = [rule]
    else:
        raise UsageError("give a rule code or --all")
    if args.output_format == "json":
        print(json.dumps([{**r.describe(), "doc": r.doc()} for r in selected], indent=2))
        return 0
    for rule in selected:
        print(explain(rule))
    return 0


def explain(rule) -> str:
    item = f"checklist item {rule.item}" if rule.item else "engine"
    header = f"# {rule.code} {rule.name}\n\n{rule.summary}\n\nDefault severity: {rule.severity.label} ({item})\n"
    options = "".join(f"\n- `{k}` (default `{v!r}`)" for k, v in rule.options.items())
    body = rule.doc()
    tail = f"\n\n## Fix\n{rule.fix_hint}" if rule.fix_hint else ""
    tail += f"\n\n## Option defaults{options}" if options else ""
    return f"{header}\n{body}{tail}\n"


def _cmd_rules(args) -> int:
    from mcp_lint.registry import all_rules

    rules = all_rules()
    if args.output_format == "json":
        print(json.dumps([r.describe() for r in rules], indent=2))
        return 0
    for rule in rules:
        item = str(rule.item) if rule.item else "-"
        print(f"{rule.code}  {rule.name:<40} item {item:<3} {rule.severity.label:<8} {rule.summary}")
    return 0


def _cmd_inspect(args) -> int:
    from mcp_lint import inspect
    from mcp_lint.config import ConfigError, load_config
    from mcp_lint.registry import all_rules

    targets = args.paths or [Path(".")]
    try:
        config = load_config(targets, args.config, {}, all_rules())
    except ConfigError as exc:
        print(f"mcp-lint: error: {exc}", file=sys.stderr)
        return 2
    if _missing(targets):
        return 2
    return inspect.main(targets, config, args.output_format, sys.stdout)


def _cmd_snapshot(args) -> int:
    from mcp_lint import snapshot
    from mcp_lint.config import ConfigError, load_config
    from mcp_lint.registry import all_rules

    targets = args.paths or [Path(".")]
    try:
        config = load_config(targets, args.config, {}, all_rules())
    except ConfigError as exc:
        print(f"mcp-lint: error: {exc}", file=sys.stderr)
        return 2
    if _missing(targets):
        return 2
    output = args.output or config.root / config.rule_options.get("MCP0902", {}).get("path", snapshot.DEFAULT_PATH)
    tools = snapshot.project_tools(targets, config)
    text = snapshot.render(snapshot.canonical(tools))
    if args.check:
        return _check_snapshot(output, text)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        Path(f"{output}.sha256").write_text(snapshot.sha256_line(text, output.name), encoding="utf-8")
    except OSError as exc:
        print(f"mcp-lint: error: cannot write {output}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {output} ({len(tools)} tool{'s' if len(tools) != 1 else ''}) and {output.name}.sha256")
    return 0


def _check_snapshot(output: Path, text: str) -> int:
    from mcp_lint import snapshot

    try:
        committed = snapshot.load(output.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"{output}: no snapshot committed; run `mcp-lint snapshot` and commit it")
        return 1
    except (OSError, ValueError) as exc:
        print(f"mcp-lint: error: cannot read snapshot {output}: {exc}", file=sys.stderr)
        return 2
    changes = snapshot.diff(committed, snapshot.load(text))
    if not changes:
        print(f"{output}: up to date")
        return 0
    breaking = sum(1 for c in changes if c.breaking)
    for change in changes:
        print(f"{output}: {change.text}")
    print(f"schema drift: {breaking} breaking, {len(changes) - breaking} additive; review, then run `mcp-lint snapshot` and commit the result")
    return 1
