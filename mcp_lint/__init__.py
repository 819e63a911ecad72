"""mcp-lint: static analysis for MCP server codebases."""

__version__ = "0.1.0"
