"""Monorepos: which configuration each file takes, which project unit it belongs to, and which
base output paths are relative to.

- **Nearest configuration wins** (ruff's model): a file takes its settings from the nearest
  `mcp-lint.toml`, `.mcp-lint.toml` or `pyproject.toml` with a `[tool.mcp-lint]` table upward from
  its folder, stopping at the repository root (the nearest folder holding `.git`). Nothing is
  inherited from configurations further up. Command-line options and inline `--config "k = v"`
  overrides apply on top of every configuration; `--config PATH` uses that one file everywhere.
- **Project units**: cross-file analysis sees one unit at a time, the nearest enclosing package
  (a folder with pyproject.toml, setup.py, setup.cfg, package.json or an mcp-lint.toml) or else
  the repository root.
  Python modules of another package of the same repository that a unit imports by absolute
  name at the head of a module (a server package of a uv workspace importing tool functions and
  its server class from a shared core package) join the importing unit too, one level deep (not
  what they import in turn), so its model sees the tools it registers; a pre-commit run finds
  them on disk. A module that builds or runs a server of its own is another server's and does
  not join.
  Deploy files (Dockerfiles, compose files, Kubernetes manifests) that build or run the code of
  other units join those units instead of their own, by a static approximation: a compose
  `build` context or bind mount, a Dockerfile `COPY`/`ADD` source, or an image name whose last
  path component is the unit's folder name.
- **Repositories**: a unit belongs to the nearest repository at or above its root (a folder
  holding `.git`, `.github/workflows` or `.gitlab-ci.yml`) when the run spans that repository:
  the common folder of the run's targets (a file's folder for a file) is the repository root
  or above it, as in `mcp-lint check .` at the root, an editor's workspace, or pre-commit given
  files whose common folder is the root. A unit whose root holds `.git` or CI files is always its own
  repository. A run whose targets all lie in one sub-folder of a checkout (`mcp-lint check
  fixtures/x`, `mcp-lint check mcp_server/`, pre-commit given files of one sub-package) does not
  span the checkout: it is checked as a folder of its own, and there the repository-level rules
  stay quiet unless it holds `.git` or CI files itself. The repository's CI files
  (`.github/workflows/*.yml`, `.gitlab-ci.yml` at its root) join every unit of it, so
  repository-level rules (schema snapshot, CI gates) see the workflows of a server in a
  sub-package; a finding on a shared file is kept once.
- **Output base**: findings are reported relative to the common folder of the run's root and its
  units; the CLI rebases them (text: the current directory; SARIF and GitHub: the repository root)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from mcp_lint.config import Config, ConfigError, read_table, reapply_overrides, tomllib
from mcp_lint.deploy import image_name
from mcp_lint.discovery import SourceFile
from mcp_lint.repository import CONFIG_NAMES, holds_repository, is_package, repository_root

DEPLOY_KINDS = ("dockerfile", "yaml")
MAX_DEPLOY_BYTES = 512_000  # compose files and manifests are small; a huge one is not read for links


_CI_FILE = re.compile(r"(?:^|/)(?:\.github/workflows/[^/]+|\.gitlab-ci)\.ya?ml$")


def ci_repository(path: Path) -> Optional[Path]:
    """The folder whose CI a file is (`R/.github/workflows/x.yml`, `R/.gitlab-ci.yml`), or None."""
    if not _CI_FILE.search(path.as_posix()):
        return None
    return path.parent if path.name.startswith(".gitlab-ci") else path.parent.parent.parent


def _is_under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@dataclass
class Unit:
    """One project unit: its files with paths relative to its root; `reported` is the set of
    those paths whose findings are kept (None: all)."""

    root: Path
    files: List[SourceFile] = field(default_factory=list)
    reported: Optional[Set[str]] = None
    repository: Optional[Path] = None  # the repository the unit belongs to in this run, if any

    def outside_folders(self) -> Set[Path]:
        """Folders of the reported deploy files that joined from outside the unit's root."""
        return {
            Path(os.path.normpath(self.root / f.rel)).parent
            for f in self.files
            if f.rel.startswith("../") and (self.reported is None or f.rel in self.reported)
        }


class Layout:
    """Configurations and units of one run. Answers are cached per folder."""

    def __init__(self, config: Config, targets: Sequence[Path] = ()):
        self.base = config
        self.run_root = Path(os.path.realpath(config.root))
        folders = [Path(os.path.realpath(t)) for t in targets]
        # What the run spans: the common folder of its targets (a file's folder for a file).
        self.span = common_base(f if f.is_dir() else f.parent for f in folders) or self.run_root
        self._configs: Dict[Path, Config] = {}
        self._loaded: Dict[Path, Config] = {}
        self._units: Dict[Path, Path] = {}
        self._units_by_spelling: Dict[Path, Path] = {}
        self._repos: Dict[Path, Optional[Path]] = {}
        self._repositories: Dict[Path, Optional[Path]] = {}
        self._by_spelling: Dict[Path, Config] = {}
        self._roots: Dict[int, Path] = {}

    # -- configuration -----------------------------------------------------------------

    @property
    def nearest_config(self) -> bool:
        return self.base.nearest_config

    def boundary(self, folder: Path) -> Optional[Path]:
        if folder not in self._repos:
            self._repos[folder] = repository_root(folder)
        return self._repos[folder]

    def config_for(self, path: Path, is_dir: bool = False) -> Config:
        """The configuration of a file (or, with is_dir, of a folder's contents)."""
        if not self.nearest_config:
            return self.base
        folder = path if is_dir else path.parent
        found = self._by_spelling.get(folder)
        if found is None:  # realpath costs a system call per path component: once per folder
            found = self._by_spelling[folder] = self._config_of_folder(Path(os.path.realpath(folder)))
        return found

    def _config_of_folder(self, folder: Path) -> Config:
        found = self._configs.get(folder)
        if found is not None:
            return found
        own = _config_file_in(folder)
        if own is not None:
            found = self._load(own)
        elif folder.parent == folder or folder == self.boundary(folder):
            found = self._defaults(folder)
        else:
            found = self._config_of_folder(folder.parent)
        self._configs[folder] = found
        return found

    def _defaults(self, top: Path) -> Config:
        """No configuration up to the repository root: the defaults plus the run's overrides
        (never the configuration of another target, which would make results depend on order)."""
        if self.base.config_path is None:
            return self.base
        if top not in self._loaded:
            config = Config(root=top, nearest_config=True)
            reapply_overrides(config, {}, self.base)
            self._loaded[top] = config
        return self._loaded[top]

    def _load(self, path: Path) -> Config:
        if self.base.config_path is not None and Path(os.path.realpath(self.base.config_path)) == path:
            return self.base
        if path not in self._loaded:
            config = Config(root=path.parent, config_path=path, nearest_config=True)
            reapply_overrides(config, read_table(path), self.base)
            self._loaded[path] = config
        return self._loaded[path]

    def excluded(self, path: Path, is_dir: bool) -> bool:
        """Whether the configuration governing `path` excludes it (a folder is governed by the
        configuration of the folder that holds it, as in ruff)."""
        config = self.config_for(path.parent, is_dir=True)
        spec = config.exclude_spec()
        root = self._roots.get(id(config))
        if root is None:
            root = self._roots[id(config)] = Path(os.path.realpath(config.root))
        rel = _relative(path, root)
        return spec.match_file(rel + "/" if is_dir else rel)

    # -- units -------------------------------------------------------------------------

    def unit_root(self, folder: Path) -> Path:
        found = self._units_by_spelling.get(folder)
        if found is None:  # realpath costs a system call per path component: once per folder
            real = Path(os.path.realpath(folder))
            found = self._units.get(real)
            if found is None:
                found = self._units[real] = self._find_unit(real)
            self._units_by_spelling[folder] = found
        return found

    def _find_unit(self, folder: Path) -> Path:
        boundary = self.boundary(folder)
        for candidate in (folder, *folder.parents):
            if is_package(candidate):
                return candidate
            if candidate == boundary:
                return candidate
        return self._fallback(folder)

    def repository(self, unit_root: Path) -> Optional[Path]:
        """The repository a unit belongs to in this run (see the module docstring), or None.
        Kept by the spelling asked too: CI files ask it of every unit (a realpath per call)."""
        if unit_root in self._repositories:
            return self._repositories[unit_root]
        real = Path(os.path.realpath(unit_root))
        if real not in self._repositories:
            self._repositories[real] = self._find_repository(real)
        self._repositories[unit_root] = self._repositories[real]
        return self._repositories[real]

    def _find_repository(self, unit_root: Path) -> Optional[Path]:
        if holds_repository(unit_root):
            return unit_root
        found = next((c for c in unit_root.parents if holds_repository(c)), None)
        if found is None:
            return None
        return found if _is_under(found, self.span) else None  # the run spans that repository

    def _fallback(self, folder: Path) -> Path:
        """Outside any repository and package: the run's root when the file is under it."""
        return self.run_root if _is_under(folder, self.run_root) else folder

    def units(
        self,
        files: Sequence[SourceFile],
        explicit: bool,
        discover_all: Callable[[Path], List[SourceFile]],
        read: Callable[[SourceFile], Optional[str]],
    ) -> List[Unit]:
        """Group files by unit. With explicit files (pre-commit), each of their units is read
        whole (and only those units), and only the given files are reported."""
        homes: Dict[Path, List[SourceFile]] = {}
        for source in files:
            homes.setdefault(self._home(source), []).append(source)
        if explicit:
            given = {Path(os.path.abspath(f.path)) for f in files}
            wanted = set(homes)
            for source in files:  # a given deploy file is checked in the units it runs
                wanted |= self.joins(source, read)
            pool: Dict[Path, SourceFile] = {}
            for root in sorted(wanted):
                for source in discover_all(root):
                    if self._home(source) == root:
                        pool.setdefault(Path(os.path.abspath(source.path)), source)
            for source in self._outside_deploy_files(wanted, discover_all):
                pool.setdefault(Path(os.path.abspath(source.path)), source)
            for source in files:
                pool[Path(os.path.abspath(source.path))] = source  # in-memory contents win
            everything = list(pool.values())
        else:
            everything = list(files)
            given = None
        members: Dict[Path, List[SourceFile]] = {}
        ci_files = []
        for source in everything:
            if self._ci_of(source) is not None:
                ci_files.append(source)
                continue
            joined = self.joins(source, read) if source.kind in DEPLOY_KINDS else set()
            for root in joined or {self._home(source)}:
                members.setdefault(root, []).append(source)
        self._join_ci(ci_files, members)
        self._join_imported(members, read, discover_all, explicit)
        units = []
        for root in sorted(members):
            if explicit and root not in homes and not any(
                Path(os.path.abspath(s.path)) in given for s in members[root]
            ):
                continue
            unit = Unit(root, sorted(_rebased(s, root) for s in members[root]), repository=self.repository(root))
            if given is not None:
                unit.reported = {
                    _rebased(s, root).rel for s in members[root] if Path(os.path.abspath(s.path)) in given
                }
            units.append(unit)
        return units

    def _home(self, source: SourceFile) -> Path:
        return self.unit_root(Path(os.path.abspath(source.path)).parent)

    def _ci_of(self, source: SourceFile) -> Optional[Path]:
        """The repository whose CI file this is (YAML at `.github/workflows/` or `.gitlab-ci.yml`)."""
        if source.kind not in ("yaml", "workflow"):
            return None
        found = ci_repository(Path(os.path.abspath(source.path)))
        return Path(os.path.realpath(found)) if found is not None else None

    def _join_ci(self, ci_files: List[SourceFile], members: Dict[Path, List[SourceFile]]) -> None:
        """A repository's CI files stay in their own unit and join every other unit of the
        repository (the workflows of a server in a sub-package test and release it too)."""
        for source in ci_files:
            home, repo = self._home(source), self._ci_of(source)
            members.setdefault(home, []).append(source)
            for root in list(members):
                if root != home and self.repository(root) == repo:
                    members[root].append(source)

    def _join_imported(self, members: Dict[Path, List[SourceFile]], read, discover_all, explicit: bool) -> None:
        """Python modules of another package of the same repository that a unit's code imports
        by absolute name (`from gg_api_core.tools.scan import scan_secrets` in a server package
        of a uv workspace) join that unit, so its model sees the tools and helpers they define.
        One level: the imported modules, not what they import in turn. A pre-commit run finds the
        imported packages on disk."""
        index = _ModuleIndex(self, members, discover_all if explicit else None)
        serves: Dict[Path, bool] = {}  # a module imported by several units is read once
        for root in sorted(members):
            scope = self.scope(root)
            joined: Dict[Path, SourceFile] = {}
            for source in members[root]:
                if source.kind != "python" or self._home(source) != root:
                    continue
                text = read(source)
                for name in absolute_imports(text) if text else ():
                    found = index.lookup(name, root, scope)
                    if found is None:
                        continue
                    path = Path(os.path.abspath(found.path))
                    if path not in serves:
                        serves[path] = bool(_SERVER_MODULE.search(read(found) or ""))
                    if not serves[path]:
                        joined.setdefault(path, found)
            if joined:
                present = {Path(os.path.abspath(s.path)) for s in members[root]}
                members[root].extend(source for path, source in sorted(joined.items()) if path not in present)

    def scope(self, root: Path) -> Path:
        """The repository a unit belongs to (its Git checkout, else the repository of the run,
        else the run's root): packages import each other only within it."""
        return self.boundary(root) or self.repository(root) or self.run_root

    def _outside_deploy_files(self, wanted: Set[Path], discover_all) -> Iterable[SourceFile]:
        """Deploy and CI files outside the wanted units (a root compose file, k8s/, the root's
        workflows) that could join them: the repository (the Git checkout, and the repository
        the run spans) is walked without entering other packages."""
        boundaries = {self.boundary(root) for root in wanted} | {self.repository(root) for root in wanted}
        boundaries -= {None}
        for boundary in sorted(boundaries):
            if boundary in wanted:
                continue
            for source in discover_all(boundary, prune_packages=True):
                if source.kind in DEPLOY_KINDS:
                    yield source

    def joins(self, source: SourceFile, read: Callable[[SourceFile], Optional[str]]) -> Set[Path]:
        """The units (other than its own) a deploy file builds or runs."""
        if source.kind not in DEPLOY_KINDS:
            return set()
        home = self._home(source)
        if is_package(home):
            return set()  # a deploy file inside a package belongs to that package
        text = read(source)
        if not text:
            return set()
        folder = Path(os.path.abspath(source.path)).parent
        paths, images = deploy_references(source.kind, text)
        roots = set()
        for ref in paths:
            target = Path(os.path.normpath(folder / ref))
            if not os.path.lexists(target):
                continue
            boundary = self.boundary(folder)
            if boundary is not None and not _is_under(target, boundary):
                continue  # never leave the repository
            roots.add(self.unit_root(target if target.is_dir() else target.parent))
        if images:
            for root in self._known_unit_roots(folder):
                if root.name in images:
                    roots.add(root)
        roots.discard(home)
        return roots

    def _known_unit_roots(self, folder: Path) -> Set[Path]:
        """Package folders below the deploy file's repository (or folder), for image names."""
        top = self.boundary(folder) or folder
        return {root for root in _package_folders(top)}


# `import a.b`, `from a.b import c, d` (absolute only; a relative import stays in its package).
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import[ \t]+\(?([\w, \t]+)|import[ \t]+([A-Za-z_][\w.]*))", re.MULTILINE)


# A module that builds a server at module level (`mcp = FastMCP("x")`) or runs as a program
# (`if __name__ == "__main__":`) is another server's: its tools and launches are not the
# importing unit's (a server that calls another server's function imports it).
_SERVER_MODULE = re.compile(
    r"^[A-Za-z_][\w.]*[ \t]*(?::[^=\n]+)?=[ \t]*[\w.]*\b(?:FastMCP|MCPServer|Server)\(|^if[ \t]+__name__[ \t]*==",
    re.MULTILINE,
)


# Where a module's head ends: its first definition. Imports are read from the head only (a
# regex over whole files was a third of a second on a 2,400-file monorepo, the head a tenth of that).
_FIRST_DEFINITION = re.compile(r"^(?:def|class|async[ \t]+def|@)", re.MULTILINE)


def absolute_imports(text: str) -> Set[str]:
    """Dotted module names a Python file imports absolutely at its head (before its first
    definition): `from a.b import c` gives `a.b` and `a.b.c` (c may be a submodule)."""
    names: Set[str] = set()
    end = _FIRST_DEFINITION.search(text)
    for match in _IMPORT.finditer(text, 0, end.start() if end else len(text)):
        module, imported, plain = match.groups()
        if plain:
            names.add(plain)
            continue
        names.add(module)
        names.update(f"{module}.{n.split()[0]}" for n in imported.split(",") if n.split() and n.split()[0].isidentifier())
    return names


def module_name(rel: str) -> Optional[str]:
    """The absolute module name of a file relative to its package root (`src/` layout
    allowed): `src/gg_api_core/tools/scan.py` -> `gg_api_core.tools.scan`."""
    parts = rel[:-3].split("/") if rel.endswith(".py") else []
    if parts[:1] == ["src"]:
        parts = parts[1:]
    if parts[-1:] == ["__init__"]:
        parts = parts[:-1]
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


class _ModuleIndex:
    """Absolute module name -> file, per unit root, and the unit roots of each repository that
    hold a top-level package. In a pre-commit run (`discover_all` given) the repository's other
    packages are read from disk when a name is not among the run's units."""

    def __init__(self, layout: "Layout", members: Dict[Path, List[SourceFile]], discover_all=None) -> None:
        self.layout = layout
        self.discover_all = discover_all
        self.by_root: Dict[Path, Dict[str, SourceFile]] = {}
        self.holders: Dict[Tuple[Path, str], List[Path]] = {}  # (repository, top-level name) -> unit roots
        self._looked_on_disk: Set[Tuple[Path, str]] = set()
        for root, files in members.items():
            self._add(root, [f for f in files if f.kind == "python" and layout._home(f) == root])

    def _add(self, root: Path, files: Iterable[SourceFile]) -> None:
        names = self.by_root.setdefault(root, {})
        scope = self.layout.scope(root)
        for source in files:
            name = module_name(os.path.relpath(os.path.abspath(source.path), root).replace(os.sep, "/"))
            if name and name not in names:
                names[name] = source
                holders = self.holders.setdefault((scope, name.split(".")[0]), [])
                if root not in holders:
                    holders.append(root)

    def lookup(self, name: str, root: Path, scope: Path) -> Optional[SourceFile]:
        if name in self.by_root.get(root, {}):
            return None  # the unit's own module (namespace packages share their first names)
        top = name.split(".")[0]
        if (scope, top) not in self.holders and self.discover_all is not None:
            self._read_from_disk(top, scope)
        for other in self.holders.get((scope, top), ()):
            if other != root and name in self.by_root[other]:
                return self.by_root[other][name]
        return None

    def _read_from_disk(self, top: str, scope: Path) -> None:
        if (scope, top) in self._looked_on_disk:
            return
        self._looked_on_disk.add((scope, top))
        for folder in (scope, *_package_folders(scope)):
            if folder not in self.by_root and any(os.path.isdir(folder / base / top) for base in (".", "src")):
                self._add(folder, [f for f in self.discover_all(folder, prune_packages=True) if f.kind == "python"])


_PACKAGE_CACHE: Dict[Path, Tuple[Path, ...]] = {}
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", "dist", "build", ".tox"}


def _package_folders(top: Path, depth: int = 4) -> Tuple[Path, ...]:
    """Package folders up to `depth` levels below `top` (image names are matched against them)."""
    if top in _PACKAGE_CACHE:
        return _PACKAGE_CACHE[top]
    found: List[Path] = []
    level = [top]
    for _ in range(depth):
        below = []
        for folder in level:
            try:
                entries = [e for e in os.scandir(folder) if e.is_dir(follow_symlinks=False) and e.name not in _SKIP_DIRS]
            except OSError:
                continue
            for entry in entries:
                path = Path(entry.path)
                if is_package(path):
                    found.append(path)
                below.append(path)
        level = below
    _PACKAGE_CACHE[top] = tuple(found)
    return _PACKAGE_CACHE[top]


def _config_file_in(folder: Path) -> Optional[Path]:
    for name in CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if "mcp-lint" not in text:
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
        tool = data.get("tool", {})
        if isinstance(tool, dict) and tool.get("mcp-lint") is not None:
            return pyproject
    return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _rebased(source: SourceFile, root: Path) -> SourceFile:
    """The file with its path relative to a unit root (`../` for a deploy file that joined it)."""
    rel = os.path.relpath(os.path.abspath(source.path), root).replace(os.sep, "/")
    return replace(source, rel=rel)


# -- what deploy files point at --------------------------------------------------------------

_COPY = re.compile(r"^[ \t]*(?:COPY|ADD)[ \t]+(.+)$", re.IGNORECASE | re.MULTILINE)


def deploy_references(kind: str, text: str) -> Tuple[Set[str], Set[str]]:
    """(relative paths, image names) that a deploy file builds from or runs."""
    if len(text) > MAX_DEPLOY_BYTES:
        return set(), set()
    if kind == "dockerfile":
        return _dockerfile_sources(text), set()
    return _yaml_references(text)


def _dockerfile_sources(text: str) -> Set[str]:
    sources = set()
    for match in _COPY.finditer(text):
        words = [w for w in match.group(1).split() if not w.startswith("--")]
        if "--from" in match.group(1) or len(words) < 2 or words[0].startswith("["):
            continue
        sources.update(w for w in words[:-1] if w not in (".", "./") and not w.startswith(("$", "http")))
    return sources


def _yaml_references(text: str) -> Tuple[Set[str], Set[str]]:
    import yaml

    paths: Set[str] = set()
    images: Set[str] = set()
    if not re.search(r"^(services|apiVersion|kind)\s*:", text, re.MULTILINE):
        return paths, images  # neither compose nor Kubernetes (CI workflows, configs)
    try:  # libyaml's safe loader when PyYAML was built with it: the same safety, faster
        documents = list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except Exception:  # not YAML we can read: no links
        return paths, images
    for doc in documents:
        if not isinstance(doc, dict):
            continue
        services = doc.get("services")
        if isinstance(services, dict):
            for service in services.values():
                if isinstance(service, dict):
                    _compose_service(service, paths, images)
        _k8s_images(doc, images)
    return paths, images


def _compose_service(service: dict, paths: Set[str], images: Set[str]) -> None:
    build = service.get("build")
    if isinstance(build, str):
        paths.add(build)
    elif isinstance(build, dict) and isinstance(build.get("context", "."), str):
        paths.add(build.get("context", "."))
    image = service.get("image")
    if isinstance(image, str):
        images.add(image_name(image))
    for volume in service.get("volumes") or []:
        if isinstance(volume, str) and volume.startswith((".", "/")) and ":" in volume:
            paths.add(volume.split(":", 1)[0])


def _k8s_images(root, images: Set[str]) -> None:
    """Every `image:` string, visiting each node once and at most 5,000 nodes (an alias bomb
    shares nodes; walking it as a tree would never end)."""
    stack, seen = [root], set()
    while stack and len(seen) < 5_000:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "image" and isinstance(value, str):
                    images.add(image_name(value))
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))


def common_base(paths: Iterable[Path]) -> Optional[Path]:
    paths = [str(p) for p in paths]
    return Path(os.path.commonpath(paths)) if paths else None


def output_base(result_root: Path) -> Path:
    """SARIF and GitHub annotations: the repository root (GitHub resolves paths from it), else
    the run's common root."""
    return repository_root(result_root) or result_root


def report_base(output_format: str, result_root: Path) -> Path:
    """Text output is relative to where the user stands (paths open from there); SARIF, GitHub
    and GitLab annotations and reviewdog to the repository root, which they resolve paths from;
    JSON and JUnit to the run's common root."""
    if output_format in ("text", "concise", "checklist", "checklist-markdown"):
        return Path.cwd()
    if output_format in ("sarif", "github", "gitlab", "rdjson"):
        return output_base(Path(os.path.realpath(result_root)))
    return Path(os.path.realpath(result_root))


def rebased(result, base: Path):
    """The run's result with every path relative to `base` (absolute when outside it)."""
    old = Path(os.path.realpath(result.root)) if result.root else None
    if old is None or old == Path(os.path.realpath(base)):
        return result

    def move(rel: str) -> str:
        if rel.startswith("/") or rel == ".":
            return rel
        moved = os.path.relpath(os.path.normpath(old / rel), os.path.realpath(base)).replace(os.sep, "/")
        return moved if not moved.startswith("../") or base == Path.cwd() else (old / rel).as_posix()

    findings = [
        replace(
            f,
            location=replace(f.location, path=move(f.location.path)),
            related=tuple(replace(r, path=move(r.path)) for r in f.related),
        )
        for f in result.findings
    ]
    diagnostics = [replace(d, path=move(d.path)) for d in result.diagnostics]
    return replace(result, findings=findings, diagnostics=diagnostics, root=base)
