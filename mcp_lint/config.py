"""Configuration: `[tool.mcp-lint]` in pyproject.toml (or a standalone `mcp-lint.toml`),
merged with command-line overrides. Unknown keys, codes or wrong types are errors (exit 2)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Type

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

from mcp_lint.model import Severity

# Folders no user wants linted; `exclude` replaces this list, `extend-exclude` adds to it.
DEFAULT_EXCLUDE = [
    ".git/", ".hg/", ".svn/", ".venv/", "venv/", ".env/", "env/", "node_modules/", "__pycache__/",
    ".mypy_cache/", ".pytest_cache/", ".ruff_cache/", ".tox/", ".nox/", "build/", "dist/",
    "site-packages/", ".mcp-lint-cache/",
    # Test code builds throw-away servers on purpose; the checklist is about production code.
    "tests/", "test/", "test_*.py", "*_test.py", "conftest.py",
]
FILE_KINDS = ("python",)
OUTPUT_FORMATS = ("text", "json", "sarif", "github")


class ConfigError(Exception):
    """A usage or configuration error: reported on stderr, exit code 2."""


@dataclass
class Config:
    root: Path
    config_path: Optional[Path] = None
    select: List[str] = field(default_factory=lambda: ["ALL"])
    extend_select: List[str] = field(default_factory=list)
    ignore: List[str] = field(default_factory=list)
    exclude: List[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: List[str] = field(default_factory=list)
    respect_gitignore: bool = True
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    severity: Dict[str, Severity] = field(default_factory=dict)
    rule_options: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    fail_on: Severity = Severity.INFO
    output_format: str = "text"
    files: Dict[str, str] = field(default_factory=dict)  # glob -> file kind

    @property
    def all_excludes(self) -> List[str]:
        return [*self.exclude, *self.extend_exclude]

    def enabled_rules(self, rules: Sequence[Type]) -> List[Type]:
        selected = [r for r in rules if _matches_any(r, [*self.select, *self.extend_select])]
        return [r for r in selected if not _matches_any(r, self.ignore)]

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def cache_key(self) -> str:
        """What in the configuration can change a file's findings (for the result cache)."""
        import json

        return json.dumps(
            {
                "options": self.rule_options,
                "files": self.files,
            },
            sort_keys=True,
            default=str,
        )


def _matches(rule, selector: str) -> bool:
    selector = selector.strip()
    if selector.upper() == "ALL":
        return True
    return rule.code.startswith(selector.upper()) or rule.name == selector.lower()


def _matches_any(rule, selectors: Iterable[str]) -> bool:
    return any(_matches(rule, s) for s in selectors)


# ---------------------------------------------------------------------------------------
# Loading

_TOP_KEYS = {
    "select", "extend-select", "ignore", "exclude", "extend-exclude", "respect-gitignore",
    "per-file-ignores", "severity", "rules", "fail-on", "output-format", "files",
}


def find_config(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml with a [tool.mcp-lint] table, or mcp-lint.toml, upward from start."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        standalone = folder / "mcp-lint.toml"
        if standalone.is_file():
            return standalone
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "mcp-lint" in data.get("tool", {}):
                return pyproject
    return None


def read_table(path: Path) -> Dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("mcp-lint", {})
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.mcp-lint] must be a table")
    return table


def load_config(
    targets: Sequence[Path],
    config_arg: Optional[str] = None,
    overrides: Optional[Dict[str, Any]] = None,
    rules: Sequence[Type] = (),
) -> Config:
    """Find and validate the configuration for a run over `targets`."""
    path: Optional[Path] = None
    table: Dict[str, Any] = {}
    inline: Dict[str, Any] = {}
    if config_arg and "=" in config_arg and not Path(config_arg).exists():
        try:
            inline = tomllib.loads(config_arg)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"--config {config_arg!r}: not a path nor a 'key = value' override: {exc}") from None
        config_arg = None
    if config_arg:
        path = Path(config_arg)
        table = read_table(path)
    else:
        anchor = targets[0] if targets else Path.cwd()
        path = find_config(anchor if anchor.exists() else Path.cwd())
        if path is not None:
            table = read_table(path)
    table = {**table, **inline}
    root = path.resolve().parent if path is not None else _default_root(targets)
    config = Config(root=root, config_path=path)
    _apply(config, table, str(path or "--config"), rules)
    for key, value in (overrides or {}).items():
        if value is not None:
            _apply(config, {key: value}, "command line", rules)
    return config


def _default_root(targets: Sequence[Path]) -> Path:
    cwd = Path.cwd().resolve()
    resolved = [t.resolve() for t in targets] or [cwd]
    if all(_is_within(t, cwd) for t in resolved):
        return cwd
    first = resolved[0]
    return first if first.is_dir() else first.parent


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _apply(config: Config, table: Dict[str, Any], origin: str, rules: Sequence[Type]) -> None:
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {', '.join(unknown)} in [tool.mcp-lint]; known: {', '.join(sorted(_TOP_KEYS))}")
    for key, value in table.items():
        where = f"{origin}: {key}"
        if key in ("select", "extend-select", "ignore"):
            codes = _string_list(value, where)
            for selector in codes:
                _check_selector(selector, rules, where)
            setattr(config, key.replace("-", "_"), codes)
        elif key in ("exclude", "extend-exclude"):
            setattr(config, key.replace("-", "_"), _string_list(value, where))
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: expected true or false, got {value!r}")
            config.respect_gitignore = value
        elif key == "per-file-ignores":
            config.per_file_ignores = _per_file_ignores(value, where, rules)
        elif key == "severity":
            config.severity = _severities(value, where, rules)
        elif key == "rules":
            config.rule_options = _rule_options(value, where, rules)
        elif key == "fail-on":
            config.fail_on = _severity(value, where)
        elif key == "output-format":
            if value not in OUTPUT_FORMATS:
                raise ConfigError(f"{where}: expected one of {', '.join(OUTPUT_FORMATS)}, got {value!r}")
            config.output_format = value
        elif key == "files":
            config.files = _file_kinds(value, where)


def _string_list(value: Any, where: str) -> List[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return [v.strip() for v in value]


def _check_selector(selector: str, rules: Sequence[Type], where: str) -> None:
    if rules and not any(_matches(r, selector) for r in rules):
        raise ConfigError(f"{where}: {selector!r} matches no rule code, prefix or name (see `mcp-lint rules`)")


def _rule_for(key: str, rules: Sequence[Type], where: str):
    for rule in rules:
        if rule.code == key.upper() or rule.name == key.lower():
            return rule
    raise ConfigError(f"{where}: unknown rule {key!r} (see `mcp-lint rules`)")


def _per_file_ignores(value: Any, where: str, rules: Sequence[Type]) -> Dict[str, List[str]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of glob = [codes]")
    result = {}
    for glob, codes in value.items():
        codes = _string_list(codes, f"{where}.{glob}")
        for selector in codes:
            _check_selector(selector, rules, f"{where}.{glob}")
        result[glob] = codes
    return result


def _severity(value: Any, where: str) -> Severity:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected error, warning or info, got {value!r}")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _severities(value: Any, where: str, rules: Sequence[Type]) -> Dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of CODE = \"error\" | \"warning\" | \"info\"")
    result = {}
    for key, level in value.items():
        rule = _rule_for(key, rules, where) if rules else None
        result[rule.code if rule else key] = _severity(level, f"{where}.{key}")
    return result


def _rule_options(value: Any, where: str, rules: Sequence[Type]) -> Dict[str, Dict[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected [tool.mcp-lint.rules.CODE] tables")
    result: Dict[str, Dict[str, Any]] = {}
    for key, options in value.items():
        rule = _rule_for(key, rules, where)
        if not isinstance(options, dict):
            raise ConfigError(f"{where}.{key}: expected a table of options")
        for name, option in options.items():
            if name not in rule.options:
                known = ", ".join(sorted(rule.options)) or "none"
                raise ConfigError(f"{where}.{key}: {rule.code} has no option {name!r} (options: {known})")
            default = rule.options[name]
            if not _same_type(option, default):
                raise ConfigError(
                    f"{where}.{key}.{name}: expected {type(default).__name__}, got {type(option).__name__} {option!r}"
                )
        result[rule.code] = dict(options)
    return result


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


def _file_kinds(value: Any, where: str) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of glob = \"kind\"")
    for glob, kind in value.items():
        if kind not in FILE_KINDS and kind != "ignore":
            raise ConfigError(f"{where}.{glob}: unknown file kind {kind!r}; known: {', '.join(FILE_KINDS)}, ignore")
    return dict(value)


def env_output_format() -> Optional[str]:
    return os.environ.get("MCP_LINT_OUTPUT_FORMAT") or None
