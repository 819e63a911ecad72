"""What the deploy files run: the command lines of Dockerfiles (final stage), compose services,
Kubernetes containers, Helm values, ECS task definitions and Procfiles, the environment a
Dockerfile sets for them, and which entrypoint of the project model a command starts.

`mcp-lint inspect` prints them; rules ask them (MCP0203 escalates a transport chosen at run time
when the image starts it with `--transport sse`, and reports the stdio-to-HTTP bridges they start). Imports only the standard library at start-up:
the documents and the model are imported where they are used."""

from __future__ import annotations

import posixpath
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from mcp_lint.python.project_model import Entrypoint, ProjectModel

DEPLOY_KINDS = ("dockerfile", "compose", "k8s", "helm", "ecs")
# The flag an MCP server's command line takes to choose its transport (the SDK's examples, fastmcp's
# CLI and most servers' argparse spell it so).
TRANSPORT_FLAG = "--transport"


@dataclass(frozen=True)
class DeployCommand:
    path: str
    line: int
    words: Tuple[str, ...]
    env: Tuple[Tuple[str, str], ...] = ()  # variables the same file sets for it (Dockerfile `ENV`)
    image: str = ""  # the image it runs in, when its file names it (compose, Kubernetes)

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def flag(self, flag: str) -> Optional[str]:
        """The value given to `flag` (`--flag V` or `--flag=V`), else None."""
        return flag_value(self.words, flag)[1]

    def variable(self, name: str) -> Optional[str]:
        values = [value for key, value in self.env if key == name]
        return values[-1] if values else None


def deploy_commands(files) -> List[DeployCommand]:
    """The commands of every deploy file and Procfile among the discovered `files`."""
    from mcp_lint.documents import document_class, refine_kind
    from mcp_lint.engine import source_text

    found: List[DeployCommand] = []
    for source in files:
        name = source.rel.rsplit("/", 1)[-1]
        text, _ = source_text(source) if source.kind is not None else (None, None)
        if text is None:
            continue
        if name == "Procfile":
            for number, line in enumerate(text.splitlines(), 1):
                if ":" in line and not line.lstrip().startswith("#"):
                    found.append(DeployCommand(source.rel, number, tuple(shell_words(line.split(":", 1)[1]))))
            continue
        kind = refine_kind(source.kind, source.rel, text)
        if kind not in DEPLOY_KINDS:
            continue
        document = document_class(kind)(source.rel, text)
        document.disk_path = source.path  # a chart's values.yaml reads its templates beside it
        try:
            document.parse()
        except Exception:  # `check` reports unparsable deploy files
            continue
        found.extend(command_lines(document))
    return found


def command_lines(document) -> List[DeployCommand]:
    """The commands a parsed deploy document runs (`document.kind` in DEPLOY_KINDS)."""
    from mcp_lint.documents.yaml_docs import items, scalar

    def words_of(node) -> List[str]:
        text = scalar(node)
        if text is not None:
            return shell_words(text)
        return [w for n in items(node) for w in shell_words(scalar(n) or "")]

    kind = document.kind
    out: List[DeployCommand] = []
    if kind == "dockerfile":
        from mcp_lint.documents.dockerfile import env_pairs

        env = tuple(pair for i in document.final_instructions("ENV") for pair in env_pairs(i.args))
        # The container runs the ENTRYPOINT with the CMD as its arguments when the ENTRYPOINT is in
        # exec form (a shell-form one ignores CMD); placed at the CMD, which holds the options.
        parts = [found[-1] for found in map(document.final_instructions, ("ENTRYPOINT", "CMD")) if found]
        if len(parts) == 2 and (parts[0].exec_form is None or parts[1].stage < parts[0].stage):
            parts = parts[:1]  # a later stage's ENTRYPOINT resets the CMD it inherits
        if parts:
            words = [w for part in parts for v in (part.exec_form or shell_words(part.args)) for w in shell_words(v)]
            out.append(DeployCommand(document.path, parts[-1].line, tuple(words), env))
    elif kind in ("compose", "k8s"):
        # A compose service's `entrypoint` + `command`, a container's `command` + `args`; placed
        # at `command` when it is given.
        keys = ("entrypoint", "command") if kind == "compose" else ("command", "args")
        holders = document.services() if kind == "compose" else [c for w in document.workloads() for c in w.containers()]
        for holder in holders:
            words = [w for key in keys for w in words_of(holder.get(key))]
            if words:
                at = "command" if holder.get("command") is not None else next(k for k in keys if k != "command")
                image = scalar(holder.get("image")) or ""
                out.append(DeployCommand(document.path, holder.location_of(at).line, tuple(words), image=image))
    elif kind == "helm":
        for parts in document.command_lines():
            words = [w for setting in parts for w in words_of(setting.node)]
            if words:
                out.append(DeployCommand(document.path, parts[0].key.start_mark.line + 1, tuple(words)))
    elif kind == "ecs":
        for container in document.containers():
            parts = document.command_parts(container)
            if parts:
                words = [w for _, values in parts for v in values for w in shell_words(v)]
                out.append(DeployCommand(document.path, parts[0][0].line, tuple(words)))
    return out


@dataclass(frozen=True)
class Bridge:
    """A gateway a deploy command starts that serves a stdio MCP server over HTTP (SSE,
    streamable HTTP, or tools as an OpenAPI app): the command it spawns is the server, its own
    options decide where it listens and whether it asks callers for a credential."""

    tool: str
    command: DeployCommand
    host: str  # the address it binds: its option's value, else the tool's default
    api_key: bool  # the tool is told to require a key of every caller
    server: str  # the stdio server's command line, as written


# Per bridge (its executable, as in `npx -y supergateway@3`, `uvx mcp-proxy`, `/venv/bin/mcpo`):
# the options naming the host it binds and the key it requires, and its default host. Read from
# each tool's CLI: supergateway listens on every interface (express `listen(port)`) and has no
# option that authenticates callers (`--header`, `--oauth2Bearer` set headers of its own
# messages); mcp-proxy binds 127.0.0.1 unless `--host`/`--sse-host` says otherwise and has no
# caller auth in server mode; mcpo binds 0.0.0.0 and takes `--api-key`.
BRIDGE_HOST_OPTIONS = {"supergateway": (), "mcp-proxy": ("--host", "--sse-host"), "mcpo": ("--host", "-h")}
BRIDGE_DEFAULT_HOSTS = {"supergateway": "0.0.0.0", "mcp-proxy": "127.0.0.1", "mcpo": "0.0.0.0"}
BRIDGE_KEY_OPTIONS = {"mcpo": ("--api-key", "-k")}


def bridge(command: DeployCommand) -> Optional[Bridge]:
    """The bridge this command starts in serving mode, if any. Serving mode: supergateway given
    `--stdio <server>` (not `--outputTransport stdio`); mcp-proxy or mcpo given the server's
    command after `--` (mcp-proxy given a URL is a client, mcpo with `--help` serves nothing)."""
    # The bridge's own image (`supercorp/supergateway`) runs it with the command as its arguments.
    starts = [(image_name(command.image), -1)] if command.image else []
    for word, at in [*starts, *((posixpath.basename(w), i) for i, w in enumerate(command.words))]:
        tool = word.split("@", 1)[0]
        if tool not in BRIDGE_HOST_OPTIONS:
            continue
        args = command.words[at + 1 :]
        if not _serves(tool, args):
            return None
        options = args[: args.index("--")] if "--" in args else args
        host = next((v for o in BRIDGE_HOST_OPTIONS[tool] for v in [flag_value(options, o)[1]] if v), BRIDGE_DEFAULT_HOSTS[tool])
        keyed = any(flag_value(options, o)[0] for o in BRIDGE_KEY_OPTIONS.get(tool, ()))
        server = flag_value(args, "--stdio")[1] if tool == "supergateway" else " ".join(args[len(options) + 1 :] or args[-1:])
        return Bridge(tool, command, host, keyed, server or "")
    return None


def _serves(tool: str, args: Sequence[str]) -> bool:
    if tool == "supergateway":
        return flag_value(args, "--stdio")[1] is not None and (flag_value(args, "--outputTransport")[1] or "sse") != "stdio"
    if "--" in args:
        return args.index("--") + 1 < len(args)
    # `mcp-proxy --port 8080 uvx mcp-server-fetch`: a port and a command, not a URL to connect to
    return tool == "mcp-proxy" and any(flag_value(args, o)[0] for o in ("--port", "--sse-port")) and not any(
        a.startswith(("http://", "https://")) for a in args
    )


def image_name(image: str) -> str:
    """`ghcr.io/org/weather-server:1.2@sha256:..` -> `weather-server`."""
    return image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]


def shell_words(text: str) -> List[str]:
    """The words a shell makes of a command line (quotes removed, `#` comments dropped);
    whitespace-separated when the quoting is unbalanced."""
    try:
        return shlex.split(text, comments=True)
    except ValueError:
        return text.split()


def flag_value(words: Sequence[str], flag: str) -> Tuple[bool, Optional[str]]:
    """(flag present, its value) for `--flag N` or `--flag=N`."""
    for i, word in enumerate(words):
        if word == flag:
            return True, words[i + 1] if i + 1 < len(words) else None
        if word.startswith(flag + "="):
            return True, word[len(flag) + 1 :]
    return False, None


def runs(command: DeployCommand, model: "ProjectModel", entry: "Entrypoint") -> bool:
    """Does a deploy command start this entrypoint?"""
    from mcp_lint.python.project_model import module_names

    words = [w for w in command.words if w not in ("sh", "-c", "bash")]
    modules = module_names(entry.rel)
    for i, word in enumerate(words):
        if word == "-m" and i + 1 < len(words):
            target = words[i + 1]
            if target in modules or f"{target}.__main__" in modules:
                return True
        if word.endswith(".py") and posixpath.normpath(word).endswith(entry.rel.rsplit("/", 1)[-1]) and entry.qualname == "":
            return entry.rel.endswith(posixpath.normpath(word).lstrip("./")) or posixpath.basename(word) == posixpath.basename(entry.rel)
        if entry.kind == "script" and word == entry.label.split("`")[1]:
            return True
        if ":" in word and word.split(":")[0] in modules:  # uvicorn pkg.app:app, fastmcp run server.py:mcp
            return True
    return False


def deployed_over_http(model: "ProjectModel", path: str, line: int, commands: Sequence[DeployCommand]) -> Optional[Tuple[DeployCommand, str]]:
    """For the launch at (path, line) whose transport is chosen at run time: the first deploy
    command that starts its entrypoint choosing HTTP (`CMD ["server", "--transport", "sse"]`, or
    `ENV MCP_TRANSPORT=http` where the server reads that variable), and how it is written."""
    from mcp_lint.python.mcp_model import HTTP_TRANSPORTS

    for serving in model.serving_entrypoints():
        launch = serving.launch
        if serving.transport != "dynamic" or (launch.rel, launch.call.line) != (path, line):
            continue
        variables = model.transport_variables(launch)
        for command in commands:
            chosen = chosen_transport(command, variables)
            if chosen is not None and chosen[0] in HTTP_TRANSPORTS and runs(command, model, serving.entrypoint):
                return command, chosen[1]
    return None


def bridges(document) -> List[Bridge]:
    """The bridges a parsed deploy document starts in serving mode."""
    return [found for found in map(bridge, command_lines(document)) if found is not None]


def transport_commands(document) -> List[DeployCommand]:
    """The commands of a deploy document that may choose a transport (a flag, or variables set)."""
    return [c for c in command_lines(document) if c.env or c.flag(TRANSPORT_FLAG) is not None]


def chosen_transport(command: DeployCommand, variables: Sequence[str]) -> Optional[Tuple[str, str]]:
    """(transport, how it is written) when the command picks a transport: `--transport sse`
    on its command line, or one of `variables` (those the server reads it from) set by its file."""
    value = command.flag(TRANSPORT_FLAG)
    if value is not None:
        return value.lower(), f"`{TRANSPORT_FLAG} {value}`"
    for name in variables:
        value = command.variable(name)
        if value is not None:
            return value.lower(), f"`{name}={value}`"
    return None
