"""`mcp-lint rule CODE|NAME|--all` (a rule's page, the same text as docs/rules/CODE.md) and
`mcp-lint rules` (one line per rule)."""

from __future__ import annotations

import json

from mcp_lint.cli import UsageError, error, write_stdout


def add_rule_parser(sub) -> None:
    rule = sub.add_parser("rule", help="explain a rule")
    rule.add_argument("code", nargs="?", help="rule code or name, e.g. MCP0701 or tool-arguments-logged")
    rule.add_argument("--all", action="store_true", help="explain every rule")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")
    rule.set_defaults(run=run_rule)


def add_rules_parser(sub) -> None:
    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--output-format", choices=("text", "json"), default="text")
    rules.set_defaults(run=run_rules)


def run_rule(args) -> int:
    from mcp_lint.docs import rule_page
    from mcp_lint.registry import all_rules, rule_by_code_or_name

    if args.all:
        selected = list(all_rules())
    elif args.code:
        rule = rule_by_code_or_name(args.code)
        if rule is None:
            return error(f"unknown rule {args.code!r} (see `mcp-lint rules`)")
        selected = [rule]
    else:
        raise UsageError("give a rule code or --all")
    if args.output_format == "json":
        write_stdout(json.dumps([{**describe(r), "doc": r.doc()} for r in selected], indent=2) + "\n")
    else:
        write_stdout("\n".join(rule_page(rule) for rule in selected))
    return 0


def describe(rule) -> dict:
    from mcp_lint.rule_meta import fix_applicability, security_severity

    return {**rule.describe(), "autofix": fix_applicability(rule), "security_severity": security_severity(rule)}


def run_rules(args) -> int:
    from mcp_lint.registry import all_rules
    from mcp_lint.rule_meta import fix_applicability

    rules = all_rules()
    if args.output_format == "json":
        write_stdout(json.dumps([describe(r) for r in rules], indent=2) + "\n")
        return 0
    lines = []
    for rule in rules:
        item = str(rule.item) if rule.item else "-"
        fix = "[*]" if fix_applicability(rule) else "   "
        lines.append(f"{rule.code} {fix} {rule.name:<40} item {item:<3} {rule.severity.label:<8} {rule.summary}\n")
    write_stdout("".join(lines))
    return 0
