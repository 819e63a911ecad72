"""Precision and recall of mcp-lint on real, pinned MCP server repositories.

    python bench/realcode.py [SET ...] [--json] [--write-unjudged FILE] [--select CODES] [--repo NAME]

Layout (the checkouts are never committed; only their pins and the verdicts are):
  bench/repos/<set>.txt                      `owner/name <sha>` per line (`#` comments allowed)
  <realcode>/<set>/<owner>__<name>/          an extracted checkout of that commit (default /work/realcode)
  bench/verdicts/<set>/<owner>__<name>*.json JSON lists of verdicts, several files per repository allowed
                                             (`owner__name.json`, `owner__name.a.json`, ...)

A verdict is {"repo", "commit", "path", "line", "code", "verdict", "reason"} with verdict
  "tp"        the finding is right,
  "fp"        the finding is wrong,
  "disputed"  reasonable reviewers could disagree,
  "fn"        a violation mcp-lint should report at (path, line) with `code` but does not (a labelled miss),
  ""          not judged yet (what --write-unjudged writes; ignored when counting).
Findings and verdicts are matched by (repo, path, code, line).

It runs mcp-lint (the one importable by this Python: `python -P -m mcp_lint check --output-format json
--no-cache`) over every checkout of the chosen sets (default: every set with a bench/repos file) and
prints, per rule, TP, FP, disputed and precision (disputed counted as wrong, and as right), the same
overall, recall per checklist item (found = matched tp/fn verdicts; missed = fn verdicts not found,
nor inside a node a finding of that code reports, plus tp verdicts whose finding disappeared),
stale verdicts, and the unjudged findings, so that the next change to a rule is measured against
the same judgements."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
DEFAULT_REALCODE = Path(os.environ.get("MCP_LINT_REALCODE", "/work/realcode"))
JUDGED = ("tp", "fp", "disputed")
VERDICTS = JUDGED + ("fn", "")
Key = Tuple[str, str, str, int]  # (repo, path, code, line)


@dataclass(frozen=True)
class Pin:
    set: str
    repo: str  # owner/name
    commit: str

    @property
    def dirname(self) -> str:
        return self.repo.replace("/", "__")


@dataclass
class Verdict:
    repo: str
    path: str
    code: str
    line: int
    verdict: str
    reason: str = ""
    commit: str = ""
    source: str = ""  # the verdict file it came from

    @property
    def key(self) -> Key:
        return (self.repo, self.path, self.code, self.line)


@dataclass
class Finding:
    repo: str
    commit: str
    path: str
    code: str
    line: int
    severity: str
    message: str
    end_line: int = 0  # the last line of the reported node

    @property
    def key(self) -> Key:
        return (self.repo, self.path, self.code, self.line)

    def covers(self, verdict: "Verdict") -> bool:
        """A labelled miss inside the node this finding reports (the `message=f"...{e}"` line of
        a `return Result(...)` reported at its first line): the same violation, found."""
        return (verdict.repo, verdict.path, verdict.code) == (self.repo, self.path, self.code) and self.line < verdict.line <= self.end_line


@dataclass
class Report:
    commit: str  # mcp-lint's commit
    sets: List[str]
    repos: List[str]
    findings: List[Finding] = field(default_factory=list)
    matched: Dict[Key, Verdict] = field(default_factory=dict)
    unjudged: List[Finding] = field(default_factory=list)
    stale: List[Verdict] = field(default_factory=list)  # judged tp/fp/disputed, no longer reported
    misses: List[Verdict] = field(default_factory=list)  # fn verdicts still not found
    warnings: List[str] = field(default_factory=list)


def item_of(code: str) -> Optional[int]:
    digits = code[3:5]
    return int(digits) if code.startswith("MCP") and digits.isdigit() and digits != "00" else None


# ---------------------------------------------------------------- inputs


def read_pins(bench: Path, set_name: str) -> List[Pin]:
    pins = []
    for raw in (bench / "repos" / f"{set_name}.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        pins.append(Pin(set_name, parts[0], parts[1] if len(parts) > 1 else ""))
    return pins


def all_sets(bench: Path) -> List[str]:
    return sorted(p.stem for p in (bench / "repos").glob("*.txt"))


def read_verdicts(folders: Sequence[Path], set_name: str, warnings: List[str]) -> Dict[Key, Verdict]:
    """Every verdict of a set found in the verdict folders, keyed by (repo, path, code, line); a
    key judged twice is warned about and the later file (in name order) wins."""
    out: Dict[Key, Verdict] = {}
    files = sorted((f for folder in folders for f in (folder / set_name).glob("*.json")), key=lambda f: f.name)
    for file in files:
        try:
            items = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            warnings.append(f"{file}: unreadable verdict file: {exc}")
            continue
        for n, item in enumerate(items if isinstance(items, list) else []):
            verdict = _verdict(item, f"{file.name}", warnings, n)
            if verdict is None:
                continue
            if verdict.key in out:
                warnings.append(f"duplicate verdict {_fmt_key(verdict.key)} in {out[verdict.key].source} and {verdict.source}")
            out[verdict.key] = verdict
    return out


def _verdict(item: object, source: str, warnings: List[str], n: int) -> Optional[Verdict]:
    try:
        verdict = Verdict(
            repo=str(item["repo"]), path=str(item["path"]), code=str(item["code"]), line=int(item["line"]),
            verdict=str(item.get("verdict", "")).strip().lower(), reason=str(item.get("reason", "")),
            commit=str(item.get("commit", "")), source=source,
        )
    except (KeyError, TypeError, ValueError):
        warnings.append(f"{source}[{n}]: verdict without repo, path, code and line: {item!r}"[:300])
        return None
    if verdict.verdict not in VERDICTS:
        warnings.append(f"{source}[{n}]: unknown verdict {verdict.verdict!r} (use tp, fp, disputed, fn or \"\")")
        return None
    return verdict


def _fmt_key(key: Key) -> str:
    repo, path, code, line = key
    return f"{repo}:{path}:{line} {code}"


# ---------------------------------------------------------------- running mcp-lint


def lint(checkout: Path, select: Optional[str], jobs: Optional[int], timeout: float) -> Tuple[List[dict], str]:
    """Findings of `mcp-lint check .` run inside the checkout, as JSON dicts; and stderr."""
    # -P (-I before 3.11): not the checkout's folder first on sys.path, where a checkout's own
    # `mcp_lint/` package would be imported and run instead of ours.
    safe_path = "-P" if sys.version_info >= (3, 11) else "-I"
    cmd = [sys.executable, safe_path, "-m", "mcp_lint", "check", ".", "--output-format", "json", "--no-cache", "--exit-zero"]
    if select:
        cmd += ["--select", select]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    proc = subprocess.run(cmd, cwd=checkout, capture_output=True, text=True, timeout=timeout)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return [], f"exit {proc.returncode}: {proc.stderr.strip()[-500:]}"
    problems = [e for e in data.get("errors", []) if e.get("kind") == "internal-error"]
    note = "; ".join(f"{e.get('path')}: {e.get('message')}" for e in problems)
    return data.get("findings", []), note


def _repo_path(checkout: Path, path: str) -> str:
    """The finding's path relative to the checkout (mcp-lint reports it relative to the project
    root, which is normally the checkout itself)."""
    if (checkout / path).exists():
        return path
    matches = [p for p in checkout.rglob(Path(path).name) if p.as_posix().endswith("/" + path)]
    return matches[0].relative_to(checkout).as_posix() if len(matches) == 1 else path


def mcp_lint_commit() -> str:
    try:
        import mcp_lint

        where = Path(mcp_lint.__file__).resolve().parent.parent
        out = subprocess.run(["git", "-C", str(where), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(where), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
        return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if out.returncode == 0 else "unknown"
    except Exception:  # the script still reports without git
        return "unknown"


# ---------------------------------------------------------------- matching


def evaluate(
    bench: Path,
    realcode: Path,
    sets: Sequence[str],
    *,
    select: Optional[str] = None,
    repos: Optional[Sequence[str]] = None,
    jobs: Optional[int] = None,
    timeout: float = 900.0,
    progress=None,
    extra_verdicts: Sequence[Path] = (),
) -> Report:
    report = Report(commit=mcp_lint_commit(), sets=list(sets), repos=[])
    verdicts: Dict[Key, Verdict] = {}
    for set_name in sets:
        verdicts.update(read_verdicts([bench / "verdicts", *extra_verdicts], set_name, report.warnings))
        for pin in read_pins(bench, set_name):
            if repos and pin.repo not in repos and pin.dirname not in repos:
                continue
            checkout = realcode / set_name / pin.dirname
            if not checkout.is_dir():
                report.warnings.append(f"{pin.repo}: no checkout at {checkout}")
                continue
            report.repos.append(pin.repo)
            if progress:
                progress(pin.repo)
            try:
                raw, note = lint(checkout, select, jobs, timeout)
            except subprocess.TimeoutExpired:
                report.warnings.append(f"{pin.repo}: mcp-lint timed out after {timeout:.0f} s")
                continue
            if note:
                report.warnings.append(f"{pin.repo}: {note}")
            for f in raw:
                report.findings.append(Finding(
                    pin.repo, pin.commit, _repo_path(checkout, f["path"]), f["code"], int(f["line"]),
                    f.get("severity", ""), f.get("message", ""), int(f.get("end_line") or f["line"]),
                ))
            _check_commits(pin, verdicts, report.warnings)
    selected = _selected_codes(select)
    in_scope = {k: v for k, v in verdicts.items() if k[0] in report.repos and selected(k[2])}
    _match(report, in_scope)
    return report


def _selected_codes(select: Optional[str]):
    prefixes = [s.strip() for s in select.split(",")] if select else []
    return lambda code: not prefixes or any(code.startswith(p) for p in prefixes)


def _check_commits(pin: Pin, verdicts: Dict[Key, Verdict], warnings: List[str]) -> None:
    stale = {v.commit for v in verdicts.values() if v.repo == pin.repo and v.commit and pin.commit and v.commit != pin.commit}
    if stale:
        warnings.append(f"{pin.repo}: verdicts judged at {', '.join(sorted(stale))[:60]} but pinned at {pin.commit}")


def _match(report: Report, verdicts: Dict[Key, Verdict]) -> None:
    seen = set()
    spans: Dict[Tuple[str, str, str], List[Finding]] = defaultdict(list)
    for finding in report.findings:
        verdict = verdicts.get(finding.key)
        if verdict is None or verdict.verdict == "":
            report.unjudged.append(finding)
        else:
            report.matched[finding.key] = verdict
        seen.add(finding.key)
        if finding.end_line > finding.line:
            spans[(finding.repo, finding.path, finding.code)].append(finding)
    for key, verdict in verdicts.items():
        if key in seen:
            continue
        if verdict.verdict == "fn":
            if not any(f.covers(verdict) for f in spans[(verdict.repo, verdict.path, verdict.code)]):
                report.misses.append(verdict)
        elif verdict.verdict in JUDGED:
            report.stale.append(verdict)


# ---------------------------------------------------------------- figures


def precision_table(report: Report) -> List[dict]:
    """One row per rule; a rule reported at several severities also gets one row per severity
    (`MCP0701:error`), since "error only where precision >= 0.95" is judged per severity."""
    counts: Dict[str, Counter] = defaultdict(Counter)
    severities: Dict[str, set] = defaultdict(set)
    for finding in report.findings:
        severities[finding.code].add(finding.severity)
        verdict = report.matched.get(finding.key)
        # a labelled miss that is now reported is a true positive
        outcome = "tp" if verdict and verdict.verdict == "fn" else verdict.verdict if verdict else "unjudged"
        counts[finding.code][outcome] += 1
        counts[f"{finding.code}:{finding.severity}"][outcome] += 1
    order = {"error": 0, "warning": 1, "info": 2}
    rows = []
    for code in sorted(severities):
        found = sorted(severities[code], key=lambda s: order.get(s, 3))
        rows.append(_row(code, counts[code], "/".join(found)))
        if len(found) > 1:
            rows.extend(_row(f"{code}:{sev}", counts[f"{code}:{sev}"], sev) for sev in found)
    total = Counter()
    for code in severities:
        total.update(counts[code])
    rows.append(_row("overall", total, ""))
    return rows


def _row(code: str, c: Counter, severity: str) -> dict:
    judged = c["tp"] + c["fp"] + c["disputed"]
    return {
        "rule": code, "severity": severity, "tp": c["tp"], "fp": c["fp"], "disputed": c["disputed"],
        "unjudged": c["unjudged"],
        "precision_strict": round(c["tp"] / judged, 3) if judged else None,
        "precision_lenient": round((c["tp"] + c["disputed"]) / judged, 3) if judged else None,
    }


def recall_table(report: Report) -> List[dict]:
    found: Counter = Counter()
    missed: Counter = Counter()
    for key, verdict in report.matched.items():
        if verdict.verdict in ("tp", "fn"):
            found[item_of(key[2])] += 1
    for verdict in report.misses + [v for v in report.stale if v.verdict == "tp"]:
        missed[item_of(verdict.code)] += 1
    items = sorted(i for i in set(found) | set(missed) if i is not None)
    return [
        {"item": i, "found": found[i], "missed": missed[i],
         "recall": round(found[i] / (found[i] + missed[i]), 3) if found[i] + missed[i] else None}
        for i in items
    ]


def to_json(report: Report) -> dict:
    return {
        "mcp_lint_commit": report.commit,
        "sets": report.sets,
        "repos": report.repos,
        "precision": precision_table(report),
        "recall": recall_table(report),
        "unjudged": [_finding_dict(f) for f in report.unjudged],
        "wrong": [_verdict_dict(v) | {"severity": f.severity, "message": f.message}
                  for f in report.findings if (v := report.matched.get(f.key)) and v.verdict in ("fp", "disputed")],
        "stale": [_verdict_dict(v) for v in report.stale],
        "misses": [_verdict_dict(v) for v in report.misses],
        "warnings": report.warnings,
    }


def _finding_dict(f: Finding) -> dict:
    return {"repo": f.repo, "commit": f.commit, "path": f.path, "line": f.line, "code": f.code,
            "severity": f.severity, "message": f.message}


def _verdict_dict(v: Verdict) -> dict:
    return {"repo": v.repo, "commit": v.commit, "path": v.path, "line": v.line, "code": v.code,
            "verdict": v.verdict, "reason": v.reason}


def unjudged_as_verdicts(report: Report) -> List[dict]:
    """The unjudged findings in the verdict format, verdict "" and the message as a starting reason."""
    return [
        {"repo": f.repo, "commit": f.commit, "path": f.path, "line": f.line, "code": f.code,
         "verdict": "", "reason": "", "message": f.message}
        for f in report.unjudged
    ]


def _pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_text(report: Report, out=sys.stdout, show_unjudged: int = 200) -> None:
    w = out.write
    w(f"mcp-lint {report.commit}; sets {', '.join(report.sets)}; {len(report.repos)} repositories; "
      f"{len(report.findings)} findings\n\n")
    w(f"{'rule':<16} {'sev':<14} {'TP':>4} {'FP':>4} {'disp':>4} {'unj':>4}  {'prec(disp=wrong)':>16} {'prec(disp=right)':>16}\n")
    for row in precision_table(report):
        w(f"{row['rule']:<16} {row['severity']:<14} {row['tp']:>4} {row['fp']:>4} {row['disputed']:>4} {row['unjudged']:>4}  "
          f"{_pct(row['precision_strict']):>16} {_pct(row['precision_lenient']):>16}\n")
    w("\nrecall per checklist item (labelled misses)\n")
    for row in recall_table(report):
        w(f"  item {row['item']:>2}: found {row['found']:>3}, missed {row['missed']:>3}, recall {_pct(row['recall'])}\n")
    if report.misses:
        w(f"\nlabelled misses still not found ({len(report.misses)})\n")
        for v in report.misses:
            w(f"  {_fmt_key(v.key)}  {v.reason}\n")
    if report.stale:
        w(f"\njudged findings no longer reported ({len(report.stale)})\n")
        for v in report.stale:
            w(f"  [{v.verdict}] {_fmt_key(v.key)}  {v.reason}\n")
    if report.unjudged:
        w(f"\nunjudged findings ({len(report.unjudged)})\n")
        for f in report.unjudged[:show_unjudged]:
            w(f"  {f.repo}:{f.path}:{f.line} {f.code} [{f.severity}] {f.message[:160]}\n")
        if len(report.unjudged) > show_unjudged:
            w(f"  ... {len(report.unjudged) - show_unjudged} more (--json or --write-unjudged for all)\n")
    for warning in report.warnings:
        w(f"warning: {warning}\n")


def print_markdown(report: Report, out=sys.stdout) -> None:
    """The two tables of the README's "Precision on real code" section."""
    w = out.write
    w(f"Figures from mcp-lint commit `{report.commit}`: {len(report.repos)} repositories, "
      f"{len(report.findings)} findings, {len(report.unjudged)} unjudged.\n\n")
    w("| Rule | Severity | TP | FP | Disputed | Precision (disputed = wrong) | Precision (disputed = right) |\n")
    w("|---|---|---|---|---|---|---|\n")
    for row in precision_table(report):
        rule = "**overall**" if row["rule"] == "overall" else f"`{row['rule']}`"
        w(f"| {rule} | {row['severity']} | {row['tp']} | {row['fp']} | {row['disputed']} | "
          f"{_pct(row['precision_strict'])} | {_pct(row['precision_lenient'])} |\n")
    w("\n| Item | Found | Missed | Recall |\n|---|---|---|---|\n")
    for row in recall_table(report):
        w(f"| {row['item']} | {row['found']} | {row['missed']} | {_pct(row['recall'])} |\n")


def main(argv: Optional[Iterable[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="sets to run (default: every bench/repos/<set>.txt)")
    parser.add_argument("--bench", type=Path, default=HERE, help="folder holding repos/ and verdicts/ (default: this script's)")
    parser.add_argument("--realcode", type=Path, default=DEFAULT_REALCODE, help="folder of <set>/<owner>__<name>/ checkouts")
    parser.add_argument("--verdicts", type=Path, action="append", default=[], metavar="DIR",
                        help="another verdicts/ folder to read (e.g. another branch's worktree; repeatable)")
    parser.add_argument("--select", help="only these codes or prefixes (passed to mcp-lint --select)")
    parser.add_argument("--repo", action="append", help="only this repository (owner/name or owner__name; repeatable)")
    parser.add_argument("--jobs", type=int, help="mcp-lint worker processes")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per repository")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--markdown", action="store_true", help="the README's precision and recall tables")
    parser.add_argument("--write-unjudged", type=Path, metavar="FILE", help="write the unjudged findings as verdicts with verdict \"\"")
    args = parser.parse_args(list(argv) if argv is not None else None)
    sets = args.sets or all_sets(args.bench)
    progress = None if args.json or args.markdown else (lambda repo: print(f"... {repo}", file=sys.stderr))
    report = evaluate(args.bench, args.realcode, sets, select=args.select, repos=args.repo, jobs=args.jobs,
                      timeout=args.timeout, progress=progress, extra_verdicts=args.verdicts)
    if args.write_unjudged:
        args.write_unjudged.write_text(json.dumps(unjudged_as_verdicts(report), indent=1) + "\n", encoding="utf-8")
    if args.json:
        json.dump(to_json(report), sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif args.markdown:
        print_markdown(report)
    else:
        print_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
