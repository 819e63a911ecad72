"""Checklist item 11 for TypeScript servers: the compiler settings that make types trustworthy
at runtime and stack traces readable.

Only tsconfigs that compile the server are checked: `tsconfig.json` and the build variants
`tsconfig.{build,prod,production,release,server,app,lib}.json` of a package that builds an MCP
server (`mcp_lint.typescript.packages`: not a UI, an MCP client or a sibling library of a
monorepo), or the shared base at a workspace root that such a server package extends. Test, lint and editor configs (`tsconfig.test.json`, `tsconfig.eslint.json`...) and
shared bases (`tsconfig.base.json`, checked through the configs that extend them) are not, nor
is a "solution" tsconfig that only lists `references` and compiles no file itself. A config
that extends a reported one and writes none of the options a rule reads (a `tsconfig.build.json`
that only changes `include`) does not repeat its base's finding. A tsconfig in a sub-folder
that holds none of the server's sources (`scripts/tsconfig.json` for development scripts) is
not checked either."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field, replace
from typing import ClassVar, Dict, Iterable, List, Optional, Tuple

from mcp_lint.documents.tsconfig import CompilerOptions, Setting
from mcp_lint.model import Finding, Location, Severity
from mcp_lint.rule import Invalid, ProjectRule, Valid
from mcp_lint.typescript.packages import (
    COMPILING_TSCONFIGS,
    PackageSignal,
    builds_with_bundler,
    collect_signal,
    extended_by_server_members,
    is_server_package,
    package_scripts,
    relative_bases,
)

STRICT_FAMILY = ("noImplicitAny", "strictNullChecks", "strictFunctionTypes", "strictBindCallApply", "strictPropertyInitialization", "noImplicitThis", "alwaysStrict", "useUnknownInCatchVariables")
# A package with a server, for the embedded cases: a tsconfig alone is no MCP server.
SERVER_FILES = {
    "package.json": '{ "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0" } }\n',
    "src/index.ts": 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nexport const server = new McpServer({ name: "x", version: "1.0.0" });\n',
}


@dataclass
class ConfigVerdict:
    """One compiling tsconfig's findings for a rule, and what decides whether they repeat a base's."""

    path: str
    findings: List[Finding] = field(default_factory=list)
    bases: List[str] = field(default_factory=list)  # project-relative candidates for its relative `extends`
    writes_checked: bool = False  # the file itself writes an option the rule reads


class _CompilerOptionRule(ProjectRule):
    """Shared: which tsconfigs count, the merged options, where to report, and only for a
    package that builds an MCP server (its sources, package.json and Dockerfile say so)."""

    kinds = ("tsconfig", "typescript", "packagejson")
    scope = "mcp-project"  # every source: a package whose sources never use its MCP dependency is no server
    checked: ClassVar[Tuple[str, ...]] = ()  # the compiler options the rule reads

    def __init__(self, document=None):
        self.document = document
        self.findings: List[Finding] = []

    @classmethod
    def collect(cls, document, options):
        if document.kind != "tsconfig":
            return collect_signal(document)
        if not _compiles_code(document):
            return None
        compiler = document.compiler_options()
        if not compiler.complete:  # an unresolved base could set anything: stay quiet
            return None
        rule = cls(document)
        rule.check_options(compiler)
        if not rule.findings:
            return None
        own = document.root.get("compilerOptions")
        written = {str(k.value) for k, _ in own.members} if own is not None and own.kind == "object" else set()
        return ConfigVerdict(document.path, rule.findings, relative_bases(document.root, posixpath.dirname(document.path)), bool(written & set(cls.checked)))

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        signals = [f for f in facts_by_path.values() if isinstance(f, PackageSignal)]
        verdicts = {f.path: f for f in facts_by_path.values() if isinstance(f, ConfigVerdict)}
        server = is_server_package(signals)
        root = getattr(project, "root", None)
        for verdict in verdicts.values():
            if not (server and _holds_server_source(verdict.path, signals) or extended_by_server_members(root, verdict.path)):
                continue
            if not cls.applies(verdict, signals) or _repeats_base(verdict, verdicts):
                continue
            yield from verdict.findings

    @classmethod
    def applies(cls, verdict: ConfigVerdict, signals: List[PackageSignal]) -> bool:
        return True

    def check_options(self, options: CompilerOptions) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def report(self, location: Location, message: str, **details) -> None:
        snippet = self.document.line_text(location.line).strip()
        self.findings.append(self.make_finding(location, message, snippet=snippet, **details))

    def where(self, setting: Optional[Setting]) -> Tuple[Location, List[Location]]:
        """At the setting when this file writes it; else at `compilerOptions` (or the top of the
        file), with the base config's setting as a related location when inherited."""
        if setting is not None and not setting.inherited:
            return setting.location, []
        related = [replace(setting.location, message="inherited from here")] if setting else []
        return self.document.key_location("compilerOptions"), related

    def file_name(self) -> str:
        return self.document.path.rsplit("/", 1)[-1]


def _holds_server_source(config: str, signals: List[PackageSignal]) -> bool:
    """A tsconfig in a sub-folder of the package compiles that folder: it is the server's only
    when a source that builds the server lies below it (`scripts/tsconfig.json` type-checks
    development scripts). Without such sources (a server known from its dependency) it counts."""
    folder = posixpath.dirname(config)
    sources = [s.path for s in signals if s.kind == "source" and s.role == "server"]
    return not folder or not sources or any(path.startswith(folder + "/") for path in sources)


def _compiles_code(document) -> bool:
    name = document.path.rsplit("/", 1)[-1]
    root = document.root
    files = root.get("files")
    solution = files is not None and files.kind == "array" and not files.elements and root.get("references") is not None
    return name in COMPILING_TSCONFIGS and not solution


def _repeats_base(verdict: ConfigVerdict, verdicts: Dict[str, ConfigVerdict]) -> bool:
    """A config that writes none of the rule's options and extends a config with the same
    finding (directly or through other such configs) only repeats it: the chain is reported
    once, at the first config that writes a checked option or extends no reported one."""
    current, seen = verdict, {verdict.path}
    while not current.writes_checked:
        base = next((verdicts[c] for c in current.bases if c in verdicts), None)
        if base is None:
            break
        if base.path in seen:  # a cycle of configs that only extend each other: report each
            return False
        seen.add(base.path)
        current = base
    return current is not verdict


def _origin(setting: Optional[Setting]) -> str:
    return f" (inherited from {setting.location.path})" if setting is not None and setting.inherited else ""


class TsconfigNotStrict(_CompilerOptionRule):
    """
    ## What it does
    Flags a tsconfig that compiles the server without `"strict": true` in its `compilerOptions`,
    after following `extends` (a base that enables it is enough), or that turns strict mode on
    and then switches one of its checks off again (`"strictNullChecks": false`...). When a base
    config cannot be found (a package not installed) nothing is reported.

    ## Why is this bad?
    Without strict mode `process.env.API_KEY` is a `string`, not `string | undefined`, a database
    row that may be missing is not checked, and an untyped parameter is silently `any`: exactly
    the errors that pass every test and fail on the first real tool call.

    ## Example
    ```json
    { "compilerOptions": { "target": "ES2022", "module": "NodeNext", "outDir": "dist" } }
    ```

    ## Use instead
    ```json
    { "compilerOptions": { "target": "ES2022", "module": "NodeNext", "outDir": "dist", "strict": true } }
    ```
    """

    code = "MCP1101"
    name = "tsconfig-not-strict"
    item = 11
    severity = Severity.WARNING
    summary = "tsconfig compiles the server without strict mode"
    fix_hint = 'Set `"strict": true` in compilerOptions (and do not turn its checks such as `strictNullChecks` back off).'
    checked = ("strict", *STRICT_FAMILY)

    def check_options(self, options: CompilerOptions) -> None:
        strict = options.settings.get("strict")
        if strict is None or strict.value is not True:
            location, related = self.where(strict)
            state = "does not enable" if strict is None else f"sets `strict: {json.dumps(strict.value)}`{_origin(strict)}, disabling"
            self.report(location, f"{self.file_name()} {state} TypeScript strict mode: env variables, nullable results and untyped parameters are not checked", related=related)
            return
        for flag in STRICT_FAMILY:
            setting = options.settings.get(flag)
            if setting is not None and setting.value is False:
                location, related = self.where(setting)
                self.report(location, f"{self.file_name()} enables strict mode but turns `{flag}` off again{_origin(setting)}", related=related)

    VALID = [
        Valid('{\n  "compilerOptions": {\n    // the server build\n    "strict": true,\n    "outDir": "dist",\n  },\n}\n', files=SERVER_FILES, path="tsconfig.json"),
        Valid(
            '{ "extends": "./tsconfig.base.json", "compilerOptions": { "outDir": "dist" } }\n',
            path="tsconfig.json",
            files={**SERVER_FILES, "tsconfig.base.json": '{ "compilerOptions": { "strict": true, "target": "ES2022" } }\n'},
        ),
        Valid('{ "extends": "@tsconfig/strictest/tsconfig.json", "compilerOptions": { "outDir": "dist" } }\n', files=SERVER_FILES, path="tsconfig.json"),
        Valid('{ "compilerOptions": { "strict": false, "allowJs": true } }\n', files=SERVER_FILES, path="tsconfig.test.json"),
        Valid('{ "files": [], "references": [{ "path": "./packages/server" }] }\n', files=SERVER_FILES, path="tsconfig.json"),
        # Type-checks the development scripts, not the server in src/.
        Valid(
            '{ "extends": "../tsconfig.json", "compilerOptions": { "strict": true, "useUnknownInCatchVariables": false, "noEmit": true }, "include": ["./**/*.ts"] }\n',
            path="scripts/tsconfig.json",
            files={**SERVER_FILES, "tsconfig.json": '{ "compilerOptions": { "strict": true, "outDir": "build" } }\n'},
        ),
        Valid(
            '{ "extends": ["./a.json", "./b.json"] }\n',
            path="tsconfig.json",
            files={**SERVER_FILES, "a.json": '{ "compilerOptions": { "strict": false } }', "b.json": '{ "extends": "./a.json", "compilerOptions": { "strict": true } }'},
        ),
    ]
    INVALID = [
        Invalid('{\n  "compilerOptions": {\n    "target": "ES2022",\n    "outDir": "dist"\n  }\n}\n', files=SERVER_FILES, path="tsconfig.json", line=2, message="tsconfig.json does not enable TypeScript strict mode"),
        Invalid('{\n  "compilerOptions": {\n    "strict": false\n  }\n}\n', files=SERVER_FILES, path="tsconfig.build.json", line=3, message="sets `strict: false`"),
        Invalid(
            '{\n  "extends": "../../tsconfig.base.json",\n  "compilerOptions": { "outDir": "dist" }\n}\n',
            path="packages/server/tsconfig.json",
            files={
                "package.json": SERVER_FILES["package.json"],
                "packages/server/src/index.ts": SERVER_FILES["src/index.ts"],
                "tsconfig.base.json": '{ "compilerOptions": { "strict": false } }',
            },
            line=3,
            message="(inherited from tsconfig.base.json)",
        ),
        Invalid('{ "compilerOptions": { "strict": true, "strictNullChecks": false } }\n', files=SERVER_FILES, path="tsconfig.json", message="turns `strictNullChecks` off again"),
        Invalid(
            '{ "extends": "./tsconfig.json" }\n',
            path="tsconfig.json",
            files=SERVER_FILES,
            message="does not enable",
        ),
    ]


class TsconfigUncheckedIndex(_CompilerOptionRule):
    """
    ## What it does
    Flags a tsconfig that compiles the server without `"noUncheckedIndexedAccess": true` (after
    following `extends`). `strict` does not include it.

    ## Why is this bad?
    Without it `rows[0]` and `headers[name]` are typed as present: a missing element becomes an
    `undefined` that crashes a tool call later, far from the lookup.

    ## Example
    ```json
    { "compilerOptions": { "strict": true } }
    ```

    ## Use instead
    ```json
    { "compilerOptions": { "strict": true, "noUncheckedIndexedAccess": true } }
    ```
    """

    code = "MCP1102"
    name = "tsconfig-unchecked-index"
    item = 11
    severity = Severity.INFO
    summary = "tsconfig compiles the server without noUncheckedIndexedAccess"
    fix_hint = 'Set `"noUncheckedIndexedAccess": true` in compilerOptions and handle the `undefined` cases it reveals.'
    checked = ("noUncheckedIndexedAccess",)

    def check_options(self, options: CompilerOptions) -> None:
        setting = options.settings.get("noUncheckedIndexedAccess")
        if setting is None or setting.value is not True:
            location, related = self.where(setting)
            self.report(location, f"{self.file_name()} does not enable `noUncheckedIndexedAccess`{_origin(setting)}: indexed lookups are typed as always present", related=related)

    VALID = [
        Valid('{ "compilerOptions": { "strict": true, "noUncheckedIndexedAccess": true } }\n', files=SERVER_FILES, path="tsconfig.json"),
        Valid(
            '{ "extends": "@tsconfig/strictest" }\n',
            path="tsconfig.json",
            files={**SERVER_FILES, "node_modules/@tsconfig/strictest/tsconfig.json": '{ "compilerOptions": { "strict": true, "noUncheckedIndexedAccess": true } }'},
        ),
    ]
    VALID += [
        # A Vite/React dashboard beside a Python server: it type-checks a browser UI.
        Valid(
            '{\n  "compilerOptions": { "strict": true, "noEmit": true, "lib": ["ES2022", "DOM"], "jsx": "react-jsx" },\n  "include": ["src"]\n}\n',
            path="ui/tsconfig.app.json",
            files={
                "pyproject.toml": '[project]\nname = "warehouse-mcp"\ndependencies = ["mcp>=1.9"]\n',
                "src/warehouse_mcp/server.py": 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("warehouse")\n',
                "ui/package.json": '{ "scripts": { "build": "tsc -b && vite build" }, "dependencies": { "react": "^19.0.0" } }\n',
                "ui/src/App.tsx": 'export function App() {\n  return <main>Connected MCP tools</main>;\n}\n',
            },
        ),
        # An MCP client CLI: it spawns the server over stdio, it is not one.
        Valid(
            '{ "compilerOptions": { "strict": true, "outDir": "dist" } }\n',
            path="tsconfig.json",
            files={
                "package.json": '{ "bin": { "db-chat": "dist/cli.js" }, "dependencies": { "@modelcontextprotocol/sdk": "^1.12.0" } }\n',
                "src/cli.ts": (
                    'import { Client } from "@modelcontextprotocol/sdk/client/index.js";\n'
                    'import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";\n'
                    'const client = new Client({ name: "db-chat", version: "0.1.0" });\n'
                    'await client.connect(new StdioClientTransport({ command: "node", args: ["../server/dist/index.js"] }));\n'
                ),
            },
        ),
        # A package that lists the SDK but whose sources never use it (a browser connector).
        Valid(
            '{ "compilerOptions": { "strict": true, "outDir": "dist" } }\n',
            path="tsconfig.json",
            files={
                "package.json": '{ "dependencies": { "@modelcontextprotocol/sdk": "^1.4.1", "express": "^4.21.2" } }\n',
                "connector.ts": 'import express from "express";\nconst app = express();\napp.post("/logs", (req, res) => res.sendStatus(200));\napp.listen(3025);\n',
            },
        ),
        # A sibling package of a monorepo whose server is packages/mcp.
        Valid(
            '{ "compilerOptions": { "strict": true, "noEmit": true } }\n',
            path="packages/sdk/tsconfig.json",
            files={
                "packages/sdk/package.json": '{ "name": "@docs/sdk", "dependencies": { "zod": "^3.23.0" } }\n',
                "packages/sdk/src/index.ts": 'export async function searchDocs(query: string) {\n  return fetch(`https://api.example.com/search?q=${query}`);\n}\n',
                "packages/mcp/package.json": SERVER_FILES["package.json"],
                "packages/mcp/src/index.ts": SERVER_FILES["src/index.ts"],
            },
        ),
        # A workspace root whose members that extend it are a UI and a client, not servers.
        Valid(
            '{ "compilerOptions": { "strict": true, "module": "NodeNext" } }\n',
            path="tsconfig.json",
            files={
                "package.json": '{ "private": true, "workspaces": ["packages/*"] }\n',
                "packages/docs-site/package.json": '{ "dependencies": { "next": "^15.0.0" } }\n',
                "packages/docs-site/tsconfig.json": '{ "extends": "../../tsconfig.json", "compilerOptions": { "noEmit": true } }\n',
            },
        ),
        # Only extends the reported tsconfig.json and narrows the files: reported once, there.
        Valid(
            '{ "extends": "./tsconfig.json", "exclude": ["src/**/*.test.ts"] }\n',
            path="tsconfig.build.json",
            files={**SERVER_FILES, "tsconfig.json": '{ "compilerOptions": { "strict": true, "outDir": "dist" } }\n'},
        ),
    ]
    INVALID = [
        Invalid('{\n  "compilerOptions": { "strict": true }\n}\n', files=SERVER_FILES, path="tsconfig.json", line=2, severity="info"),
        # The server package of the monorepo above.
        Invalid(
            '{ "compilerOptions": { "strict": true, "outDir": "dist" } }\n',
            path="packages/mcp/tsconfig.json",
            files={
                "packages/sdk/package.json": '{ "name": "@docs/sdk" }\n',
                "packages/mcp/package.json": SERVER_FILES["package.json"],
                "packages/mcp/src/index.ts": SERVER_FILES["src/index.ts"],
            },
            count=1,
        ),
        # No construction in sight (the server comes from a workspace library), but the package
        # depends on the SDK and its image runs it.
        Invalid(
            '{ "compilerOptions": { "strict": true, "outDir": "dist" } }\n',
            path="tsconfig.json",
            files={
                "package.json": '{ "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0", "@acme/core": "workspace:*" } }\n',
                "src/index.ts": 'import { createServer } from "@acme/core";\nawait createServer().listen();\n',
                "Dockerfile": 'FROM node:22-slim\nCOPY . .\nRUN npm ci && npm run build\nCMD ["node", "dist/index.js"]\n',
            },
        ),
        # The workspace root builds nothing itself, but the server member extends its tsconfig.
        Invalid(
            '{\n  "compilerOptions": { "strict": true, "module": "NodeNext", "outDir": "dist" }\n}\n',
            path="tsconfig.json",
            files={
                "package.json": '{ "private": true, "workspaces": ["src/*"] }\n',
                "src/weather/package.json": SERVER_FILES["package.json"],
                "src/weather/tsconfig.json": '{ "extends": "../../tsconfig.json", "include": ["./**/*.ts"] }\n',
                "src/weather/index.ts": SERVER_FILES["src/index.ts"],
                "packages/docs-site/package.json": '{ "dependencies": { "next": "^15.0.0" } }\n',
                "packages/docs-site/tsconfig.json": '{ "extends": "../../tsconfig.json" }\n',
            },
            line=2,
        ),
        # A build config that turns the option off again is its own finding.
        Invalid(
            '{ "extends": "./tsconfig.json", "compilerOptions": { "noUncheckedIndexedAccess": false } }\n',
            path="tsconfig.build.json",
            files={**SERVER_FILES, "tsconfig.json": '{ "compilerOptions": { "strict": true } }\n'},
        ),
        Invalid('{ "compilerOptions": { "noUncheckedIndexedAccess": false } }\n', files=SERVER_FILES, path="tsconfig.json", message="does not enable `noUncheckedIndexedAccess`"),
    ]


class TsconfigNoSourceMaps(_CompilerOptionRule):
    """
    ## What it does
    Flags a tsconfig that emits the server's JavaScript without `"sourceMap": true` or
    `"inlineSourceMap": true` (after following `extends`). Configs with `noEmit` or
    `emitDeclarationOnly`, and packages whose `build` script bundles with tsup, esbuild, vite,
    rollup, webpack or `bun build` without tsc emitting JavaScript, are not checked: the
    bundler makes the code that ships.

    ## Why is this bad?
    Stack traces in production logs then point at compiled `dist/*.js` lines instead of the
    TypeScript source, which makes every incident slower to debug. Run Node with
    `--enable-source-maps` to use them.

    ## Example
    ```json
    { "compilerOptions": { "strict": true, "outDir": "dist" } }
    ```

    ## Use instead
    ```json
    { "compilerOptions": { "strict": true, "outDir": "dist", "sourceMap": true } }
    ```
    """

    code = "MCP1103"
    name = "tsconfig-no-source-maps"
    item = 11
    severity = Severity.INFO
    summary = "tsconfig emits the server without source maps"
    fix_hint = 'Set `"sourceMap": true` in compilerOptions and start Node with `--enable-source-maps`.'
    checked = ("sourceMap", "inlineSourceMap", "noEmit", "emitDeclarationOnly")

    @classmethod
    def applies(cls, verdict: ConfigVerdict, signals: List[PackageSignal]) -> bool:
        """Not when a bundler (tsup, esbuild, vite...) builds the package: tsc's emit settings
        do not make the JavaScript that ships."""
        scripts = package_scripts(signals, posixpath.dirname(verdict.path))
        return scripts is None or not builds_with_bundler(scripts)

    def check_options(self, options: CompilerOptions) -> None:
        if options.value("noEmit") is True or options.value("emitDeclarationOnly") is True:
            return
        if options.value("sourceMap") is True or options.value("inlineSourceMap") is True:
            return
        setting = options.settings.get("sourceMap")
        location, related = self.where(setting)
        self.report(location, f"{self.file_name()} emits JavaScript without source maps{_origin(setting)}: production stack traces point at compiled lines", related=related)

    VALID = [
        Valid('{ "compilerOptions": { "outDir": "dist", "sourceMap": true } }\n', files=SERVER_FILES, path="tsconfig.json"),
        Valid('{ "compilerOptions": { "inlineSourceMap": true } }\n', files=SERVER_FILES, path="tsconfig.build.json"),
        Valid('{ "compilerOptions": { "noEmit": true, "strict": true } }\n', files=SERVER_FILES, path="tsconfig.json"),
        # tsup bundles the package: tsc's emit settings are not what ships.
        Valid(
            '{ "compilerOptions": { "strict": true, "outDir": "dist", "declaration": true } }\n',
            path="tsconfig.json",
            files={**SERVER_FILES, "package.json": '{ "scripts": { "build": "npm run clean && tsup src/index.ts --format cjs,esm --dts", "clean": "rm -rf dist" }, "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0" } }\n'},
        ),
        Valid(  # an Electron app built with electron-vite
            '{ "compilerOptions": { "strict": true, "outDir": "out" } }\n',
            path="tsconfig.json",
            files={**SERVER_FILES, "package.json": '{ "scripts": { "build": "electron-vite build" }, "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0" } }\n'},
        ),
    ]
    INVALID = [
        Invalid('{\n  "compilerOptions": { "outDir": "dist" }\n}\n', files=SERVER_FILES, path="tsconfig.json", line=2, severity="info"),
        Invalid('{}\n', files=SERVER_FILES, path="tsconfig.json", line=1, message="tsconfig.json emits JavaScript without source maps"),
        # tsc emits the server; esbuild only bundles the CLI afterwards.
        Invalid(
            '{ "compilerOptions": { "outDir": "dist" } }\n',
            path="tsconfig.json",
            files={**SERVER_FILES, "package.json": '{ "scripts": { "build": "tsc && esbuild dist/cli.js --bundle --outfile=bin/cli.cjs" }, "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0" } }\n'},
        ),
    ]

