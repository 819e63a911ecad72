"""The Python side: the MCP model of a file, the fast CST walker, dataflow and name resolution."""
