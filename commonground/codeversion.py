"""The running code's fingerprint, for cache keys (no Django imports: settings use it)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path


def _git_commit(start: Path) -> str:
    """The checked-out commit, read from the ``.git`` folder (no subprocess); "" if none."""
    for folder in (start, *start.parents):
        git = folder / ".git"
        if git.is_file():  # a worktree: "gitdir: <path>"
            text = git.read_text().strip()
            if text.startswith("gitdir:"):
                git = (folder / text.split(":", 1)[1].strip()).resolve()
        if not git.is_dir():
            continue
        try:
            head = (git / "HEAD").read_text().strip()
            if not head.startswith("ref:"):
                return head
            ref = head.split(":", 1)[1].strip()
            common = git
            if (git / "commondir").is_file():
                common = (git / (git / "commondir").read_text().strip()).resolve()
            for base in (git, common):
                if (base / ref).is_file():
                    return (base / ref).read_text().strip()
            packed = common / "packed-refs"
            if packed.is_file():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split(" ", 1)[0]
        except OSError:
            return ""
        return ""
    return ""


@cache
def code_version() -> str:
    """A short fingerprint of the running code, computed once per process.

    The installed package's version, plus the git commit when running from a
    checkout, or else the digest of the installed files' record (pip writes each
    file's hash into it), so two builds of one version differ too.
    """
    from importlib import metadata

    parts = []
    try:
        dist = metadata.distribution("commonground")
        parts.append(dist.version)
        record = dist.read_text("RECORD") or ""
    except metadata.PackageNotFoundError:
        record = ""
    commit = _git_commit(Path(__file__).resolve().parent)
    parts.append(commit or hashlib.sha256(record.encode()).hexdigest())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
