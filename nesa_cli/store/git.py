"""Reading the data at a git revision straight from git objects.

Nothing is checked out and the working tree and index are never touched.
GitPython is imported only here, so commands without ``--at`` never pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path

from nesa_cli.store.root import DATA_DIR

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_SAFE_REV = re.compile(r"[A-Za-z0-9._/@{}~^:+-]+\Z")


class RevisionError(Exception):
    """A revision or date that names no commit."""


def _repo(root: Path):
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RevisionError(f"{root} is not inside a git repository, so there is no history to read") from None


def resolve(root: Path, at: str):
    """The commit for ``at``: a date (last commit on or before the end of that
    day, on the current branch) or any revision git understands."""
    import git

    repo = _repo(root)
    at = at.strip()
    if _DATE.match(at):
        try:
            day = date.fromisoformat(at)
        except ValueError:
            raise RevisionError(f"{at!r} is not a real date") from None
        try:
            head = repo.head.commit
        except ValueError:
            raise RevisionError("the repository has no commits yet") from None
        end = datetime.combine(day, time(23, 59, 59)).astimezone()
        for commit in repo.iter_commits(head, first_parent=True):
            if commit.committed_datetime <= end:
                return commit
        raise RevisionError(f"no commit on or before {at} (the first commit is later)")
    if at.startswith("-") or not _SAFE_REV.match(at):
        raise RevisionError(f"{at!r} is not a revision name")
    try:
        return repo.commit(at)
    except (git.BadName, ValueError, git.GitCommandError):
        raise RevisionError(f"{at!r} names no commit (try a date YYYY-MM-DD, a branch, a tag or a commit id)") from None


@dataclass
class GitRevision:
    """The data files as committed at one revision."""

    root: Path
    commit: object
    label: str = ""
    _blobs: dict[str, object] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.label = self.label or f"{self.commit.hexsha[:10]} ({self.commit.committed_datetime:%Y-%m-%d})"
        self._unsafe: list[tuple[str, str]] = []
        try:
            tree = self.commit.tree / DATA_DIR
        except KeyError:
            return
        for item in tree.traverse():
            if item.type != "blob":
                continue
            if item.mode == 0o120000:
                self._unsafe.append((item.path, "symbolic link; data files must be regular files"))
                continue
            self._blobs[item.path] = item

    @property
    def day(self) -> date:
        return self.commit.committed_datetime.date()

    def files(self) -> list[str]:
        return sorted(self._blobs)

    def read(self, path: str) -> bytes:
        return self._blobs[path].data_stream.read()

    def unsafe(self) -> list[tuple[str, str]]:
        return list(self._unsafe)


def at(root: Path, when: str) -> GitRevision:
    return GitRevision(root, resolve(root, when))


def _blob(commit, path: str | None) -> bytes | None:
    if commit is None or path is None:
        return None
    try:
        return (commit.tree / path).data_stream.read()
    except KeyError:
        return None


def file_history(root: Path, path: str) -> list[tuple]:
    """Commits that changed ``path`` (following renames), newest first:
    ``(commit, before_bytes, after_bytes, old_path, new_path)``, bytes None
    where the file did not exist."""
    repo = _repo(root)
    try:
        repo.head.commit
    except ValueError:
        return []
    log = repo.git.log("--follow", "-M", "--format=%x00%H", "--name-status", "--", path)
    out = []
    for chunk in log.split("\x00")[1:]:
        lines = [ln for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        commit = repo.commit(lines[0].strip())
        parent = commit.parents[0] if commit.parents else None
        old_path = new_path = path
        for entry in lines[1:]:
            parts = entry.split("\t")
            status = parts[0]
            if status.startswith(("R", "C")) and len(parts) == 3:
                old_path, new_path = parts[1], parts[2]
            elif status == "A":
                old_path, new_path = None, parts[1]
            elif status == "D":
                old_path, new_path = parts[1], None
            elif len(parts) == 2:
                old_path = new_path = parts[1]
        out.append((commit, _blob(parent, old_path), _blob(commit, new_path), old_path, new_path))
    return out
