"""What a tool argument's name says about its content (MCP0701's severity rests on it)."""

import pytest

from mcp_lint.python.argument_kinds import IDENTIFIER, PAYLOAD, kind_of_name


@pytest.mark.parametrize(
    "name, kind",
    [
        ("issue_key", IDENTIFIER),  # Jira issue keys (PROJ-123) name a record
        ("project_key", IDENTIFIER),
        ("model_uid", IDENTIFIER),
        ("cluster_id", IDENTIFIER),
        ("page_token", IDENTIFIER),
        ("query", PAYLOAD),
        ("arguments", PAYLOAD),
        ("customer_name", PAYLOAD),
    ],
)
def test_kind_of_name(name, kind):
    assert kind_of_name(name) == kind


@pytest.mark.parametrize("name", ["api_key", "secret_key", "access_key", "client_key"])
def test_credential_keys_are_not_identifiers(name):
    assert kind_of_name(name) != IDENTIFIER
