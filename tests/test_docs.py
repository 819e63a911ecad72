"""The README's rules table is generated from the registry; it must not drift."""

from pathlib import Path

from mcp_lint.docs import END, START, with_table
from mcp_lint.registry import all_rules

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rules_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text, "README rules table is stale: run `python -m mcp_lint.docs README.md`"


def test_every_rule_is_in_the_table():
    text = README.read_text(encoding="utf-8")
    table = text[text.index(START) : text.index(END)]
    for rule in all_rules():
        assert f"`{rule.code}`" in table and f"`{rule.name}`" in table
