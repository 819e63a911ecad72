"""What the deployment rules read from each kind of file: how long the server drains on
SIGTERM (drain timeouts), how long the platform waits before SIGKILL (grace periods) and which
HTTP servers are started from a command line. Every value is picklable (project-rule facts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Tuple

from mcp_lint.deploy import flag_value, shell_words
from mcp_lint.model import Location

# Environment variables and settings fields that hold a drain timeout; any prefix
# (`MCP_DRAIN_TIMEOUT_MS`, `UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN`), unit from the suffix.
DRAIN_NAME = re.compile(
    r"(?:^|_)(?:DRAIN_TIMEOUT|SHUTDOWN_TIMEOUT|GRACEFUL_TIMEOUT|TIMEOUT_GRACEFUL_SHUTDOWN)"
    r"(?P<unit>_MS|_MILLIS|_MILLISECONDS|_S|_SEC|_SECS|_SECONDS)?$",
    re.IGNORECASE,
)
UVICORN_ENV = "UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN"  # uvicorn's CLI reads options from UVICORN_* (click)
# Server CLIs and the flag that bounds their drain. gunicorn (30 s) and hypercorn (3 s) have
# finite defaults; uvicorn's default is None: wait for open connections forever.
SERVER_FLAGS = {"uvicorn": "--timeout-graceful-shutdown", "gunicorn": "--graceful-timeout", "hypercorn": "--graceful-timeout"}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)")
_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 0.000001}


@dataclass(frozen=True)
class Drain:
    seconds: float
    what: str  # how it is written, for messages: "`DRAIN_TIMEOUT_MS=25000`"
    location: Location


@dataclass(frozen=True)
class Launch:
    """An HTTP server started from a command line (Dockerfile, compose, manifest, script)."""

    server: str  # "uvicorn" | "gunicorn" | "hypercorn"
    bounded: bool  # its drain flag is given
    location: Location


@dataclass
class Grace:
    """A platform's grace period for one workload, and the drains configured on it."""

    platform: str  # "Kubernetes" | "compose"
    workload: str  # "Deployment `web`", "service `api`"
    seconds: float
    written: str  # "terminationGracePeriodSeconds: 20", "the default 30 s"
    location: Location
    prestop: float = 0.0  # seconds of preStop sleep spent inside the grace period
    local_drains: List[Drain] = field(default_factory=list)
    explicit: bool = True  # False when the platform default applies
    # The compose build context: only drains in files below it configure this service.
    context: Optional[str] = None
    # A compose service that runs a prebuilt image (no `build:`), starts no HTTP server of its
    # own and sets no drain: the image's name, to tell the project's image from another program's.
    image: Optional[str] = None

    def applies_to(self, drain: Drain) -> bool:
        if self.context is None or self.context == ".":
            return True
        return drain.location.path.startswith(self.context.rstrip("/") + "/")

    def runs_project(self, project_name: str) -> bool:
        """Whether the workload may run this project's server: anything but a prebuilt image
        named neither like an MCP server nor like the project (`n8nio/n8n`, `node:18-alpine`
        running a one-off script, beside `ghcr.io/acme/n8n-mcp`)."""
        if self.image is None:
            return True
        name = self.image.lower()
        return "mcp" in name or name == project_name.lower()


@dataclass
class DeployFacts:
    drains: List[Drain] = field(default_factory=list)  # project-wide (not tied to a workload)
    graces: List[Grace] = field(default_factory=list)
    launches: List[Launch] = field(default_factory=list)
    uvicorn_env: bool = False  # UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN is set here


def format_seconds(value: float) -> str:
    return f"{value:g} s"


def duration(text: Optional[str], default_unit: float = 1.0) -> Optional[float]:
    """Seconds in `text`: a bare number (times `default_unit`), or a Go/compose duration such
    as `1m30s`, `500ms`. None when it is not a literal (a variable, a template)."""
    if text is None:
        return None
    text = text.strip().strip("\"'")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) * default_unit
    if not text or _DURATION_PART.sub("", text):
        return None
    return sum(float(n) * _UNITS[u] for n, u in _DURATION_PART.findall(text))


def drain_from_variable(name: str, value: Optional[str], location: Location, written: str = "") -> Optional[Drain]:
    match = DRAIN_NAME.search(name)
    if match is None:
        return None
    unit = match.group("unit") or ""
    seconds = duration(value, 0.001 if unit.upper().startswith("_M") else 1.0)
    if seconds is None:
        return None
    return Drain(seconds, written or f"`{name}={value}`", location)


def exec_words(values: Sequence[str]) -> List[str]:
    """Words of an exec-form command (a list of strings); items with spaces, as in
    `["sh", "-c", "uvicorn app --port 80"]`, are split too."""
    return [w for v in values for w in (shell_words(v) if " " in v else [v])]


def servers_in(words: Sequence[str]) -> Iterable[Tuple[str, List[str]]]:
    """(server, its arguments) for each uvicorn/gunicorn/hypercorn a command starts, directly
    or through a wrapper (`python -m`, `uv run`, `exec`, `tini --`); arguments run to the next
    shell separator. `pip install uvicorn` or `echo uvicorn` start nothing."""
    for i, word in enumerate(words):
        if word.rsplit("/", 1)[-1] in SERVER_FLAGS and (i == 0 or _may_precede_command(words[i - 1])):
            args: List[str] = []
            for arg in words[i + 1 :]:
                if arg in SHELL_SEPARATORS:
                    break
                args.append(arg)
            yield word.rsplit("/", 1)[-1], args


SHELL_SEPARATORS = ("&&", "||", ";", "|", "&")
_WRAPPERS = {"-m", "exec", "run", "--", "tini", "dumb-init", "gosu", "su-exec", "env", "nohup"}


def _may_precede_command(word: str) -> bool:
    """A word after which the next word is a command: a separator, a wrapper, a wrapper's
    option, an `ENV=value` assignment."""
    return word in SHELL_SEPARATORS or word.rsplit("/", 1)[-1] in _WRAPPERS or word.startswith("-") or (
        "=" in word and not word.startswith("-")
    )


def command_facts(words: Sequence[str], location: Location, facts: DeployFacts, drains: Optional[List[Drain]] = None) -> None:
    """Record the servers a command line starts and the drain flags it passes."""
    target = facts.drains if drains is None else drains
    for server, args in servers_in(words):
        flag = SERVER_FLAGS[server]
        present, value = flag_value(args, flag)
        facts.launches.append(Launch(server, present, location))
        seconds = duration(value) if present else None
        if seconds is not None:
            target.append(Drain(seconds, f"`{server} {flag} {value}`", location))


def note_variable(name: str, value: Optional[str], location: Location, facts: DeployFacts, drains: Optional[List[Drain]] = None) -> None:
    if name == UVICORN_ENV:
        facts.uvicorn_env = True
    drain = drain_from_variable(name, value, location)
    if drain is not None:
        (facts.drains if drains is None else drains).append(drain)
