"""Test-wide settings: the result cache goes to a throw-away folder, never the user's."""

import os
import tempfile

os.environ.setdefault("MCP_LINT_CACHE_DIR", tempfile.mkdtemp(prefix="mcp-lint-test-cache-"))
