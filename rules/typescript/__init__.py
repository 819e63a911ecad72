"""Checklist item 11 for TypeScript servers: strict compiler settings and a compiled (not
transpile-on-start) production entry point."""
