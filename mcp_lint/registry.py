"""The rule registry: built-in rules (package `mcp_lint_rules`, the repository's `rules/`
folder) plus third-party packs from the `mcp_lint.rules` entry-point group."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple, Type

from mcp_lint.rule import CODE_PATTERN, NAME_PATTERN, ProjectRule, PythonRule, Rule
from mcp_lint.model import Severity

ENTRY_POINT_GROUP = "mcp_lint.rules"


class RegistryError(Exception):
    pass


class EngineRule(Rule):
    """Findings the engine itself produces; registered so they can be selected, ignored,
    suppressed and explained like any rule."""


class ParseErrorRule(EngineRule):
    """
    ## What it does
    Reports a file that mcp-lint could not parse as its kind (invalid Python syntax, YAML that is
    not YAML, an unbalanced Caddyfile), so none of the other rules could check it.

    ## Why is this bad?
    A file that cannot be parsed is either broken or not what its name says; either way nothing in
    it was checked, and a clean report would be misleading.

    ## Example
    ```python
    def broken(:
    ```

    ## Use instead
    Fix the syntax, or exclude the file in `[tool.mcp-lint] exclude` if it is not meant to be linted.
    """

    code = "MCP0000"
    name = "parse-error"
    severity = Severity.ERROR
    summary = "File could not be parsed"
    fix_hint = "Fix the syntax error, or exclude the file if it is not source of this kind."


class UnusedSuppressionRule(EngineRule):
    """
    ## What it does
    Reports an `mcp-lint: ignore[...]` or `file-ignore[...]` comment that suppressed nothing, or
    that names a code no rule has.

    ## Why is this bad?
    Stale suppressions hide future findings on that line and mislead readers about what is wrong
    with the code (ruff's RUF100, bandit's nosec accounting).

    ## Example
    ```python
    x = 1  # mcp-lint: ignore[MCP0101] nothing here reads the environment
    ```

    ## Use instead
    Delete the comment, or correct the codes it lists.
    """

    code = "MCP0001"
    name = "unused-suppression"
    severity = Severity.WARNING
    summary = "Suppression comment suppresses nothing"
    fix_hint = "Remove the suppression comment or correct its codes."


class InvalidSuppressionRule(EngineRule):
    """
    ## What it does
    Reports a suppression comment without codes (`mcp-lint: ignore`) or with a malformed list.

    ## Why is this bad?
    A blanket ignore silences every present and future rule on the line (bandit's bare `nosec`
    problem). mcp-lint requires the codes to be named, so it does not apply such a comment at all.

    ## Example
    ```python
    logger.info(query)  # mcp-lint: ignore
    ```

    ## Use instead
    ```python
    logger.info(query)  # mcp-lint: ignore[MCP0701] query text is public catalogue data
    ```
    """

    code = "MCP0002"
    name = "invalid-suppression"
    severity = Severity.WARNING
    summary = "Suppression comment without codes is not applied"
    fix_hint = "Name the codes: `mcp-lint: ignore[MCP0701] reason`."


class FileNotAnalysedRule(EngineRule):
    """
    ## What it does
    Reports a file the project runs (a Python file that mentions MCP, a Dockerfile, a Kubernetes
    manifest, a compose file, a Caddyfile, an nginx configuration, a shell entrypoint) that
    mcp-lint could not analyse: past a per-file limit (size, tokens, nesting, included bytes,
    time, memory), unreadable, not valid text in its encoding, or killing the worker that read it.

    ## Why is this bad?
    A file that was skipped was not checked, yet without this finding the run would pass: a
    server module with a finding becomes "All checks passed" once a large enough comment is
    appended to it, while the code it runs is unchanged.

    ## Example
    ```python
    @mcp.tool()
    def search(query: str) -> str:
        return os.getenv("API_KEY") + query
    # ... followed by 200 KB of generated comment or data ...
    ```

    ## Use instead
    Keep hand-written server code in files of ordinary size, move generated data out of the
    server module, or, if the file is really not meant to be checked, exclude it or suppress
    this code for it in `per-file-ignores`.
    """

    code = "MCP0003"
    name = "file-not-analysed"
    severity = Severity.WARNING
    summary = "File the project runs could not be analysed"
    fix_hint = "Split or shrink the file so that it fits mcp-lint's per-file limits, or exclude it explicitly."


ENGINE_RULES: Tuple[Type[Rule], ...] = (ParseErrorRule, UnusedSuppressionRule, InvalidSuppressionRule, FileNotAnalysedRule)


def _walk_rule_classes(package_name: str) -> Iterable[Type[Rule]]:
    package = importlib.import_module(package_name)
    modules = [package]
    if hasattr(package, "__path__"):
        for info in sorted(pkgutil.walk_packages(package.__path__, package_name + "."), key=lambda i: i.name):
            modules.append(importlib.import_module(info.name))
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value.__module__ == module.__name__
                and value.code
            ):
                yield value


def _entry_point_packages() -> List[str]:
    from importlib.metadata import entry_points

    if sys.version_info >= (3, 10):
        eps = entry_points(group=ENTRY_POINT_GROUP)
    else:  # pragma: no cover - Python 3.9
        eps = entry_points().get(ENTRY_POINT_GROUP, [])
    return sorted(ep.value for ep in eps)


def validate_rule(rule: Type[Rule]) -> None:
    if not CODE_PATTERN.match(rule.code):
        raise RegistryError(f"{rule.__module__}.{rule.__name__}: code {rule.code!r} is not MCPnnnn")
    if not NAME_PATTERN.match(rule.name):
        raise RegistryError(f"{rule.code}: name {rule.name!r} is not kebab-case")
    if rule.item is not None and not 1 <= rule.item <= 12:
        raise RegistryError(f"{rule.code}: checklist item {rule.item} is not 1-12")


@lru_cache(maxsize=None)
def all_rules() -> Tuple[Type[Rule], ...]:
    """Every known rule, sorted by code. Raises RegistryError on duplicate codes or names."""
    found: List[Type[Rule]] = list(ENGINE_RULES)
    found.extend(_walk_rule_classes("mcp_lint_rules"))
    for package in _entry_point_packages():
        found.extend(_walk_rule_classes(package))
    found, implementations = _split_implementations(found)
    by_code: Dict[str, Type[Rule]] = {}
    by_name: Dict[str, Type[Rule]] = {}
    for rule in found:
        validate_rule(rule)
        for key, table in ((rule.code, by_code), (rule.name, by_name)):
            other = table.get(key)
            if other is not None and other is not rule:
                raise RegistryError(f"two rules claim {key!r}: {other.__module__} and {rule.__module__}")
            table[key] = rule
    for implementation in implementations:
        _attach(implementation, by_code[implementation.code])
    return tuple(sorted(by_code.values(), key=lambda r: r.code))


# One code per check across languages: a rule for one kind (a TypeScriptRule) that claims the
# code of a rule for other kinds is that rule's implementation for its kind. The owner keeps the
# code, name, metadata and options; the implementation reports under them.
_IMPLEMENTATIONS: Dict[Tuple[str, str], Type[Rule]] = {}
KIND_TITLES = {"typescript": "TypeScript / JavaScript"}


def _split_implementations(found: List[Type[Rule]]) -> Tuple[List[Type[Rule]], List[Type[Rule]]]:
    owners = {r.code for r in found if not _single_kind_ts(r)}
    implementations = [r for r in found if _single_kind_ts(r) and r.code in owners]
    return [r for r in found if r not in implementations], implementations


def _single_kind_ts(rule: Type[Rule]) -> bool:
    return tuple(rule.kinds) == ("typescript",) and hasattr(rule, "implements")  # a TypeScriptRule


def _attach(implementation: Type[Rule], owner: Type[Rule]) -> None:
    implementation.implements = owner
    for attr in ("name", "item", "severity", "summary", "fix_hint"):
        if attr not in vars(implementation):
            setattr(implementation, attr, getattr(owner, attr))
    implementation.options = {**owner.options, **implementation.options}
    owner.options = {**implementation.options, **owner.options}
    for kind in implementation.kinds:
        if kind not in owner.kinds:
            owner.kinds = (*owner.kinds, kind)
        _IMPLEMENTATIONS[(owner.code, kind)] = implementation


def implementation_for(rule: Type[Rule], kind: str) -> Type[Rule]:
    """The class that checks `kind` files for this rule's code (the rule itself by default)."""
    all_rules()
    return _IMPLEMENTATIONS.get((rule.code, kind), rule)


def implementations_of(rule: Type[Rule]) -> List[Type[Rule]]:
    all_rules()
    return [impl for (code, _), impl in sorted(_IMPLEMENTATIONS.items()) if code == rule.code]


def full_doc(rule: Type[Rule]) -> str:
    """The rule's documentation followed by that of its implementations for other languages."""
    parts = [rule.doc()]
    for impl in implementations_of(rule):
        body = impl.doc().replace("\n## ", "\n### ").replace("## ", "### ", 1)
        fix = f"\n\n### Fix\n{impl.fix_hint}" if impl.fix_hint != rule.fix_hint else ""
        parts.append(f"## In {', '.join(KIND_TITLES.get(k, k) for k in impl.kinds)}\n\n{body}{fix}")
    return "\n\n".join(parts)


def facts_key(rule: Type[Rule]) -> str:
    """Project facts are kept per implementing class: an implementation's facts are its own,
    unless it feeds the owner's check with facts of the owner's shape (`shares_facts`)."""
    if getattr(rule, "implements", None) and not getattr(rule, "shares_facts", False):
        return f"{rule.code}:{rule.kinds[0]}"
    return rule.code


def rule_by_code_or_name(key: str) -> Optional[Type[Rule]]:
    key = key.strip()
    for rule in all_rules():
        if rule.code == key.upper() or rule.name == key.lower():
            return rule
    return None


def python_rules(rules: Iterable[Type[Rule]]) -> List[Type[PythonRule]]:
    return [r for r in rules if issubclass(r, PythonRule)]


def project_rules(rules: Iterable[Type[Rule]]) -> List[Type[ProjectRule]]:
    return [r for r in rules if issubclass(r, ProjectRule)]
