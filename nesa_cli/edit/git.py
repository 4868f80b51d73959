"""Commit and branch plumbing for edits (GitPython, imported only here).

Only the files an edit touched are ever committed: ``git commit --only``
with their paths, so anything else already staged or changed in the working
tree stays exactly as it was. Branch names are checked with
``git check-ref-format --branch`` and are never placed where git could read
them as an option.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from nesa_cli.errors import UsageError


class GitError(UsageError):
    """A git step an edit needed could not be done; the message says why."""


def _repo(root: Path):
    from nesa_cli.store.gitrun import repository

    return repository(root, GitError, f"{root} is not inside a git repository, so the edit cannot be committed; "
                                      "run without --commit/--branch")


def _run(repo, *args: str) -> str:
    import git

    try:
        return repo.git.execute(["git", *args], with_extended_output=False, strip_newline_in_stdout=True)
    except git.GitCommandError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().replace("stderr: ", "").strip("'\n ")
        raise GitError(f"git {args[0]} failed: {detail or exc}") from None


def check_branch(root: Path, name: str) -> None:
    """Refuse a branch name git would not accept, or one that already exists."""
    if not name or name.startswith("-") or re.search(r"[\x00-\x20\x7f]", name):
        raise GitError(f"{name!r} is not a usable branch name (no leading '-', no spaces or control characters)")
    repo = _repo(root)
    try:
        _run(repo, "check-ref-format", "--branch", name)
    except GitError:
        raise GitError(f"{name!r} is not a valid branch name (see git check-ref-format)") from None
    if _exists(repo, f"refs/heads/{name}"):
        raise GitError(f"a branch named {name!r} already exists; choose another name")
    try:
        repo.head.commit
    except ValueError:
        raise GitError("the repository has no commits yet, so no branch can be made from it") from None


# What git leaves behind while an operation waits for the user; committing then
# would put the edit into a rebase that --abort throws away, or into a merge.
_IN_PROGRESS = (
    ("rebase-merge", "a rebase is in progress (git rebase --continue or --abort first)"),
    ("rebase-apply", "a rebase or git am is in progress (git rebase --continue / git am --continue, or --abort, first)"),
    ("MERGE_HEAD", "a merge is in progress (finish it with git commit, or git merge --abort, first)"),
    ("CHERRY_PICK_HEAD", "a cherry-pick is in progress (git cherry-pick --continue or --abort first)"),
    ("REVERT_HEAD", "a revert is in progress (git revert --continue or --abort first)"),
    ("BISECT_LOG", "a bisect is in progress (git bisect reset first)"),
)


def check_state(root: Path) -> None:
    """Refuse to commit while git is in the middle of something (a rebase,
    merge, cherry-pick, revert or bisect) or the index has unresolved
    conflicts: called before anything is written."""
    repo = _repo(root)
    top = Path(repo.working_tree_dir or root)
    for name, why in _IN_PROGRESS:
        where = Path(_run(repo, "rev-parse", "--git-path", name))
        if not where.is_absolute():
            where = top / where
        if where.exists():
            raise GitError(f"cannot commit: {why}; nothing was written")
    conflicted = _run(repo, "ls-files", "--unmerged", "-z")
    if conflicted:
        paths = sorted({e.split("\t", 1)[1] for e in conflicted.split("\0") if "\t" in e})
        raise GitError(f"cannot commit: unresolved merge conflicts in {', '.join(paths[:5])}"
                       f"{' and others' if len(paths) > 5 else ''} (resolve them and git add, or abort); nothing was written")


def _exists(repo, ref: str) -> bool:
    try:
        _run(repo, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
        return True
    except GitError:
        return False


def changed(root: Path, paths: list[str]) -> list[str]:
    """Which of ``paths`` (relative to ``root``) differ from HEAD in the index or
    working tree, or exist untracked: committing them would carry changes the
    edit did not make."""
    repo = _repo(root)
    absolute = [os.fspath(Path(root, p)) for p in paths]
    out = _run(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *absolute)
    top = Path(repo.working_tree_dir).resolve()
    found = []
    for entry in out.split("\0"):
        if len(entry) > 3 and entry[2] == " ":
            rel = (top / entry[3:]).resolve()
            try:
                found.append(rel.relative_to(Path(root).resolve()).as_posix())
            except ValueError:
                found.append(entry[3:])
    return sorted(found)


def current_branch(root: Path) -> str | None:
    repo = _repo(root)
    try:
        return repo.active_branch.name
    except TypeError:  # detached HEAD
        return None


def create_branch(root: Path, name: str) -> None:
    """Create ``name`` at HEAD and switch to it; the working tree is untouched."""
    check_branch(root, name)
    repo = _repo(root)
    _run(repo, "checkout", "-q", "-b", name, "HEAD", "--")


def commit(root: Path, paths: list[str], message: str, then: str = "commit the change") -> str:
    """Commit exactly ``paths`` as they are now on disk (removals included) and
    nothing else. Returns the new commit's id. ``then`` ends the message that
    asks for a git identity ("set it ..., then <then>")."""
    repo = _repo(root)
    absolute = sorted({os.fspath(Path(root, p)) for p in paths})
    _run(repo, "add", "-A", "--", *absolute)
    try:
        _run(repo, "commit", "-q", "--only", "-m", message, "--", *absolute)
    except GitError as exc:
        text = str(exc)
        if "user.email" in text or "identity" in text or "user.name" in text:
            raise GitError("git does not know who you are: set it with git config user.name \"Your Name\" "
                           f"and git config user.email you@example.org, then {then}") from None
        raise
    return repo.head.commit.hexsha


def ready_to_commit(root: Path, paths: list[str]) -> None:
    """Before a write that will be committed: a git repository, not in the middle
    of a rebase or merge, and none of ``paths`` carrying changes of its own."""
    current_branch(root)
    check_state(root)
    present = [p for p in paths if Path(root, p).exists()]
    dirty = changed(root, present) if present else []  # no paths: git status would name every change
    if dirty:
        raise GitError(f"{', '.join(dirty)} already {'has' if len(dirty) == 1 else 'have'} changes that are not committed; "
                       "committing would include them. Commit or discard them first, or run without --commit")
