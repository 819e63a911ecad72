"""What the CI-gate rules (checklist item 10) read from workflows and from the repository's
tests: which steps test, lint, publish, deploy or probe, and whether a test opens an MCP
client session. Picklable facts only."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from mcp_lint.reading import read_bytes
from mcp_lint.run_memo import per_run
from mcp_lint.documents.workflow import Job, Step, upstream
from mcp_lint.model import Location
from mcp_lint.typescript import protocol_tests as ts_tests

from .practice import snapshot_tests, speaks_protocol

TEST = re.compile(
    r"\b(?:pytest|py\.test|tox|nox|unittest|go test|cargo test|vitest|jest|bun test|hatch (?:run )?test)\b"
    r"|\b(?:npm|pnpm|yarn|bun) (?:run )?test\b|\bdeno (?:task )?test\b|\bmake (?:test|check)\b"
    r"|\bnode\b[^|;&]*\s--test\b"  # Node's built-in runner (`node --experimental-strip-types --test x.test.ts`)
)
LINT = re.compile(r"\b(?:ruff|flake8|mypy|pylint|pyright|mcp-lint|eslint|pre-commit run|black --check|tsc --noEmit)\b")
PUBLISH = re.compile(
    r"\bdocker (?:image )?push\b|\bdocker buildx build\b.*--push\b|\btwine upload\b|\b(?:uv|poetry|flit|hatch) publish\b"
    r"|\b(?:npm|pnpm|bun) publish\b|\byarn (?:npm )?publish\b"
)
DEPLOY = re.compile(
    r"\bkubectl (?:apply|rollout restart|set image|replace)\b|\bhelm (?:upgrade|install)\b|\b(?:flyctl|fly) deploy\b"
    r"|\bgcloud (?:run|app) deploy\b|\bgcloud run services update\b(?=.*--image)|\bserverless deploy\b|\brailway up\b|\baws ecs update-service\b"
    r"|\baz (?:containerapp|webapp) (?:update|up|deploy)\b|\bskaffold run\b|\bargocd app sync\b|\bwrangler deploy\b"
)
DEPLOY_ACTIONS = (
    "superfly/flyctl-actions", "google-github-actions/deploy-cloudrun", "azure/webapps-deploy", "azure/k8s-deploy",
    "azure/container-apps-deploy-action", "aws-actions/amazon-ecs-deploy-task-definition", "cloudflare/wrangler-action",
)
PUBLISH_ACTIONS = ("pypa/gh-action-pypi-publish",)
PROBE = re.compile(r"\b(?:curl|wget|httpie|smoke|probe|healthcheck|health-check|inspector|tools/list|initialize)\b|fastmcp\.Client", re.I)
NEUTRALISED = re.compile(r"(?:\|\|\s*(?:true|:|exit\s+0)|;\s*exit\s+0)\s*$")
# Installing a test or lint tool (`pip install flake8 || true`) runs no check.
INSTALL = re.compile(r"\b(?:pip3?|uv pip|pipx|poetry|npm|pnpm|yarn|apt(?:-get)?|brew)\s+(?:install|add|i)\b")
INSPECTOR = "@modelcontextprotocol/inspector"
# Test code that opens an MCP client session (in memory, stdio or HTTP).
CLIENT_MARKERS = (
    "ClientSession(", "create_connected_server_and_client_session", "streamablehttp_client", "streamable_http_client",
    "stdio_client", "sse_client",
)
_CLIENT_CALL = re.compile(r"\bClient\(")
TEST_DIRS = {"tests", "test"}
# A Python script a CI step runs, named by a relative path (`python scripts/smoke.py`).
_SCRIPT = re.compile(r"(?<![\w/.$-])[\w-][\w./-]*\.py\b")
# A Node script a command runs (`node scripts/smoke.mjs`, `tsx scripts/check.ts`).
_NODE_SCRIPT = re.compile(r"(?<![\w/.$-])[\w-][\w./-]*\.(?:mjs|cjs|js|mts|ts)\b")
# `npm test`, `npm run build`, `pnpm run smoke`, `yarn test`: the package.json script it runs.
_NPM_RUN = re.compile(r"\b(npm|pnpm|yarn|bun)\s+(run(?:-script)?\s+)?([\w:.-]+)")
# Without `run`, npm runs a script only for these; pnpm, yarn and bun for any name but their own commands.
_NPM_SHORTCUTS = frozenset({"test", "t", "start", "stop", "restart"})
_PACKAGE_MANAGER_COMMANDS = frozenset({
    "install", "i", "ci", "add", "remove", "rm", "uninstall", "update", "up", "upgrade", "publish", "pack", "exec", "dlx", "x",
    "link", "unlink", "audit", "version", "why", "list", "ls", "outdated", "rebuild", "prune", "config", "init", "create",
    "login", "logout", "import", "store", "fetch", "deploy", "env", "setup", "info", "view", "cache", "help", "set", "workspace",
    "workspaces", "global", "patch", "dedupe",
})


def _scripts_named(command: str) -> List[str]:
    """The package.json scripts a command line runs: `npm run check`, `npm test`, `pnpm lint`,
    `yarn smoke`; not npm's own commands (`npm ci`, `pnpm install`) that share a script's name."""
    found = []
    for match in _NPM_RUN.finditer(command):
        tool, run, name = match.groups()
        if run or (name in _NPM_SHORTCUTS if tool == "npm" else name not in _PACKAGE_MANAGER_COMMANDS):
            found.append("test" if name == "t" else name)
    return found
MAX_CI_SCRIPTS = 50
MAX_RUNNER_FOLDERS = 50  # folders (the root and those below it) searched for test-runner configs
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "site-packages", "__pycache__", "build", "dist", ".tox", ".nox"}
MAX_TEST_FILES = 400
MAX_WALKED = 5000
MAX_TEST_BYTES = 256_000


@dataclass(frozen=True)
class Issue:
    location: Location
    message: str
    manual: bool = False  # in a workflow only a person (or another workflow) starts
    # MCP1001: what runs before the release (and the release itself), for the package's npm
    # scripts to be read at check time (`pnpm run check` running `pnpm run test`).
    commands: Tuple[str, ...] = ()


@dataclass
class WorkflowFacts:
    path: str
    ungated: List[Issue] = field(default_factory=list)  # MCP1001
    unprobed: List[Issue] = field(default_factory=list)  # MCP1004
    neutralised: List[Issue] = field(default_factory=list)  # MCP1005
    commands: List[str] = field(default_factory=list)  # every script line (MCP1003 looks for the gate)
    runs_inspector: bool = False
    # False for a workflow file with nothing in it (every line commented out): not CI.
    active: bool = True


def _action(step: Step) -> str:
    return step.uses.split("@")[0].lower()


def is_test(step: Step) -> bool:
    return bool(TEST.search(step.run))


def _deploy_command(run: str):
    """The first deploy command of a script that really deploys (`--dry-run` renders only)."""
    for line in _logical_lines(run):
        match = DEPLOY.search(line)
        if match and "--dry-run" not in line and "--dryrun" not in line:
            return match
    return None


# A line that only prints (`echo "... skipping npm publish workflow."`): its words run nothing.
_ECHO = re.compile(r"\s*(?:echo|printf)\b")


def _deploy_action(action: str) -> bool:
    """A deploy action; `superfly/flyctl-actions/setup-flyctl` and the like only install the tool."""
    return action.startswith(DEPLOY_ACTIONS) and "setup" not in action


def releases(step: Step) -> Optional[str]:
    """What the step ships ("`docker push`", "the action `x`"), or None."""
    match = next((m for line in _logical_lines(step.run) if not _ECHO.match(line) for m in [PUBLISH.search(line)] if m), None) \
        or _deploy_command(step.run)
    if match:
        return f"`{match.group(0)}`"
    action = _action(step)
    if _deploy_action(action) or action.startswith(PUBLISH_ACTIONS):
        return f"the action `{action}`"
    push = dict(step.inputs).get("push")
    if action == "docker/build-push-action" and _may_be_true(push):
        return f"`docker/build-push-action` with `push: {push}`"
    return None


def _may_be_true(value: Optional[str]) -> bool:
    """`true`, or an expression that may be (`${{ github.event_name != 'pull_request' }}`:
    true on the pushes and tags that trigger the workflow); not `${{ false }}`."""
    if value is None:
        return False
    text = value.strip()
    if text.startswith("${{") and text.endswith("}}"):
        return text[3:-2].strip() not in ("false", "0", "''")
    return text == "true"


def deploys(step: Step) -> Optional[str]:
    match = _deploy_command(step.run)
    if match:
        return f"`{match.group(0)}`"
    return f"the action `{_action(step)}`" if _deploy_action(_action(step)) else None


def probes(step: Step) -> bool:
    return bool(PROBE.search(step.run) or PROBE.search(step.uses) or PROBE.search(step.name))


# Triggers of a workflow that releases nothing: a pull request's images and packages are
# previews of unmerged code, and nobody installs them as the release.
PREVIEW_TRIGGERS = frozenset({"pull_request", "pull_request_target", "merge_group"})
# Triggers of a workflow that runs only when a person (or a calling workflow) starts it.
MANUAL_TRIGGERS = frozenset({"workflow_dispatch", "workflow_call"})
# Commands that build an image (a job that pushes without building copies someone's image).
BUILD = re.compile(r"\bdocker (?:image )?build\b|\bdocker buildx build\b|\bdocker compose build\b|\bpodman build\b|\bbuildah bud\b")


def workflow_facts(document) -> WorkflowFacts:
    facts = WorkflowFacts(document.path, active=document.root() is not None)
    jobs = document.jobs()
    waits = upstream(jobs)
    by_name = {job.name: job for job in jobs}
    triggers = set(document.triggers())
    chained = "workflow_run" in triggers  # runs after another workflow (usually CI) finished
    preview = bool(triggers) and triggers <= PREVIEW_TRIGGERS
    manual = bool(triggers) and triggers <= MANUAL_TRIGGERS
    for job in jobs:
        facts.commands.extend(step.run for step in job.steps if step.run)
        facts.runs_inspector = facts.runs_inspector or any(INSPECTOR in step.run for step in job.steps)
        before = [by_name[n] for n in waits.get(job.name, ()) if n in by_name]
        after = [other for other in jobs if job.name in waits.get(other.name, ())]
        if not chained and not preview and not _feeds_tests(after):
            _gate(job, before, facts, manual)
        _post_deploy_probe(job, after, facts)
        _neutralised(job, facts, bool(triggers) and "schedule" in triggers and triggers <= {"schedule", "workflow_dispatch"})
    return facts


def _tests_in(job: Job) -> bool:
    return any(is_test(s) for s in job.steps) or "test" in job.uses.lower() or "test" in job.name.lower() and bool(job.uses)


def _feeds_tests(after: Sequence[Job]) -> bool:
    """Jobs that wait for this one run the tests: what it pushes is an input of the tests (the
    image CI runs in, the candidate a later job tests and promotes), not the release."""
    return any(_tests_in(other) for other in after)


def _copies_image(job: Job, step: Step) -> bool:
    """The step pushes an image the job pulled and did not build (a mirror of a third-party
    image, a retag): nothing of this repository is released."""
    scripts = " ".join(s.run for s in job.steps)
    builds = BUILD.search(scripts) or any(_action(s) == "docker/build-push-action" for s in job.steps)
    return "docker pull" in step.run and not builds


def _gate(job: Job, before: Sequence[Job], facts: WorkflowFacts, manual: bool) -> None:
    if any(_tests_in(other) for other in before):
        return
    for index, step in enumerate(job.steps):
        shipped = releases(step)
        if shipped is None or _copies_image(job, step):
            continue
        if not any(is_test(s) for s in job.steps[:index]):
            message = f"job `{job.name}` runs {shipped}, but no test runs before it: neither earlier in the job nor in a job it `needs:`"
            if manual:
                message += " (the workflow only runs when started by hand or by another workflow: make sure the tests passed on the ref it releases)"
            earlier = [s.run for other in before for s in other.steps if s.run] + [s.run for s in job.steps[: index + 1] if s.run]
            facts.ungated.append(Issue(step.location, message, manual, tuple(earlier)))
        return


def _post_deploy_probe(job: Job, after: Sequence[Job], facts: WorkflowFacts) -> None:
    for index, step in enumerate(job.steps):
        shipped = deploys(step)
        if shipped is None:
            continue
        later = [*job.steps[index + 1 :], *(s for other in after for s in other.steps)]
        if not any(probes(s) for s in later):
            facts.unprobed.append(Issue(step.location, f"job `{job.name}` deploys with {shipped} and no later step probes the deployment (an MCP initialize + tools/list, a smoke test)"))
        return


def _neutralised(job: Job, facts: WorkflowFacts, scheduled: bool) -> None:
    if scheduled:
        return  # a nightly report gates no change: what it lets through was merged already
    for index, step in enumerate(job.steps):
        kind = "test" if is_test(step) else "lint" if LINT.search(step.run) else None
        if kind is None:
            continue
        if step.continue_on_error and _outcome_checked(step, job.steps[index + 1:]):
            continue  # a later step acts on its failure (a retry, an `exit 1` after a report)
        if step.continue_on_error and not job.continue_on_error and _runs_blocking(step, job.steps):
            continue  # the same tests gate in another step; this one adds a report (`-- --coverage`)
        if step.continue_on_error or job.continue_on_error:
            how = "`allow_failure: true`" if ".gitlab-ci" in facts.path else "`continue-on-error: true`"
            facts.neutralised.append(Issue(step.location, f"the {kind} step `{step.name}` in job `{job.name}` has {how}: its failure never fails the pipeline"))
            continue
        lines = _logical_lines(step.run)
        for number, line in enumerate(lines):
            if any(re.search(r"\bexit\s+[1-9]", later) for later in lines[number + 1:]):
                break  # the script reads what it captured and fails the step itself
            if (TEST.search(line) or LINT.search(line)) and NEUTRALISED.search(line) and not INSTALL.search(line):
                tail = NEUTRALISED.search(line).group(0).strip()
                facts.neutralised.append(Issue(step.location, f"the {kind} command `{line.strip()[:60]}` in job `{job.name}` ends with `{tail}`: its failure never fails the pipeline"))
                break


def _runs_blocking(step: Step, steps: Sequence[Step]) -> bool:
    """Another step of the job always runs the same command, flags aside (`npm run test`
    beside `npm run test -- --coverage`), and can fail the job."""
    command = _bare_command(step.run)
    return bool(command) and any(other is not step and not other.continue_on_error and not other.condition
                                 and _bare_command(other.run) == command for other in steps)


def _bare_command(script: str) -> str:
    """The first test or lint command of a script without its options (`npm run test`)."""
    line = next((l for l in _logical_lines(script) if TEST.search(l) or LINT.search(l)), "")
    words = line.split()
    return " ".join(w for w in words if not w.startswith("-"))


def _outcome_checked(step: Step, later: Sequence[Step]) -> bool:
    """A later step of the job acts on this one's result (`if: steps.tests.outcome ==
    'failure'`, or its script tests `${{ steps.tests.outcome }}`) and can fail the job: the
    workflow handles the failure itself."""
    if not step.id:
        return False
    pattern = re.compile(rf"\bsteps\.{re.escape(step.id)}\.(?:outcome|conclusion)\b")
    return any((pattern.search(other.condition) or pattern.search(other.run)) and _can_fail_the_job(other) for other in later)


def _can_fail_the_job(step: Step) -> bool:
    """A step that fails the job when it runs into a failure: a test run again (a retry) or a
    script that exits non-zero; not one that only prints what went wrong."""
    return not step.continue_on_error and (is_test(step) or bool(re.search(r"\bexit\s+[1-9]|setFailed\(|::error", step.run)))


def _logical_lines(script: str) -> List[str]:
    """The script's command lines, continuations joined; a comment line runs nothing (a note
    that names `gcloud run deploy` beside the probe that follows the deploy)."""
    return [line for line in script.replace("\\\n", " ").splitlines() if not line.lstrip().startswith("#")]


# -- tests on disk ----------------------------------------------------------------------


@per_run  # every unit of a monorepo asks about the same repository
def has_protocol_test(root: Path) -> bool:
    """Whether a test file under `root` opens an MCP client session, or sends MCP requests
    over HTTP (`"method": "tools/list"` through httpx, requests or a test client); TS/JS tests
    as `mcp_lint.typescript.protocol_tests` recognises them; or a test runner starts the MCP
    Inspector for browser tests. Test files are excluded from linting by default, so they are read here (bounded), never imported."""
    typescript = ts_tests.ProtocolTestSuite()
    for path, text in test_sources(root):
        if path.suffix != ".py":
            if typescript.add(text):
                return True
            continue
        if _opens_client(text):
            return True
    return _drives_inspector(root)


# Test runners whose configuration starts servers for the tests (Playwright's `webServer`).
_RUNNER_CONFIGS = tuple(f"{name}.config.{ext}" for name in ("playwright", "vitest", "jest", "cypress") for ext in ("ts", "js", "mjs", "cjs", "mts"))


def _drives_inspector(root: Path) -> bool:
    """Whether a test runner's configuration (at the root or one folder down) starts the MCP
    Inspector for the tests: browser tests that connect it to the server and list or call
    tools open a client session through it."""
    folders = [root] + sorted(p for p in _subfolders(root) if p.name not in SKIP_DIRS and not p.name.startswith("."))
    for folder in folders[:MAX_RUNNER_FOLDERS]:
        for name in _RUNNER_CONFIGS:
            data, _ = read_bytes(folder / name, MAX_TEST_BYTES, root)
            if data is not None and INSPECTOR.encode() in data:
                return True
    return False


def _subfolders(root: Path):
    try:
        return [Path(entry.path) for entry in os.scandir(root) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _opens_client(text: str) -> bool:
    """Python code that opens an MCP client session or sends MCP requests."""
    if any(marker in text for marker in CLIENT_MARKERS) or speaks_protocol(text):
        return True
    return bool("Client(" in text and _CLIENT_CALL.search(text) and ("fastmcp" in text or re.search(r"^[ \t]*(?:from|import) mcp\b", text, re.M)))


def ci_client_scripts(root: Path, commands: Sequence[str]) -> List[str]:
    """Scripts that CI steps run, directly (`python scripts/smoke.py`) or through the package's
    npm scripts (`npm test` -> `node scripts/mcp-smoke-test.mjs`), and that open an MCP client
    session on the server: a protocol test kept as a script rather than a test file."""
    return [name for name, text in ci_script_texts(root, commands)
            if (_opens_client(text) if name.endswith(".py") else ts_tests.ProtocolTestSuite().add(text))]


def ci_script_texts(root: Path, commands: Sequence[str]) -> List[Tuple[str, str]]:
    """(name, text) of the Python and Node scripts of the repository that CI steps run, directly
    (`python scripts/smoke.py`) or through the package's npm scripts (`npm run check` -> `node
    scripts/check.mjs`), a bounded number, each read up to a bound."""
    found = []
    commands = [*commands, *npm_scripts_run(root, commands)]
    named = dict.fromkeys(m.group(0) for c in commands for pattern in (_SCRIPT, _NODE_SCRIPT) for m in pattern.finditer(c))
    for name in list(named)[:MAX_CI_SCRIPTS]:
        data, _ = read_bytes(root / name, MAX_TEST_BYTES, root) if ".." not in Path(name).parts else (None, None)
        text = data[:MAX_TEST_BYTES].decode("utf-8", "replace") if data is not None else ""
        if text:
            found.append((name, text))
    return found


# `npm publish` (and pnpm's, yarn's) runs these scripts of the package first.
_PUBLISH_HOOKS = ("prepublishOnly", "prepack", "prepare")
_NPM_PUBLISH = re.compile(r"\b(?:npm|pnpm|yarn(?: npm)?) publish\b")


def tested_by_scripts(root: Path, commands: Sequence[str]) -> bool:
    """The commands run the tests through the package's npm scripts: `pnpm run check` whose
    script runs `pnpm run test`, or `npm publish` whose `prepublishOnly` does."""
    hooks = [f"npm run {hook}" for hook in _PUBLISH_HOOKS] if any(_NPM_PUBLISH.search(c) for c in commands) else []
    return any(TEST.search(script) for script in npm_scripts_run(root, [*commands, *hooks]))


def npm_scripts_run(root: Path, commands: Sequence[str]) -> List[str]:
    """The package.json scripts that commands run (`npm test`, `pnpm run check`, `yarn smoke`),
    and the scripts those run, a bounded number: what `npm test` really executes."""
    data, _ = read_bytes(root / "package.json", MAX_TEST_BYTES, root)
    try:
        scripts = json.loads(data.decode("utf-8", "replace")).get("scripts") if data is not None else None
    except (ValueError, AttributeError, RecursionError):
        scripts = None
    if not isinstance(scripts, dict):
        return []
    found, seen = [], set()
    pending = [name for c in commands for name in _scripts_named(c)]
    while pending and len(seen) < MAX_CI_SCRIPTS:
        name = pending.pop(0)
        script = scripts.get(name)
        if name in seen or not isinstance(script, str):
            continue
        seen.add(name)
        found.append(script)
        pending += _scripts_named(script)
    return found


@per_run
def tool_snapshot_tests(root: Path) -> Tuple[str, ...]:
    """The texts of the test files under `root` that pin tools with a committed snapshot
    (`expect(tools).toMatchSnapshot()`, syrupy's `assert tools == snapshot`): read once per run,
    MCP0901 and MCP1003 both ask."""
    return tuple(text for text in test_texts(root) if snapshot_tests((text,)))


def test_texts(root: Path):
    for _, text in test_sources(root):
        yield text


def test_sources(root: Path):
    """(path, text) of the repository's Python and TypeScript/JavaScript test files."""
    for path in _test_files(root):
        data, _ = read_bytes(path, MAX_TEST_BYTES, root)  # regular files in the tree only: a FIFO would block
        if data is not None:
            yield path, data[:MAX_TEST_BYTES].decode("utf-8", "replace")


def _test_files(root: Path):
    found = walked = 0
    for folder, dirs, files in os.walk(root):
        # test folders first: the walk is bounded, and a big tree of sources or docs must not use it up
        dirs[:] = sorted((d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")), key=lambda d: (d not in TEST_DIRS and d not in ts_tests.TEST_DIRS, d))
        folders = Path(folder).relative_to(root).parts
        in_tests = bool(TEST_DIRS & set(folders))
        for name in sorted(files):
            walked += 1
            if walked > MAX_WALKED or found >= MAX_TEST_FILES:
                return
            if os.path.islink(os.path.join(folder, name)):
                continue  # may point out of the tree
            python = name.endswith(".py") and (in_tests or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py")
            if python or ts_tests.is_test_file(name, folders):
                found += 1
                yield Path(folder) / name


def ci_workflow(workflows: Sequence[WorkflowFacts]) -> Optional[str]:
    """The workflow a repository-level finding belongs to: the first that runs tests, else
    the first that runs any command, else the first."""
    ranked = sorted(workflows, key=lambda w: (not any(TEST.search(c) for c in w.commands), not w.commands, w.path))
    return ranked[0].path if ranked else None


def shown(path: str) -> str:
    """A workflow's path as the message names it: relative to its repository. A workflow that
    joined a sub-package's unit from the repository root is `../.github/...` there; every unit
    then says the same thing, and the engine keeps the finding once."""
    while path.startswith("../"):
        path = path[3:]
    return path


def repository_location(workflows: Sequence[WorkflowFacts], root: Path, fallback: Optional[Location]) -> Tuple[Optional[Location], str]:
    """Where a repository-level finding goes, and how the message says so."""
    first = ci_workflow(workflows)
    if first is not None:
        return Location(first, 1, 1, 1, 1), f"reported at the workflow `{shown(first)}`"
    if (root / "pyproject.toml").is_file():
        return Location("pyproject.toml", 1, 1, 1, 1), "reported at pyproject.toml: the repository has no CI workflow"
    return fallback, "reported at the server: the repository has no CI workflow and no pyproject.toml"
