"""What a tool argument's name says about its content (MCP0701's severity rests on it)."""

import pytest

from mcp_lint.python.argument_kinds import IDENTIFIER, PAYLOAD, UNKNOWN, kind_of_name


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
        ("save_skill_as", IDENTIFIER),  # the name a skill is saved under, as `skill_name`
        ("export_as", IDENTIFIER),
        ("reply_as_user", PAYLOAD),  # `as` not last: the words decide
        ("identifier", IDENTIFIER),  # an item key or a DOI (zotero-mcp)
        ("cluster_identifier", IDENTIFIER),
        ("user_identifier", UNKNOWN),  # an e-mail address or a login (mcp-atlassian)
        ("doi", IDENTIFIER),  # public identifiers of publications
        ("citekey", IDENTIFIER),
        ("paper_isbn", IDENTIFIER),
        ("style", IDENTIFIER),  # a citation style's short name (`apa`)
        ("style_notes", PAYLOAD),  # not last: the words decide
        ("after", IDENTIFIER),  # a listing cursor (resend's `after`, Stripe's `starting_after`)
        ("starting_after", IDENTIFIER),
        ("insert_after", UNKNOWN),  # an edit's anchor text, not a cursor
        ("scheduledAt", IDENTIFIER),  # a moment
        ("created_at", IDENTIFIER),
        ("since", IDENTIFIER),
        ("at", UNKNOWN),
        ("end_time", IDENTIFIER),  # an ISO timestamp (google/mcp-security's search windows)
        ("startDate", IDENTIFIER),
        ("birth_date", UNKNOWN),  # a moment of a person's life is personal data
        ("time", UNKNOWN),
        ("time_min", IDENTIFIER),  # bounds of a calendar search window (RFC 3339)
        ("time_str", IDENTIFIER),
        ("time_capsule_note", PAYLOAD),  # a time word first, then content
        ("content_mime_type", IDENTIFIER),  # which kind of content, not the content
        ("message_kind", IDENTIFIER),
        ("message", PAYLOAD),
        ("duration", IDENTIFIER),  # `30s`, `2h`
        ("sinceCommit", IDENTIFIER),  # a commit of a repository (bitbucket's diff tools)
        ("base_ref", IDENTIFIER),
        ("language_code", IDENTIFIER),  # an entry of a code list (erpnext's `th`, a NAICS code)
        ("naicsCode", IDENTIFIER),
        ("source_code", PAYLOAD),  # program text
        ("verification_code", PAYLOAD),  # a secret
        ("code", PAYLOAD),
    ],
)
def test_kind_of_name(name, kind):
    assert kind_of_name(name) == kind


@pytest.mark.parametrize(
    "owner, kind",
    [
        ("create_reference_list", IDENTIFIER),  # the bare `name` of the list the tool creates
        ("create_watchlist", IDENTIFIER),
        ("search_customers", PAYLOAD),
        ("greet", UNKNOWN),
    ],
)
def test_a_bare_name_is_named_by_its_tool(owner, kind):
    assert kind_of_name("name", owner) == kind


@pytest.mark.parametrize("name", ["api_key", "secret_key", "access_key", "client_key"])
def test_credential_keys_are_not_identifiers(name):
    assert kind_of_name(name) != IDENTIFIER


@pytest.mark.parametrize(
    "name, kind",
    [
        ("output_file", IDENTIFIER),  # a file on the server's disk, named like a table
        ("notebook_path", IDENTIFIER),
        ("script_path", IDENTIFIER),
        ("path", IDENTIFIER),
        ("file", UNKNOWN),  # bare: may be an upload's content
        ("page_url", UNKNOWN),  # a URL's query string can carry what the user searched
    ],
)
def test_locations(name, kind):
    assert kind_of_name(name) == kind


def _param(source: str):
    import libcst as cst

    function = cst.parse_module(source).body[0]
    return function.params.params[0], function.get_docstring()


@pytest.mark.parametrize(
    "source, expected",
    [
        ("def f(command: str = Field(description=\"Subcommand, e.g. 'cp' or 'describe-instances'\")): pass", True),
        ("def f(kind: Annotated[str, Field(description=\"One of 'text', 'json'\")]): pass", True),
        ("def f(source: str):\n    '''Add.\n\n    Args:\n        source: type, must be one of:\n            - 'text'\n            - 'json'\n    '''", True),
        # plain words as examples could be a search; people and free text are never choices
        ("def f(query: str = Field(description=\"Search, e.g. 'python', 'rust'\")): pass", False),
        ("def f(who: str = Field(description=\"User, e.g. 'jane.doe', 'doe@example.com'\")): pass", False),
        ("def f(q: str = Field(description=\"Free-form text, e.g. 'a-b', 'c-d'\")): pass", False),
        ("def f(sql: str = Field(description=\"SQL, e.g. 'SELECT 1', 'SHOW TABLES'\")): pass", False),
        # the whole set spelled out after a colon, quoted or as an `Available ...:` list
        ("def f(mode: str = Field(description=\"Interpolation method: 'nearest', 'linear', 'area', 'cubic'.\")): pass", True),
        ("def f(sections: str):\n    '''Get.\n\n    Args:\n        sections: Comma-separated list.\n            Available sections: posts, jobs\n    '''", True),
        ("def f(q: str = Field(description=\"Terms: 'red', 'blue'\")): pass", False),  # two quoted words: examples
        ("def f(key: str = Field(description='Key to press. Examples: \"Enter\", \"Tab\", \"Escape\"')): pass", False),
        ("def f(q: str = Field(description=\"Available filters: any text you like\")): pass", False),
        # the whole set in parentheses (imas-mcp); examples in parentheses are not a set
        ("def f(status: str = Field(description=\"Filter by lifecycle status ('active', 'alpha', 'obsolescent'). Default: none.\")): pass", True),
        ("def f(q: str = Field(description=\"Search text (e.g. 'red', 'blue')\")): pass", False),
        # documented as the name of a thing (boomi's credential profiles), not of a person
        ("def f(profile: str):\n    '''Get.\n\n    Args:\n        profile: Profile name to use (REQUIRED)\n    '''", True),
        ("def f(target: str = Field(description='Name of the saved report')): pass", True),
        ("def f(name: str = Field(description='Name for the broadcast. If none is given, make one up from the email subject')): pass", True),  # resend
        ("def f(name: str = Field(description='Name for the user, as shown to others')): pass", False),
        ("def f(who: str = Field(description='Full name of the customer')): pass", False),
        ("def f(user_name: str = Field(description='The name of the IAM user to retrieve')): pass", False),  # awslabs IAM
        ("def f(user_name: str = Field(description='The name of the new IAM user')): pass", False),
        ("def f(name: str = Field(description='Unique gateway name. Pattern: [a-z-]+')): pass", True),
        ("def f(keywords: str = Field(description='Optional filter by name, job title, or skill')): pass", False),  # linkedin
        ("def f(location: str = Field(description='Location name or address to geocode')): pass", False),
        ("def f(who: str = Field(description='Customer name, as written on the invoice')): pass", False),
        ("def f(q: str = Field(description='Search text; matched against the profile name')): pass", False),
        # documented as an identifier (nextcloud-mcp-server's `addressbook: URI slug, not the display name`)
        ("def f(addressbook: str):\n    \"\"\"Get.\n\n    Args:\n        addressbook: URI slug, not the address-book display name.\n    \"\"\"", True),
        ("def f(board: str = Field(description='Identifier of the board')): pass", True),
        ("def f(q: str = Field(description='Text to search, or an ID')): pass", False),
        ("def f(who: str = Field(description='ID or name of the user')): pass", False),
    ],
)
def test_described_as_choice(source, expected):
    from mcp_lint.python.choices import described_as_choice

    assert described_as_choice(*_param(source)) is expected
