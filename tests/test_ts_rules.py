"""Embedded cases of the TypeScript rules (implementations of shared codes and TS-only
rules), run through the real engine like every other rule's cases."""

import pytest

from mcp_lint.registry import all_rules, implementations_of
from mcp_lint.testing import check_case

TS_RULES = [impl for rule in all_rules() for impl in implementations_of(rule)]
CASES = [
    pytest.param(rule, case, id=f"{rule.code}-ts-{kind}-{i}")
    for rule in TS_RULES
    for kind, cases in (("valid", rule.VALID), ("invalid", rule.INVALID))
    for i, case in enumerate(cases)
]


def test_every_shared_code_has_one_owner():
    codes = [r.code for r in all_rules()]
    assert len(codes) == len(set(codes))
    for impl in TS_RULES:
        assert impl.implements.code == impl.code and "typescript" in impl.implements.kinds


@pytest.mark.parametrize("rule, case", CASES)
def test_ts_embedded_case(rule, case):
    check_case(rule, case)
