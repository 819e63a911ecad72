"""Command line: `mcp-lint [check] [PATHS]`, `rule CODE`, `rules`, `snapshot`, `completion SHELL`.

Each subcommand lives in its own module, registered by one line in `SUBCOMMANDS`; this module
only parses, dispatches and turns failures into exit codes.

Exit codes: 0 clean, 1 findings at or above the fail threshold, 2 usage, config or internal
error (as ruff and ESLint)."""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from typing import List, Optional, Sequence

from mcp_lint import __version__

# name -> "module:function" that adds the subcommand's parser (and sets its `run`).
SUBCOMMANDS = {
    "check": "mcp_lint.cli_check:add_parser",
    "rule": "mcp_lint.cli_rules:add_rule_parser",
    "rules": "mcp_lint.cli_rules:add_rules_parser",
    "snapshot": "mcp_lint.cli_snapshot:add_parser",
    "completion": "mcp_lint.completion:add_parser",
    "server": "mcp_lint.lsp:add_parser",
    "inspect": "mcp_lint.inspect:add_parser",
}
DEFAULT_COMMAND = "check"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors already; keep its message short
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of `only` that one (importing a subcommand's module
    costs start-up time that a cached `check` would otherwise spend mostly here)."""
    parser = _Parser(prog="mcp-lint", description="Lint MCP server code and deployment config against the production checklist.")
    parser.add_argument("--version", action="version", version=f"mcp-lint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, target in SUBCOMMANDS.items():
        if only is None or name == only:
            module, _, func = target.partition(":")
            getattr(importlib.import_module(module), func)(sub)
    return parser


def parse_command_line(argv: Sequence[str]) -> argparse.Namespace:
    """The parsed arguments, `check` being the default subcommand. Raises UsageError, with a
    suggestion for a mistyped subcommand or option. Runs nothing (the README test uses it)."""
    args = list(argv)
    if not args:
        args = [DEFAULT_COMMAND]
    elif args[0] not in SUBCOMMANDS and args[0] not in ("-h", "--help", "--version"):
        _reject_mistyped_command(args[0])
        args.insert(0, DEFAULT_COMMAND)
    parser = build_parser(args[0] if args[0] in SUBCOMMANDS else None)
    try:
        return parser.parse_args(args)
    except UsageError as exc:
        raise UsageError(f"{exc}{_option_hint(str(exc), parser, args[0])}") from None


def _reject_mistyped_command(word: str) -> None:
    """`mcp-lint chek` is a typo, not a file named chek: say so instead of "no such file"."""
    if word.startswith("-") or os.path.lexists(word) or "/" in word or "." in word:
        return
    close = difflib.get_close_matches(word, list(SUBCOMMANDS), n=1, cutoff=0.6)
    if close:
        raise UsageError(f"unknown command {word!r} (did you mean {close[0]!r}?)")


def _option_hint(message: str, parser: argparse.ArgumentParser, command: str) -> str:
    prefix = "unrecognized arguments: "
    if not message.startswith(prefix):
        return ""
    options = [o for a in _subparser(parser, command)._actions for o in a.option_strings]
    hints = []
    for word in message[len(prefix):].split():
        close = difflib.get_close_matches(word.split("=")[0], options, n=1, cutoff=0.7) if word.startswith("-") else []
        if close:
            hints.append(f"{word} -> {close[0]}")
    return f" (did you mean: {', '.join(hints)}?)" if hints else ""


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(command, parser)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args_list: List[str] = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse_command_line(args_list)
        return args.run(args)
    except UsageError as exc:
        print(f"mcp-lint: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # argparse's --help and --version: return the code, do not exit
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # `mcp-lint rules | head`: the reader left; nothing to say
        silence_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # our bug: say so without a traceback, unless debugging
        if os.environ.get("MCP_LINT_DEBUG"):
            raise
        print(f"mcp-lint: internal error: {type(exc).__name__}: {exc} (set MCP_LINT_DEBUG=1 for a traceback)", file=sys.stderr)
        return 2


def silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so that the interpreter's final flush
    does not print a second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (tests capture stdout): nothing will be flushed to a pipe


def write_stdout(text: str) -> None:
    """Write output; a reader that went away (`| head`) ends the output quietly. Characters the
    stream cannot encode (a lone surrogate from a non-UTF-8 file name, a JSON `\\ud800` escape)
    are written as backslash escapes instead of ending the run."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()


def error(message: str) -> int:
    print(f"mcp-lint: error: {message}", file=sys.stderr)
    return 2
