"""Configuration: `[tool.mcp-lint]` in pyproject.toml (or a standalone `mcp-lint.toml` / `.mcp-lint.toml`),
merged with command-line overrides. Unknown keys, codes or wrong types are errors (exit 2)."""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Type, Union

import pathspec
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
    "__tests__/", "__mocks__/", "*.test.[jt]s", "*.spec.[jt]s", "*.test.[mc][jt]s", "*.spec.[mc][jt]s",
    "*.test.[jt]sx", "*.spec.[jt]sx", "test-*.[jt]s", "test-*.mjs",
    "testHelpers/", "testUtils/", "test-*/",  # test-helpers/, test-utils/, a test-server/ fixture
    # Retired copies kept beside the code (`server.old/`): no package of that name can be imported;
    # and folders that say they are retired (`archived/`, a private `_legacy/`), not `legacy/`,
    # which is often a served module for older clients.
    "*.old/", "*.bak/", "*.orig/", "archived/", "_archived/", "_legacy/",
]
# Folders whose code is no shipped server even when a user lints them (examples, demos, tests):
# rules about secrets and auth leave them alone.
NON_PRODUCTION_DIRS = frozenset({"tests", "test", "__tests__", "examples", "example", "demos", "demo", "samples", "sample"})
from mcp_lint.reporters import FORMATS as OUTPUT_FORMATS  # noqa: E402


class ConfigError(Exception):
    """A usage or configuration error: reported on stderr, exit code 2."""


@dataclass
class Selection:
    """The rule selection given on the command line. It is applied on top of the configured
    one; a `--select` there starts over (configured select, extend-select and ignore are
    dropped), while `--extend-select` and `--ignore` adjust the configured set (ruff's layering)."""

    select: Optional[List[str]] = None
    extend_select: List[str] = field(default_factory=list)
    ignore: List[str] = field(default_factory=list)


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
    fail_on: Severity = Severity.WARNING  # info findings are advice: shown, not failing the run
    output_format: str = "text"
    files: Dict[str, str] = field(default_factory=dict)  # glob -> file kind
    cli: Selection = field(default_factory=Selection)
    # Each file takes the nearest configuration upward (mcp_lint/units.py); off for a Config
    # built in code or given with `--config PATH`, which then applies to every file.
    nearest_config: bool = False
    # What `load_config` applied on top of the file, re-applied on top of every nearer one.
    overrides: List[Tuple[str, Dict[str, Any]]] = field(default_factory=list)

    def exclude_spec(self):
        return _compile_globs(tuple(self.all_excludes))

    @property
    def all_excludes(self) -> List[str]:
        return [*self.exclude, *self.extend_exclude]

    def enabled_rules(self, rules: Sequence[Type]) -> List[Type]:
        layers = [Selection(self.select, self.extend_select, self.ignore), self.cli]
        enabled: set = set()
        for layer in layers:
            if layer.select is not None:
                enabled = {r for r in rules if _matches_any(r, layer.select)}
            enabled |= {r for r in rules if _matches_any(r, layer.extend_select)}
            enabled -= {r for r in rules if _matches_any(r, layer.ignore)}
        return [r for r in rules if r in enabled]

    def per_file_ignored(self, path: str, code: str, name: str) -> bool:
        """Whether `[tool.mcp-lint.per-file-ignores]` switches the rule off for this path.
        A glob starting with `!` applies to every file it does NOT match (ruff)."""
        for glob, selectors in self.per_file_ignores.items():
            negated = glob.startswith("!")
            if _compile_glob(glob[1:] if negated else glob).match_file(path) == negated:
                continue
            if any(_selector_matches(code, name, s) for s in selectors):
                return True
        return False

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
    return _selector_matches(rule.code, rule.name, selector)


def _selector_matches(code: str, name: str, selector: str) -> bool:
    selector = selector.strip()
    if selector.upper() == "ALL":
        return True
    return code.startswith(selector.upper()) or name == selector.lower()


@lru_cache(maxsize=64)
def _compile_globs(globs: Tuple[str, ...]):
    from mcp_lint.discovery import QuickSpec

    return QuickSpec(pathspec.GitIgnoreSpec.from_lines(globs))


@lru_cache(maxsize=None)
def _compile_glob(glob: str) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines([glob])


def _matches_any(rule, selectors: Iterable[str]) -> bool:
    return any(_matches(rule, s) for s in selectors)


# ---------------------------------------------------------------------------------------
# Loading

_TOP_KEYS = {
    "select", "extend-select", "ignore", "exclude", "extend-exclude", "respect-gitignore",
    "per-file-ignores", "severity", "rules", "fail-on", "output-format", "files",
}
_SELECTION_KEYS = ("select", "extend-select", "ignore")


def _tool_table(data: Dict[str, Any]) -> Any:
    tool = data.get("tool", {})
    return tool.get("mcp-lint") if isinstance(tool, dict) else None


def find_config(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml with a [tool.mcp-lint] table, or mcp-lint.toml, upward from start."""
    start = Path(os.path.realpath(start))  # Path.resolve raises on a symlink loop
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        for name in ("mcp-lint.toml", ".mcp-lint.toml"):
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                # Skipping a broken file that holds our table would silently lint with defaults.
                if "mcp-lint" in text:
                    raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
                continue
            if _tool_table(data) is not None:
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
    table = (_tool_table(data) or {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.mcp-lint] must be a table")
    return table


ConfigArg = Union[None, str, Sequence[str]]


def _split_config_args(config_arg: ConfigArg) -> Tuple[Optional[Path], List[Tuple[str, Dict[str, Any]]]]:
    """(config file or None, [(origin, inline table)]) from the `--config` values."""
    values = [config_arg] if isinstance(config_arg, str) else list(config_arg or [])
    path: Optional[Path] = None
    inline: List[Tuple[str, Dict[str, Any]]] = []
    for value in values:
        if "=" in value and not Path(value).exists():
            try:
                inline.append((f"--config {value!r}", tomllib.loads(value)))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"--config {value!r}: not a path nor a valid 'key = value' override: {exc}") from None
        elif path is not None:
            raise ConfigError(f"--config: only one configuration file may be given ({path}, {value})")
        else:
            path = Path(value)
    return path, inline


def load_config(
    targets: Sequence[Path],
    config_arg: ConfigArg = None,
    overrides: Optional[Dict[str, Any]] = None,
    rules: Sequence[Type] = (),
) -> Config:
    """Find and validate the configuration for a run over `targets`.

    Precedence, lowest first: the config file (given with `--config PATH` or discovered
    upward from the first target; only a discovered one sets the project root), inline `--config "key = value"` overrides in order,
    then the other command-line options (`overrides`)."""
    path, inline = _split_config_args(config_arg)
    config_arg_path = path
    if path is None:
        anchor = targets[0] if targets else Path.cwd()
        path = find_config(anchor if anchor.exists() else Path.cwd())
        # A discovered config marks the project root; a file given with --config (say
        # ci/lint.toml) does not, so then the root is found as without a config (ruff).
        root = path.resolve().parent if path is not None else _default_root(targets)
    else:
        root = _default_root(targets)
    table = read_table(path) if path is not None else {}
    config = Config(root=root, config_path=path, nearest_config=config_arg_path is None)
    _apply(config, table, str(path) if path is not None else "config", rules)
    config.overrides = list(inline)
    env_format = env_output_format()
    if env_format:
        config.overrides.append(("environment variable MCP_LINT_OUTPUT_FORMAT", {"output-format": env_format}))
    config.overrides.append(("", dict(overrides or {})))
    _apply_layers(config, config.overrides, rules)
    return config


def _apply_layers(config: Config, layers: List[Tuple[str, Dict[str, Any]]], rules: Sequence[Type]) -> None:
    for origin, table in layers:
        if origin:
            _apply(config, table, origin, rules)
        else:
            _apply_overrides(config, table, rules)


def reapply_overrides(config: Config, table: Dict[str, Any], base: Config) -> None:
    """Fill a nearer configuration from its file, then apply the run's overrides on top (as
    `load_config` did to `base`)."""
    from mcp_lint.registry import all_rules

    rules = all_rules()
    _apply(config, table, str(config.config_path), rules)
    config.overrides = base.overrides
    _apply_layers(config, base.overrides, rules)


def _apply_overrides(config: Config, overrides: Dict[str, Any], rules: Sequence[Type]) -> None:
    """Command-line options: the rule selection becomes a layer of its own, the rest replaces."""
    for key, value in overrides.items():
        if value is None:
            continue
        where = f"command line: --{key}"
        if key in _SELECTION_KEYS:
            setattr(config.cli, key.replace("-", "_"), _selectors(value, rules, where))
        else:
            _apply(config, {key: value}, "command line", rules)


def _default_root(targets: Sequence[Path]) -> Path:
    cwd = Path.cwd().resolve()
    resolved = [Path(os.path.realpath(t)) for t in targets] or [cwd]  # resolve() raises on a loop
    if all(t.is_relative_to(cwd) for t in resolved):
        return cwd
    first = resolved[0]
    return first if first.is_dir() else first.parent


def _apply(config: Config, table: Dict[str, Any], origin: str, rules: Sequence[Type]) -> None:
    """Validate one source's table and merge it into `config` (later sources win; tables such
    as `severity` merge key by key)."""
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        hints = [_did_you_mean(key) for key in unknown]
        raise ConfigError(
            f"{origin}: unknown key(s) {', '.join(unknown)} in [tool.mcp-lint]{''.join(hints)}; "
            f"known: {', '.join(sorted(_TOP_KEYS))}"
        )
    for key, value in table.items():
        where = f"{origin}: {key}"
        if key in _SELECTION_KEYS:
            setattr(config, key.replace("-", "_"), _selectors(value, rules, where))
        elif key in ("exclude", "extend-exclude"):
            setattr(config, key.replace("-", "_"), _globs(value, where))
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: expected true or false, got {value!r}")
            config.respect_gitignore = value
        elif key == "per-file-ignores":
            config.per_file_ignores.update(_per_file_ignores(value, where, rules))
        elif key == "severity":
            config.severity.update(_severities(value, where, rules))
        elif key == "rules":
            for code, options in _rule_options(value, where, rules).items():
                config.rule_options.setdefault(code, {}).update(options)
        elif key == "fail-on":
            config.fail_on = _severity(value, where)
        elif key == "output-format":
            if value not in OUTPUT_FORMATS:
                raise ConfigError(f"{where}: expected one of {', '.join(OUTPUT_FORMATS)}, got {value!r}")
            config.output_format = value
        elif key == "files":
            config.files.update(_file_kinds(value, where))


def _did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key.replace("_", "-").lower(), sorted(_TOP_KEYS), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _string_list(value: Any, where: str) -> List[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    items = [v.strip() for v in value]
    if not all(items):
        raise ConfigError(f"{where}: empty entry in {value!r}")
    return items


def _selectors(value: Any, rules: Sequence[Type], where: str) -> List[str]:
    selectors = _string_list(value, where)
    for selector in selectors:
        _check_selector(selector, rules, where)
    return selectors


def _globs(value: Any, where: str) -> List[str]:
    globs = _string_list(value, where)
    for glob in globs:
        _check_glob(glob, where)
    return globs


def _check_glob(glob: str, where: str) -> None:
    try:
        _compile_glob(glob)
    except (ValueError, TypeError) as exc:  # pathspec's pattern errors are ValueErrors
        raise ConfigError(f"{where}: invalid glob {glob!r}: {exc}") from None


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
        _check_glob(glob[1:] if glob.startswith("!") else glob, where)
        result[glob] = _selectors(codes, rules, f"{where}.{glob}")
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
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, (list, tuple)):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


def _file_kinds(value: Any, where: str) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of glob = \"kind\"")
    from mcp_lint.documents import KINDS

    for glob, kind in value.items():
        if kind not in KINDS and kind != "ignore":
            raise ConfigError(f"{where}.{glob}: unknown file kind {kind!r}; known: {', '.join(KINDS)}, ignore")
    return dict(value)


def env_output_format() -> Optional[str]:
    return os.environ.get("MCP_LINT_OUTPUT_FORMAT") or None
