"""CI workflows: GitHub Actions (`.github/workflows/*.yml`) and GitLab CI (`.gitlab-ci.yml`).

Both are read into one shape: jobs with their names, the jobs they wait for and their steps in
order. A GitHub step is a `run:` script or a `uses:` action; a GitLab job's steps are the lines
of `before_script` and `script`. GitLab jobs without `needs:` wait for every job of the earlier
stages, so that ordering is made explicit here. Node positions come from PyYAML's `compose`
(SafeLoader: tags are never constructed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from yaml.nodes import MappingNode, Node, ScalarNode

from mcp_lint.documents.yaml_docs import YamlDocument, YamlObject, items, mapping_entry, scalar
from mcp_lint.model import Location
from mcp_lint.reading import split_lines

GITLAB_RESERVED = frozenset(
    {"stages", "variables", "default", "include", "workflow", "image", "services", "before_script", "after_script", "cache", "pages"}
)
GITLAB_DEFAULT_STAGES = (".pre", "build", "test", "deploy", ".post")
_TRUE = ("true", "True", "TRUE", "yes", "on")


@dataclass(frozen=True)
class Step:
    name: str  # the step's `name:`, else its action or first command line
    run: str  # the script text ("" for an action)
    uses: str  # the action reference ("" for a script)
    inputs: Tuple[Tuple[str, str], ...]  # `with:` scalars of an action
    continue_on_error: bool
    location: Location  # the `run:`/`uses:` key, or the script line
    id: str = ""  # GitHub `id:` (later steps read `steps.<id>.outcome`)
    condition: str = ""  # GitHub `if:`


@dataclass
class Job:
    name: str
    location: Location  # the job's key
    needs: Tuple[str, ...]
    steps: List[Step] = field(default_factory=list)
    continue_on_error: bool = False
    uses: str = ""  # a reusable workflow called by the job (GitHub)


class WorkflowDocument(YamlDocument):
    kind = "workflow"

    @property
    def is_gitlab(self) -> bool:
        return self.path.rsplit("/", 1)[-1].startswith(".gitlab-ci")

    def root(self) -> Optional[YamlObject]:
        return next(iter(self.mappings()), None)

    def triggers(self) -> Tuple[str, ...]:
        """GitHub `on:` events (a string, a list or a mapping)."""
        root = self.root()
        node = root.get("on") if root is not None else None
        if isinstance(node, MappingNode):
            return tuple(k.value for k, _ in node.value if isinstance(k, ScalarNode))
        text = scalar(node)
        return (text,) if text else tuple(v for v in (scalar(n) for n in items(node)) if v)

    def jobs(self) -> List[Job]:
        root = self.root()
        if root is None:
            return []
        return self._gitlab_jobs(root) if self.is_gitlab else self._github_jobs(root)

    # -- GitHub ----------------------------------------------------------------------
    def _github_jobs(self, root: YamlObject) -> List[Job]:
        jobs_node = root.get("jobs")
        found: List[Job] = []
        if not isinstance(jobs_node, MappingNode):
            return found
        for key, node in jobs_node.value:
            if not isinstance(key, ScalarNode) or not isinstance(node, MappingNode):
                continue
            job = YamlObject(self, node)
            result = Job(key.value, self.location(key), _names(job.get("needs")), continue_on_error=_flag(job.value("continue-on-error")))
            result.uses = job.value("uses") or ""
            result.steps = [self._github_step(step) for step in job.children("steps")]
            found.append(result)
        return found

    def _github_step(self, step: YamlObject) -> Step:
        run = step.value("run") or ""
        uses = step.value("uses") or ""
        handle = "run" if step.get("run") is not None else "uses"
        name = step.value("name") or uses or (split_lines(run.strip()) or [""])[0]
        inputs = tuple(sorted(step.string_map("with").items()))
        return Step(name, run, uses, inputs, _flag(step.value("continue-on-error")), step.location_of(handle),
                    step.value("id") or "", step.value("if") or "")

    # -- GitLab ----------------------------------------------------------------------
    def _gitlab_jobs(self, root: YamlObject) -> List[Job]:
        stages = tuple(v for v in (scalar(n) for n in items(root.get("stages"))) if v) or GITLAB_DEFAULT_STAGES
        order = {stage: i for i, stage in enumerate(stages)}
        raw: List[Tuple[Job, int, bool]] = []
        for key, node in root.node.value:
            if not isinstance(key, ScalarNode) or not isinstance(node, MappingNode):
                continue
            if key.value in GITLAB_RESERVED or key.value.startswith("."):
                continue  # settings and hidden template jobs
            job = YamlObject(self, node)
            if job.get("script") is None and job.get("trigger") is None:
                continue
            needs_node = job.get("needs")
            result = Job(key.value, self.location(key), _gitlab_needs(needs_node), continue_on_error=_flag(job.value("allow_failure")))
            for part in ("before_script", "script"):
                result.steps.extend(self._gitlab_lines(job, part, result.continue_on_error))
            raw.append((result, order.get(job.value("stage") or "test", len(order)), needs_node is not None))
        for job, stage, explicit in raw:
            if not explicit:
                job.needs = tuple(other.name for other, other_stage, _ in raw if other_stage < stage)
        return [job for job, _, _ in raw]

    def _gitlab_lines(self, job: YamlObject, part: str, allowed_failure: bool) -> List[Step]:
        node = job.get(part)
        lines = items(node) if not isinstance(node, ScalarNode) else [node]
        steps = []
        for line in lines:
            text = scalar(line)
            if text:
                steps.append(Step(split_lines(text.strip())[0] if text.strip() else "", text, "", (), allowed_failure, self.location(line)))
        return steps


def _flag(text: Optional[str]) -> bool:
    return text in _TRUE


def _names(node: Optional[Node]) -> Tuple[str, ...]:
    text = scalar(node)
    if text:
        return (text,)
    return tuple(v for v in (scalar(n) for n in items(node)) if v)


def _gitlab_needs(node: Optional[Node]) -> Tuple[str, ...]:
    """`needs: [a, {job: b}]`."""
    found: List[str] = []
    for item in items(node):
        if isinstance(item, ScalarNode):
            found.append(item.value)
        else:
            entry = mapping_entry(item, "job")
            if entry is not None and isinstance(entry[1], ScalarNode):
                found.append(entry[1].value)
    return tuple(found)


def upstream(jobs: List[Job]) -> Dict[str, Tuple[str, ...]]:
    """Every job each job waits for, directly or through other jobs."""
    direct = {job.name: job.needs for job in jobs}
    closed: Dict[str, Tuple[str, ...]] = {}
    for name in direct:
        seen: List[str] = []
        pending = list(direct[name])
        while pending:
            current = pending.pop()
            if current not in seen and current != name:
                seen.append(current)
                pending.extend(direct.get(current, ()))
        closed[name] = tuple(seen)
    return closed
