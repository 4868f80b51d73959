"""`nesa commit`: stage and commit the data's changes for those who do not use git.

Only what is under ``data/`` and ``templates/`` of the data repository is ever
committed (``git commit --only`` with exactly those paths), so a file changed
or staged anywhere else stays as it was. The message is the user's subject
line and a body that names, in words, what changed (nesa_cli.changes).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nesa_cli.edit.git import GitError, _repo, _run, check_state

AREAS = ("data", "templates")
_VERBS = {"A": "added", "M": "changed", "D": "removed", "R": "renamed", "T": "changed", "?": "added", "U": "changed"}
MAX_BODY_LINES = 60


class NothingToCommit(GitError):
    """No file under data/ or templates/ differs from the last commit."""


@dataclass(frozen=True)
class Pending:
    """One changed file, paths relative to the data repository."""

    status: str  # "added", "changed", "removed", "renamed"
    path: str
    old_path: str | None = None  # a rename's former path

    def paths(self) -> list[str]:
        return [p for p in (self.old_path, self.path) if p]

    def line(self) -> str:
        if self.status == "renamed":
            return f"{self.old_path} renamed to {self.path}"
        return f"{self.path} {self.status}"


def pending(root: Path) -> list[Pending]:
    """Every file under data/ and templates/ that differs from HEAD, in the
    index or the working tree, or is new and not ignored."""
    repo = _repo(root)
    top = Path(repo.working_tree_dir).resolve()
    base = Path(root).resolve()
    where = [os.fspath(base / a) for a in AREAS if (base / a).exists() or _tracked(repo, base / a)]
    if not where:
        return []
    out = _run(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", *where)

    def rel(p: str) -> str:
        try:
            return (top / p).relative_to(base).as_posix()
        except ValueError:
            return p

    found = []
    for entry in out.split("\0"):
        if len(entry) < 4:
            continue
        code, path = entry[:2], rel(entry[3:])
        letter = code[1] if code[1] not in " " else code[0]
        if "D" in code and "A" not in code:
            letter = "D"
        found.append(Pending(_VERBS.get(letter, "changed"), path))
    return sorted(found, key=lambda p: p.path)


def _tracked(repo, path: Path) -> bool:
    return bool(_run(repo, "ls-files", "-z", "--", os.fspath(path)))


def message(subject: str, items: list[Pending], described: list[str]) -> str:
    """The subject, a blank line, then the changes in words (data) and the
    templates touched; long bodies end with "... and N more"."""
    subject = " ".join(subject.split())
    if not subject:
        raise GitError("the commit message is empty: say in a few words what you changed (-m \"...\")")
    lines = [f"- {t}" for t in described]
    lines += [f"- {p.line()}" for p in items if p.path.startswith("templates/")]
    if len(lines) > MAX_BODY_LINES:
        lines = lines[:MAX_BODY_LINES - 1] + [f"- ... and {len(lines) - MAX_BODY_LINES + 1} more"]
    return subject + ("\n\n" + "\n".join(lines) if lines else "") + "\n"


def has_head(root: Path) -> bool:
    try:
        _repo(root).head.commit
        return True
    except ValueError:
        return False


def prepare(root: Path) -> list[Pending]:
    """Refuse during a rebase, merge, cherry-pick... or when nothing changed;
    else the files to commit."""
    check_state(root)
    items = pending(root)
    if not items:
        raise NothingToCommit("nothing to commit: no file under data/ or templates/ has changed since the last commit")
    return items


def commit(root: Path, items: list[Pending], text: str) -> str:
    """Commit exactly the files of ``items`` (as they are on disk, removals
    included) with ``text``; returns the new commit's id."""
    from nesa_cli.edit import git as gitops

    return gitops.commit(root, [p for it in items for p in it.paths()], text, then="run nesa commit again")
