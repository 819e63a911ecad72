"""Checklist item 11 for TypeScript servers: the compiler settings that make types trustworthy
at runtime and stack traces readable.

Only tsconfigs that compile the server are checked: `tsconfig.json` and the build variants
`tsconfig.{build,prod,production,release,server,app,lib}.json`. Test, lint and editor configs
(`tsconfig.test.json`, `tsconfig.eslint.json`...) and shared bases (`tsconfig.base.json`,
checked through the configs that extend them) are not, nor is a "solution" tsconfig that only
lists `references` and compiles no file itself."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import List, Optional, Tuple

from mcp_lint.documents.tsconfig import CompilerOptions, Setting
from mcp_lint.model import Location, Severity
from mcp_lint.rule import DocumentRule, Invalid, Valid

_COMPILING = re.compile(r"^tsconfig(\.(build|prod|production|release|server|app|lib))?\.json$")
STRICT_FAMILY = ("noImplicitAny", "strictNullChecks", "strictFunctionTypes", "strictBindCallApply", "strictPropertyInitialization", "noImplicitThis", "alwaysStrict", "useUnknownInCatchVariables")


class _CompilerOptionRule(DocumentRule):
    """Shared: which tsconfigs count, the merged options, and where to report."""

    kinds = ("tsconfig",)

    def check(self) -> None:
        if not self._compiles_server():
            return
        options = self.document.compiler_options()
        if options.complete:  # an unresolved base could set anything: stay quiet
            self.check_options(options)

    def check_options(self, options: CompilerOptions) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def _compiles_server(self) -> bool:
        name = self.document.path.rsplit("/", 1)[-1]
        root = self.document.root
        files = root.get("files")
        solution = files is not None and files.kind == "array" and not files.elements and root.get("references") is not None
        return bool(_COMPILING.match(name)) and not solution

    def where(self, setting: Optional[Setting]) -> Tuple[Location, List[Location]]:
        """At the setting when this file writes it; else at `compilerOptions` (or the top of the
        file), with the base config's setting as a related location when inherited."""
        if setting is not None and not setting.inherited:
            return setting.location, []
        related = [replace(setting.location, message="inherited from here")] if setting else []
        return self.document.key_location("compilerOptions"), related

    def file_name(self) -> str:
        return self.document.path.rsplit("/", 1)[-1]


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
        Valid('{\n  "compilerOptions": {\n    // the server build\n    "strict": true,\n    "outDir": "dist",\n  },\n}\n', path="tsconfig.json"),
        Valid(
            '{ "extends": "./tsconfig.base.json", "compilerOptions": { "outDir": "dist" } }\n',
            path="tsconfig.json",
            files={"tsconfig.base.json": '{ "compilerOptions": { "strict": true, "target": "ES2022" } }\n'},
        ),
        Valid('{ "extends": "@tsconfig/strictest/tsconfig.json", "compilerOptions": { "outDir": "dist" } }\n', path="tsconfig.json"),
        Valid('{ "compilerOptions": { "strict": false, "allowJs": true } }\n', path="tsconfig.test.json"),
        Valid('{ "files": [], "references": [{ "path": "./packages/server" }] }\n', path="tsconfig.json"),
        Valid(
            '{ "extends": ["./a.json", "./b.json"] }\n',
            path="tsconfig.json",
            files={"a.json": '{ "compilerOptions": { "strict": false } }', "b.json": '{ "extends": "./a.json", "compilerOptions": { "strict": true } }'},
        ),
    ]
    INVALID = [
        Invalid('{\n  "compilerOptions": {\n    "target": "ES2022",\n    "outDir": "dist"\n  }\n}\n', path="tsconfig.json", line=2, message="tsconfig.json does not enable TypeScript strict mode"),
        Invalid('{\n  "compilerOptions": {\n    "strict": false\n  }\n}\n', path="tsconfig.build.json", line=3, message="sets `strict: false`"),
        Invalid(
            '{\n  "extends": "../../tsconfig.base.json",\n  "compilerOptions": { "outDir": "dist" }\n}\n',
            path="packages/server/tsconfig.json",
            files={"tsconfig.base.json": '{ "compilerOptions": { "strict": false } }'},
            line=3,
            message="(inherited from tsconfig.base.json)",
        ),
        Invalid('{ "compilerOptions": { "strict": true, "strictNullChecks": false } }\n', path="tsconfig.json", message="turns `strictNullChecks` off again"),
        Invalid(
            '{ "extends": "./tsconfig.json" }\n',
            path="tsconfig.json",
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

    def check_options(self, options: CompilerOptions) -> None:
        setting = options.settings.get("noUncheckedIndexedAccess")
        if setting is None or setting.value is not True:
            location, related = self.where(setting)
            self.report(location, f"{self.file_name()} does not enable `noUncheckedIndexedAccess`{_origin(setting)}: indexed lookups are typed as always present", related=related)

    VALID = [
        Valid('{ "compilerOptions": { "strict": true, "noUncheckedIndexedAccess": true } }\n', path="tsconfig.json"),
        Valid(
            '{ "extends": "@tsconfig/strictest" }\n',
            path="tsconfig.json",
            files={"node_modules/@tsconfig/strictest/tsconfig.json": '{ "compilerOptions": { "strict": true, "noUncheckedIndexedAccess": true } }'},
        ),
    ]
    INVALID = [
        Invalid('{\n  "compilerOptions": { "strict": true }\n}\n', path="tsconfig.json", line=2, severity="info"),
        Invalid('{ "compilerOptions": { "noUncheckedIndexedAccess": false } }\n', path="tsconfig.json", message="does not enable `noUncheckedIndexedAccess`"),
    ]


class TsconfigNoSourceMaps(_CompilerOptionRule):
    """
    ## What it does
    Flags a tsconfig that emits the server's JavaScript without `"sourceMap": true` or
    `"inlineSourceMap": true` (after following `extends`). Configs with `noEmit` or
    `emitDeclarationOnly` (a bundler emits the code) are not checked.

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

    def check_options(self, options: CompilerOptions) -> None:
        if options.value("noEmit") is True or options.value("emitDeclarationOnly") is True:
            return
        if options.value("sourceMap") is True or options.value("inlineSourceMap") is True:
            return
        setting = options.settings.get("sourceMap")
        location, related = self.where(setting)
        self.report(location, f"{self.file_name()} emits JavaScript without source maps{_origin(setting)}: production stack traces point at compiled lines", related=related)

    VALID = [
        Valid('{ "compilerOptions": { "outDir": "dist", "sourceMap": true } }\n', path="tsconfig.json"),
        Valid('{ "compilerOptions": { "inlineSourceMap": true } }\n', path="tsconfig.build.json"),
        Valid('{ "compilerOptions": { "noEmit": true, "strict": true } }\n', path="tsconfig.json"),
    ]
    INVALID = [
        Invalid('{\n  "compilerOptions": { "outDir": "dist" }\n}\n', path="tsconfig.json", line=2, severity="info"),
        Invalid('{}\n', path="tsconfig.json", line=1, message="tsconfig.json emits JavaScript without source maps"),
    ]

