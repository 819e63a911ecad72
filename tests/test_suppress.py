"""Suppression comments: the parser, where a directive applies, and end to end through the CLI
(MCP0001 unused-suppression, MCP0002 invalid-suppression)."""

from __future__ import annotations

import pytest

from _project import SERVER, codes, project, run_json
from mcp_lint.documents.base import Comment
from mcp_lint.suppress import collect, parse_comment

FINDING_LINE = '    key = os.getenv("API_KEY")'


@pytest.mark.parametrize(
    "text, expected",
    [
        (" mcp-lint: ignore[MCP0101]", ("ignore", ["MCP0101"])),
        (" mcp-lint: ignore[MCP0101, MCP0701] reason here", ("ignore", ["MCP0101", "MCP0701"])),
        (" MCP-LINT : IGNORE [mcp0101,Env-Read-In-Tool]", ("ignore", ["MCP0101", "env-read-in-tool"])),
        (" mcp-lint: file-ignore[MCP0101] generated", ("file-ignore", ["MCP0101"])),
        (" type: ignore  # mcp-lint: ignore[MCP0101]", ("ignore", ["MCP0101"])),
        (" mcp-lint: ignore", ("ignore", None)),
        (" mcp-lint: ignore because reasons", ("ignore", None)),
        (" mcp-lint: ignore[]", ("ignore", None)),
        (" mcp-lint: ignore[MCP0101", ("ignore", None)),
        (" mcp-lint: ignore[MCP 0101]", ("ignore", None)),
        (" mcp-lint: file-ignore", ("file-ignore", None)),
        (" mcp-lint ignore[MCP0101]", None),
        (" mcp-lint: ignored[MCP0101]", None),
        (" noqa: MCP0101", None),
        (" plain comment", None),
    ],
)
def test_parse_comment(text, expected):
    assert parse_comment(text) == expected


def test_collect_targets():
    lines = [
        "x = 1  # mcp-lint: ignore[MCP0101]",  # 1: end of line
        "# mcp-lint: ignore[MCP0001]",  # 2: own line, stacked with 3
        "# mcp-lint: ignore[MCP0002]",  # 3
        "y = 2",  # 4
        "# mcp-lint: ignore[MCP0101]",  # 5: a blank line follows: applies to that blank line only
        "",  # 6
        "z = 3",  # 7
        "# mcp-lint: file-ignore[MCP0101]",  # 8
        "# mcp-lint: ignore",  # 9: bare
    ]
    comments = [
        Comment(1, 8, " mcp-lint: ignore[MCP0101]", False),
        *(Comment(n, 1, lines[n - 1][1:], True) for n in (2, 3, 5, 8, 9)),
    ]
    sups, bad = collect(comments, lines)
    assert [(s.comment_line, s.target_line, s.file_level) for s in sups] == [
        (1, 1, False), (2, 4, False), (3, 4, False), (5, 6, False), (8, 0, True),
    ]
    assert (sups[0].column, sups[0].end_column) == (8, 8 + len(lines[0]) - 7)
    assert [(b.line, b.column) for b in bad] == [(9, 1)]
    assert "needs codes in brackets" in bad[0].reason


def _server(replacement: str) -> str:
    return SERVER.replace(FINDING_LINE, replacement)


@pytest.mark.parametrize(
    "line",
    [
        FINDING_LINE + "  # mcp-lint: ignore[MCP0101] read lazily on purpose",
        FINDING_LINE + "  # mcp-lint: ignore[env-read-in-tool]",
        FINDING_LINE + "  # noqa: E501  # mcp-lint: ignore[MCP0000, MCP0101]",
        "    # mcp-lint: ignore[MCP0101] read lazily on purpose\n" + FINDING_LINE,
        "    # mcp-lint: ignore[MCP0101]\n    # a second comment\n" + FINDING_LINE,
    ],
)
def test_line_suppressions_apply(tmp_path, capsys, monkeypatch, line):
    project(tmp_path, {"server.py": _server(line)}, config='[tool.mcp-lint]\nignore = ["MCP0001"]\n')
    code, report = run_json(capsys, monkeypatch, tmp_path)
    assert (code, report["findings"]) == (0, [])


def test_file_ignore_applies_anywhere(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": SERVER + "\n# mcp-lint: file-ignore[MCP0101] legacy module\n"})
    code, report = run_json(capsys, monkeypatch, tmp_path)
    assert (code, report["findings"]) == (0, [])


def test_suppression_on_other_line_does_not_apply(tmp_path, capsys, monkeypatch):
    src = _server("    # mcp-lint: ignore[MCP0101]\n\n" + FINDING_LINE)
    project(tmp_path, {"server.py": src})
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert codes(report) == [("MCP0001", "server.py", 9), ("MCP0101", "server.py", 11)]


def test_bare_ignore_is_reported_and_not_applied(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": _server(FINDING_LINE + "  # mcp-lint: ignore")})
    code, report = run_json(capsys, monkeypatch, tmp_path)
    assert code == 1
    assert codes(report) == [("MCP0101", "server.py", 9), ("MCP0002", "server.py", 9)]
    bad = report["findings"][1]
    assert bad["column"] == len(FINDING_LINE) + 3
    assert "needs codes in brackets" in bad["message"]


def test_unused_and_unknown_codes_reported(tmp_path, capsys, monkeypatch):
    src = _server(FINDING_LINE + "  # mcp-lint: ignore[MCP0101, MCP0000, MCP9999, made-up]") + "y = 1  # mcp-lint: ignore[MCP0101]\n"
    project(tmp_path, {"server.py": src})
    code, report = run_json(capsys, monkeypatch, tmp_path)
    assert code == 1
    unused = [(f["line"], f["message"]) for f in report["findings"] if f["code"] == "MCP0001"]
    assert unused == [
        (9, "Unused suppression: no MCP0000 finding here"),
        (9, "Unused suppression: unknown rule 'MCP9999'"),
        (9, "Unused suppression: unknown rule 'made-up'"),
        (11, "Unused suppression: no MCP0101 finding here"),
    ]
    assert all(f["code"] != "MCP0101" for f in report["findings"])


def test_unused_suppression_in_file_no_rule_reads(tmp_path, capsys, monkeypatch):
    """Rule pruning skips files without the rules' trigger strings; suppressions must still be checked."""
    project(tmp_path, {"util.py": "x = 1  # mcp-lint: ignore[MCP0101]\ny = 2  # mcp-lint: ignore\n"})
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert codes(report) == [("MCP0001", "util.py", 1), ("MCP0002", "util.py", 2)]


def test_suppression_of_disabled_rule_is_not_unused(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": _server(FINDING_LINE + "  # mcp-lint: ignore[MCP0101]") + "z = 1  # mcp-lint: ignore[MCP0101]\n"})
    code, report = run_json(capsys, monkeypatch, tmp_path, "--ignore", "MCP0101")
    assert (code, report["findings"]) == (0, [])
    # Unknown codes stay reported even then.
    project(tmp_path, {"server.py": "z = 1  # mcp-lint: ignore[MCP0101, MCP9999]\n"})
    _, report = run_json(capsys, monkeypatch, tmp_path, "--ignore", "MCP0101")
    assert [f["message"] for f in report["findings"]] == ["Unused suppression: unknown rule 'MCP9999'"]


def test_line_directive_preferred_over_redundant_file_ignore(tmp_path, capsys, monkeypatch):
    src = "# mcp-lint: file-ignore[MCP0101]\n" + _server(FINDING_LINE + "  # mcp-lint: ignore[MCP0101]")
    project(tmp_path, {"server.py": src})
    _, report = run_json(capsys, monkeypatch, tmp_path)
    # The finding sits on line 10 now; the line directive covers it, the file-wide one is the redundant one.
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("MCP0001", 1)]


def test_ignore_unused_suppression_itself(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"util.py": "x = 1  # mcp-lint: ignore[MCP0101]\n"}, config='[tool.mcp-lint]\nignore = ["MCP0001"]\n')
    code, report = run_json(capsys, monkeypatch, tmp_path)
    assert (code, report["findings"]) == (0, [])
