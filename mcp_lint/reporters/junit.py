"""JUnit XML, as CI systems read test reports: one test suite, one test case per checked file
that has findings (failed, one <failure> per finding) or a single passing case when none do,
and one error case per file that could not be checked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict


def render(result, root=None, color: bool = False) -> str:
    by_path = defaultdict(list)
    for f in result.findings:
        by_path[f.path].append(f)
    suite = ET.Element(
        "testsuite",
        name="mcp-lint",
        tests=str(max(1, len(by_path)) + len(result.diagnostics)),
        failures=str(len(result.findings)),
        errors=str(len(result.diagnostics)),
    )
    for path in sorted(by_path):
        case = ET.SubElement(suite, "testcase", classname="mcp-lint", name=path, file=path)
        for f in by_path[path]:
            loc = f.location
            failure = ET.SubElement(case, "failure", message=f"{f.code} {f.message}", type=f.severity.label)
            failure.text = f"{loc.path}:{loc.line}:{loc.column}: {f.code} {f.message}" + (f"\nhelp: {f.fix_hint}" if f.fix_hint else "")
    if not by_path:
        ET.SubElement(suite, "testcase", classname="mcp-lint", name=f"{result.files_checked} file(s) checked")
    for d in result.diagnostics:
        case = ET.SubElement(suite, "testcase", classname="mcp-lint", name=d.path, file=d.path)
        ET.SubElement(case, "error", message=f"{d.kind}: {d.message}", type=d.kind)
    suites = ET.Element("testsuites", name="mcp-lint", tests=suite.get("tests"), failures=suite.get("failures"), errors=suite.get("errors"))
    suites.append(suite)
    ET.indent(suites) if hasattr(ET, "indent") else None  # Python 3.9+
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
