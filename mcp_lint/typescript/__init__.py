"""TypeScript/JavaScript MCP model: per-file model (model.py), syntax helpers (syntax.py),
the rule base class (rule.py) and the project pass over relative imports (project.py)."""
