"""Extract a repository snapshot's files for the real-code evaluation (a script, not a test).

    python bench/extract.py GIT_DIR DEST [COMMIT]

Writes the files of COMMIT (default HEAD) of the bare repository GIT_DIR under DEST, skipping
symbolic links and the blobs the snapshot does not hold (a mirror may list its largest files
without their content, and `git archive` then stops). Add the repository and the commit to
`bench/repos/<set>.txt` and judge its findings with `python bench/realcode.py --repo owner/name`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def extract(git_dir: str, dest: Path, commit: str = "HEAD") -> int:
    listing = subprocess.run(
        ["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", commit], check=True, capture_output=True
    ).stdout.split(b"\0")
    written = 0
    for entry in filter(None, listing):
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        blob = subprocess.run(["git", "--git-dir", git_dir, "cat-file", "blob", sha.decode()], capture_output=True)
        if blob.returncode != 0:
            continue  # absent from the snapshot
        target = dest / path.decode("utf-8", "surrogateescape")
        if dest.resolve() not in target.resolve().parents:
            continue  # a path that would leave DEST
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
        written += 1
    return written


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    count = extract(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:])
    print(f"{count} files written to {sys.argv[2]}")
