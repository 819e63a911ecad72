"""Runs the rules over a project.

Per file (in worker processes when there is enough work): read once, decide from a cheap text
scan which rules could fire, parse once, run all rules of the file's kind in one traversal,
collect the facts project rules need, and gather the file's suppression comments. Then in the
parent: project rules merge the facts, per-file ignores, severity overrides and suppressions
apply, and findings are sorted so output is deterministic."""

from __future__ import annotations

import json
import os
import posixpath
import sys
import traceback
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Type, Union

from mcp_lint import gc_tuning, profile, run_memo, suppress
from mcp_lint.budget import TooExpensive, file_budget
from mcp_lint.cache import Cache, Encoded, NullCache, content_hash, dumps, encoded
from mcp_lint.config import Config
from mcp_lint.discovery import SourceFile, discover, relative
from mcp_lint.documents import classify, document_class, mentions_mcp, refine_kind
from mcp_lint.documents.base import ParseError, SkipFile
from mcp_lint.model import Diagnostic, Finding, Location, Severity, fingerprint_findings
from mcp_lint.registry import (
    FileNotAnalysedRule,
    InvalidSuppressionRule,
    ParseErrorRule,
    UnusedSuppressionRule,
    all_rules,
    facts_key,
    implementation_for,
    implementations_of,
)
from mcp_lint.python.holdings import file_holds, project_holds, text_marks, unit_file_holdings, unit_holdings
from mcp_lint.typescript.project import env_writes
from mcp_lint.python.project_model import (
    EMPTY_VIEW, FileView, ProjectModel, build_project_model, mentioning, prefetch_summaries, project_scripts,
)
from mcp_lint.python.unit_views import LazyModel, cached_views, remember_views, views_key
from mcp_lint.reading import MAX_FILE_BYTES, decode, read_bytes
from mcp_lint.rule import DocumentRule, ProjectRule, PythonRule, Rule
from mcp_lint.repository import is_package
from mcp_lint.units import Layout, Unit, common_base, output_base
from mcp_lint.suppress_fix import removal_fix

from mcp_lint.workers import Stream, Workers as _Workers, available_cpus  # noqa: E402


@dataclass
class FileResult:
    rel: str
    findings: List[Finding] = field(default_factory=list)
    diagnostics: List[Diagnostic] = field(default_factory=list)
    facts: Dict[str, Any] = field(default_factory=dict)  # project rule code -> facts
    suppressions: List[suppress.Suppression] = field(default_factory=list)
    bad_suppressions: List[suppress.BadSuppression] = field(default_factory=list)
    parsed: bool = False
    timings: Dict[str, float] = field(default_factory=dict)  # MCP_LINT_PROFILE only
    kind: str = ""  # the document kind it was read as ('' when skipped or of no kind we lint)
    not_analysed: str = ""  # why the file could not be analysed (a limit, unreadable); "" when it was
    # Other files the document read (includes, imports, extends): project-relative path -> content
    # hash, so that a cached result is used only while they are unchanged too.
    dependencies: Dict[str, str] = field(default_factory=dict)
    transient: bool = False  # a limit of this machine's (CPU time, a dead worker): never cached


@dataclass
class RunResult:
    findings: List[Finding]
    diagnostics: List[Diagnostic]
    files_checked: int
    rules: List[Type[Rule]]
    root: Optional[Path] = None  # what finding paths are relative to
    kinds: Dict[str, int] = field(default_factory=dict)  # document kind -> files of that kind checked
    sources: List[str] = field(default_factory=list)  # the files of the run's units, relative to root
    # Files read outside the run's files (includes, extends): absolute path -> content hash.
    inputs: Dict[str, str] = field(default_factory=dict)

    @property
    def internal_errors(self) -> List[Diagnostic]:
        return [d for d in self.diagnostics if d.kind == "internal-error"]


@dataclass(frozen=True)
class Settings:
    """What a worker needs to lint one file (picklable)."""

    rule_codes: Tuple[str, ...]
    options: Dict[str, Dict[str, Any]]
    views: Dict[str, FileView] = field(default_factory=dict)  # what the project model knows per file
    prune: bool = True  # False only in tests proving that pruning changes nothing
    mcp_project: bool = True  # some Python file of the project takes part in an MCP server
    held: Optional[FrozenSet[str]] = None  # what the unit's Python files hold (holdings.py); None: unknown
    decided: Optional[Dict[str, FrozenSet[str]]] = None  # per file, holdings decided across the unit


# ---------------------------------------------------------------------------------------
# Per-file phase


def source_bytes(source: SourceFile) -> Tuple[Optional[bytes], Optional[str]]:
    """The in-memory content of a file when it has one (editor buffer, stdin), else its disk bytes."""
    if source.content is not None:
        return source.content[: MAX_FILE_BYTES + 1], None
    return read_bytes(source.path)


def file_hash(source: SourceFile, marks: Optional[Dict[str, FrozenSet[str]]] = None) -> Tuple[Optional[str], bool]:
    """(content hash or None when unreadable, whether the text mentions MCP). `marks`, when
    given, gets what the bytes show for pruning across files (holdings.text_marks)."""
    data, _ = source_bytes(source)
    if data is None:
        return None, False
    if marks is not None:
        marks[source.rel] = text_marks(data) if source.kind == "python" else env_writes(data)
    return content_hash(data), mentions_mcp(data)


def source_text(source: SourceFile) -> Tuple[Optional[str], Optional[str]]:
    """Like `read_text`, for a discovered file that may carry in-memory content."""
    return decode(*source_bytes(source), source.kind)


def _in_scope(rule: Type[Rule], settings: "Settings", kind: str, mcp_file: bool) -> bool:
    """MCP scoping applies to Python files only; deployment files are cheap and always read."""
    if kind not in ("python", "typescript") or rule.scope == "any":
        return True
    return mcp_file if rule.scope == "mcp-file" else settings.mcp_project


def _rules_for(
    text: str, rules: Sequence[Type[Rule]], settings: "Settings", kind: str, mcp_file: bool, view: FileView = EMPTY_VIEW,
    decided: Optional[FrozenSet[str]] = None, holdings: bool = True,
) -> List[Type[Rule]]:
    """Pruning: only rules in scope whose required strings occur in the text, and (in Python
    files, unless `holdings` is off) whose needs the file and its project unit hold, can fire."""
    return [
        r
        for r in rules
        if _in_scope(r, settings, kind, mcp_file)
        and (not r.requires or any(token in text for token in r.requires))
        and (kind != "python" or not holdings or _held(r, text, view, settings, decided))
        and r.may_fire(text, settings.options.get(r.code, {}))
    ]


def _held(rule: Type[Rule], text: str, view: FileView, settings: "Settings", decided: Optional[FrozenSet[str]]) -> bool:
    return (not rule.needs or file_holds(rule.needs, text, view, decided)) and (
        not rule.needs_in_project or project_holds(rule.needs_in_project, settings.held)
    )


def lint_file(source: SourceFile, settings: Settings, parse_checked: bool = False) -> FileResult:
    """One file within its budget of CPU time (and, in workers, memory); past it, skipped.
    `parse_checked`: the project model's summary found that CPython parses the text within the
    depth limit (`ModuleSummary.parse_checked`), so the parse needs no `ast` gate of its own."""
    result = FileResult(source.rel)  # filled as the work goes: its kind survives a timeout
    try:
        with file_budget():
            return _lint_file(source, settings, result, parse_checked)
    except TooExpensive as exc:
        skipped = _skipped(FileResult(source.rel, kind=result.kind), f"too expensive: {exc.reason}")
        skipped.transient = True
        return skipped
    except (MemoryError, RecursionError) as exc:
        what = "ran out of memory" if isinstance(exc, MemoryError) else "nesting too deep"
        return _skipped(FileResult(source.rel, kind=result.kind), f"too expensive: {what}")


def _worker_died(item: Tuple[SourceFile, "Settings"], why: str) -> FileResult:
    result = _skipped(FileResult(item[0].rel), f"not analysed: {why}")
    result.transient = True
    return result


def _skipped(result: FileResult, reason: str, counts: bool = True) -> FileResult:
    result.diagnostics.append(Diagnostic(result.rel, "skipped", reason))
    if counts:
        result.not_analysed = reason
    return result


def _lint_file(source: SourceFile, settings: Settings, result: FileResult, parse_checked: bool = False) -> FileResult:
    text, skipped = source_text(source)
    if text is None:
        return _skipped(result, skipped or "unreadable")
    kind = refine_kind(source.kind, source.rel, text)
    if kind is None:
        return result
    result.kind = kind
    by_code = {r.code: r for r in all_rules()}
    candidates = [implementation_for(by_code[c], kind) for c in settings.rule_codes if kind in by_code[c].kinds]
    view = settings.views.get(source.rel, EMPTY_VIEW)
    if view.ts_not_loaded:
        return _skipped(result, f"not analysed: {view.ts_not_loaded}", counts=False)
    # A module the project model ties to a server (tool code, a launch, an imported server) is
    # an MCP file even if its text never says so.
    mcp_file = mentions_mcp(text.encode("utf-8", "surrogatepass")) or bool(
        view.tool_code or view.launches or view.server_names or view.ts_linked or view.ts_defines_tools or view.ts_server_types)
    decided = settings.decided.get(source.rel, frozenset()) if settings.decided is not None else None
    rules = _rules_for(text, candidates, settings, kind, mcp_file, view, decided) if settings.prune else candidates
    has_directives = suppress.MARKER in text.lower()  # suppression comments need checking even with no rule
    if not rules and not has_directives:
        if not settings.prune or kind != "python" or not _rules_for(text, candidates, settings, kind, mcp_file, holdings=False):
            return result
        if _reports_nothing_unparsed(source.rel, text):
            return result
    document = document_class(kind)(source.rel, text)
    document.disk_path = source.path
    document.linked_handlers = view.ts_linked
    document.imported_log_helpers = view.ts_log_helpers
    document.absorbing_imports = view.ts_absorbing
    document.result_imports = view.ts_result_builders
    document.fields_read = view.ts_fields_read
    document.imported_schemas = view.ts_imported_schemas
    document.env_written = view.ts_env_written
    document.unused_registrars = view.ts_unused_registrars
    document.validated_arguments = view.ts_validated_arguments
    document.authored_errors = view.ts_authored_errors
    document.server_types = view.ts_server_types
    document.parse_checked = parse_checked
    try:
        try:
            document.parse()
        finally:
            result.dependencies = dict(document.dependencies)
    except SkipFile as exc:
        return _skipped(result, exc.reason, exc.limit)
    except ParseError as exc:
        if ParseErrorRule.code in settings.rule_codes:
            loc = Location(source.rel, exc.line, exc.column, exc.line, exc.column + 1)
            finding = ParseErrorRule().make_finding(loc, f"{ParseErrorRule.summary}: {exc.message}")
            result.findings.append(finding.with_severity(exc.severity) if exc.severity else finding)
        return result
    except Exception as exc:  # an adapter bug must not end the run
        result.diagnostics.append(Diagnostic(source.rel, "internal-error", f"parser crashed: {type(exc).__name__}: {exc}"))
        return result
    result.parsed = True
    if kind == "python":
        _run_python(document, rules, settings, result)
    else:
        _run_generic(document, rules, settings, result)
    if has_directives:  # tokenizing for comments costs; most files have none of ours
        result.suppressions, result.bad_suppressions = suppress.collect(document.comments(), document.lines)
    return result


def _reports_nothing_unparsed(rel: str, text: str) -> bool:
    """A Python file whose rules were all ruled out by what it holds is still parsed when the
    parse would report it (past a limit, or not valid for CPython's parser: a syntax error, or
    newer syntax only libcst knows), as it was when those rules kept it in."""
    try:
        return document_class("python")(rel, text).check_limits()
    except (SkipFile, ParseError):
        return False


def _run_python(document, rules: List[Type[Rule]], settings: Settings, result: FileResult) -> None:
    from mcp_lint.python.context import run_python_rules

    python_rules = [r for r in rules if issubclass(r, PythonRule)]
    view = settings.views.get(document.path, EMPTY_VIEW)
    try:
        instances, _ = run_python_rules(document, python_rules, settings.options, view)
    except RecursionError:
        _skipped(result, "nesting too deep to analyse")
        return
    except Exception:
        # One rule raised and aborted the shared traversal: run each alone to isolate it.
        instances = []
        for rule in python_rules:
            try:
                alone, _ = run_python_rules(document, [rule], settings.options, view)
                instances.extend(alone)
            except Exception as exc:
                result.diagnostics.append(_internal_error(document.path, exc, rule))
    for rule in instances:
        result.findings.extend(rule.findings)
        if isinstance(rule, ProjectRule):
            result.facts[rule.code] = rule.facts
    for rule in rules:
        if issubclass(rule, ProjectRule) and not issubclass(rule, PythonRule):
            _collect(rule, document, settings.options.get(rule.code, {}), result)


def _run_generic(document, rules: List[Type[Rule]], settings: Settings, result: FileResult) -> None:
    for rule in rules:
        options = settings.options.get(rule.code, {})
        if issubclass(rule, ProjectRule):
            _collect(rule, document, options, result)
        elif issubclass(rule, DocumentRule) and not getattr(document, "generated", False):
            try:
                instance = rule(document, options)
                instance.check()
                result.findings.extend(instance.findings)
            except Exception as exc:
                result.diagnostics.append(_internal_error(document.path, exc, rule))


def _collect(rule: Type[ProjectRule], document, options, result: FileResult) -> None:
    try:
        result.facts[facts_key(rule)] = rule.collect(document, options)
    except Exception as exc:
        result.diagnostics.append(_internal_error(document.path, exc, rule))


def _internal_error(path: str, exc: Exception, rule: Type[Rule]) -> Diagnostic:
    """A rule's bug, reported on the file it met; MCP_LINT_DEBUG=1 also prints the traceback."""
    if os.environ.get("MCP_LINT_DEBUG"):
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    return Diagnostic(path, "internal-error", f"{type(exc).__name__}: {exc}", rule=rule.code)


@dataclass
class _Plan:
    """One unit's work: its files' hashes, their configuration groups, then its project model and results."""

    unit: Any
    hashes: Dict[str, Optional[str]]
    mcp_files: List[SourceFile]
    mcp_project: bool
    groups: List[Tuple[Config, List[SourceFile]]]
    model: Optional[LazyModel] = None
    views: Dict[str, FileView] = field(default_factory=dict)
    results: List[FileResult] = field(default_factory=list)
    # what each Python file's text shows (holdings.py); for a TS file, the variables it assigns in `process.env`
    marks: Dict[str, FrozenSet[str]] = field(default_factory=dict)
    decided: Optional[Dict[str, FrozenSet[str]]] = None  # per file, holdings decided across the unit (holdings.py)
    diagnostics: List[Diagnostic] = field(default_factory=list)  # of the unit as a whole (a model that failed)


def summarise_source(source: SourceFile, encode: bool = False):
    """The `ast` summary of one file for the project model (runs in a worker); with `encode`,
    as an `Encoded` value ready for the cache."""
    from mcp_lint.python.context import package_of
    from mcp_lint.python.file_summary import summarise

    text, _ = source_text(source)
    summary = None
    if text:
        try:
            with file_budget():
                summary = summarise(source.rel, text, package_of(source.rel))
        except TooExpensive:
            pass  # the rule phase meets the same budget and reports the file as skipped
    return encoded(summary) if encode and summary is not None else summary


def build_indexes(plans: Sequence[_Plan], cache: Cache, stream: Stream, ready: Callable[[_Plan], None]) -> None:
    """The project model of each unit, from `ast` summaries of its MCP files and the modules
    they import (no libcst parse: libcst parses each file once, in the rule phase); `ready(plan)`
    once a unit's views are known, with the workers still busy on the others (the unit's own
    files then join their work). A unit whose Python files are all as they were takes its views
    from the cache (mcp_lint/python/unit_views.py) and builds its model only if a rule asks for it.
    Adds the work to `stream`; the caller runs it."""
    to_build, known = [], []
    for plan in plans:
        if not plan.mcp_project:
            known.append(plan)
            continue
        files = [f for _, group in plan.groups for f in group]
        mentions = {f.rel for f in plan.mcp_files}
        hashes = {rel: (digest, rel in mentions) for rel, digest in plan.hashes.items()}
        scripts = project_scripts(plan.unit.root)
        key = views_key(cache, [(f.rel, *hashes.get(f.rel, (None, False))) for f in files if f.kind == "python"], scripts)
        cached = cached_views(cache, key)
        if cached is not None:
            plan.views, plan.decided = cached
            plan.model = LazyModel(lambda files=files, hashes=hashes, scripts=scripts: _project_model(files, hashes, cache, scripts))
            known.append(plan)
        else:
            to_build.append((plan, files, hashes, scripts, key))

    def build(index: int, prefetched: Dict[str, object]) -> None:
        plan, files, hashes, scripts, key = to_build[index]
        try:
            model = _project_model(files, hashes, cache, scripts, prefetched)
        except Exception as exc:  # a bug in the model must not end the run: the unit is linted without it
            plan.diagnostics.append(Diagnostic(".", "internal-error", f"project model failed: {type(exc).__name__}: {exc}"))
            plan.model = LazyModel(lambda: None)
        else:
            plan.model = LazyModel(lambda model=model: model, model)
            plan.views = {rel: view for rel in model.modules for view in (model.view(rel),) if view != EMPTY_VIEW}
            plan.decided = _decided_holdings(plan, model.modules)
            remember_views(cache, key, plan.views, plan.decided, complete=not model.unsummarised)
        _linked(plan, cache, ready)

    # The MCP files of every unit to build are summarised first; each unit's model is built here
    # as soon as its files are in, while the workers summarise the others or lint ready units.
    add = lambda func, items, on_result: stream.add(func, items, on_result, on_failure=lambda source, why: None)  # noqa: E731
    batches = [(mentioning(files, hashes.get), hashes.get) for _, files, hashes, _, _ in to_build]
    prefetch_summaries(batches, cache, add, build)
    for plan in known:
        if plan.mcp_project:
            _linked(plan, cache, ready)
        else:
            ready(plan)


def _linked(plan: _Plan, cache: Cache, ready: Callable[[_Plan], None]) -> None:
    """`ready(plan)` once its TypeScript tool links are in its views."""
    try:
        _link_ts_tools(plan, cache)
    except Exception as exc:  # as for the model: the unit is linted without the links
        plan.diagnostics.append(Diagnostic(".", "internal-error", f"TypeScript tool links failed: {type(exc).__name__}: {exc}"))
    ready(plan)


def link_ts_modules(root: Path, sources: Sequence[SourceFile], config: Config, parse: Optional[Callable] = None) -> Dict[str, FileView]:
    """The link pass `check` runs over the TS files `sources` of the unit at `root` (no cache):
    what it tells each module, by path (for `mcp-lint inspect`). `parse(rel, text)`, when
    given, replaces `tool_links.parsed_model` (a caller that keeps the documents it parses)."""
    plan = _Plan(Unit(root, list(sources)), {}, [], True, [(config, list(sources))])
    _link_ts_tools(plan, NullCache(), parse)
    return plan.views


def _tell_authored_errors(plan: _Plan, sources: Dict[str, object], code_of: Callable[[str], str]) -> None:
    """Tell each TS module that tests errors with `instanceof` which of the tested classes are the
    project's own with messages written in the project (mcp_lint/typescript/error_classes.py).
    `code_of` gives a file's text without comments."""
    from mcp_lint.typescript.error_classes import authored_error_classes, classes_tested
    from mcp_lint.typescript.protocol_tests import is_test_file

    testing = [rel for rel in sorted(sources) if "instanceof" in code_of(rel)]
    if not testing:
        return
    # Tests are left out: their stand-ins (`jest.mock(..., () => ({ LockError: class LockError
    # extends Error {} }))`) and the messages they make up are not what the server raises.
    classes = authored_error_classes({rel: code_of(rel) for rel in sorted(sources) if not is_test_file(posixpath.basename(rel), rel.split("/")[:-1])})
    for rel in testing if classes else ():
        tested = classes_tested(code_of(rel), classes)
        if tested:
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_authored_errors=tested)


def _link_ts_tools(plan: _Plan, cache: Cache, parse: Optional[Callable] = None) -> None:
    """Tell each TS module which of its exports are tool handlers registered in another module,
    and which imported functions its tool code calls are logging helpers
    (mcp_lint/typescript/tool_links.py). Registering files are found by a text test and parsed
    here (by `parse`, default `parsed_model`); the references each makes are cached by content."""
    from mcp_lint.typescript.project import displaced_import, library_package, module_specifiers, stem_on_disk, tsconfig_aliases
    from mcp_lint.typescript.protocol_tests import is_test_file
    from mcp_lint.typescript.tool_links import (
        HandlerRef, handler_references, helper_fields_read, imported_absorbing_helpers, imported_log_helpers, imported_result_builders, imported_schema_fields,
        imported_server_types, link_handlers, parsed_model, registering_text, registrars, schema_imports, strip_comments, unused_registrars,
    )

    sources = {f.rel: f for _, group in plan.groups for f in group if f.kind == "typescript"}
    # What the project's tests assign (a fixture's `process.env.X = "test"`) is not the server's state.
    written = tuple(sorted({name for rel in sources if not is_test_file(posixpath.basename(rel), rel.split("/")[:-1])
                            for name in plan.marks.get(rel, ())}))
    if written:
        for rel in sources:
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_env_written=written)
    texts: Dict[str, Optional[str]] = {}
    code: Dict[str, str] = {}
    models: Dict[str, object] = {}

    def text_of(rel: str) -> Optional[str]:
        if rel not in texts:
            texts[rel] = source_text(sources[rel])[0]
        return texts[rel]

    def code_of(rel: str) -> str:  # read once, without comments, by the passes on text below
        if rel not in code:
            code[rel] = strip_comments(text_of(rel) or "")
        return code[rel]

    def model_of_file(rel: str):
        if rel not in models:
            models[rel] = (parse or parsed_model)(rel, text_of(rel)) if rel in sources else None
        return models[rel]

    known = set(sources)
    aliases = tsconfig_aliases(plan.unit.root)
    # Before the registering files are read: a registrar typed with an alias of the server class registers on it.
    for rel, told in imported_server_types(sources, code_of, known, aliases, model_of_file).items():
        plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_server_types=told)
    unbuilt = _unbuilt(plan, sources, code_of)
    refs_by_file, registrars_by_file, schemas_by_file = {}, {}, {}
    validating = False  # a low-level dispatcher validates each tool's arguments with its inputSchema
    for rel in sorted(sources):
        if rel in unbuilt:  # never compiled: not linted, and it registers nothing
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_not_loaded=(
                "its package never builds it (outside the `include` of its tsconfig, imported by no module, named by no build "
                "file or script)"))
            continue
        digest = plan.hashes.get(rel)
        key = cache.key("ts-refs", rel, digest) if digest is not None else None
        cached = cache.get("ts-refs", key, Tuple[List[HandlerRef], Tuple[str, ...], bool, Tuple[str, ...], bool, Tuple[Tuple[str, str, str], ...]]) \
            if key is not None else None
        if isinstance(cached, tuple) and len(cached) == 6:
            refs, names, defines, relative, validates, schemas = cached
        else:
            model = model_of_file(rel) if registering_text(text_of(rel) or "") else None
            refs, names = (handler_references(model), registrars(model)) if model is not None else ([], ())
            defines = model is not None and any(t.registration.type == "object" for t in model.tools)
            relative = tuple(s for s in module_specifiers(model) if s.startswith(".")) if model is not None else ()
            validates = model is not None and model.validates_looked_up_arguments
            schemas = schema_imports(model) if model is not None else ()
            if key is not None:
                cache.put("ts-refs", key, (refs, names, defines, relative, validates, schemas))
        validating = validating or validates
        displaced = displaced_import(rel, relative, known, partial(stem_on_disk, _root_of(sources[rel]))) if relative else None
        if displaced:  # a copy that cannot load: not linted, and it registers nothing
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_not_loaded=(
                f"it imports `{displaced}`, which is not beside it but elsewhere in the project (a copy moved away from the "
                "code it imports; it cannot load)"))
            continue
        if refs:
            refs_by_file[rel] = refs
        if names:
            registrars_by_file[rel] = names
        if schemas:
            schemas_by_file[rel] = schemas
        if defines:  # tools written as objects: an MCP file whatever its text says
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_defines_tools=True)
    if validating:  # the tool objects of the project get arguments their schema already accepted
        for rel in [rel for rel, view in plan.views.items() if view.ts_defines_tools]:
            plan.views[rel] = replace(plan.views[rel], ts_validated_arguments=True)
    _tell_authored_errors(plan, sources, code_of)
    for rel, fields in imported_schema_fields(schemas_by_file, known, aliases, model_of_file).items():
        plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_imported_schemas=fields)
    if registrars_by_file and not library_package(plan.unit.root):  # a library's registrars are for its importers
        for rel, names in unused_registrars(registrars_by_file, code_of, sorted(sources), aliases).items():
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_unused_registrars=names)
    if refs_by_file:
        helpers_called: List = []
        links = link_handlers(refs_by_file, set(sources), aliases, model_of_file, helpers_called)
        for rel, linked in links.items():
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_linked=linked)
        for rel, helpers in imported_log_helpers(helpers_called, model_of_file).items():
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_log_helpers=helpers)
        for rel, names in imported_absorbing_helpers(helpers_called, model_of_file).items():
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_absorbing=names)
        for rel, builders in imported_result_builders(helpers_called, model_of_file).items():
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_result_builders=builders)
        for rel, reads in helper_fields_read(helpers_called, model_of_file).items():
            plan.views[rel] = replace(plan.views.get(rel, EMPTY_VIEW), ts_fields_read=reads)


def _unbuilt(plan: _Plan, sources: Dict[str, SourceFile], code_of: Callable[[str], str]) -> Set[str]:
    """The TypeScript files of the unit its package never compiles (`BuildScope`): a scratch
    `temp-server.ts` beside a package whose tsconfig includes only `src`. The project's code is
    read only when there is such a file, to see that no module imports it."""
    from mcp_lint.typescript.project import BuildScope, imported_by_others
    from mcp_lint.typescript.tool_links import registering_text

    scope = BuildScope(plan.unit.root)
    if scope.spec is None:  # no tsconfig says what it compiles: every file may be built
        return set()
    root = Path(plan.unit.root).resolve()
    outside = []
    for rel, source in sources.items():
        try:
            in_package = Path(source.path).resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            continue
        if not scope.compiles(in_package):
            outside.append((rel, in_package))
    # Only a file that shows MCP needs saying so (a `vite.config.ts`, a maintenance script beside
    # `src/` is linted as before, for the little that applies to it).
    outside = [(rel, in_package) for rel, in_package in outside if registering_text(code_of(rel))]
    if not outside:
        return set()
    codes = [(rel, code_of(rel)) for rel in sorted(sources)]
    return {rel for rel, in_package in outside if not scope.named_by_build(in_package) and not imported_by_others(rel, codes)}


def _root_of(source: SourceFile) -> Path:
    """The folder a source's project-relative path starts from (a path given with fewer parts
    than its project path, as from stdin, resolves against the current folder)."""
    parents, depth = source.path.parents, source.rel.count("/")
    return parents[depth] if depth < len(parents) else Path(".")


def _project_model(files, hashes, cache: Cache, scripts, prefetched=None) -> ProjectModel:
    from mcp_lint.python.context import package_of

    return build_project_model(files, lambda source: source_text(source)[0], hashes.get, cache, package_of, scripts, prefetched)


def _lint_one(item: Tuple[SourceFile, Settings, bool, bool]) -> Union[FileResult, Encoded]:
    """One file's result; with the item's `encode` flag and a result worth keeping, as an
    `Encoded` value ready for the cache (without this run's timings)."""
    source, settings, encode, parse_checked = item
    if not profile.enabled():
        result = lint_file(source, settings, parse_checked)
    else:
        profile.install(all_rules())
        profile.take()
        with profile.phase("per-file phase (worker time)"):
            result = lint_file(source, settings, parse_checked)
        result.timings = profile.take()
    if encode and _cacheable(result):
        return Encoded(result, encoded(replace(result, timings={})).text)
    return result


def _cacheable(result: FileResult) -> bool:
    return not result.transient and not any(d.kind == "internal-error" for d in result.diagnostics)


def _holdings(plan: "_Plan") -> Tuple[FrozenSet[str], Dict[str, FrozenSet[str]]]:
    """What the unit's Python files hold, and what each holds as decided across the unit (set
    by `build_indexes` for an MCP project; none elsewhere: the rules that need it are scoped to
    MCP projects)."""
    marks, text_of = _marks(plan)
    return unit_holdings(marks, plan.views, text_of), plan.decided or {}


def _decided_holdings(plan: "_Plan", modules) -> Dict[str, FrozenSet[str]]:
    """Per file, what the unit's model decides it holds (computed with the model, cached with its views)."""
    marks, text_of = _marks(plan)
    return unit_file_holdings(marks, plan.views, modules, text_of)


def _marks(plan: "_Plan"):
    """(what each Python file's text shows, the text of a Python file by path)."""
    python = {f.rel: f for _, group in plan.groups for f in group if f.kind == "python"}
    text_of = lambda rel: source_text(python[rel])[0]  # noqa: E731
    # A file a nearer configuration lints as Python was not marked with the unit's Python files.
    marks = {rel: plan.marks[rel] if rel in plan.marks else text_marks((text_of(rel) or "").encode("utf-8", "surrogatepass")) for rel in python}
    return marks, text_of


class _Linting:
    """The per-file phase of each unit under each file's configuration, started as soon as the
    unit's views are known (`queue`): cache hits at once, misses to the workers beside the work
    of other units (no barrier between units or phases). `on_unit(plan)` is called once per
    unit as soon as all its files have results, while the workers go on with the others (the
    project rules of one unit then run beside the per-file work of the rest)."""

    def __init__(
        self, plans: Sequence[_Plan], cache: Cache, stream: Stream, prune: bool,
        progress: Optional[Callable[[int, int], None]] = None, on_unit: Optional[Callable[[_Plan], None]] = None,
    ):
        self.cache, self.stream, self.prune, self.progress, self.on_unit = cache, stream, prune, progress, on_unit
        self.known = all_rules()
        self.total = sum(len(group) for plan in plans for _, group in plan.groups)
        self.done = 0
        self.complete: List[_Plan] = []  # every file from the cache: finished once the workers are busy
        if progress is not None:
            progress(0, self.total)

    def queue(self, plan: _Plan) -> None:
        pending, keys = self._misses(plan)
        self._advanced(len(plan.results))
        if not pending:
            self.complete.append(plan)
            return
        waiting = [len(pending)]

        def advance(index: int, value: Union[FileResult, Encoded]) -> None:
            key = keys[index]
            result = value.value if isinstance(value, Encoded) else value
            plan.results.append(result)
            if key is not None and _cacheable(result):
                self.cache.put("file", key, value if isinstance(value, Encoded) else replace(result, timings={}))
            self._advanced(1)
            waiting[0] -= 1
            if not waiting[0]:
                self._unit_done(plan)
            self.finish_complete()

        self.stream.add(_lint_one, pending, advance, _worker_died)

    def _misses(self, plan: _Plan) -> Tuple[List[Tuple[SourceFile, Settings, bool, bool]], List[Optional[str]]]:
        """The unit's files to lint, with their cache keys; cache hits go to its results."""
        pending: List[Tuple[SourceFile, Settings, bool, bool]] = []
        keys: List[Optional[str]] = []
        mcp_project = plan.mcp_project
        held, decided = _holdings(plan)
        encoded = {rel: dumps(view) for rel, view in plan.views.items()}  # sets in a stable order
        summaries = plan.model.built.modules if plan.model is not None and plan.model.built is not None else {}
        for config, group in plan.groups:
            codes = tuple(r.code for r in config.enabled_rules(self.known))
            settings = Settings(codes, config.rule_options, plan.views, self.prune, mcp_project, held, decided)
            configured = json.dumps([codes, config.rule_options], sort_keys=True, default=str)
            for source in group:
                digest = plan.hashes.get(source.rel)
                key = None
                if digest is not None:
                    key = self.cache.key(
                        "file", source.rel, source.kind, digest, str(mcp_project),
                        encoded.get(source.rel) or _EMPTY_VIEW, configured, repr(sorted(held)),
                        repr(sorted(decided.get(source.rel, ()))),
                    )
                    hit = self.cache.get("file", key, FileResult)
                    if isinstance(hit, FileResult) and _dependencies_unchanged(hit, plan.unit.root):
                        hit.timings = {}  # a profile times this run's work only
                        plan.results.append(hit)
                        continue
                summary = summaries.get(source.rel) if source.kind == "python" else None
                pending.append((source, settings, key is not None and self.cache.writes, summary is not None and summary.parse_checked))
                keys.append(key)
        return pending, keys

    def finish_complete(self) -> None:
        while self.complete:
            self._unit_done(self.complete.pop(0))

    def _advanced(self, files: int) -> None:
        self.done += files
        if files and self.progress is not None:
            self.progress(self.done, self.total)

    def _unit_done(self, plan: _Plan) -> None:
        plan.results.sort(key=lambda r: r.rel)  # project rules see files in a stable order
        if self.on_unit is not None:
            self.on_unit(plan)


def index_and_lint(
    plans: Sequence[_Plan], cache: Cache, workers: "_Workers", prune: bool,
    progress: Optional[Callable[[int, int], None]] = None, on_unit: Optional[Callable[[_Plan], None]] = None,
) -> None:
    """The project models (`build_indexes`) and the per-file phase (`_Linting`) as one stream of
    work for the workers: a unit's files are linted as soon as its model is built."""
    stream = Stream(workers)
    linting = _Linting(plans, cache, stream, prune, progress, on_unit)
    build_indexes(plans, cache, stream, linting.queue)
    stream.run(on_started=linting.finish_complete)
    linting.finish_complete()  # when there was no work at all


_EMPTY_VIEW = dumps(EMPTY_VIEW)


def _dependencies_unchanged(result: FileResult, root: Path) -> bool:
    """A cached result stands only while the files its document read (nginx includes, Caddy
    imports, tsconfig bases) still have the content they had."""
    for rel, digest in result.dependencies.items():
        data, _ = read_bytes(root / rel, MAX_FILE_BYTES, root)
        if data is None or content_hash(data) != digest:
            return False
    return True


# ---------------------------------------------------------------------------------------
# Project phase


@dataclass
class Project:
    """What project rules see in `check`: one project unit (mcp_lint/units.py)."""

    root: Path
    options: Dict[str, Dict[str, Any]]
    reported_paths: Optional[Set[str]]  # None = every file
    lazy_model: Optional[LazyModel] = field(default=None, repr=False)
    repository: Optional[Path] = None  # the repository the unit belongs to in this run (mcp_lint/units.py)

    @property
    def model(self) -> Optional[ProjectModel]:
        """The project model: servers, entrypoints, launch calls (built on first use when the
        unit's views came from the cache)."""
        return self.lazy_model.get() if self.lazy_model is not None else None


default_jobs = available_cpus  # worker processes: the cores this process may run on


def run(
    targets: Sequence[Path],
    config: Config,
    *,
    force_exclude: bool = False,
    jobs: Optional[int] = None,
    cache: Optional[Cache] = None,
    prune: bool = True,
    contents: Optional[Mapping[Path, Union[str, bytes]]] = None,
    progress: Optional[Callable[[int, int], None]] = None,
) -> RunResult:
    """`contents`: text held in memory (editor buffers, stdin) that replaces the disk contents
    of those paths; a path that does not exist on disk is linted as a file named on the
    command line. `progress(done, total)` is called as files are linted (a progress bar).

    Each file takes its nearest configuration and each project unit is analysed on its own
    (mcp_lint/units.py); finding paths are relative to `RunResult.root`."""
    clock = profile.Clock()
    with clock.phase("total (parent)"), run_memo.scope(), gc_tuning.fewer_collections():
        result, plans = _run(targets, config, force_exclude, jobs, cache, prune, contents, progress, clock)
    if clock.on:
        _write_profile(clock, plans)
    return result


def unit_results(targets: Sequence[Path], config: Config, jobs: Optional[int] = None) -> List[Tuple[Unit, List[FileResult]]]:
    """Each project unit of a run over `targets` with its files' results (their facts
    included), exactly as `check` computes them: for commands built on the rules' facts."""
    _, plans = _run(targets, config, False, jobs, None, True, None, None, profile.Clock())
    return [(plan.unit, plan.results) for plan in plans]


def _write_profile(clock: profile.Clock, plans: List["_Plan"]) -> None:
    parsed = set()
    for plan in plans:
        for result in plan.results:
            clock.merge(result.timings)
            if result.parsed and result.rel.endswith(".py"):
                parsed.add(os.path.normpath(plan.unit.root / result.rel))
    clock.merge(profile.take())
    profile.write(os.environ[profile.ENV], clock.times, sorted(parsed))


def _run(targets, config, force_exclude, jobs, cache, prune, contents, progress, clock: profile.Clock):
    if clock.on:
        profile.install(all_rules())
        profile.take()
    layout = Layout(config, targets)
    in_memory = _in_memory(contents or {})
    on_disk = [t for t in targets if t.absolute() not in in_memory or os.path.lexists(t)]
    excluded = layout.excluded if config.nearest_config else None
    excludes = [] if excluded else config.all_excludes
    with clock.phase("discover"):
        files, diagnostics = discover(
            on_disk, config.root, excludes, config.respect_gitignore, config.files, force_exclude, excluded
        ) if on_disk else ([], [])
    files = _with_contents(files, in_memory, targets, config)
    explicit_files = bool(targets) and all(not t.is_dir() for t in targets if t.exists())
    needs_project = any(issubclass(r, ProjectRule) for r in config.enabled_rules(all_rules()))

    def discover_all(root: Path, prune_packages: bool = False) -> List[SourceFile]:
        skip = (lambda p, d: d and p != root and is_package(p)) if prune_packages else None
        both = _either(excluded, skip)
        found, _ = discover([root], config.root, excludes, config.respect_gitignore, config.files, False, both)
        return _with_contents(found, in_memory, (), config)

    with clock.phase("units"):
        units = layout.units(files, explicit_files and needs_project, discover_all, lambda f: source_text(f)[0])
    if explicit_files and not needs_project:
        for unit in units:
            unit.reported = {f.rel for f in unit.files}
    root = Path(os.path.realpath(config.root))
    base = common_base([root, *(u.root for u in units), *(d for u in units for d in u.outside_folders())]) or root
    diagnostics = [replace(d, path=_rebase(d.path, root, base)) for d in diagnostics]  # from discovery
    cache = cache or NullCache()
    findings: List[Finding] = []
    checked: Set[str] = set()
    kinds: Dict[str, int] = {}  # document kind -> files of that kind checked
    with clock.phase("read and hash"):
        plans = [_plan(unit, layout) for unit in units]
    finished: Dict[int, tuple] = {}

    def finish(plan: _Plan) -> None:
        profile.take()  # parent times so far: dropped below, as before (inline runs' per-file times are in the results)
        with clock.phase("project rules, config and suppressions"):
            finished[id(plan)] = _finish(plan, layout)
        clock.merge(profile.take())

    with _Workers(jobs if jobs is not None else default_jobs()) as workers:
        with clock.phase("index, per-file phase and project rules (wall)"):
            index_and_lint(plans, cache, workers, prune, progress, on_unit=finish)
    profile.take()
    for plan in plans:
        unit = plan.unit
        found, diags, linted = finished[id(plan)]
        to_base = lambda rel: _rebase(rel, unit.root, base)  # noqa: E731
        findings.extend(_finding_at(f, to_base) for f in found)
        diagnostics.extend(replace(d, path=to_base(d.path)) if d.path != "." else d for d in diags)
        for result in linted:
            rel = to_base(result.rel)
            if result.kind and rel not in checked:
                kinds[result.kind] = kinds.get(result.kind, 0) + 1
            checked.add(rel)
    cache.flush()
    # A deploy file shared by several units can get the same finding from each: keep one.
    findings = sorted({f.sort_key(): f for f in reversed(findings)}.values(), key=Finding.sort_key)
    rules = config.enabled_rules(all_rules())
    sources = sorted({posixpath.normpath(posixpath.join(_rebase(".", plan.unit.root, base), f.rel)) for plan in plans for f in plan.unit.files})
    inputs = {
        os.path.normpath(plan.unit.root / rel): digest for plan in plans for r in plan.results for rel, digest in r.dependencies.items()
    }
    return RunResult(
        _fingerprinted(findings, base), sorted(set(diagnostics)), len(checked), rules, kinds=kinds, root=base,
        sources=sources, inputs=inputs,
    ), plans


def _fingerprinted(findings: List[Finding], base: Path) -> List[Finding]:
    """Fingerprints from repository-relative paths: the same finding keeps its identity
    whichever folder the run started from."""
    repo = output_base(base)
    if repo == base:
        return fingerprint_findings(findings)
    moved = fingerprint_findings([_finding_at(f, lambda rel: _rebase(rel, base, repo)) for f in findings])
    return [replace(f, fingerprint=m.fingerprint) for f, m in zip(findings, moved)]


def _either(*tests):
    tests = [t for t in tests if t is not None]
    return (lambda path, is_dir: any(t(path, is_dir) for t in tests)) if tests else None


def _rebase(rel: str, old: Path, new: Path) -> str:
    if old == new or rel.startswith("/"):
        return rel
    return os.path.relpath(os.path.normpath(old / rel), new).replace(os.sep, "/")


def _finding_at(finding: Finding, to_base) -> Finding:
    location = replace(finding.location, path=to_base(finding.location.path))
    related = tuple(replace(r, path=to_base(r.path)) for r in finding.related)
    return replace(finding, location=location, related=related)


def _plan(unit: Unit, layout: Layout) -> _Plan:
    """Hash the unit's files (the cache key) and group them by configuration."""
    marks: Dict[str, FrozenSet[str]] = {}
    scanned = {f.rel: file_hash(f, marks if f.kind in ("python", "typescript") else None) for f in unit.files}
    groups: Dict[int, Tuple[Config, List[SourceFile]]] = {}
    for source in unit.files:
        config = layout.config_for(Path(os.path.abspath(source.path)))
        groups.setdefault(id(config), (config, []))[1].append(source)
    return _Plan(
        unit,
        {rel: digest for rel, (digest, _) in scanned.items()},
        [f for f in unit.files if scanned[f.rel][1]],
        any(mentions for _, mentions in scanned.values()),
        [(config, _reclassified(group, config, layout)) for config, group in groups.values()],
        marks=marks,
    )


def _finish(plan: _Plan, layout: Layout):
    """Project rules of one unit, then configuration, suppressions and severities per file.
    Paths are unit-relative."""
    unit, results, rules_known = plan.unit, plan.results, all_rules()
    diagnostics: List[Diagnostic] = list(plan.diagnostics)
    unit_config = layout.config_for(unit.root, is_dir=True)
    findings = [f for r in results for f in r.findings]
    diagnostics.extend(d for r in results for d in r.diagnostics)
    project = Project(unit.root, unit_config.rule_options, unit.reported, plan.model, unit.repository)
    findings.extend(_check_project(unit_config.enabled_rules(rules_known), results, project, diagnostics))
    findings.extend(_not_analysed(results, {f.rel: f.kind for _, group in plan.groups for f in group}, {f.rel for f in plan.mcp_files}))
    reported = unit.reported
    if reported is not None:
        findings = [f for f in findings if f.path in reported]
        diagnostics = [d for d in diagnostics if d.path in reported or d.kind == "internal-error"]
        results = [r for r in results if r.rel in reported]
    by_path = {r.rel: r for r in results}
    kept: List[Finding] = []
    for config, group in plan.groups:
        rels = {f.rel for f in group}
        rules = config.enabled_rules(rules_known)
        enabled = {r.code for r in rules}
        mine = [f for f in findings if f.path in rels and (f.code in enabled or f.code == ParseErrorRule.code)]
        mine = _apply_config(mine, config, unit.root)
        mine = _apply_suppressions(mine, [r for r in results if r.rel in rels], by_path, rules)
        kept.extend(f.with_severity(config.severity_of(f.code, f.severity)) for f in mine)
    known_paths = {f.rel for _, group in plan.groups for f in group}
    kept.extend(f for f in findings if f.path not in known_paths)  # a project finding outside the unit's files
    return kept, diagnostics, results


# Kinds whose files the project runs or deploys with (MCP0003 when they cannot be analysed).
# Python files count when they mention MCP (the same byte scan that scopes the Python rules).
RUN_KINDS = frozenset({"dockerfile", "k8s", "compose", "caddyfile", "nginx", "shell", "helm", "ecs"})


def _not_analysed(results: List[FileResult], kinds: Dict[str, str], mentioning: Set[str]) -> List[Finding]:
    """A skipped file that the project runs is a finding, not a silent pass: otherwise pushing a
    server module past a limit would turn its findings into a clean run."""
    found = []
    for result in results:
        kind = result.kind or kinds.get(result.rel)  # refined from content (k8s, compose) when it was read
        if result.not_analysed and (kind in RUN_KINDS or kind == "python" and result.rel in mentioning):
            message = f"{FileNotAnalysedRule.summary}: {result.not_analysed}"
            found.append(FileNotAnalysedRule().make_finding(Location(result.rel, 1, 1, 1, 2), message))
    return found


def _reclassified(files: List[SourceFile], config: Config, layout: Layout) -> List[SourceFile]:
    """A nearer configuration's `[tool.mcp-lint.files]` globs are relative to its folder."""
    if config is layout.base or not config.files:
        return files
    out = []
    for source in files:
        rel = relative(Path(os.path.abspath(source.path)), Path(os.path.realpath(config.root)))
        kind = classify(rel, config.files)
        if kind is not None:
            out.append(replace(source, kind=kind))
    return out


def _in_memory(contents: Mapping[Path, Union[str, bytes]]) -> Dict[Path, bytes]:
    return {
        Path(path).absolute(): text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
        for path, text in contents.items()
    }


def _with_contents(files: List[SourceFile], in_memory: Dict[Path, bytes], targets: Sequence[Path], config: Config) -> List[SourceFile]:
    """Attach in-memory contents to discovered files; add in-memory targets missing on disk."""
    if not in_memory:
        return list(files)
    root = config.root.resolve()
    by_rel = {relative(path.resolve(), root): data for path, data in in_memory.items()}
    out = [replace(f, content=by_rel[f.rel]) if f.rel in by_rel else f for f in files]
    known = {f.rel for f in out}
    for target in targets:
        rel = relative(target.absolute().resolve(), root)
        kind = classify(rel, config.files)
        if rel in by_rel and rel not in known and kind is not None:
            out.append(SourceFile(rel, target.absolute(), kind, by_rel[rel]))
            known.add(rel)
    return sorted(out)


def _check_project(rules, results: List[FileResult], project: Project, diagnostics: List[Diagnostic]) -> List[Finding]:
    findings: List[Finding] = []
    for rule in [r for owner in rules for r in (owner, *implementations_of(owner))]:
        if issubclass(rule, ProjectRule):
            key = facts_key(rule)
            facts = {r.rel: r.facts[key] for r in results if key in r.facts}
            try:
                findings.extend(rule.check(facts, project))
            except Exception as exc:
                diagnostics.append(Diagnostic(".", "internal-error", f"{type(exc).__name__}: {exc}", rule=rule.code))
    return findings


def _apply_config(findings: List[Finding], config: Config, unit_root: Path) -> List[Finding]:
    """Per-file ignores; their globs are relative to the configuration's folder."""
    if not config.per_file_ignores:
        return findings
    root = Path(os.path.realpath(config.root))
    return [f for f in findings if not config.per_file_ignored(_rebase(f.path, unit_root, root), f.code, f.name)]


def _apply_suppressions(
    findings: List[Finding], results: Iterable[FileResult], by_path: Dict[str, FileResult], rules: Sequence[Type[Rule]]
) -> List[Finding]:
    enabled = {r.code for r in rules} | {r.name for r in rules}
    known = {r.code for r in all_rules()} | {r.name for r in all_rules()}
    grouped: Dict[str, List[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.path, []).append(finding)
    kept: List[Finding] = []
    for path, group in grouped.items():
        result = by_path.get(path)
        kept.extend(suppress.apply(group, result.suppressions) if result else group)
    for result in results:
        if UnusedSuppressionRule.code in enabled:
            for sup in result.suppressions:
                # A code whose rule is switched off cannot have fired: not "unused".
                sup.used.update(c for c in sup.codes if c in known and c not in enabled)
            for sup, loc, message in suppress.unused_locations(result.rel, result.suppressions, known):
                fix = removal_fix(sup, {c for c in sup.codes if c not in sup.used})
                kept.append(UnusedSuppressionRule().make_finding(loc, message, fix=fix))
        if InvalidSuppressionRule.code in enabled:
            for bad in result.bad_suppressions:
                loc = Location(result.rel, bad.line, bad.column, bad.line, bad.end_column)
                kept.append(InvalidSuppressionRule().make_finding(loc, f"{InvalidSuppressionRule.summary}: {bad.reason}"))
    return kept


def exit_code(result: RunResult, fail_on: Severity) -> int:
    if result.internal_errors:
        return 2
    return 1 if any(f.severity >= fail_on for f in result.findings) else 0
