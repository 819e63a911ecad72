"""A structural check of GitHub Actions workflow and composite-action files (the parts of
GitHub's workflow syntax that a wrong paste breaks): no JSON schema is vendored, the
documented shape is checked instead."""

from __future__ import annotations

import re
from typing import Any, Dict, List

WORKFLOW_KEYS = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"}
JOB_KEYS = {
    "name", "needs", "permissions", "if", "runs-on", "environment", "concurrency", "outputs", "env", "defaults",
    "steps", "timeout-minutes", "strategy", "continue-on-error", "container", "services", "uses", "with", "secrets",
}
STEP_KEYS = {"id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error", "timeout-minutes", "working-directory"}
USES = re.compile(r"^([\w.-]+/[\w./-]+@[\w.-]+|\./[\w./-]+|docker://\S+)$")


def workflow_problems(doc: Any) -> List[str]:
    """Problems in a workflow file parsed by a YAML 1.1 loader (`on` may come back as True)."""
    if not isinstance(doc, dict):
        return ["a workflow is a mapping"]
    keys = {"on" if k is True else k for k in doc}
    problems = [f"unknown top-level key {k!r}" for k in keys - WORKFLOW_KEYS]
    if "on" not in keys:
        problems.append("no `on` trigger")
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return problems + ["no `jobs`"]
    for job_id, job in jobs.items():
        if not isinstance(job, dict):
            problems.append(f"job {job_id} is not a mapping")
            continue
        problems += [f"job {job_id}: unknown key {k!r}" for k in set(job) - JOB_KEYS]
        if "uses" in job:
            continue  # a reusable workflow call has no steps
        if "runs-on" not in job:
            problems.append(f"job {job_id}: no runs-on")
        problems += steps_problems(job.get("steps"), f"job {job_id}", composite=False)
    return problems


def action_problems(doc: Any) -> List[str]:
    """Problems in a composite action's action.yml."""
    if not isinstance(doc, dict):
        return ["an action is a mapping"]
    problems = [f"missing {k}" for k in ("name", "description", "runs") if k not in doc]
    runs = doc.get("runs") or {}
    if runs.get("using") != "composite":
        problems.append("runs.using is not composite")
    for name, spec in (doc.get("inputs") or {}).items():
        if not isinstance(spec, dict) or "description" not in spec:
            problems.append(f"input {name} has no description")
    return problems + steps_problems(runs.get("steps"), "runs", composite=True)


def steps_problems(steps: Any, where: str, composite: bool) -> List[str]:
    if not isinstance(steps, list) or not steps:
        return [f"{where}: no steps"]
    problems = []
    for index, step in enumerate(steps):
        label = f"{where} step {index + 1}"
        if not isinstance(step, dict):
            problems.append(f"{label}: not a mapping")
            continue
        problems += [f"{label}: unknown key {k!r}" for k in set(step) - STEP_KEYS]
        if ("uses" in step) == ("run" in step):
            problems.append(f"{label}: needs exactly one of uses / run")
        if "uses" in step and not USES.match(str(step["uses"])):
            problems.append(f"{label}: bad uses {step['uses']!r}")
        if "run" in step and not isinstance(step["run"], str):
            problems.append(f"{label}: run is not a string")
        if composite and "run" in step and "shell" not in step:
            problems.append(f"{label}: composite run steps need a shell")
    return problems


def run_lines(doc: Dict) -> List[str]:
    """Every shell line of every `run:` step (workflow or composite action)."""
    steps = [s for job in (doc.get("jobs") or {}).values() for s in job.get("steps", [])]
    steps += (doc.get("runs") or {}).get("steps", [])
    return [line for s in steps if "run" in s for line in s["run"].splitlines()]
