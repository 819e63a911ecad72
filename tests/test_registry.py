"""Third-party rule packs load through the `mcp_lint.rules` entry-point group."""

import sys
import textwrap

from mcp_lint import registry


def test_entry_point_pack_is_loaded(tmp_path, monkeypatch):
    pack = tmp_path / "acme_mcp_rules"
    pack.mkdir()
    (pack / "__init__.py").write_text(
        textwrap.dedent(
            '''
            from mcp_lint.model import Severity
            from mcp_lint.rule import Invalid, PythonRule, Valid


            class NoEval(PythonRule):
                """
                ## What it does
                Flags eval() in tool code.

                ## Why is this bad?
                Tool arguments come from a model.

                ## Example
                ```python
                eval(x)
                ```

                ## Use instead
                ```python
                ast.literal_eval(x)
                ```
                """

                code = "MCP0499"
                name = "eval-in-tool"
                item = 4
                severity = Severity.ERROR
                summary = "eval() in tool code"
                fix_hint = "Parse the value instead of evaluating it."
                VALID = [Valid("x = 1")]
                INVALID = [Invalid("eval('1')")]
            '''
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "_entry_point_packages", lambda: ["acme_mcp_rules"])
    registry.all_rules.cache_clear()
    try:
        codes = {r.code for r in registry.all_rules()}
        assert "MCP0499" in codes and "MCP0101" in codes
    finally:
        registry.all_rules.cache_clear()
        sys.modules.pop("acme_mcp_rules", None)


def test_entry_point_group_is_declared_in_packaging():
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert '[project.entry-points."mcp_lint.rules"]' in pyproject
    assert registry.ENTRY_POINT_GROUP == "mcp_lint.rules"


def test_every_package_is_listed_for_the_wheel():
    """`rules/` installs as `mcp_lint_rules` through an explicit package list: a new rule
    folder that is not listed would be missing from the wheel."""
    import sys
    from pathlib import Path

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set()
    for top, name in (("mcp_lint", "mcp_lint"), ("rules", "mcp_lint_rules")):
        for init in (root / top).rglob("__init__.py"):
            parts = init.parent.relative_to(root / top).parts
            found.add(".".join((name, *parts)))
    assert found == listed
