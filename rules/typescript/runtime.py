"""Checklist item 11: run the compiled server in production, not TypeScript compiled on start."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from mcp_lint.model import Location, Severity
from mcp_lint.rule import Invalid, ProjectRule, Valid
from mcp_lint.typescript.packages import PackageSignal, called_scripts, collect_signal, is_server_package, script_chain

# `ts-node src/index.ts`, `npx tsx src/server.ts`, `node_modules/.bin/ts-node-esm ...`, and
# Node loading a TypeScript hook: `node --loader ts-node/esm`, `-r ts-node/register`, `--import tsx`.
TS_RUNTIME = re.compile(
    r"(?:^|[\s;&|(])(?:\S*/)?(?P<bin>ts-node(?:-esm|-dev)?|tsx)(?=\s|$|[;&|)])"
    r"|(?:--loader|--experimental-loader|--import|--require|-r)[\s=]+(?P<hook>ts-node(?:/\S*)?|tsx(?:/\S*)?)(?=\s|$)"
)
SERVER_TS = (  # a server source for the embedded cases: only a server package is checked
    'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
    'import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";\n'
    'const server = new McpServer({ name: "search", version: "1.0.0" });\n'
    'await server.connect(new StdioServerTransport());\n'
)
# Scripts a production start runs. Development scripts (`dev`, `watch`, `test`...) are never checked.
PRODUCTION_SCRIPTS = ("start", "start:prod", "start:production", "prod", "production", "serve")
DEV_STAGES = re.compile(r"^(dev|develop|development|debug|test|testing|local)$")


@dataclass
class Script:
    command: str
    location: Location


@dataclass
class PackageFacts:
    folder: str
    scripts: Dict[str, Script] = field(default_factory=dict)
    signal: Optional[PackageSignal] = None  # what the manifest says about the package
    compiled_bin: bool = False  # `bin` names JavaScript files: what npx and global installs run


@dataclass
class DockerFacts:
    folder: str
    command: str  # ENTRYPOINT and CMD of the final image, joined
    location: Location  # the last of the two


def ts_runtime(command: str) -> Optional[str]:
    """The TypeScript runtime a command starts (`ts-node`, `tsx`, `--loader ts-node/esm`), if any."""
    match = TS_RUNTIME.search(command)
    if match is None:
        return None
    return match.group("bin") or f"node {match.group(0).strip().split()[0]} {match.group('hook')}"


class TsRuntimeCompilerInProduction(ProjectRule):
    """
    ## What it does
    Flags a TypeScript server started through a compile-on-start runtime (`ts-node`, `tsx`,
    `node --loader ts-node/esm`, `node -r ts-node/register`, `node --import tsx`) in production:
    in the package.json `start` script (or `start:prod`, `prod`, `serve`, and the scripts those
    run with `npm run`), or in the final image's `CMD`/`ENTRYPOINT`, directly or through
    `npm start` / `npm run X` (the script is looked up in the package.json beside the Dockerfile,
    else at the project root). `dev`, `watch` and `test` scripts are never checked, nor are
    Dockerfiles whose final stage is a development target (`AS dev`).

    Only packages that build an MCP server are checked (not an example client agent, a UI or a
    sibling library). Production is what starts the package: when an image of the package
    runs `node dist/index.js` itself, its `start` script is a local convenience and is not
    checked; when it runs `npm start`, that script is. A package published with a `bin` of
    compiled JavaScript is started through it (`npx`), so without an image its scripts are
    checked only beside a Procfile (a platform's `web: npm start`). A finding lands on the entry production
    runs (the `start` script, with the script it calls that uses the runtime as a related
    location).

    ## Why is this bad?
    The server type-checks or transpiles every file on each start: seconds of extra cold start
    and CPU while the platform's startup probe waits, more memory for the compiler, and a
    dev-only dependency in the production image.

    ## Example
    ```json
    { "scripts": { "start": "ts-node src/index.ts", "dev": "tsx watch src/index.ts" } }
    ```

    ## Use instead
    ```json
    { "scripts": { "build": "tsc", "start": "node --enable-source-maps dist/index.js", "dev": "tsx watch src/index.ts" } }
    ```
    """

    code = "MCP1104"
    name = "ts-runtime-compiler-in-production"
    item = 11
    severity = Severity.WARNING
    summary = "TypeScript server started through ts-node/tsx in production"
    fix_hint = "Compile with `tsc` at build time and start the compiled output (`node dist/index.js`); keep ts-node/tsx for the `dev` script."
    kinds = ("packagejson", "dockerfile", "typescript")
    scope = "mcp-project"  # every source: it says whether the package is a server (packages.is_server_package)

    @classmethod
    def collect(cls, document, options):
        folder = posixpath.dirname(document.path)
        if document.kind == "typescript":
            return collect_signal(document)
        if document.kind == "packagejson":
            scripts = {name: Script(node.value, document.location(node)) for name, node in document.scripts().items()}
            return PackageFacts(folder, scripts, collect_signal(document), _compiled_bin(document.root.get("bin")))
        stage = document.final_stage
        if stage is None or DEV_STAGES.match(stage.name):
            return None
        launch = [i for keyword in ("ENTRYPOINT", "CMD") for i in document.final_instructions(keyword)[-1:]]
        if not launch:
            return None
        command = " ".join(" ".join(i.exec_form) if i.exec_form is not None else i.args for i in launch)
        return DockerFacts(folder, command, document.location(max(launch, key=lambda i: i.line)))

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable:
        signals = [f if isinstance(f, PackageSignal) else f.signal for f in facts_by_path.values() if isinstance(f, (PackageSignal, PackageFacts))]
        if not is_server_package(s for s in signals if s is not None):
            return  # a UI, a client or a library of the repository: not how a server starts
        packages = {f.folder: f for f in facts_by_path.values() if isinstance(f, PackageFacts)}
        images = [f for f in facts_by_path.values() if isinstance(f, DockerFacts)]
        for package in packages.values():
            yield from cls._check_package(package, [i for i in images if _package_of(i, packages) is package], getattr(project, "root", None))
        for image in images:
            yield from cls._check_image(image, _package_of(image, packages))

    @classmethod
    def _check_package(cls, package: PackageFacts, images: List[DockerFacts], root) -> Iterable:
        """The production-named scripts production runs: those its images call, or all of them
        when no image starts the package (a `start` that an image never runs is a local
        convenience; the image's own command is checked instead). A package whose `bin` runs
        compiled JavaScript is started through it (`npx`, a global install), so without an
        image its scripts are checked only when a Procfile may run them (a platform's
        `web: npm start`)."""
        if images:
            entries = [name for image in images for name in called_scripts(image.command) if name in PRODUCTION_SCRIPTS]
        elif package.compiled_bin and not (root is not None and (Path(root) / package.folder / "Procfile").is_file()):
            entries = []
        else:
            entries = list(PRODUCTION_SCRIPTS)
        for name, via, runtime in _outermost(package, entries):
            script = package.scripts[name]
            how = f"starts the server with {runtime}" if via == name else f"runs `{via}`, which starts the server with {runtime}"
            yield cls().make_finding(
                script.location,
                f"package.json script `{name}` {how}: TypeScript is compiled on every start in production",
                related=[] if via == name else [replace(package.scripts[via].location, message=f"script `{via}`")],
                snippet=script.command,
            )

    @classmethod
    def _check_image(cls, image: DockerFacts, package: Optional[PackageFacts]) -> Iterable:
        runtime = ts_runtime(image.command)
        if runtime is not None:
            yield cls().make_finding(image.location, f"the image starts the server with {runtime}: TypeScript is compiled on every container start", snippet=image.command)
            return
        if package is None:
            return
        # Production-named scripts are reported in package.json already.
        wanted = [s for s in called_scripts(image.command) if s not in PRODUCTION_SCRIPTS]
        for name, via, found in _outermost(package, wanted):
            yield cls().make_finding(
                image.location,
                f"the image runs package.json script `{name}`, which starts the server with {found}: TypeScript is compiled on every container start",
                related=[replace(package.scripts[via].location, message=f"script `{via}`")],
                snippet=image.command,
            )

    VALID = [
        Valid(
            '{\n  "scripts": {\n    "build": "tsc",\n    "start": "node --enable-source-maps dist/index.js",\n    "dev": "tsx watch src/index.ts",\n    "test": "node --import tsx --test test/*.ts"\n  }\n}\n',
            path="package.json",
            files={"src/index.ts": SERVER_TS},
        ),
        Valid(
            '{ "scripts": { "start": "node dist/index.js", "dev": "ts-node-dev src/index.ts", "lint": "eslint --ext .ts,.tsx src" } }\n',
            path="package.json",
            files={"src/index.ts": SERVER_TS, "Dockerfile": 'FROM node:22-slim\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n'},
        ),
        Valid(
            "FROM node:22 AS dev\nWORKDIR /app\nCOPY . .\nCMD npx tsx watch src/index.ts\n",
            path="Dockerfile",
            files={"src/index.ts": SERVER_TS},
        ),
        # `start` runs the dev script for local use; the image runs the compiled server.
        Valid(
            '{\n  "bin": { "search-mcp": "dist/stdio.cjs" },\n  "scripts": {\n    "build": "tsc && esbuild src/stdio.ts --bundle --platform=node --outfile=dist/stdio.cjs",\n    "dev": "tsx src/stdio.ts",\n    "start": "npm run dev"\n  }\n}\n',
            path="package.json",
            files={"src/stdio.ts": SERVER_TS, "Dockerfile": 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["node", "dist/src/http-server.js"]\n'},
        ),
        # Published with a compiled `bin` (what `npx` runs); `start` is for local runs.
        Valid(
            '{\n  "bin": { "search-mcp": "./dist/index.js" },\n  "scripts": {\n    "build": "tsdown",\n    "start": "tsx src/index.ts"\n  }\n}\n',
            path="package.json",
            files={"src/index.ts": SERVER_TS},
        ),
        # An example MCP client agent beside a Python server: its `start` runs a demo script.
        Valid(
            '{ "type": "module", "scripts": { "start": "npx tsx agent.ts" }, "dependencies": { "@ai-sdk/mcp": "^0.0.5", "ai": "^5.0.0" } }\n',
            path="examples/agent/package.json",
            files={
                "pyproject.toml": '[project]\nname = "analytics-mcp"\ndependencies = ["mcp>=1.9"]\n',
                "src/analytics_mcp/server.py": 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("analytics")\n',
                "examples/agent/agent.ts": (
                    'import { experimental_createMCPClient as createMCPClient } from "@ai-sdk/mcp";\n'
                    'const client = await createMCPClient({ transport: { type: "sse", url: "http://localhost:8000/sse" } });\n'
                    'console.log(await client.tools());\n'
                ),
            },
        ),
    ]
    INVALID = [
        Invalid(
            '{\n  "scripts": {\n    "start": "ts-node src/index.ts",\n    "dev": "ts-node --watch src/index.ts"\n  }\n}\n',
            path="package.json",
            files={"src/index.ts": SERVER_TS},
            line=3,
            count=1,
            message="package.json script `start` starts the server with ts-node",
        ),
        # A Procfile may run `npm start` on the platform: the compiled `bin` does not say how it starts.
        Invalid(
            '{\n  "bin": "dist/index.js",\n  "scripts": {\n    "start": "tsx src/index.ts"\n  }\n}\n',
            path="package.json",
            files={"src/index.ts": SERVER_TS, "Procfile": "web: npm start\n"},
            line=4,
            message="package.json script `start` starts the server with tsx",
        ),
        # Reported at `start`, the entry production runs, not at the script it calls.
        Invalid(
            '{\n  "scripts": {\n    "start": "npm run serve:ts",\n    "serve:ts": "node --loader ts-node/esm src/server.ts"\n  }\n}\n',
            path="package.json",
            files={"src/server.ts": SERVER_TS},
            line=3,
            count=1,
            message="script `start` runs `serve:ts`, which starts the server with node --loader ts-node/esm",
        ),
        # The image runs `npm start`: that script is production's entry.
        Invalid(
            '{ "scripts": { "start": "tsx src/index.ts", "build": "tsc" } }\n',
            path="package.json",
            files={"src/index.ts": SERVER_TS, "Dockerfile": 'FROM node:22-slim\nCOPY . .\nCMD ["npm", "start"]\n'},
            message="package.json script `start` starts the server with tsx",
        ),
        Invalid(
            'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["npm", "run", "dev"]\n',
            path="Dockerfile",
            files={"src/index.ts": SERVER_TS, "package.json": '{ "scripts": { "dev": "tsx watch src/index.ts", "start": "node dist/index.js" } }'},
            line=5,
            message="the image runs package.json script `dev`, which starts the server with tsx",
        ),
        Invalid(
            'FROM node:22-slim AS build\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build /app /app\nENTRYPOINT ["npx", "tsx", "src/index.ts"]\n',
            path="Dockerfile",
            files={"src/index.ts": SERVER_TS},
            line=5,
            message="the image starts the server with tsx",
        ),
    ]


def _compiled_bin(node) -> bool:
    """Whether a package.json `bin` (a path, or names to paths) names JavaScript files only."""
    paths = [node.value] if node is not None and node.kind == "string" else [v.value for _, v in node.members] if node is not None and node.kind == "object" else []
    return bool(paths) and all(isinstance(p, str) and not re.search(r"\.[cm]?tsx?$", p) for p in paths)


def _package_of(image: DockerFacts, packages: Dict[str, PackageFacts]) -> Optional[PackageFacts]:
    """The package.json beside the Dockerfile, else the project's root one."""
    return packages.get(image.folder) or packages.get("")


def _outermost(package: PackageFacts, entries: List[str]) -> Iterable[Tuple[str, str, str]]:
    """(entry, script of its chain that uses a TS runtime, runtime) for each entry script, once
    per chain: an entry that another entry runs is reported through that one."""
    commands = {name: script.command for name, script in package.scripts.items()}
    chains = {name: script_chain(commands, name) for name in dict.fromkeys(entries) if name in commands}
    inner = {name for chain in chains.values() for name in chain[1:]}
    for name, chain in chains.items():
        if name in inner and any(name in other[1:] and other[0] not in inner for other in chains.values()):
            continue
        for via in chain:
            runtime = ts_runtime(commands[via])
            if runtime is not None:
                yield name, via, runtime
                break
