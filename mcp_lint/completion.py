"""`mcp-lint completion bash|zsh|fish`: a shell completion script generated from the argparse
parser itself, so it always matches the options of this version. Written here rather than
taken from a package (shtab, argcomplete): three small generators, no runtime dependency, no
Python start-up on every <Tab> (argcomplete runs the program to complete)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Dict, List, Tuple

from mcp_lint.cli import write_stdout

SHELLS = ("bash", "zsh", "fish")


def add_parser(sub) -> None:
    completion = sub.add_parser("completion", help="print a shell completion script (bash, zsh or fish)")
    completion.add_argument("shell", choices=SHELLS)
    completion.set_defaults(run=run)


def run(args) -> int:
    from mcp_lint.cli import build_parser

    write_stdout(script(args.shell, build_parser()))
    return 0


Option = Tuple[List[str], str, List[str], str]  # (option strings, help, choices, value: "" | "choice" | "file" | "text")


def spec(parser: argparse.ArgumentParser) -> Dict[str, Tuple[str, List[Option]]]:
    """subcommand -> (help, options)."""
    out: Dict[str, Tuple[str, List[Option]]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                options = [(list(a.option_strings), a.help or "", [str(c) for c in a.choices or []], _value(a)) for a in sub._actions if a.option_strings]
                out[name] = (helps.get(name, ""), options)
    return out


def _value(action: argparse.Action) -> str:
    """What follows the option on the command line."""
    if action.nargs == 0:
        return ""
    if action.choices:
        return "choice"
    if action.type is Path or any(word in action.dest for word in ("file", "dir", "config", "baseline")):
        return "file"
    return "text"


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](spec(parser))


def _bash(commands) -> str:
    cases = []
    for name, (_, options) in commands.items():
        words = " ".join(o for strings, _, _, _ in options for o in strings)
        choices = "".join(
            f"      {'|'.join(strings)}) COMPREPLY=($(compgen -W \"{' '.join(ch)}\" -- \"$cur\")); return;;\n"
            for strings, _, ch, _ in options
            if ch
        )
        cases.append(
            f"    {name})\n      case \"$prev\" in\n{choices}      esac\n"
            f"      COMPREPLY=($(compgen -W \"{words}\" -- \"$cur\") $(compgen -f -- \"$cur\"));;\n"
        )
    return (
        "# mcp-lint bash completion: eval \"$(mcp-lint completion bash)\"\n"
        "_mcp_lint() {\n"
        "  local cur prev cmd i\n"
        "  cur=\"${COMP_WORDS[COMP_CWORD]}\"; prev=\"${COMP_WORDS[COMP_CWORD-1]}\"; cmd=check\n"
        "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
        f"    case \"${{COMP_WORDS[i]}}\" in {'|'.join(commands)}) cmd=\"${{COMP_WORDS[i]}}\"; break;; esac\n"
        "  done\n"
        "  if [ \"$COMP_CWORD\" -eq 1 ] && [[ \"$cur\" != -* ]]; then\n"
        f"    COMPREPLY=($(compgen -W \"{' '.join(commands)}\" -- \"$cur\") $(compgen -f -- \"$cur\")); return\n"
        "  fi\n"
        "  case \"$cmd\" in\n" + "".join(cases) + "  esac\n"
        "}\n"
        "complete -o filenames -F _mcp_lint mcp-lint\n"
    )


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def _zsh(commands) -> str:
    functions = []
    for name, (_, options) in commands.items():
        specs = []
        for strings, help_text, choices, value in options:
            action = {"": "", "choice": f":value:({' '.join(choices)})", "file": ":file:_files", "text": ":value: "}[value]
            for option in strings:
                specs.append(f"    '{option}[{_quote(help_text)}]{action}'")
        specs.append("    '*:file:_files'")
        functions.append(f"_mcp_lint_{name.replace('-', '_')}() {{\n  _arguments \\\n" + " \\\n".join(specs) + "\n}\n")
    listing = "\n".join(f"    '{name}:{_quote(help_text)}'" for name, (help_text, _) in commands.items())
    dispatch = "".join(f"    {name}) _mcp_lint_{name.replace('-', '_')};;\n" for name in commands)
    return (
        "#compdef mcp-lint\n# mcp-lint zsh completion: mcp-lint completion zsh > \"${fpath[1]}/_mcp-lint\"\n"
        + "".join(functions)
        + "_mcp_lint() {\n  local -a commands\n  commands=(\n" + listing + "\n  )\n"
        "  if (( CURRENT == 2 )); then\n    _describe 'command' commands; _files; return\n  fi\n"
        "  case \"$words[2]\" in\n" + dispatch + "    *) _mcp_lint_check;;\n  esac\n}\n"
        "_mcp_lint \"$@\"\n"
    )


def _fish(commands) -> str:
    lines = ["# mcp-lint fish completion: mcp-lint completion fish > ~/.config/fish/completions/mcp-lint.fish"]
    for name, (help_text, options) in commands.items():
        lines.append(f"complete -c mcp-lint -n __fish_use_subcommand -a {name} -d '{_fish_quote(help_text)}'")
        for strings, option_help, choices, value in options:
            flags = " ".join(f"-l {s[2:]}" if s.startswith("--") else f"-s {s[1:]}" for s in strings)
            values = {"": "", "choice": f" -x -a '{' '.join(choices)}'", "file": " -r -F", "text": " -x"}[value]
            lines.append(
                f"complete -c mcp-lint -n '__fish_seen_subcommand_from {name}' {flags}{values} -d '{_fish_quote(option_help)}'"
            )
    return "\n".join(lines) + "\n"


def _fish_quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")
