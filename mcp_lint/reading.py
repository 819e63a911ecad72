"""The one way mcp-lint opens a file of the repository it checks, and the one way it splits
text into lines.

Every file read on behalf of a target (source files, `include`/`import`/`extends` targets,
`.gitignore`, snapshot files, env files, test files read by project rules) goes through
`read_bytes`: regular files only (a FIFO or a device named `x.py` would block or never end;
the file is opened non-blocking and checked on the open descriptor, so it cannot be swapped
in between), inside the project when a root is given (a symlink cannot lead out), and at most
`limit` bytes.

Lines end at `\\n`, `\\r\\n` or `\\r` only, as in Python's tokenizer, libcst and every other
parser mcp-lint uses except YAML's, which also breaks at `\\x85`, U+2028 and U+2029
(`YAML_BREAKS`). `str.splitlines` also breaks at form feeds, `\\x0b`, `\\x1c`-`\\x1e` and
those three: used on source text it puts line N of the parser on another line of ours, a
suppression on the wrong line, and an autofix on the wrong line."""

from __future__ import annotations

import functools
import glob
import itertools
import os
import re
import stat
import tokenize
from io import BytesIO
from pathlib import Path
from typing import List, Optional, Tuple, Union

from mcp_lint.run_memo import per_run

MAX_FILE_BYTES = 2_000_000
LINE_BREAKS = "\n\r"
YAML_BREAKS = "\n\r\x85\u2028\u2029"


@functools.lru_cache(maxsize=None)
def _line_pattern(breaks: str) -> "re.Pattern[str]":
    chars = re.escape(breaks)
    return re.compile(rf"[^{chars}]*(?:\r\n|[{chars}])|[^{chars}]+$")


def split_lines(text: str, keepends: bool = False, breaks: str = LINE_BREAKS) -> List[str]:
    """Like `str.splitlines`, but only `\\r\\n` and the characters of `breaks` end a line."""
    lines = _line_pattern(breaks).findall(text)
    if keepends:
        return lines
    return [_strip_break(line, breaks) for line in lines]


def _strip_break(line: str, breaks: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    return line[:-1] if line and line[-1] in breaks else line


def inside(path: Union[str, Path], root: Union[str, Path]) -> bool:
    """Whether `path` (symlinks resolved) lies inside the folder `root` (symlinks resolved)."""
    try:
        real, base = os.path.realpath(path), _real_folder(root)
    except (OSError, ValueError):
        return False
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


@per_run  # a run reads thousands of files below the same few roots
def _real_folder(root: Union[str, Path]) -> str:
    return os.path.realpath(root)


def read_bytes(
    path: Union[str, Path], limit: int = MAX_FILE_BYTES, root: Optional[Path] = None
) -> Tuple[Optional[bytes], Optional[str]]:
    """The file's bytes (at most `limit` + 1, so that callers can tell "too large"), or None and
    why not."""
    if root is not None and not inside(path, root):
        return None, "outside the project; not read"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:
        return None, f"cannot read: {getattr(exc, 'strerror', None) or exc}"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, "not a regular file"
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), None
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    finally:
        os.close(fd)


def read_text(
    path: Union[str, Path], kind: str = "text", limit: int = MAX_FILE_BYTES, root: Optional[Path] = None
) -> Tuple[Optional[str], Optional[str]]:
    """(text, None) or (None, why it was not read)."""
    data, reason = read_bytes(path, limit, root)
    return decode(data, reason, kind, limit)


def decode(
    data: Optional[bytes], reason: Optional[str], kind: str, limit: int = MAX_FILE_BYTES
) -> Tuple[Optional[str], Optional[str]]:
    if data is None:
        return None, reason
    if len(data) > limit:
        return None, f"larger than {_size(limit)}"
    if b"\0" in data[:8192]:
        return None, "binary file (NUL bytes)"
    encoding = "utf-8-sig"
    if kind == "python":
        try:
            encoding, _ = tokenize.detect_encoding(BytesIO(data).readline)
        except SyntaxError as exc:
            # detect_encoding also raises for undeclared non-UTF-8 bytes in the first two lines.
            declared = re.search(rb"^[ \t\f]*#.*?coding[:=]", data[:400], re.MULTILINE)
            return None, f"bad encoding declaration: {exc}" if declared else "not valid UTF-8 text (and no coding declaration)"
        if encoding == "utf-8":
            encoding = "utf-8-sig"
    try:
        return data.decode(encoding), None
    except (UnicodeError, LookupError):  # UnicodeError: `# coding: undefined` names a codec that always fails
        return None, f"not valid {encoding.replace('-sig', '')} text"


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} KB"


MAX_GLOB_MATCHES = 200


def bounded_glob(pattern: str, root: Union[str, Path], limit: int = MAX_GLOB_MATCHES) -> List[str]:
    """The files a glob names (at most `limit`, sorted), expanded only inside `root`: the part of
    the pattern before its first wildcard must lie in the project, so that `import /*/*/*` in a
    Caddyfile does not walk the whole filesystem."""
    parts = pattern.split(os.sep)
    literal = []
    for part in parts:
        if glob.has_magic(part):
            break
        literal.append(part)
    prefix = os.sep.join(literal) or os.sep
    if not inside(prefix, root):
        return []
    return sorted(itertools.islice(glob.iglob(pattern), limit))


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def printable(text: str) -> str:
    """`text` with control characters (ESC sequences from a hostile file name could rewrite the
    terminal), line separators and lone surrogates (undecodable bytes of a name) escaped."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)
