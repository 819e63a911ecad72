"""What a tool argument probably holds, judged from its name and annotation.

Logging a tool argument matters in proportion to what it carries. Free text and payloads (a
query, a message, a document, a request body, the whole arguments dict) are whatever the user
told the AI and may hold personal data; identifiers (cluster ids, regions, table names, page
tokens the server generated, listing cursors, moments, enum members, counts, paths of files on
the server) name things and carry nothing the user wrote. Everything else is unknown. The judgement is a heuristic over the
words of the name (split on `_` and camelCase), used to choose a finding's severity and the
argument its message names; `choices.py` adds evidence from the code itself (a parameter
documented as one of a few names, a value logged after it failed a lookup in a fixed set).
"""

from __future__ import annotations

import re
from typing import Optional

PAYLOAD, UNKNOWN, IDENTIFIER = "payload", "unknown", "identifier"
_RANK = {PAYLOAD: 2, UNKNOWN: 1, IDENTIFIER: 0}

# Words that make a name a payload wherever they appear (`search_query`, `email_body`).
PAYLOAD_WORDS = frozenset({
    "query", "queries", "sql", "tql", "promql", "cypher", "q", "text", "texts", "message", "messages", "msg", "body",
    "content", "contents", "document", "documents", "doc", "docs", "prompt", "prompts", "question",
    "questions", "payload", "email", "emails", "comment", "comments", "note", "notes", "description",
    "code", "script", "command", "cmd", "statement", "statements", "expression", "memory", "memories",
    "markdown", "html", "answer", "phone", "address", "password", "secret", "instructions",
    "instruction", "conversation", "chat", "transcript", "input", "inputs", "record", "records",
    "row", "rows", "values", "fact", "facts", "episode", "summary", "title", "feedback", "reply",
    "arguments", "kwargs",
})
# Names that hold every argument at once.
WHOLE_ARGUMENTS = frozenset({"arguments", "args", "kwargs", "params", "parameters", "tool_input", "request"})
# A last word that makes a name an identifier (`cluster_id`, `table_name`, `page_token`).
ID_LAST_WORDS = frozenset({
    "id", "ids", "uuid", "uuids", "uid", "uids", "guid", "arn", "arns", "pk", "sha", "oid", "slug", "key_id",
    "identifier", "identifiers",
    # a commit or revision of a repository (`sinceCommit`, `base_ref`)
    "commit", "commits", "revision", "revisions", "ref", "refs",
    # public identifiers of publications (`doi`, `isbn`, a BibTeX `citekey`)
    "doi", "dois", "isbn", "isbns", "issn", "pmid", "pmids", "citekey", "citekeys",
})
# `issue_key`, `project_key`: the key of a record is its identifier; these keys are credentials.
SECRET_KEY_WORDS = frozenset({"api", "secret", "access", "private", "auth", "encryption", "license", "ssh", "signing", "master", "client"})
RESOURCE_WORDS = frozenset({
    "region", "regions", "zone", "zones", "table", "tables", "cluster", "clusters", "database", "databases",
    "db", "schema", "schemas", "bucket", "buckets", "index", "indexes", "indices", "collection",
    "collections", "namespace", "namespaces", "topic", "topics", "metric", "metrics", "dataset",
    "datasets", "project", "projects", "workspace", "workspaces", "service", "services", "branch",
    "repo", "repository", "component", "components", "column", "columns", "field", "fields", "model",
    "models", "provider", "engine", "version", "format", "mode", "kind", "type", "types", "level",
    "status", "state", "stage", "env", "environment", "category", "sort", "order", "action",
    "operation", "method", "language", "lang", "locale", "timezone", "tz", "tool", "tools",
    "pipeline", "flow", "job", "task", "dashboard", "host", "port", "node", "label", "labels", "tag",
    "tags", "queue", "stream", "graph", "space", "org", "organization", "account", "resource",
    "container", "function", "view", "catalog", "warehouse", "role", "instance", "group", "unit",
    "step", "limit", "offset", "cursor", "page", "size", "count", "depth", "timeout", "interval",
    "direction", "granularity", "period", "window", "step", "precision", "encoding", "charset",
    "configuration", "config", "connection", "server", "endpoint", "channel", "partition", "pool",
    "style", "theme", "realm", "realms",
})
# `*_name` of a person is personal data (`customer_name`, `full_name`); a bare `name` or the
# name of anything else (`table_name`, `pipeline_name`) names a resource.
PERSON_WORDS = frozenset({
    "user", "username", "customer", "client", "contact", "person", "patient", "employee", "member",
    "first", "last", "full", "middle", "given", "family", "sender", "recipient", "author", "owner",
})
RESOURCE_WORDS = RESOURCE_WORDS | {"dashboard", "pipeline", "report", "transformation", "flow", "workflow", "agent", "app", "bucket", "table", "index", "collection", "schema"}
# Things a tool creates or looks up by their name, counted only as the tool's subject: the bare
# `name` of `create_reference_list` or `create_watchlist` names that list.
NAMED_THINGS = RESOURCE_WORDS | {"list", "watchlist", "playbook", "template", "policy", "parser", "feed"}
# A `*_token` name is an identifier when the token is a position in a listing.
POSITION_WORDS = frozenset({"page", "next", "continuation", "pagination", "cursor", "resume", "sync", "prev", "previous"})
# A listing cursor named by its direction (Stripe-style `starting_after`, a bare `after`).
CURSOR_WORDS = frozenset({"after", "before", "starting", "ending"})
# A last word that makes a name a moment (`scheduled_at`, `created_at`, `since`), and the last
# words that do so after a qualifier (`end_time`, `start_date`; not a `birth_date`).
TIME_LAST_WORDS = frozenset({"at", "timestamp", "since", "until"})
QUALIFIED_TIME_WORDS = frozenset({"time", "date", "datetime"})
# A moment named by its bound or form after the time word (`time_min`, `time_str`, `date_from`).
TIME_QUALIFIERS = frozenset({"min", "max", "str", "string", "start", "end", "from", "to", "iso", "utc", "local", "range", "zone"})
# A last word that names a category of the thing before it (`content_type`, `message_kind`,
# `document_format`): a label from a fixed set, not the thing itself.
CATEGORY_LAST_WORDS = frozenset({"type", "types", "kind", "kinds", "format", "formats", "mode", "modes", "encoding", "charset"})
# What a `*_code` is an entry of (`language_code`, `country_code`, `naics_code`): a public code
# list, not program text; not `auth_code`, `verification_code` (secrets) or `source_code`.
CODE_SYSTEMS = RESOURCE_WORDS | frozenset({
    "country", "currency", "naics", "sic", "iso", "airport", "station", "product", "error", "exit", "response", "http",
    "industry", "classification", "agency", "department", "program", "tax", "postcode", "market", "exchange",
    "stock", "ticker", "security", "securities", "instrument", "warrant", "fund", "sector", "airline", "carrier",
})
# Counts and bounds: `max_results`, `num_tokens`, `remaining_tokens`.
COUNT_FIRST_WORDS = frozenset({"max", "min", "num", "n", "total", "remaining", "top", "count", "limit"})
# A last word that names a file or folder: an identifier of something on the server's own disk
# (`output_file`, `notebook_path`), as `table_name` names a table. A bare `file` or `files` may
# be an upload's content, so it needs a qualifier.
PATH_WORDS = frozenset({"path", "paths", "file", "files", "filename", "filenames", "filepath", "dir", "dirs", "directory", "folder"})
BARE_PATH_WORDS = PATH_WORDS - {"file", "files"}
# A last word that names a web location: at most unknown, since a URL can carry a query string
# with what the user searched for, and the pages a user reads say something about them.
URL_WORDS = frozenset({"url", "urls", "uri", "uris", "link", "links"})
# Counts and sizes: `content_tokens`, `query_length`, `body_bytes`.
COUNT_LAST_WORDS = frozenset({"tokens", "count", "counts", "length", "len", "size", "bytes", "chars", "characters", "seconds", "ms", "number",
                              "duration", "durations", "ttl", "elapsed", "delay"})
# Patterns that select among names the server lists (`filter_pattern`, `like`, `name_prefix`).
SELECTOR_WORDS = frozenset({"pattern", "patterns", "like", "glob", "prefix", "regex"})
# Annotations of a file-system location.
PATH_TYPES = frozenset({"Path", "PurePath", "PosixPath", "FilePath", "DirectoryPath", "NewPath"})
# Annotation names whose values are fixed choices.
CHOICE_SUFFIXES = ("Enum", "Type", "Kind", "Mode", "Format", "Level", "Status", "State", "Region")

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(name: str) -> list:
    return [w.lower() for w in _WORD.findall(name)]


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def kind_of_name(name: str, owner: str = "") -> str:
    """PAYLOAD, IDENTIFIER or UNKNOWN for a variable or parameter name. `owner` is the name of
    the tool or function it belongs to: a bare `name` of `create_pipeline` names a pipeline,
    of `search_customers` a person."""
    parts = words(name)
    if not parts:
        return UNKNOWN
    if name.lower() in WHOLE_ARGUMENTS:
        return PAYLOAD
    last = parts[-1]
    if last in ("identifier", "identifiers") and len(parts) > 1 and parts[-2] in PERSON_WORDS:
        return UNKNOWN  # `user_identifier`: an e-mail address or a login, as `username`
    if last in ID_LAST_WORDS:
        return IDENTIFIER
    if last in ("key", "keys") and len(parts) > 1 and parts[-2] not in SECRET_KEY_WORDS:
        return IDENTIFIER
    if last in ("token", "tokens") and (set(parts[:-1]) & POSITION_WORDS or parts[0] in COUNT_FIRST_WORDS):
        return IDENTIFIER
    if len(parts) > 1 and parts[0] in COUNT_FIRST_WORDS:
        return IDENTIFIER
    if last in SELECTOR_WORDS:
        return IDENTIFIER  # `filter_pattern`, `like`: selects names from a catalogue
    if set(parts) <= CURSOR_WORDS | POSITION_WORDS and set(parts) & CURSOR_WORDS:
        return IDENTIFIER  # `after`, `starting_after`: a position in a listing
    if last in TIME_LAST_WORDS and (len(parts) > 1 or last != "at"):
        return IDENTIFIER  # `scheduled_at`, `since`: a moment
    if last in QUALIFIED_TIME_WORDS and len(parts) > 1 and "birth" not in parts:
        return IDENTIFIER  # `end_time`, `start_date`: a moment
    if parts[0] in QUALIFIED_TIME_WORDS and len(parts) > 1 and set(parts[1:]) <= TIME_QUALIFIERS:
        return IDENTIFIER  # `time_min`, `time_str`: a moment or a bound of a time window
    if last in COUNT_LAST_WORDS:
        return IDENTIFIER  # `content_tokens`, `body_length`: a number about the content
    if last in ("name", "names") or (last == "as" and len(parts) > 1):  # `save_skill_as`: the name it is stored under
        if len(parts) > 1:
            return PAYLOAD if parts[-2] in PERSON_WORDS else IDENTIFIER  # `table_name`, `query_name`
        context = {_singular(w) for w in words(owner)}
        if context & (PERSON_WORDS | {"people"}):
            return PAYLOAD
        return IDENTIFIER if context & NAMED_THINGS else UNKNOWN
    if last in PATH_WORDS and (len(parts) > 1 or last in BARE_PATH_WORDS):
        return IDENTIFIER
    if last in URL_WORDS:
        return UNKNOWN
    if last in CATEGORY_LAST_WORDS and len(parts) > 1:
        return IDENTIFIER  # `content_type`, `message_kind`: which kind, not the content
    if last in ("code", "codes") and len(parts) > 1 and parts[-2] in CODE_SYSTEMS:
        return IDENTIFIER  # `language_code`, `naics_code`: an entry of a code list, not source code
    if set(parts) & PAYLOAD_WORDS:
        return PAYLOAD
    if last in RESOURCE_WORDS or all(p in RESOURCE_WORDS for p in parts):
        return IDENTIFIER
    return UNKNOWN


def kind_of_annotation(annotation: Optional[str], enums=frozenset()) -> Optional[str]:
    """IDENTIFIER for an enum-like annotation (an Enum class of the module, or a name such as
    `RegionType`) or a path type (`pathlib.Path`, pydantic `FilePath`); None when the annotation
    says nothing."""
    if not annotation:
        return None
    last = annotation.split(".")[-1]
    if last in enums or last in PATH_TYPES or (last != "str" and last.endswith(CHOICE_SUFFIXES)):
        return IDENTIFIER
    return None


def worst(*kinds: str) -> str:
    return max(kinds, key=_RANK.__getitem__)


def rank(kind: str) -> int:
    return _RANK[kind]
