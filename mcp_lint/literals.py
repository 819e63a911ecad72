"""Facts about what targets write: integers read without letting the text end the run
(`int()` raises on `0x1F40` without a base, on superscript digits that `str.isdigit` accepts
(`²`), and on more than 4,300 digits: CPython's limit on converting long decimal strings,
sys.set_int_max_str_digits), the loopback hosts, the folders of a repository's tooling, and the
names and words of health checks."""

from __future__ import annotations

import re
from typing import Optional

MAX_DIGITS = 4000  # under CPython's default 4,300
_LITERAL = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)")


def parse_int(text: str) -> Optional[int]:
    """The integer a Python-style literal (`8000`, `0x1F40`, `1_000`, `-3`) or an ASCII decimal
    string denotes; None for anything else or for more than MAX_DIGITS digits."""
    text = text.strip()
    if len(text) > MAX_DIGITS or not text.isascii() or not _LITERAL.fullmatch(text):
        return None
    digits = text.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit() and digits.strip("0_"):
        return None  # `0777`: not a valid literal in Python 3
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        return None


# Hosts a server can bind that only this machine reaches.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# Folders of a repository's tooling beside its server: scripts, examples, docs, benchmarks.
TOOLING_DIRS = frozenset({"scripts", "examples", "example", "docs", "bench", "benchmarks"})

# What names and documents a health check: a handler (`health_check`, `healthCheck`, `get_health`,
# `readiness`; not `healthcare_search`), a docstring or a comment ("Health check endpoint").
HEALTH_HANDLER_WORDS = {"health", "healthz", "healthcheck", "livez", "readyz", "liveness", "readiness"}
HEALTH_DOC = re.compile(r"\bhealth[ -]?checks?\b|\bliveness\b|\breadiness\b", re.IGNORECASE)


def is_health_handler(name: str) -> bool:
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]
    return any(w in HEALTH_HANDLER_WORDS for w in words) or any(a == "health" and b == "check" for a, b in zip(words, words[1:]))


# A home-made MCP client (a test's, a script's; Python or JS): JSON-RPC envelopes built in one
# place, the methods named where it is called (`rpc("tools/call", {...})` with
# `{"jsonrpc": "2.0", "id": n, "method": method, ...}` written to a subprocess's stdin or posted).
JSON_RPC_ENVELOPE = re.compile(r"""\bjsonrpc["']?\s*:\s*["']2\.0["']""")
METHOD_NAMED = re.compile(r"""\(\s*["'`](?:tools/list|tools/call)["'`]""")


def home_made_client(text: str) -> bool:
    return bool(JSON_RPC_ENVELOPE.search(text) and METHOD_NAMED.search(text))
