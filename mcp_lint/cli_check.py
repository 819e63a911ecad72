"""`mcp-lint check [PATHS | -]`: lint, optionally fix, and report."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from mcp_lint.cli import UsageError, error, write_stdout
from mcp_lint.reporters import FORMATS


def add_parser(sub) -> None:
    check = sub.add_parser("check", help="lint files or directories (default: .)")
    check.add_argument("paths", nargs="*", type=Path, help="files or directories (default: the current directory); - reads stdin")
    selection = check.add_argument_group("rule selection")
    selection.add_argument("--select", help="comma-separated codes, prefixes or names to enable (replaces the configured selection)")
    selection.add_argument("--extend-select", help="codes to enable on top of the selection")
    selection.add_argument("--ignore", help="comma-separated codes, prefixes or names to disable (on top of the configuration)")
    check.add_argument("--config", action="append", help="path to pyproject.toml / mcp-lint.toml, or an inline 'key = value' override (repeatable)")
    output = check.add_argument_group("output")
    output.add_argument("--output-format", choices=FORMATS, help="output format (default: text)")
    output.add_argument("-o", "--output-file", type=Path, help="write the report to a file instead of stdout")
    output.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead of the findings")
    output.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output (auto honours NO_COLOR and FORCE_COLOR)")
    output.add_argument("--no-color", dest="color", action="store_const", const="never", help="same as --color never")
    output.add_argument("-q", "--quiet", action="store_true", help="print findings only: no summary, hints or progress")
    output.add_argument("-v", "--verbose", action="store_true", help="also say which configuration, root, files and time the run used (stderr)")
    output.add_argument("--show-files", action="store_true", help="list the files that would be checked, with their kind, and exit")
    output.add_argument("--show-settings", action="store_true", help="print the resolved configuration and exit")
    check.add_argument("--fail-on", choices=("error", "warning", "info", "note"), help="lowest severity that makes the exit code 1")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain (2 still means an error)")
    check.add_argument("--force-exclude", action="store_true", help="apply excludes to files named on the command line too")
    check.add_argument("--stdin-filename", type=Path, help="with `-`: the path the text read from stdin belongs to (kind, configuration, project)")
    check.add_argument("--jobs", type=int, help="worker processes (default: number of cores)")
    fixes = check.add_argument_group("fixes and adoption")
    fixes.add_argument("--fix", action="store_true", help="apply safe autofixes, then report what remains")
    fixes.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply fixes that may change behaviour")
    fixes.add_argument("--diff", action="store_true", help="print the autofixes as a unified diff instead of writing them (exit 1 if any)")
    fixes.add_argument("--add-noqa", action="store_true", help="add an `mcp-lint: ignore[CODE]` comment for every current finding, then exit")
    fixes.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings that are not in this baseline file")
    fixes.add_argument("--write-baseline", type=Path, metavar="FILE", help="write the current findings to a baseline file and exit 0")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    check.add_argument("--cache-dir", help="cache location (default: $MCP_LINT_CACHE_DIR, else $XDG_CACHE_HOME/mcp-lint or ~/.cache/mcp-lint)")
    check.set_defaults(run=run)


def _split(value: Optional[str]) -> Optional[List[str]]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def missing(targets: Sequence[Path]) -> bool:
    """Say which targets do not exist (exit 2 follows)."""
    absent = [str(t) for t in targets if not os.path.lexists(t)]
    if absent:
        error(f"no such file or directory: {', '.join(absent)}")
    return bool(absent)


def paths_and_config(args, overrides: Optional[Dict[str, Any]] = None):
    """(targets, configuration) for a subcommand that takes PATHS and --config (default: the
    current directory), or the exit code after saying what is wrong. `overrides` are applied
    as command-line options would be."""
    from mcp_lint.config import ConfigError, load_config
    from mcp_lint.registry import all_rules

    targets = args.paths or [Path(".")]
    try:
        config = load_config(targets, args.config, overrides or {}, all_rules())
    except ConfigError as exc:
        return error(str(exc))
    if missing(targets):
        return 2
    return targets, config


def _check_combinations(args) -> None:
    exclusive = [name for name in ("fix", "diff", "add_noqa", "write_baseline", "show_files", "show_settings") if getattr(args, name)]
    if len(exclusive) > 1:
        raise UsageError("choose one of " + ", ".join("--" + n.replace("_", "-") for n in exclusive))
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.stdin_filename is not None and args.paths != [Path("-")]:
        raise UsageError("--stdin-filename goes with `-` as the only path")
    if Path("-") in args.paths and (len(args.paths) > 1 or args.fix or args.diff or args.add_noqa):
        raise UsageError("`-` (stdin) must be the only path, and cannot be combined with --fix, --diff or --add-noqa")


def run(args) -> int:
    _check_combinations(args)
    started = time.perf_counter()
    remembered = _remembered_run(args)
    if remembered is not None and remembered.report is not None:
        return _replay(args, remembered.report)
    return _run(args, started, remembered)


def _remembered_run(args):
    """This invocation's entry in the whole-run cache (mcp_lint/run_cache.py), or None when the
    run cannot be remembered. Computed before the rules are even imported."""
    from mcp_lint import run_cache
    from mcp_lint.cache import open_cache

    if not run_cache.usable(args):
        return None
    with open_cache("whole run", True, args.cache_dir) as cache:
        return run_cache.lookup(args, cache)


def _replay(args, report) -> int:
    for note in report.notes:
        print(note, file=sys.stderr)
    return 2 if _write(args, report.text) != 0 else report.status


def _remember(args, remembered, report, result) -> None:
    from mcp_lint import run_cache
    from mcp_lint.cache import open_cache

    with open_cache("whole run", True, args.cache_dir) as cache:
        run_cache.store(remembered, cache, args, report, result)


def _run(args, started: float, remembered) -> int:
    from mcp_lint.config import ConfigError, load_config
    from mcp_lint.registry import RegistryError, all_rules
    from mcp_lint.run_cache import Report

    stdin_path = (args.stdin_filename or Path("stdin.py")) if args.paths == [Path("-")] else None
    targets = [stdin_path] if stdin_path else (args.paths or [Path(".")])
    try:
        rules = all_rules()
        overrides = {
            "select": _split(args.select),
            "extend-select": _split(args.extend_select),
            "ignore": _split(args.ignore),
            "fail-on": args.fail_on,
            "output-format": args.output_format,
        }
        # Text from stdin takes the configuration of the folder it claims to live in.
        anchors = [_existing_anchor(stdin_path)] if stdin_path else targets
        config = load_config(anchors, args.config, overrides, rules)
    except (ConfigError, RegistryError) as exc:
        return error(str(exc))
    if args.show_settings:
        from mcp_lint.cli_show import settings

        write_stdout(settings(config, rules))
        return 0
    if not stdin_path and missing(targets):
        return 2
    if args.show_files:
        from mcp_lint.cli_show import files

        write_stdout(files(targets, config, args.force_exclude))
        return 0
    contents = {stdin_path: sys.stdin.read()} if stdin_path else None
    result = _lint(args, targets, config, contents)
    if isinstance(result, int):  # --diff, --add-noqa
        return result
    notes: List[str] = []
    result = _baseline(args, result, notes)
    if isinstance(result, int):  # --write-baseline, or a bad baseline file
        return result
    from mcp_lint.engine import exit_code

    status = exit_code(result, config.fail_on)
    report = Report(_render(args, config, result), 0 if args.exit_zero and status == 1 else status, notes)
    if _write(args, report.text) != 0:
        return 2
    _say_internal_errors(result)
    if args.verbose:
        _say_verbose(config, result, time.perf_counter() - started)
    if remembered is not None:
        _remember(args, remembered, report, result)
    return report.status


def _say_internal_errors(result) -> None:
    for diag in result.internal_errors:
        print(f"mcp-lint: internal error in {diag.rule or 'engine'} on {diag.path}: {diag.message}", file=sys.stderr)


def _existing_anchor(path: Path) -> Path:
    for candidate in [path, *path.absolute().parents]:
        if candidate.exists():
            return candidate
    return Path(".")


def _lint(args, targets, config, contents):
    """The run's result, or an exit code when the command ends here (--diff, --add-noqa)."""
    from mcp_lint import progress
    from mcp_lint.cache import open_cache, salt_for
    from mcp_lint.engine import run as run_engine
    from mcp_lint.registry import all_rules

    codes = [r.code for r in config.enabled_rules(all_rules())]
    with open_cache(salt_for(codes, config.cache_key()), not args.no_cache, args.cache_dir) as cache:
        with progress.bar(progress.wanted(args.quiet)) as on_progress:
            def lint():
                return run_engine(
                    targets, config, force_exclude=args.force_exclude, jobs=args.jobs, cache=cache,
                    contents=contents, progress=on_progress,
                )

            if args.fix or args.diff:
                return _fix(args, lint, config)
            result = lint()
    if args.add_noqa:
        return _add_noqa(args, result, config)
    return result


def _fix(args, lint, config):
    from mcp_lint.fixer import fix_files, fixable

    result, fixes = fix_files(lint, config.root, args.unsafe_fixes, write=not args.diff)
    if args.diff:
        write_stdout(fixes.diff())
        if not fixes.current and not args.quiet:
            unsafe = len(fixable(result.findings, True)) - len(fixable(result.findings, False))
            more = f" ({unsafe} more with --unsafe-fixes)" if unsafe and not args.unsafe_fixes else ""
            print(f"mcp-lint: no fixes to show{more}", file=sys.stderr)
        return 1 if fixes.current else 0
    if fixes.fixed and not args.quiet:
        print(f"mcp-lint: fixed {_plural(fixes.fixed, 'finding')} in {_plural(len(fixes.current), 'file')}", file=sys.stderr)
    return result


def _add_noqa(args, result, config) -> int:
    from mcp_lint.add_noqa import add_noqa

    report = add_noqa(result.findings, result.root or config.root, config.files)
    if not args.quiet:
        print(f"mcp-lint: added {_plural(report.added, 'suppression comment')} in {_plural(len(report.files), 'file')}", file=sys.stderr)
    for rel, line, codes in report.skipped:
        print(f"mcp-lint: could not add a suppression comment for {', '.join(codes)} at {rel}:{line}", file=sys.stderr)
    return 0


def _baseline(args, result, notes: List[str]):
    """The result without baselined findings, or an exit code (--write-baseline, errors). What it
    says on stderr about the report is added to `notes` (a remembered run says it again)."""
    from mcp_lint import baseline

    try:
        if args.write_baseline:
            count = baseline.write(args.write_baseline, result)
            if not args.quiet:
                print(f"mcp-lint: wrote {_plural(count, 'finding')} to {args.write_baseline}", file=sys.stderr)
            _say_internal_errors(result)
            return 2 if result.internal_errors else 0
        if args.baseline:
            result, hidden = baseline.without_baselined(result, baseline.load(args.baseline))
            if hidden and not args.quiet:
                notes.append(f"mcp-lint: {_plural(hidden, 'finding')} in the baseline not shown")
                print(notes[-1], file=sys.stderr)
    except baseline.BaselineError as exc:
        return error(str(exc))
    return result


def _render(args, config, result) -> str:
    from mcp_lint.reporters import reporter

    if args.statistics:
        from mcp_lint.reporters import statistics

        return statistics.render(result, as_json=config.output_format in ("json", "json-lines"))
    from mcp_lint.units import rebased, report_base

    render = reporter(config.output_format)
    base = report_base(config.output_format, result.root or config.root)
    result = rebased(result, base)
    if config.output_format == "text":
        return render(result, root=base, color=use_color(args.color, args.output_file is not None), quiet=args.quiet)
    return render(result, root=base, color=False)


def use_color(choice: str, to_file: bool, stream=None, environ=None) -> bool:
    """--color always/never win; then NO_COLOR, then FORCE_COLOR; else only on a terminal.
    A report written to a file is never coloured unless --color always."""
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    if choice != "auto":
        return choice == "always"
    if to_file or environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return stream.isatty()


def _write(args, text: str) -> int:
    if args.output_file is None:
        write_stdout(text)
        return 0
    try:
        args.output_file.parent.mkdir(parents=True, exist_ok=True)
        # backslashreplace: a non-UTF-8 file name (a lone surrogate here) must not end the run.
        args.output_file.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        error(f"cannot write {args.output_file}: {exc.strerror}")
        return 2
    return 0


def _say_verbose(config, result, seconds: float) -> None:
    source = config.config_path or "none (defaults)"
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(result.kinds.items())) or "none"
    print(f"mcp-lint: configuration {source}; project root {config.root}", file=sys.stderr)
    print(f"mcp-lint: {len(result.rules)} rules enabled; {_plural(result.files_checked, 'file')} checked ({kinds}) in {seconds:.2f} s", file=sys.stderr)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
