"""Every rule describes itself completely (gixy-style meta-tests)."""

import pytest

from mcp_lint.registry import EngineRule, all_rules
from mcp_lint.rule import DOC_SECTIONS, DocumentRule, ProjectRule, PythonRule

RULES = [pytest.param(rule, id=rule.code) for rule in all_rules()]


@pytest.mark.parametrize("rule", RULES)
def test_rule_metadata_is_complete(rule):
    assert rule.summary and len(rule.summary) <= 120
    assert rule.fix_hint, "every finding carries a fix hint"
    doc = rule.doc()
    for section in DOC_SECTIONS:
        assert section in doc, f"{rule.code} doc lacks {section!r}"
    if not issubclass(rule, EngineRule):
        assert rule.item is not None and 1 <= rule.item <= 12
        assert rule.code[3:5] == f"{rule.item:02d}", "code family follows the checklist item"
        assert rule.kinds, "a rule declares the file kinds it reads"
        assert issubclass(rule, (PythonRule, DocumentRule, ProjectRule))
    for option in rule.options:
        assert option == option.lower() and "_" not in option, "options are kebab-case"


@pytest.mark.parametrize("rule", [r for r in RULES if not issubclass(r.values[0], EngineRule)])
def test_rule_has_cases_both_ways(rule):
    assert len(rule.VALID) >= 1 and len(rule.INVALID) >= 1


def test_codes_and_names_are_unique():
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
