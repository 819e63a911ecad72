"""`check --show-files` and `check --show-settings`: what a run would look at, and with which
configuration, without linting anything."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


def files(targets: Sequence[Path], config, force_exclude: bool) -> str:
    from mcp_lint.discovery import discover

    found, diagnostics = discover(targets, config.root, config.all_excludes, config.respect_gitignore, config.files, force_exclude)
    lines = [f"{f.rel}\t{f.kind}" for f in found]
    lines += [f"{d.path}\t{d.kind}: {d.message}" for d in diagnostics]
    return "".join(line + "\n" for line in lines)


def settings(config, rules) -> str:
    from mcp_lint.docs import toml_value

    enabled = [r.code for r in config.enabled_rules(rules)]
    values = {
        "config-file": str(config.config_path) if config.config_path else "",
        "project-root": str(config.root),
        "enabled-rules": enabled,
        "fail-on": config.fail_on.label,
        "output-format": config.output_format,
        "respect-gitignore": config.respect_gitignore,
        "exclude": config.exclude,
        "extend-exclude": config.extend_exclude,
    }
    lines = ["# Resolved mcp-lint settings (TOML)"]
    lines += [f"{key} = {toml_value(value)}" for key, value in values.items()]
    tables = {
        "per-file-ignores": config.per_file_ignores,
        "severity": {code: sev.label for code, sev in config.severity.items()},
        "files": config.files,
    }
    for name, table in tables.items():
        if table:
            lines += ["", f"[{name}]"] + [f"{toml_value(k)} = {toml_value(v)}" for k, v in table.items()]
    for code, options in sorted(config.rule_options.items()):
        lines += ["", f"[rules.{code}]"] + [f"{k} = {toml_value(v)}" for k, v in options.items()]
    return "\n".join(lines) + "\n"
