"""Checklist item 11: run the compiled server in production, not TypeScript compiled on start."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, List, Optional, Tuple

from mcp_lint.model import Location, Severity
from mcp_lint.rule import Invalid, ProjectRule, Valid

# `ts-node src/index.ts`, `npx tsx src/server.ts`, `node_modules/.bin/ts-node-esm ...`, and
# Node loading a TypeScript hook: `node --loader ts-node/esm`, `-r ts-node/register`, `--import tsx`.
TS_RUNTIME = re.compile(
    r"(?:^|[\s;&|(])(?:\S*/)?(?P<bin>ts-node(?:-esm|-dev)?|tsx)(?=\s|$|[;&|)])"
    r"|(?:--loader|--experimental-loader|--import|--require|-r)[\s=]+(?P<hook>ts-node(?:/\S*)?|tsx(?:/\S*)?)(?=\s|$)"
)
# Scripts a production start runs. Development scripts (`dev`, `watch`, `test`...) are never checked.
PRODUCTION_SCRIPTS = ("start", "start:prod", "start:production", "prod", "production", "serve")
SCRIPT_CALL = re.compile(r"\b(?:npm\s+(?:run(?:-script)?\s+(?P<npm>[\w:.-]+)|(?P<npm_start>start)\b)|(?:yarn|pnpm|bun)\s+(?:run\s+)?(?P<other>[\w:.-]+))")
DEV_STAGES = re.compile(r"^(dev|develop|development|debug|test|testing|local)$")


@dataclass
class Script:
    command: str
    location: Location


@dataclass
class PackageFacts:
    folder: str
    scripts: Dict[str, Script] = field(default_factory=dict)


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


def called_scripts(command: str) -> List[str]:
    """Package scripts a command runs: `npm start`, `npm run build:prod`, `yarn serve`, `pnpm run x`."""
    found = []
    for match in SCRIPT_CALL.finditer(command):
        found.append(match.group("npm") or match.group("npm_start") or match.group("other"))
    return found


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
    kinds = ("packagejson", "dockerfile")

    @classmethod
    def collect(cls, document, options):
        folder = posixpath.dirname(document.path)
        if document.kind == "packagejson":
            scripts = {name: Script(node.value, document.location(node)) for name, node in document.scripts().items()}
            return PackageFacts(folder, scripts)
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
        packages = {f.folder: f for f in facts_by_path.values() if isinstance(f, PackageFacts)}
        for facts in packages.values():
            yield from cls._check_package(facts)
        for facts in facts_by_path.values():
            if isinstance(facts, DockerFacts):
                yield from cls._check_image(facts, packages.get(facts.folder) or packages.get(""))

    @classmethod
    def _check_package(cls, package: PackageFacts) -> Iterable:
        for name, script, runtime in _production_scripts(package, PRODUCTION_SCRIPTS):
            yield cls().make_finding(
                script.location,
                f"package.json script `{name}` starts the server with {runtime}: TypeScript is compiled on every start in production",
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
        wanted = tuple(s for s in called_scripts(image.command) if s not in PRODUCTION_SCRIPTS)
        for name, script, found in _production_scripts(package, wanted):
            yield cls().make_finding(
                image.location,
                f"the image runs package.json script `{name}`, which starts the server with {found}: TypeScript is compiled on every container start",
                related=[replace(script.location, message=f"script `{name}`")],
                snippet=image.command,
            )

    VALID = [
        Valid(
            '{\n  "scripts": {\n    "build": "tsc",\n    "start": "node --enable-source-maps dist/index.js",\n    "dev": "tsx watch src/index.ts",\n    "test": "node --import tsx --test test/*.ts"\n  }\n}\n',
            path="package.json",
        ),
        Valid(
            '{ "scripts": { "start": "node dist/index.js", "dev": "ts-node-dev src/index.ts", "lint": "eslint --ext .ts,.tsx src" } }\n',
            path="package.json",
            files={"Dockerfile": 'FROM node:22-slim\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n'},
        ),
        Valid(
            "FROM node:22 AS dev\nWORKDIR /app\nCOPY . .\nCMD npx tsx watch src/index.ts\n",
            path="Dockerfile",
        ),
    ]
    INVALID = [
        Invalid(
            '{\n  "scripts": {\n    "start": "ts-node src/index.ts",\n    "dev": "ts-node --watch src/index.ts"\n  }\n}\n',
            path="package.json",
            line=3,
            count=1,
            message="package.json script `start` starts the server with ts-node",
        ),
        Invalid(
            '{ "scripts": { "start": "npm run serve:ts", "serve:ts": "node --loader ts-node/esm src/server.ts" } }\n',
            path="package.json",
            message="script `serve:ts` starts the server with node --loader ts-node/esm",
        ),
        Invalid(
            'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["npm", "run", "dev"]\n',
            path="Dockerfile",
            files={"package.json": '{ "scripts": { "dev": "tsx watch src/index.ts", "start": "node dist/index.js" } }'},
            line=5,
            message="the image runs package.json script `dev`, which starts the server with tsx",
        ),
        Invalid(
            'FROM node:22-slim AS build\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build /app /app\nENTRYPOINT ["npx", "tsx", "src/index.ts"]\n',
            path="Dockerfile",
            line=5,
            message="the image starts the server with tsx",
        ),
    ]


def _production_scripts(package: PackageFacts, names: Tuple[str, ...]) -> Iterable[Tuple[str, Script, str]]:
    """(name, script, runtime) for the named scripts and the scripts they run, using a TS runtime."""
    pending, seen = list(names), set()
    while pending:
        name = pending.pop(0)
        script = package.scripts.get(name)
        if script is None or name in seen:
            continue
        seen.add(name)
        runtime = ts_runtime(script.command)
        if runtime is not None:
            yield name, script, runtime
        pending.extend(called_scripts(script.command))

