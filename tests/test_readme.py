"""Every code block of the README works: YAML and TOML parse, workflows and actions have
GitHub Actions' structure, pre-commit configs name hooks this repository publishes, JSON parses,
configuration examples pass the real configuration loader, and every `mcp-lint ...` command
line (in shell blocks and in workflow `run:` steps) parses with the real CLI parser."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import yaml

from _workflows import action_problems, run_lines, workflow_problems
from mcp_lint.cli import UsageError, parse_command_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
OPERATORS = {"&&", "||", "|", ";", "&"}
REDIRECTS = {">", ">>", "<", "2>", "2>>"}


def blocks(language: str) -> List[Tuple[int, str]]:
    """(line number, text) of each fenced block in that language."""
    return [(README[: m.start()].count("\n") + 1, m.group(2)) for m in FENCE.finditer(README) if m.group(1) == language]


def commands(line: str) -> Iterator[List[str]]:
    """The simple commands of one shell line (comments, redirections and operators removed)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    current: List[str] = []
    tokens = iter(lexer)
    for token in tokens:
        if token in OPERATORS:
            yield current
            current = []
        elif token in REDIRECTS:
            next(tokens, None)  # the redirection target
        else:
            current.append(token)
    yield current


def mcp_lint_commands(text: str) -> List[List[str]]:
    found = []
    for line in text.splitlines():
        for words in commands(line):
            if words[:1] == ["mcp-lint"]:
                found.append(words[1:])
        for inner in re.findall(r"\$\((mcp-lint [^)]*)\)", line):  # eval "$(mcp-lint completion bash)"
            found.append(shlex.split(inner)[1:])
    return found


def test_the_readme_has_blocks_of_each_kind():
    assert {len(blocks(lang)) > 0 for lang in ("yaml", "toml", "sh", "json")} == {True}


@pytest.mark.parametrize("line, text", blocks("yaml"), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_yaml_blocks(line, text):
    doc = yaml.safe_load(text)
    assert isinstance(doc, dict), f"README line {line}"
    if "jobs" in doc:
        assert workflow_problems(doc) == [], f"README line {line}"
        for argv in mcp_lint_commands("\n".join(run_lines(doc))):
            _parses(argv, line)
    elif "runs" in doc:
        assert action_problems(doc) == [], f"README line {line}"
    elif "repos" in doc:  # a .pre-commit-config.yaml
        published = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
        used = {hook["id"] for repo in doc["repos"] for hook in repo["hooks"]}
        assert used <= published, f"README line {line}: unknown hook ids {used - published}"
    else:  # GitLab CI: every job's script lines are commands
        for job in doc.values():
            for argv in mcp_lint_commands("\n".join(job.get("script", []))):
                _parses(argv, line)


def test_workflow_blocks_never_skip_the_sarif_upload():
    """The upload must run when there are findings: the lint step before it may not fail."""
    for line, text in blocks("yaml"):
        doc = yaml.safe_load(text)
        for job in (doc.get("jobs") or {}).values():
            steps = job["steps"]
            uploads = [i for i, s in enumerate(steps) if "upload-sarif" in s.get("uses", "")]
            for index in uploads:
                for step in steps[:index]:
                    for argv in mcp_lint_commands(step.get("run", "")):
                        assert "--exit-zero" in argv or "always()" in steps[index].get("if", ""), f"README line {line}"


@pytest.mark.parametrize("line, text", blocks("toml"), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_toml_blocks_are_valid_configuration(line, text):
    from mcp_lint.config import Config, _apply
    from mcp_lint.registry import all_rules

    data = tomllib.loads(text)
    if "language-server" in data:  # Helix's languages.toml (In the editor): parsing is the check
        return
    table = data.get("tool", {}).get("mcp-lint", data)
    _apply(Config(root=ROOT), table, f"README line {line}", all_rules())  # raises on unknown keys or codes


@pytest.mark.parametrize("line, text", blocks("json"), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_json_blocks(line, text):
    json.loads(text)


def _parses(argv: List[str], line: int) -> None:
    try:
        parse_command_line(argv)
    except UsageError as exc:
        pytest.fail(f"README line {line}: `mcp-lint {' '.join(argv)}`: {exc}")
    except SystemExit:  # --help / --version print and exit 0
        pass


def test_every_mcp_lint_command_line_parses(capsys):
    shown = [(line, argv) for line, text in blocks("sh") for argv in mcp_lint_commands(text)]
    assert len(shown) >= 20
    for line, argv in shown:
        _parses(argv, line)
    capsys.readouterr()


def test_the_checker_rejects_what_was_broken():
    """The two usage lines once pasted into the workflow: the checks above would catch them."""
    broken = "steps:\n  - run: x\nmcp-lint check --diff   # preview\n"
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(broken)
    with pytest.raises(UsageError):
        parse_command_line(["check", "--output-format", "xml"])
    assert workflow_problems({"on": "push", "jobs": {"a": {"runs-on": "x", "steps": [{"run": "a", "uses": "b/c@v1"}]}}})
    assert mcp_lint_commands('a && mcp-lint check -o x.sarif > out.txt  # c') == [["check", "-o", "x.sarif"]]


@pytest.mark.parametrize("line, text", blocks("xml"), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_xml_blocks(line, text):
    import xml.etree.ElementTree as ET

    ET.fromstring(text)


def test_inline_command_spans_parse(capsys):
    """`mcp-lint ...` in running text parses too; the one deliberate typo is rejected."""
    spans = re.findall(r"(?<!`)`(mcp-lint [^`\n]+)`(?!`)", README)
    rejected = set()
    for span in spans:
        for argv in mcp_lint_commands(span):
            try:
                parse_command_line(argv)
            except UsageError:
                rejected.add(span)
            except SystemExit:
                pass
    capsys.readouterr()
    assert len(spans) >= 5 and rejected == {"mcp-lint chek"}
