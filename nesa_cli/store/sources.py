"""Sources of data files: the working tree and git revisions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from nesa_cli.store.root import DATA_DIR


class Source(Protocol):
    root: Path
    label: str

    def files(self) -> list[str]:
        """Every file under data/, relative to the root, POSIX style, sorted."""

    def read(self, path: str) -> bytes:
        """The bytes of one file listed by :meth:`files`."""

    def unsafe(self) -> list[tuple[str, str]]:
        """Entries under data/ that are refused (path, reason)."""


@dataclass
class WorkingTree:
    """The files as they are on disk now, uncommitted edits included."""

    root: Path
    label: str = "working tree"
    is_working_tree: ClassVar[bool] = True  # the cache keeps its packs in step with this source only

    def __post_init__(self) -> None:
        self._unsafe: list[tuple[str, str]] = []
        self._files: list[str] | None = None
        self._root_str = os.fspath(self.root)
        self._ids: dict[str, str] | None = None
        if os.path.exists(os.path.join(self._root_str, ".nesa-state", "edit-journal.json")):
            self._finish_interrupted_edit()

    def _finish_interrupted_edit(self) -> None:
        """An edit of several files was killed half way: finish it before
        anything is read (see nesa_cli.store.journal)."""
        from nesa_cli.store.journal import JOURNAL, JournalError, recover

        try:
            recover(self.root)
        except JournalError as exc:
            self._unsafe.append((JOURNAL, str(exc)))

    def files(self) -> list[str]:
        if self._files is None:
            self._files = self._scan()
        return self._files

    def _scan(self) -> list[str]:
        # Plain strings and os.scandir: pathlib costs more than the reading at 25,000 files.
        out: list[str] = []
        root = os.fspath(self.root)
        base = os.path.join(root, DATA_DIR)
        if not os.path.isdir(base):
            return out
        root_real = os.path.realpath(root)
        prefix = len(root) + 1
        stack = [base]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError as exc:
                self._unsafe.append((folder[prefix:].replace(os.sep, "/"), f"cannot read folder: {exc.strerror}"))
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = entry.path[prefix:].replace(os.sep, "/")
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if os.path.commonpath([root_real, target]) != root_real:
                        self._unsafe.append((rel, "symbolic link pointing outside the repository"))
                    else:
                        self._unsafe.append((rel, "symbolic link; data files must be regular files"))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    out.append(rel)
        out.sort()
        return out

    def read(self, path: str) -> bytes:
        with open(os.path.join(self._root_str, path), "rb") as f:
            return f.read()

    def unsafe(self) -> list[tuple[str, str]]:
        self.files()
        return list(self._unsafe)

    def content_id(self, path: str) -> str:
        """Git's blob id of the file as it is on disk now.

        Taken from git's index when git's own stat check says the file is
        unchanged (no read at all); otherwise the bytes are hashed the way git
        hashes them, so the id is the same either way."""
        if self._ids is None:
            self._ids = _git_clean_ids(self._root_str)
        known = self._ids.get(path)
        return known if known is not None else blob_id(self.read(path))


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes as a blob."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def _git_clean_ids(root: str) -> dict[str, str]:
    """Blob ids of files under data/ that git's index holds and that match
    the working tree (git's stat check, racy-safe). Empty outside git."""
    import subprocess

    def run(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}).stdout.decode("utf-8", "surrogateescape")

    try:
        top = run("rev-parse", "--show-toplevel").strip()
        if os.path.realpath(top) != os.path.realpath(root):
            return {}
        staged = run("ls-files", "--stage", "-z", "--", DATA_DIR)
        dirty = set(run("diff-files", "--name-only", "-z", "--", DATA_DIR).split("\0"))
    except (OSError, subprocess.CalledProcessError):
        return {}
    ids = {}
    for entry in staged.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        mode, sha, stage = meta.split(" ")
        if stage == "0" and mode == "100644" and path not in dirty:
            ids[path] = sha
    return ids
