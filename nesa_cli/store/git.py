"""Reading the data at a git revision straight from git objects.

Nothing is checked out and the working tree and index are never touched.
GitPython is imported only here, so commands without ``--at`` never pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
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

    def content_id(self, path: str) -> str:
        return self._blobs[path].hexsha

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


def _name_status(output: str) -> list[tuple[str, str | None, str | None]]:
    """Parse ``git diff --name-status -z`` into (status, old_path, new_path)."""
    parts = output.split("\x00")
    out = []
    i = 0
    while i < len(parts) and parts[i]:
        status = parts[i]
        if status[0] in "RC":
            out.append((status[0], parts[i + 1], parts[i + 2]))
            i += 3
        else:
            path = parts[i + 1]
            out.append((status[0], None if status[0] == "A" else path, None if status[0] == "D" else path))
            i += 2
    return out


def changed_files(root: Path, a: str, b: str | None = None) -> list[tuple[str | None, bytes | None, str | None, bytes | None]]:
    """Files under data/ that differ between revision ``a`` and revision ``b``
    (or the working tree when ``b`` is None), renames detected:
    ``(old_path, old_bytes, new_path, new_bytes)``."""
    repo = _repo(root)
    ca = resolve(root, a)
    args = ["--name-status", "-M", "-z"]
    if b is None:
        out = repo.git.diff(*args, ca.hexsha, "--", DATA_DIR)
        entries = _name_status(out)
        untracked = repo.git.ls_files("--others", "--exclude-standard", "-z", "--", DATA_DIR)
        entries += [("A", None, p) for p in untracked.split("\x00") if p]
        work = Path(repo.working_tree_dir)

        def new_bytes(p):
            f = work / p
            return f.read_bytes() if f.is_file() and not f.is_symlink() else None
    else:
        cb = resolve(root, b)
        entries = _name_status(repo.git.diff(*args, ca.hexsha, cb.hexsha, "--", DATA_DIR))

        def new_bytes(p):
            return _blob(cb, p)
    return [(old, _blob(ca, old), new, new_bytes(new) if new else None) for _, old, new in entries]


def commits_in(root: Path, a: str | None = None, b: str = "HEAD", since: str | None = None) -> list:
    """Non-merge commits in ``a..b`` (or since a date/time on ``b``), oldest first."""
    repo = _repo(root)
    try:
        repo.head.commit
    except ValueError:
        return []
    end = resolve(root, b)
    kwargs = {"no_merges": True}
    if since:
        kwargs["since"] = since
    rev = f"{resolve(root, a).hexsha}..{end.hexsha}" if a else end.hexsha
    return list(reversed(list(repo.iter_commits(rev, paths=DATA_DIR, **kwargs))))


def commit_files(commit) -> list[tuple[str | None, bytes | None, str | None, bytes | None]]:
    """What one commit changed under data/ against its first parent."""
    repo = commit.repo
    if commit.parents:
        out = repo.git.diff("--name-status", "-M", "-z", commit.parents[0].hexsha, commit.hexsha, "--", DATA_DIR)
        parent = commit.parents[0]
    else:
        out = repo.git.show("--name-status", "-M", "-z", "--format=", commit.hexsha, "--", DATA_DIR)
        parent = None
    entries = _name_status(out.lstrip("\x00").lstrip("\n"))
    return [(old, _blob(parent, old), new, _blob(commit, new)) for _, old, new in entries]
