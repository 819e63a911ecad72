"""Runs the rules over a project.

Per file (in worker processes when there is enough work): read once, decide from a cheap text
scan which rules could fire, parse once, run all rules of the file's kind in one traversal,
collect the facts project rules need, and gather the file's suppression comments. Then in the
parent: project rules merge the facts, per-file ignores, severity overrides and suppressions
apply, and findings are sorted so output is deterministic."""

from __future__ import annotations

import os
import re
import stat
import tokenize
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Type, Union

from mcp_lint import suppress
from mcp_lint.cache import Cache, NullCache, content_hash
from mcp_lint.config import Config
from mcp_lint.discovery import SourceFile, discover, relative
from mcp_lint.documents import classify, document_class, mentions_mcp, refine_kind
from mcp_lint.documents.base import ParseError, SkipFile
from mcp_lint.model import Diagnostic, Finding, Location, Severity, fingerprint_findings
from mcp_lint.registry import (
    InvalidSuppressionRule,
    ParseErrorRule,
    UnusedSuppressionRule,
    all_rules,
)
from mcp_lint.python.project_model import EMPTY_VIEW, FileView, ProjectModel, build_project_model, project_scripts
from mcp_lint.rule import DocumentRule, ProjectRule, PythonRule, Rule
from mcp_lint.suppress_fix import removal_fix

MAX_FILE_BYTES = 2_000_000
PARALLEL_THRESHOLD = 24  # below this many files a process pool costs more than it saves


@dataclass
class FileResult:
    rel: str
    findings: List[Finding] = field(default_factory=list)
    diagnostics: List[Diagnostic] = field(default_factory=list)
    facts: Dict[str, Any] = field(default_factory=dict)  # project rule code -> facts
    suppressions: List[suppress.Suppression] = field(default_factory=list)
    bad_suppressions: List[suppress.BadSuppression] = field(default_factory=list)
    parsed: bool = False
    kind: str = ""  # the document kind it was read as ('' when skipped or of no kind we lint)


@dataclass
class RunResult:
    findings: List[Finding]
    diagnostics: List[Diagnostic]
    files_checked: int
    rules: List[Type[Rule]]
    kinds: Dict[str, int] = field(default_factory=dict)  # document kind -> files of that kind checked

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


# ---------------------------------------------------------------------------------------
# Per-file phase


def read_bytes(path: Path) -> Tuple[Optional[bytes], Optional[str]]:
    """The file's bytes (at most MAX_FILE_BYTES + 1), or None and why not. Only regular files
    are opened: a FIFO or device named `x.py` would block or never end."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None, "not a regular file"
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1), None
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"


def source_bytes(source: SourceFile) -> Tuple[Optional[bytes], Optional[str]]:
    """The in-memory content of a file when it has one (editor buffer, stdin), else its disk bytes."""
    if source.content is not None:
        return source.content[: MAX_FILE_BYTES + 1], None
    return read_bytes(source.path)


def file_hash(source: SourceFile) -> Tuple[Optional[str], bool]:
    """(content hash or None when unreadable, whether the text mentions MCP)."""
    data, _ = source_bytes(source)
    if data is None:
        return None, False
    return content_hash(data), mentions_mcp(data)


def read_text(path: Path, kind: str) -> Tuple[Optional[str], Optional[str]]:
    """(text, None) or (None, reason it was skipped)."""
    return decode(*read_bytes(path), kind)


def source_text(source: SourceFile) -> Tuple[Optional[str], Optional[str]]:
    """Like `read_text`, for a discovered file that may carry in-memory content."""
    return decode(*source_bytes(source), source.kind)


def decode(data: Optional[bytes], reason: Optional[str], kind: str) -> Tuple[Optional[str], Optional[str]]:
    if data is None:
        return None, reason
    if len(data) > MAX_FILE_BYTES:
        return None, f"larger than {MAX_FILE_BYTES // 1_000_000} MB"
    if b"\0" in data[:8192]:
        return None, "binary file (NUL bytes)"
    encoding = "utf-8-sig"
    if kind == "python":
        try:
            encoding, _ = tokenize.detect_encoding(BytesIO(data).readline)
        except SyntaxError as exc:
            # detect_encoding also raises for undeclared non-UTF-8 bytes in the first two lines.
            declared = re.search(rb"^[ \t\f]*#.*?coding[:=]", data[:400], re.MULTILINE)
            return None, f"bad encoding declaration: {exc}" if declared else "not valid UTF-8 text (and no coding declaration)"
        if encoding == "utf-8":
            encoding = "utf-8-sig"
    try:
        return data.decode(encoding), None
    except (UnicodeDecodeError, LookupError):
        return None, f"not valid {encoding.replace('-sig', '')} text"


def _in_scope(rule: Type[Rule], settings: "Settings", kind: str, mcp_file: bool) -> bool:
    """MCP scoping applies to Python files only; deployment files are cheap and always read."""
    if kind != "python" or rule.scope == "any":
        return True
    return mcp_file if rule.scope == "mcp-file" else settings.mcp_project


def _rules_for(text: str, rules: Sequence[Type[Rule]], settings: "Settings", kind: str, mcp_file: bool) -> List[Type[Rule]]:
    """Pruning: only rules in scope whose required strings occur in the text can fire."""
    return [
        r
        for r in rules
        if _in_scope(r, settings, kind, mcp_file) and (not r.requires or any(token in text for token in r.requires))
    ]


def lint_file(source: SourceFile, settings: Settings) -> FileResult:
    result = FileResult(source.rel)
    text, skipped = source_text(source)
    if text is None:
        result.diagnostics.append(Diagnostic(source.rel, "skipped", skipped or "unreadable"))
        return result
    kind = refine_kind(source.kind, source.rel, text)
    if kind is None:
        return result
    result.kind = kind
    by_code = {r.code: r for r in all_rules()}
    candidates = [by_code[c] for c in settings.rule_codes if kind in by_code[c].kinds]
    view = settings.views.get(source.rel, EMPTY_VIEW)
    # A module the project model ties to a server (tool code, a launch, an imported server) is
    # an MCP file even if its text never says so.
    mcp_file = mentions_mcp(text.encode("utf-8", "surrogatepass")) or bool(view.tool_code or view.launches or view.server_names)
    rules = _rules_for(text, candidates, settings, kind, mcp_file) if settings.prune else candidates
    has_directives = suppress.MARKER in text.lower()  # suppression comments need checking even with no rule
    if not rules and not has_directives:
        return result
    document = document_class(kind)(source.rel, text)
    document.disk_path = source.path
    try:
        document.parse()
    except SkipFile as exc:
        result.diagnostics.append(Diagnostic(source.rel, "skipped", exc.reason))
        return result
    except ParseError as exc:
        if ParseErrorRule.code in settings.rule_codes:
            loc = Location(source.rel, exc.line, exc.column, exc.line, exc.column + 1)
            result.findings.append(ParseErrorRule().make_finding(loc, f"{ParseErrorRule.summary}: {exc.message}"))
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


def _run_python(document, rules: List[Type[Rule]], settings: Settings, result: FileResult) -> None:
    from mcp_lint.python.context import run_python_rules

    python_rules = [r for r in rules if issubclass(r, PythonRule)]
    view = settings.views.get(document.path, EMPTY_VIEW)
    try:
        instances, _ = run_python_rules(document, python_rules, settings.options, view=view)
    except RecursionError:
        result.diagnostics.append(Diagnostic(document.path, "skipped", "nesting too deep to analyse"))
        return
    except Exception:
        # One rule raised and aborted the shared traversal: run each alone to isolate it.
        instances = []
        for rule in python_rules:
            try:
                alone, _ = run_python_rules(document, [rule], settings.options, view=view)
                instances.extend(alone)
            except Exception as exc:
                result.diagnostics.append(
                    Diagnostic(document.path, "internal-error", f"{type(exc).__name__}: {exc}", rule=rule.code)
                )
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
        elif issubclass(rule, DocumentRule):
            try:
                instance = rule(document, options)
                instance.check()
                result.findings.extend(instance.findings)
            except Exception as exc:
                result.diagnostics.append(
                    Diagnostic(document.path, "internal-error", f"{type(exc).__name__}: {exc}", rule=rule.code)
                )


def _collect(rule: Type[ProjectRule], document, options, result: FileResult) -> None:
    try:
        result.facts[rule.code] = rule.collect(document, options)
    except Exception as exc:
        result.diagnostics.append(Diagnostic(document.path, "internal-error", f"{type(exc).__name__}: {exc}", rule=rule.code))


class _Workers:
    """A process pool started on first use of a large batch and shared by the run's phases;
    small batches (pre-commit with three files) never pay for worker start-up."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool: Optional[ProcessPoolExecutor] = None

    def map(self, func, items: Sequence, *constants, on_result: Optional[Callable[[], None]] = None) -> List:
        if self.jobs <= 1 or len(items) < PARALLEL_THRESHOLD:
            results = (func(item, *constants) for item in items)
        else:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=self.jobs)
            chunk = max(1, min(32, len(items) // (self.jobs * 8)))
            results = self.pool.map(func, items, *([c] * len(items) for c in constants), chunksize=chunk)
        out = []
        for result in results:
            out.append(result)
            if on_result is not None:
                on_result()
        return out

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def summarise_source(source: SourceFile):
    """The `ast` summary of one file for the project model (runs in a worker)."""
    from mcp_lint.python.context import package_of
    from mcp_lint.python.file_summary import summarise

    text, _ = source_text(source)
    return summarise(source.rel, text, package_of(source.rel)) if text else None


def build_model(files: Sequence[SourceFile], scanned: Dict[str, Tuple[Optional[str], bool]], cache: Cache, root: Path, workers: "_Workers") -> ProjectModel:
    """The project model, from `ast` summaries of the MCP files and the modules they import."""
    from mcp_lint.python.context import package_of

    return build_project_model(
        files, lambda source: source_text(source)[0], scanned.get, cache, package_of, project_scripts(root), workers.map
    )


def _lint_cached(
    files: Sequence[SourceFile], hashes: Dict[str, Optional[str]], settings: Settings, cache: Cache, workers: _Workers,
    progress: Optional[Callable[[int, int], None]] = None,
) -> List[FileResult]:
    results: Dict[str, FileResult] = {}
    keys: Dict[str, str] = {}
    misses: List[SourceFile] = []
    for source in files:
        digest = hashes.get(source.rel)
        if digest is not None:
            keys[source.rel] = cache.key(
                "file", source.rel, source.kind, digest, str(settings.mcp_project), repr(settings.views.get(source.rel, EMPTY_VIEW))
            )
            hit = cache.get("file", keys[source.rel])
            if isinstance(hit, FileResult):
                results[source.rel] = hit
                continue
        misses.append(source)
    done = [len(files) - len(misses)]

    def advance() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], len(files))

    if progress is not None:
        progress(done[0], len(files))
    for result in workers.map(lint_file, misses, settings, on_result=advance):
        results[result.rel] = result
        if result.rel in keys and not any(d.kind == "internal-error" for d in result.diagnostics):
            cache.put("file", keys[result.rel], result)
    return [results[f.rel] for f in files]


# ---------------------------------------------------------------------------------------
# Project phase


@dataclass
class Project:
    """What project rules see in `check`."""

    root: Path
    options: Dict[str, Dict[str, Any]]
    reported_paths: Optional[Set[str]]  # None = every file
    model: Optional[ProjectModel] = None  # the project model: servers, entrypoints, launch calls


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
    command line. `progress(done, total)` is called as files are linted (a progress bar)."""
    rules = config.enabled_rules(all_rules())
    in_memory = _in_memory(contents or {}, config)
    on_disk = [t for t in targets if t.absolute() not in in_memory or os.path.lexists(t)]
    files, diagnostics = discover(
        on_disk, config.root, config.all_excludes, config.respect_gitignore, config.files, force_exclude
    ) if on_disk else ([], [])
    files = _with_contents(files, in_memory, targets, config)
    explicit_files = bool(targets) and all(not t.is_dir() for t in targets if t.exists())
    reported = {f.rel for f in files} if explicit_files else None
    to_lint = _with_project_index_files(files, config, rules) if explicit_files else list(files)
    to_lint = _with_contents(to_lint, in_memory, (), config)
    cache = cache or NullCache()
    scanned = {f.rel: file_hash(f) for f in to_lint}
    hashes = {rel: digest for rel, (digest, _) in scanned.items()}
    mcp_project = any(mentions for _, mentions in scanned.values())
    with _Workers(jobs if jobs is not None else (os.cpu_count() or 1)) as workers:
        model = build_model(to_lint, scanned, cache, config.root, workers) if mcp_project else ProjectModel(())
        views = {rel: view for rel in model.modules for view in (model.view(rel),) if view != EMPTY_VIEW}
        settings = Settings(tuple(r.code for r in rules), config.rule_options, views, prune, mcp_project)
        results = _lint_cached(to_lint, hashes, settings, cache, workers, progress)
    cache.flush()

    by_path: Dict[str, FileResult] = {r.rel: r for r in results}
    findings = [f for r in results for f in r.findings]
    from_discovery = len(diagnostics)  # about the targets themselves: always reported
    diagnostics.extend(d for r in results for d in r.diagnostics)
    findings.extend(_check_project(rules, results, Project(config.root, config.rule_options, reported, model), diagnostics))
    if reported is not None:
        findings = [f for f in findings if f.path in reported]
        diagnostics = diagnostics[:from_discovery] + [
            d for d in diagnostics[from_discovery:] if d.path in reported or d.kind == "internal-error"
        ]
        results = [r for r in results if r.rel in reported]
    findings = _apply_config(findings, config)
    findings = _apply_suppressions(findings, results, by_path, rules)
    findings = [f.with_severity(config.severity_of(f.code, f.severity)) for f in findings]
    findings = sorted(set(findings), key=Finding.sort_key)
    kinds: Dict[str, int] = {}
    for r in results:
        if r.kind:
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
    return RunResult(fingerprint_findings(findings), sorted(set(diagnostics)), len(results), rules, kinds)


def _in_memory(contents: Mapping[Path, Union[str, bytes]], config: Config) -> Dict[Path, bytes]:
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


def _with_project_index_files(files: List[SourceFile], config: Config, rules) -> List[SourceFile]:
    """Files given explicitly, plus the rest of the project when a project rule needs it."""
    if not any(issubclass(r, ProjectRule) for r in rules):
        return list(files)
    everything, _ = discover([config.root], config.root, config.all_excludes, config.respect_gitignore, config.files)
    known = {f.rel for f in files}
    return [*files, *(f for f in everything if f.rel not in known)]


def _check_project(rules, results: List[FileResult], project: Project, diagnostics: List[Diagnostic]) -> List[Finding]:
    findings: List[Finding] = []
    for rule in rules:
        if issubclass(rule, ProjectRule):
            facts = {r.rel: r.facts[rule.code] for r in results if rule.code in r.facts}
            try:
                findings.extend(rule.check(facts, project))
            except Exception as exc:
                diagnostics.append(Diagnostic(".", "internal-error", f"{type(exc).__name__}: {exc}", rule=rule.code))
    return findings


def _apply_config(findings: List[Finding], config: Config) -> List[Finding]:
    if not config.per_file_ignores:
        return findings
    return [f for f in findings if not config.per_file_ignored(f.path, f.code, f.name)]


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
