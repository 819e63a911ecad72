"""Every rule's embedded cases, run through the real engine."""

import pytest

from mcp_lint.registry import EngineRule, all_rules
from mcp_lint.testing import check_case

CASES = [
    pytest.param(rule, case, id=f"{rule.code}-{kind}-{i}")
    for rule in all_rules()
    if not issubclass(rule, EngineRule)
    for kind, cases in (("valid", rule.VALID), ("invalid", rule.INVALID))
    for i, case in enumerate(cases)
]


@pytest.mark.parametrize("rule, case", CASES)
def test_embedded_case(rule, case):
    check_case(rule, case)
