"""Reading the data at a git revision straight from git objects.

Nothing is checked out and the working tree and index are never touched.
GitPython is imported only here, so commands without ``--at`` never pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from nesa_cli.errors import UsageError
from nesa_cli.store.root import DATA_DIR

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_SAFE_REV = re.compile(r"[A-Za-z0-9._/@{}~^:+-]+\Z")


class RevisionError(UsageError):
    """A revision or date that names no commit."""


def _repo(root: Path):
    from nesa_cli.store.gitrun import repository

    return repository(root, RevisionError, f"{root} is not inside a git repository, so there is no history to read")


def prefix(root: Path, repo=None) -> str:
    """Where the data repository sits in its git repository: "" when it is the
    git repository's top folder, else e.g. "alliance/" (POSIX, with a slash).
    Git names every path from its top folder, so this is added to each path
    given to git and taken off each path git gives back."""
    repo = repo if repo is not None else _repo(root)
    try:
        rel = Path(root).resolve().relative_to(Path(repo.working_tree_dir).resolve())
    except (ValueError, TypeError):
        return ""
    text = rel.as_posix()
    return "" if text in ("", ".") else text + "/"


def _unprefixed(path: str | None, pre: str) -> str | None:
    """A path git gave (from its top folder) as a path in the data repository."""
    if path is None or not pre:
        return path
    return path[len(pre):] if path.startswith(pre) else None


def has_commit(repo) -> bool:
    """Whether HEAD names a commit (not so in a repository ``git init`` has just made)."""
    try:
        repo.head.commit
    except ValueError:
        return False
    return True


def is_shallow(repo) -> bool:
    try:
        return repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    except Exception:  # an old git without the option
        return Path(repo.git_dir, "shallow").is_file()


def shallow_boundary(repo) -> set[str]:
    """The commits of a shallow clone whose parents were not fetched (empty
    for a full clone): git lists them in the file ``shallow``."""
    try:
        path = Path(getattr(repo, "common_dir", None) or repo.git_dir, "shallow")
        return set(path.read_text(encoding="ascii").split()) if path.is_file() else set()
    except (OSError, UnicodeDecodeError):
        return set()


SHALLOW_FIX = "git fetch --unshallow"


def _shallow_hint(repo) -> str:
    return (f"; this is a shallow clone, so older history was not fetched: run {SHALLOW_FIX} "
            "(in CI: actions/checkout with fetch-depth: 0)") if is_shallow(repo) else ""


def _end_of_day(day: date) -> float:
    """The POSIX time of the last second of ``day`` in local time (UTC where
    the local time zone cannot say, as for year 1)."""
    from datetime import timezone

    last = datetime.combine(day, time(23, 59, 59))
    try:
        return last.astimezone().timestamp()
    except (ValueError, OverflowError, OSError):
        return (last.replace(tzinfo=timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds()


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
        end = _end_of_day(day)
        for commit in repo.iter_commits(head, first_parent=True):
            if commit.committed_date <= end:
                return commit
        raise RevisionError(f"no commit on or before {at} (the first commit is later){_shallow_hint(repo)}")
    if at.startswith("-") or not _SAFE_REV.match(at):
        raise RevisionError(f"{at!r} is not a revision name")
    try:
        # git itself reads the name (reflog dates such as HEAD@{1.year.ago}, a
        # shallow clone's missing parents), never GitPython's own parser
        sha = repo.git.rev_parse("--verify", "--quiet", f"{at}^{{commit}}").strip()  # a leading "-" was refused above
        return repo.commit(sha)
    except (git.BadName, ValueError, git.GitCommandError):
        raise RevisionError(f"{at!r} names no commit (try a date YYYY-MM-DD, a branch, a tag or a commit id)"
                            f"{_shallow_hint(repo)}") from None


def first_parent(commit, boundary: set[str] | None = None):
    """The commit's first parent as git sees it: None for a root commit and
    for the oldest commit of a shallow clone (its parent was not fetched)."""
    if not commit.parents:
        return None
    boundary = shallow_boundary(commit.repo) if boundary is None else boundary
    return None if commit.hexsha in boundary else commit.parents[0]


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
        pre = prefix(self.root, self.commit.repo)
        try:
            tree = self.commit.tree / (pre + DATA_DIR)
        except KeyError:
            return
        for item in tree.traverse():
            if item.type != "blob":
                continue
            path = item.path[len(pre):]
            if item.mode == 0o120000:
                self._unsafe.append((path, "symbolic link; data files must be regular files"))
                continue
            self._blobs[path] = item

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


def _blob(commit, path: str | None, pre: str = "") -> bytes | None:
    """The bytes of ``path`` (in the data repository) at ``commit``."""
    if commit is None or path is None:
        return None
    try:
        return (commit.tree / (pre + path)).data_stream.read()
    except KeyError:
        return None


def file_history(root: Path, path: str) -> list[tuple]:
    """Commits that changed ``path`` (following renames), newest first:
    ``(commit, before_bytes, after_bytes, old_path, new_path)``, bytes None
    where the file did not exist. The oldest commit of a shallow clone is
    left out (what it changed cannot be known)."""
    repo = _repo(root)
    if not has_commit(repo):
        return []
    pre = prefix(root, repo)
    boundary = shallow_boundary(repo)
    log = repo.git.log("--follow", "-M", "--format=%x00%H", "--name-status", "--", pre + path)
    out = []
    for chunk in log.split("\x00")[1:]:
        lines = [ln for ln in chunk.splitlines() if ln.strip()]
        if not lines or lines[0].strip() in boundary:
            continue
        commit = repo.commit(lines[0].strip())
        parent = first_parent(commit, boundary)
        old_path = new_path = path
        for entry in lines[1:]:
            parts = [_unprefixed(p, pre) for p in entry.split("\t")[1:]]
            status = entry.split("\t")[0]
            if status.startswith(("R", "C")) and len(parts) == 2:
                old_path, new_path = parts[0], parts[1]
            elif status == "A":
                old_path, new_path = None, parts[0]
            elif status == "D":
                old_path, new_path = parts[0], None
            elif len(parts) == 1:
                old_path = new_path = parts[0]
        out.append((commit, _blob(parent, old_path, pre), _blob(commit, new_path, pre), old_path, new_path))
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


def _entries(output: str, pre: str) -> list[tuple[str, str | None, str | None]]:
    return [(st, _unprefixed(old, pre), _unprefixed(new, pre)) for st, old, new in _name_status(output)]


def unmerged(root: Path) -> list[str]:
    """Files under data/ with unresolved merge conflicts (paths in the data repository)."""
    repo = _repo(root)
    pre = prefix(root, repo)
    out = repo.git.diff("--name-only", "--diff-filter=U", "-z", "--", pre + DATA_DIR)
    return sorted(p for p in (_unprefixed(x, pre) for x in out.split("\x00") if x) if p)


def changed_files(root: Path, a: str, b: str | None = None) -> list[tuple[str | None, bytes | None, str | None, bytes | None]]:
    """Files under data/ that differ between revision ``a`` and revision ``b``
    (or the working tree when ``b`` is None), renames detected:
    ``(old_path, old_bytes, new_path, new_bytes)``, paths in the data repository."""
    repo = _repo(root)
    pre = prefix(root, repo)
    ca = resolve(root, a)
    args = ["--name-status", "-M", "-z"]
    if b is None:
        entries = _entries(repo.git.diff(*args, ca.hexsha, "--", pre + DATA_DIR), pre)
        untracked = repo.git.ls_files("--others", "--exclude-standard", "-z", "--", pre + DATA_DIR)
        entries += [("A", None, _unprefixed(p, pre)) for p in untracked.split("\x00") if p]
        entries = list({(old, new): (st, old, new) for st, old, new in entries}.values())  # a conflict is listed twice

        def new_bytes(p):
            f = Path(root) / p
            return f.read_bytes() if f.is_file() and not f.is_symlink() else None
    else:
        cb = resolve(root, b)
        entries = _entries(repo.git.diff(*args, ca.hexsha, cb.hexsha, "--", pre + DATA_DIR), pre)

        def new_bytes(p):
            return _blob(cb, p, pre)
    return [(old, _blob(ca, old, pre), new, new_bytes(new) if new else None) for _, old, new in entries]


def commits_in(root: Path, a: str | None = None, b: str = "HEAD", since: str | None = None) -> list:
    """Non-merge commits in ``a..b`` (or since a date/time on ``b``), oldest
    first. The oldest commit of a shallow clone is left out: what it changed
    cannot be known (see :func:`history_note`)."""
    repo = _repo(root)
    if not has_commit(repo):
        return []
    end = resolve(root, b)
    kwargs = {"no_merges": True}
    if since:
        kwargs["since"] = since
    rev = f"{resolve(root, a).hexsha}..{end.hexsha}" if a else end.hexsha
    boundary = shallow_boundary(repo)
    found = repo.iter_commits(rev, paths=prefix(root, repo) + DATA_DIR, **kwargs)
    return list(reversed([c for c in found if c.hexsha not in boundary]))


def history_note(root: Path, since: datetime | None = None) -> str | None:
    """A sentence for a report over history when the history is incomplete
    (a shallow clone whose oldest fetched commit is after ``since``)."""
    try:
        repo = _repo(root)
        if not is_shallow(repo):
            return None
        oldest = min((repo.commit(sha) for sha in shallow_boundary(repo)), key=lambda c: c.committed_date, default=None)
    except (RevisionError, ValueError):
        return None
    if oldest is None:
        return None
    when = oldest.committed_datetime
    if since is not None and when.replace(tzinfo=None) <= since.replace(tzinfo=None):
        return None  # everything asked for is here
    return (f"this is a shallow clone: history before {when:%Y-%m-%d} was not fetched, so earlier changes are "
            f"not listed (run {SHALLOW_FIX} for all of it)")


def commit_files(commit, root: Path | None = None) -> list[tuple[str | None, bytes | None, str | None, bytes | None]]:
    """What one commit changed under data/ against its first parent (paths in
    the data repository at ``root``)."""
    repo = commit.repo
    pre = prefix(root, repo) if root is not None else ""
    parent = first_parent(commit)
    if parent is not None:
        out = repo.git.diff("--name-status", "-M", "-z", parent.hexsha, commit.hexsha, "--", pre + DATA_DIR)
    else:
        out = repo.git.show("--name-status", "-M", "-z", "--format=", commit.hexsha, "--", pre + DATA_DIR)
    entries = _entries(out.lstrip("\x00").lstrip("\n"), pre)
    return [(old, _blob(parent, old, pre), new, _blob(commit, new, pre)) for _, old, new in entries]
