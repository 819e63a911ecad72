"""Built-in rules. Installed as the `mcp_lint_rules` package; the registry imports every
module below and collects the Rule subclasses it defines."""
