"""Which TypeScript/JavaScript test files exercise an MCP server through the protocol (for the
CI-gate rule MCP1002): a test that connects the SDK `Client` over a transport (stdio, Streamable
HTTP, SSE, in-memory) and lists or calls tools, or sends JSON-RPC `initialize` / `tools/list` /
`tools/call` itself (also through its own client: `send("tools/call", ...)` beside a `{ jsonrpc:
"2.0", ... }` envelope). Test files are read as text (bounded, by the caller), never parsed or run."""

from __future__ import annotations

import re
from typing import Iterable

from mcp_lint.literals import home_made_client

SOURCE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
# `x.test.ts`, `x.spec.unit.ts`; Deno's runner also takes `x_test.ts`; a script named `test-client.js`
# (the name the default excludes treat as test code).
TEST_NAME = re.compile(r"(?:\.(?:test|spec|e2e)|_test)(?:\.[\w-]+)*\.[cm]?[jt]sx?$|^test[-_][\w.-]*\.[cm]?[jt]sx?$")
TEST_DIRS = {"test", "tests", "__tests__", "__test__", "e2e"}

_SDK_CLIENT = re.compile(r"""["']@modelcontextprotocol/(?:sdk/client/|client\b)""")
_NEW_CLIENT = re.compile(r"\bnew\s+Client\s*[(<]")
# StdioClientTransport, StreamableHTTPClientTransport, SSEClientTransport, InMemoryTransport.createLinkedPair()...
_TRANSPORT = re.compile(r"\b\w*ClientTransport\b|\bInMemoryTransport\b")
_PROTOCOL_CALL = re.compile(r"\.(?:listTools|callTool)\s*\(")
_JSON_RPC = re.compile(r"""["']?method["']?\s*:\s*["'`](?:initialize|tools/list|tools/call)["'`]""")


def is_test_file(name: str, folders: Iterable[str]) -> bool:
    """`*.test.ts` / `*.spec.js` / `*.spec.unit.ts` / `*_test.ts` / `test-*.js` anywhere, any TS/JS source under a
    `test`/`tests`/`__tests__`/`__test__` folder."""
    if not name.endswith(SOURCE_SUFFIXES) or name.endswith(".d.ts"):
        return False
    return bool(TEST_NAME.search(name)) or bool(TEST_DIRS & set(folders))


class ProtocolTestSuite:
    """Fed the repository's TS/JS test files one by one: whether they talk MCP to a server. The
    SDK session may be built in a shared fixture (`tests/fixtures.ts` connects `new Client(...)`
    over a `StdioClientTransport`) and used in the specs (`client.callTool(...)`), so the parts
    may come from different files; a raw JSON-RPC `initialize` / `tools/list` / `tools/call`
    request is enough on its own."""

    def __init__(self) -> None:
        self.builds_client = self.asks_for_tools = False

    def add(self, text: str) -> bool:
        if _JSON_RPC.search(text) or home_made_client(text):  # `send("tools/call", ...)` building `{ jsonrpc: "2.0", method }`
            return True
        self.builds_client = self.builds_client or all(p.search(text) for p in (_SDK_CLIENT, _NEW_CLIENT, _TRANSPORT))
        self.asks_for_tools = self.asks_for_tools or bool(_PROTOCOL_CALL.search(text))
        return self.builds_client and self.asks_for_tools
