"""A small LSP client for `mcp-lint server` (tests/test_lsp.py, bench/lsp_latency.py): pygls's
client spawning `python -m mcp_lint server`, plus the state an editor keeps (buffers and
versions, published diagnostics, edits and documents the server asked for)."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

TIMEOUT = 15.0


def lsp():
    """The client side (skips the test when the `lsp` extra is not installed)."""
    pytest.importorskip("pygls")
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    return types, LanguageClient


def converter():
    """lsprotocol's converter, except that a code action carrying a command is read as a code
    action: its hook takes any object with a `command` key for a bare Command, where the
    protocol tells them apart by the type of `command` (a string only in a Command)."""
    from typing import Union

    from lsprotocol import types
    from pygls.protocol import default_converter

    conv = default_converter()

    def hook(value, _type):
        kind = types.Command if isinstance(value.get("command"), str) else types.CodeAction
        return conv.structure(value, kind)

    conv.register_structure_hook(Union[types.Command, types.CodeAction], hook)
    return conv


class Editor:
    """A minimal editor: open buffers with versions, the diagnostics it was sent, the edits and
    documents the server asked it to apply and show."""

    def __init__(self, root: Path, initialization_options: Optional[dict] = None):
        self.types, client_class = lsp()
        types = self.types
        self.root = root
        self.options = initialization_options
        self.client = client_class("mcp-lint-tests", "1", converter_factory=converter)
        self.published: Dict[str, List[Any]] = {}
        self.arrivals: List[Tuple[float, Any]] = []  # (perf_counter when received, publication)
        self.applied: List[Any] = []
        self.shown: List[str] = []
        self.logs: List[str] = []
        self.registrations: List[str] = []
        self.changed = asyncio.Event()
        self.texts: Dict[str, str] = {}
        self.versions: Dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params):
            self.published.setdefault(params.uri, []).append(params)
            self.arrivals.append((time.perf_counter(), params))
            self.changed.set()

        @self.client.feature(types.WORKSPACE_APPLY_EDIT)
        def on_apply_edit(params):
            self.applied.append(params.edit)
            return types.ApplyWorkspaceEditResult(applied=True)

        @self.client.feature(types.WINDOW_SHOW_DOCUMENT)
        def on_show_document(params):
            self.shown.append(params.uri)
            return types.ShowDocumentResult(success=True)

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def on_register(params):
            self.registrations.extend(r.method for r in params.registrations)

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params):
            self.logs.append(params.message)

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def on_show_message(params):
            self.logs.append(params.message)

    def uri(self, rel: str) -> str:
        return (self.root / rel).resolve().as_uri()

    async def start(self) -> None:
        types = self.types
        await self.client.start_io(sys.executable, "-m", "mcp_lint", "server", cwd=str(self.root))
        capabilities = types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            ),
            window=types.WindowClientCapabilities(show_document=types.ShowDocumentClientCapabilities(support=True)),
        )
        result = await self.client.initialize_async(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=self.root.resolve().as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=self.root.resolve().as_uri(), name="project")],
                initialization_options=self.options,
            )
        )
        assert result.server_info.name == "mcp-lint"
        assert "mcp-lint.fixAll" in result.capabilities.execute_command_provider.commands
        self.client.initialized(types.InitializedParams())

    async def stop(self) -> int:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        code = await asyncio.wait_for(self.client._server.wait(), TIMEOUT)
        await self.client.stop()
        return code

    def open(self, rel: str, text: Optional[str] = None) -> str:
        types = self.types
        uri = self.uri(rel)
        self.texts[uri] = (self.root / rel).read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        language = "python" if rel.endswith(".py") else "yaml" if rel.endswith((".yaml", ".yml")) else "plaintext"
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language, 1, self.texts[uri]))
        )
        return uri

    def change(self, uri: str, text: str) -> None:
        types = self.types
        self.texts[uri] = text
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def save(self, uri: str) -> None:
        Path(self.client_path(uri)).write_text(self.texts[uri], encoding="utf-8")
        self.client.text_document_did_save(
            self.types.DidSaveTextDocumentParams(self.types.TextDocumentIdentifier(uri=uri))
        )

    def client_path(self, uri: str) -> str:
        from pygls.uris import to_fs_path

        return to_fs_path(uri)

    async def diagnostics(self, uri: str, predicate: Callable[[List[Any]], bool] = lambda d: True, version: Optional[int] = None) -> List[Any]:
        """The diagnostics of the latest publication for `uri` that satisfies `predicate` (and is
        about `version`, by default the current one)."""
        wanted = self.versions[uri] if version is None else version
        deadline = asyncio.get_running_loop().time() + TIMEOUT
        while True:
            for params in reversed(self.published.get(uri, [])):
                if params.version in (wanted, None) and predicate(params.diagnostics):
                    return params.diagnostics
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                got = [(p.version, codes(p.diagnostics)) for p in self.published.get(uri, [])]
                raise AssertionError(f"no matching diagnostics for {uri} v{wanted}; got {got}; logs {self.logs}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def code_actions(self, uri: str, line: int, only: Optional[List[str]] = None) -> List[Any]:
        types = self.types
        params = types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(line, 0), types.Position(line, 0)),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
        return await asyncio.wait_for(self.client.text_document_code_action_async(params), TIMEOUT) or []

    async def command(self, name: str, *arguments: Any) -> Any:
        params = self.types.ExecuteCommandParams(command=name, arguments=list(arguments))
        return await asyncio.wait_for(self.client.workspace_execute_command_async(params), TIMEOUT)


def codes(diagnostics) -> List[str]:
    return sorted(d.code for d in diagnostics)


def apply(text: str, edit) -> str:
    """Apply a WorkspaceEdit's text edits to `text` (UTF-16 positions, as the client agreed)."""
    edits = [e for change in edit.document_changes for e in change.edits]
    lines = text.splitlines(keepends=True) + [""]

    def offset(pos) -> int:
        line = lines[pos.line] if pos.line < len(lines) else ""
        before = sum(len(x) for x in lines[: pos.line])
        units = 0
        for index, char in enumerate(line):
            if units >= pos.character:
                return before + index
            units += 2 if ord(char) > 0xFFFF else 1
        return before + len(line)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text
