"""`mcp-lint server`: the language server (pygls) over stdio.

The event loop only receives messages and publishes; linting runs on one worker thread so that
a long pass never blocks the connection and passes never overlap (the sessions' caches are
single-threaded). Changes are debounced; opens and saves lint at once. Every lint covers the
whole project of the changed documents with all open buffers as in-memory content, and
republishes the diagnostics of every open document whose findings changed."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from mcp_lint import __version__
from mcp_lint.documents import classify, refine_kind
from mcp_lint.engine import RunResult
from mcp_lint.lsp import actions, convert
from mcp_lint.lsp.session import CONFIG_FILES, Session, Settings, project_root
from mcp_lint.model import Finding

DEBOUNCE_SECONDS = 0.15  # a typing pause; with a warm lint (~50 ms) diagnostics land ~200 ms after a change
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.mcp-lint"
CMD_FIX_ALL = "mcp-lint.fixAll"
CMD_OPEN_DOC = "mcp-lint.openRuleDoc"
log = logging.getLogger("mcp_lint.lsp")


@dataclass
class OpenDocument:
    """A snapshot of an open buffer taken when a lint starts."""

    uri: str
    path: Path
    version: Optional[int]
    text: str


@dataclass
class Published:
    """What was last published for a document, for code actions and to skip republishing."""

    document: OpenDocument
    session: Session
    rel: str
    findings: List[Finding] = field(default_factory=list)
    diagnostics: List[types.Diagnostic] = field(default_factory=list)


class MCPLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("mcp-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.folders: List[Path] = []
        self.sessions: Dict[Path, Session] = {}
        self.roots: Dict[str, Path] = {}  # document path -> its project root
        self.published: Dict[str, Published] = {}  # uri -> last publication
        self.logged: Set[str] = set()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mcp-lint")
        self.debounce = DEBOUNCE_SECONDS
        self._timer: Optional[asyncio.TimerHandle] = None
        self._linting = False
        self._again = False
        self._pending: Set[str] = set()  # paths of documents changed since the last lint
        self._pending_all = False
        self.loop: Optional[asyncio.AbstractEventLoop] = None  # set at initialisation
        self.loop_thread = threading.get_ident()

    # -- state ---------------------------------------------------------------------------

    def session_for(self, path: Path) -> Session:
        root = self.roots.get(str(path))
        if root is None:
            root = self.roots[str(path)] = project_root(path, self.folders)
        session = self.sessions.get(root)
        if session is None:
            session = self.sessions[root] = Session(root, self.settings)
            self._report_config(session)
        return session

    def reload(self) -> None:
        """Configuration or settings changed: every session reads its configuration again
        (keeping the last good one when the new one is broken), and documents are assigned
        to projects again, since a new config file can start a project of its own."""
        for session in self.sessions.values():
            session.settings = self.settings
            session.reload()
            self._report_config(session)
        self.roots.clear()

    def open_documents(self) -> List[OpenDocument]:
        out = []
        for doc in list(self.workspace.text_documents.values()):
            if doc.uri.startswith("file:") and doc.path:
                out.append(OpenDocument(doc.uri, Path(doc.path), doc.version, doc.source))
        return out

    def mark(self, uri: Optional[str] = None) -> None:
        """Mark the project of `uri` (or of every open document) for the next lint."""
        path = uris.to_fs_path(uri) if uri else None
        if path:
            self._pending.add(path)
        else:
            self._pending_all = True

    def schedule(self, delay: float) -> None:
        """Lint after `delay` seconds; a newer request replaces a pending one (debounce)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(delay, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._linting:
            self._again = True  # the running pass is stale: go again when it ends
            return
        asyncio.ensure_future(self._lint_loop())

    async def _lint_loop(self) -> None:
        self._linting = True
        try:
            while True:
                self._again = False
                await self.lint_once()
                if not self._again:
                    break
        finally:
            self._linting = False

    async def lint_once(self) -> None:
        documents = self.open_documents()
        paths, everything = self._pending, self._pending_all
        self._pending, self._pending_all = set(), False
        results = await asyncio.get_running_loop().run_in_executor(self.worker, self._lint, documents, paths, everything)
        for session, result, members in results:
            self._publish(session, result, members, documents)

    def _lint(
        self, documents: List[OpenDocument], paths: Set[str], everything: bool
    ) -> List[Tuple[Session, Optional[RunResult], List[OpenDocument]]]:
        """On the worker thread: lint the projects of `paths` (or all) that have open documents."""
        by_session: Dict[Path, List[OpenDocument]] = {}
        for doc in documents:
            by_session.setdefault(self.session_for(doc.path).root, []).append(doc)
        wanted = {self.session_for(Path(p)).root for p in paths}
        for root in set(self.sessions) - set(by_session) - wanted:  # no open document left
            del self.sessions[root]
        out = []
        for root, members in by_session.items():
            if not everything and root not in wanted:
                continue
            session = self.sessions[root]
            buffers = {d.path: d.text for d in documents if _inside(d.path, session.config.root)}
            try:
                result: Optional[RunResult] = session.lint(buffers)
            except Exception as exc:  # an engine bug must not end the server: log it, keep going
                self.log(types.MessageType.Error, f"mcp-lint: lint of {root} failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
                result = None
            out.append((session, result, members))
        return out

    # -- publishing ----------------------------------------------------------------------

    def _publish(self, session: Session, result: Optional[RunResult], members: List[OpenDocument], documents: List[OpenDocument]) -> None:
        if result is None:
            return
        for diag in result.diagnostics:  # skipped files, crashed rules: a log line each, once
            level = types.MessageType.Error if diag.kind == "internal-error" else types.MessageType.Info
            rule = f" ({diag.rule})" if diag.rule else ""
            self.log(level, f"mcp-lint: {diag.kind}{rule} in {diag.path}: {diag.message}", once=True)
        by_rel: Dict[str, List[Finding]] = {}
        for finding in result.findings:
            by_rel.setdefault(finding.path, []).append(finding)
        texts = {session.rel(result, d.path): d for d in documents}
        encoding = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        lines_cache: Dict[str, List[str]] = {}

        def lines_of(rel: str) -> List[str]:
            if rel not in lines_cache:
                doc = texts.get(rel)
                lines_cache[rel] = convert.split_lines(doc.text if doc else _read(session.path(result, rel)))
            return lines_cache[rel]

        def uri_of(rel: str) -> str:
            doc = texts.get(rel)
            return doc.uri if doc else uris.from_fs_path(str(session.path(result, rel))) or rel

        for doc in members:
            rel = session.rel(result, doc.path)
            findings = by_rel.get(rel, [])
            previous = self.published.get(doc.uri)
            if previous and previous.document.text == doc.text and previous.findings == findings and previous.session is session:
                previous.document = doc
                continue
            diagnostics = [convert.diagnostic(f, lines_of(rel), encoding, lines_of, uri_of) for f in findings]
            self.published[doc.uri] = Published(doc, session, rel, findings, diagnostics)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=diagnostics, version=doc.version)
            )

    def clear(self, uri: str) -> None:
        self.published.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def log(self, level: types.MessageType, message: str, once: bool = False) -> None:
        if once:
            if message in self.logged:
                return
            if len(self.logged) > 10_000:
                self.logged.clear()
            self.logged.add(message)
        self._notify(self.window_log_message, types.LogMessageParams(type=level, message=message))

    def _report_config(self, session: Session) -> None:
        if session.config_error:
            message = f"mcp-lint: configuration error, using the previous or default configuration: {session.config_error}"
            self.log(types.MessageType.Error, message)
            self._notify(self.window_show_message, types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def _notify(self, send: Callable[[Any], None], params: Any) -> None:
        """Send a notification from any thread: messages are written by the event loop only, so
        that two threads never interleave their bytes on stdout."""

        def write() -> None:
            try:
                send(params)
            except Exception:  # the connection is gone: nothing left to tell
                log.debug("cannot send %s", params)

        if self.loop is not None and threading.get_ident() != self.loop_thread:
            self.loop.call_soon_threadsafe(write)
        else:
            write()

    # -- code actions ----------------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams, documents: List[OpenDocument]) -> List[types.CodeAction]:
        """On the worker thread (fix-all lints the buffer again); `documents` are the open
        buffers when the request came."""
        published = self.published.get(params.text_document.uri)
        if published is None:
            return []
        current = next((d for d in documents if d.uri == params.text_document.uri), None)
        if current is None or current.version != published.document.version:
            return []  # findings are about older text: wait for the next publication
        only = params.context.only
        encoding = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        lines = convert.split_lines(published.document.text)
        first, last = params.range.start.line + 1, params.range.end.line + 1
        out: List[types.CodeAction] = []
        if _wanted(types.CodeActionKind.QuickFix, only):
            documented: Set[str] = set()
            for finding, diag in zip(published.findings, published.diagnostics):
                loc = finding.location
                if loc.end_line < first or loc.line > last:
                    continue
                out.extend(self._finding_actions(published, finding, diag, lines, encoding, documented))
        if _wanted(FIX_ALL_KIND, only) and actions.fixable(published.findings, unsafe=False):
            fixed = self.fix_all(published, documents)
            if fixed is not None:
                out.append(types.CodeAction(title="mcp-lint: fix all safe findings", kind=FIX_ALL_KIND, edit=fixed))
        return out

    def _finding_actions(self, published: Published, finding: Finding, diag: types.Diagnostic, lines, encoding, documented: Set[str]) -> List[types.CodeAction]:
        out = []
        doc = published.document
        if finding.fix is not None:
            unsafe = finding.fix.applicability != "safe"
            marker = " (unsafe: may change behaviour)" if unsafe else ""
            edits = [convert.text_edit(lines, e, encoding) for e in finding.fix.edits]
            out.append(types.CodeAction(
                title=f"Fix {finding.code}{marker}: {finding.fix.description}",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=not unsafe,
                edit=self.workspace_edit(doc, edits),
            ))
        kind = refine_kind(classify(published.rel, published.session.config.files) or "", published.rel, doc.text)
        edit = actions.suppression_edit(published.rel, doc.text, kind, finding.location.line, finding.code) if kind else None
        if edit is not None:
            out.append(types.CodeAction(
                title=f"Suppress {finding.code} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                edit=self.workspace_edit(doc, [convert.text_edit(lines, edit, encoding)]),
            ))
        if finding.code not in documented:
            documented.add(finding.code)
            title = f"Open the documentation of {finding.code} ({finding.name})"
            out.append(types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                command=types.Command(title=title, command=CMD_OPEN_DOC, arguments=[finding.code]),
            ))
        return out

    def fix_all(self, published: Published, documents: List[OpenDocument], unsafe: bool = False) -> Optional[types.WorkspaceEdit]:
        """The edit applying every fix to the document (None when nothing changes)."""
        doc, session = published.document, published.session
        others = {d.path: d.text for d in documents if _inside(d.path, session.config.root)}

        def lint(text: str) -> List[Finding]:
            result = session.lint({**others, doc.path: text})
            return [f for f in result.findings if f.path == session.rel(result, doc.path)]

        fixed = actions.fix_all(doc.text, lint, published.rel, unsafe)
        if fixed == doc.text:
            return None
        encoding = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        end_of_text = convert.end_of_text(doc.text, encoding)
        edits = []
        for first, end, text in actions.line_edits(doc.text, fixed):
            start = types.Position(first, 0)
            stop = types.Position(end, 0) if end < len(convert.lines_with_ends(doc.text)) else end_of_text
            edits.append(types.TextEdit(types.Range(start, stop), text))
        return self.workspace_edit(doc, edits)

    def workspace_edit(self, doc: OpenDocument, edits: Sequence[types.TextEdit]) -> types.WorkspaceEdit:
        """Versioned when the client takes that (it then refuses an edit of changed text)."""
        capabilities = self.client_capabilities.workspace
        versioned = bool(capabilities and capabilities.workspace_edit and capabilities.workspace_edit.document_changes)
        if versioned:
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier, edits=list(edits))])
        return types.WorkspaceEdit(changes={doc.uri: list(edits)})


def _wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """Whether a code action of `kind` was asked for (LSP kinds are dot-separated hierarchies)."""
    return not only or any(kind == o or kind.startswith(f"{o}.") for o in only)


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(path).resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _read(path: Path) -> str:
    try:
        return path.read_bytes()[:2_000_000].decode("utf-8-sig", "replace")
    except OSError:
        return ""


def _is_config(path: Optional[str]) -> bool:
    return bool(path) and Path(path).name in CONFIG_FILES


def build() -> MCPLintServer:
    server = MCPLintServer()

    @server.feature(types.INITIALIZE)
    async def initialize(ls: MCPLintServer, params: types.InitializeParams) -> None:
        ls.loop, ls.loop_thread = asyncio.get_running_loop(), threading.get_ident()
        ls.settings = Settings.from_json(params.initialization_options)
        folders = [uris.to_fs_path(f.uri) for f in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [uris.to_fs_path(params.root_uri)]
        ls.folders = [Path(f) for f in folders if f]

    @server.feature(types.INITIALIZED)
    async def initialized(ls: MCPLintServer, params: types.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if not (watched and watched.dynamic_registration):
            return  # config files are then reloaded when saved in the editor
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
        registration = types.Registration(
            id="mcp-lint-config-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as exc:
            ls.log(types.MessageType.Warning, f"mcp-lint: cannot watch configuration files: {exc}")

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: MCPLintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.mark(params.text_document.uri)
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: MCPLintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.mark(params.text_document.uri)
        ls.schedule(ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: MCPLintServer, params: types.DidSaveTextDocumentParams) -> None:
        if _is_config(uris.to_fs_path(params.text_document.uri)):
            await asyncio.get_running_loop().run_in_executor(ls.worker, ls.reload)
            ls.mark()
        else:
            ls.mark(params.text_document.uri)
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: MCPLintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.clear(params.text_document.uri)
        ls.mark(params.text_document.uri)  # its disk contents replace the buffer in project facts
        ls.schedule(0)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: MCPLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config(uris.to_fs_path(change.uri)) for change in params.changes):
            await asyncio.get_running_loop().run_in_executor(ls.worker, ls.reload)
        ls.mark()
        ls.schedule(0)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_workspace_folders(ls: MCPLintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        removed = {Path(uris.to_fs_path(f.uri) or "") for f in params.event.removed}
        added = [Path(p) for p in (uris.to_fs_path(f.uri) for f in params.event.added) if p]
        ls.folders = [f for f in ls.folders if f not in removed] + added
        await asyncio.get_running_loop().run_in_executor(ls.worker, ls.reload)
        ls.mark()
        ls.schedule(0)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: MCPLintServer, params: types.DidChangeConfigurationParams) -> None:
        settings = Settings.from_json(params.settings)
        if settings != ls.settings:
            ls.settings = settings
            await asyncio.get_running_loop().run_in_executor(ls.worker, ls.reload)
            ls.mark()
            ls.schedule(0)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(ls: MCPLintServer, params: types.CodeActionParams) -> List[types.CodeAction]:
        documents = ls.open_documents()
        return await asyncio.get_running_loop().run_in_executor(ls.worker, _guarded(ls, ls.code_actions, []), params, documents)

    @server.command(CMD_FIX_ALL)
    async def fix_all(ls: MCPLintServer, *args: Any) -> Optional[bool]:
        """Arguments: the document URI, then optionally true for unsafe fixes too."""
        uri = args[0] if args else None
        if isinstance(uri, dict):  # a TextDocumentIdentifier
            uri = uri.get("uri")
        published = ls.published.get(uri) if isinstance(uri, str) else None
        if published is None:
            return None
        unsafe = len(args) > 1 and args[1] is True
        documents = ls.open_documents()
        edit = await asyncio.get_running_loop().run_in_executor(ls.worker, _guarded(ls, ls.fix_all, None), published, documents, unsafe)
        if edit is None:
            return False
        response = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label="mcp-lint: fix all"))
        return bool(response and response.applied)

    @server.command(CMD_OPEN_DOC)
    async def open_rule_doc(ls: MCPLintServer, *args: Any) -> Optional[bool]:
        """Argument: the rule code. Asks the client to open the rule's documentation."""
        code = args[0] if args and isinstance(args[0], str) else ""
        if not code.upper().startswith("MCP"):
            return None
        result = await ls.window_show_document_async(types.ShowDocumentParams(uri=convert.doc_url(code.upper()), external=True))
        return bool(result and result.success)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: MCPLintServer, *args: Any) -> None:
        if ls._timer is not None:
            ls._timer.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)

    return server


def _guarded(ls: MCPLintServer, func: Callable, default: Any) -> Callable:
    """`func` with any exception turned into a log line and `default`: a code action request
    must never take the server down."""

    def call(*args: Any) -> Any:
        try:
            return func(*args)
        except Exception as exc:
            ls.log(types.MessageType.Error, f"mcp-lint: {func.__name__} failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            return default

    return call


def serve() -> int:
    stdout = sys.stdout.buffer
    # The protocol owns stdout: anything else printed there (a stray print in a rule) would
    # corrupt the JSON-RPC stream, so the rest of the process writes to stderr instead.
    sys.stdout = sys.stderr
    build().start_io(sys.stdin.buffer, stdout)
    return 0
