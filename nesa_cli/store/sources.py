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
        self._pending_ids = None  # () -> the ids, once git was asked (start_content_ids)
        self._listings = None  # store.cache.Listings, when a cache is in use (use_listings)
        if os.path.exists(os.path.join(self._root_str, ".nesa-state", "edit-journal.json")):
            self._finish_interrupted_edit()

    def _finish_interrupted_edit(self) -> None:
        """An edit of several files was killed half way: finish it before
        anything is read (see nesa_cli.store.journal)."""
        from nesa_cli.store.journal import JOURNAL, JournalError, recover
        from nesa_cli.store.paths import UnsafePath

        try:
            recover(self.root)
        except (JournalError, UnsafePath) as exc:
            self._unsafe.append((JOURNAL, str(exc)))

    def files(self) -> list[str]:
        if self._files is None:
            self._files = self._scan()
        return self._files

    def use_listings(self, listings) -> None:
        """Reuse what folders held when they have not changed since (see
        store.cache.Listings); no effect once the files were listed."""
        if self._files is None:
            self._listings = listings

    def _scan(self) -> list[str]:
        # Plain strings and os.scandir: pathlib costs more than the reading at 25,000 files.
        out: list[str] = []
        root = os.fspath(self.root)
        base = os.path.join(root, DATA_DIR)
        if os.path.islink(base):
            self._unsafe.append((DATA_DIR, "symbolic link; the data folder must be a real folder in the repository"))
            return out
        if not os.path.isdir(base):
            return out
        listings = self._listings
        prefix = len(root) + 1
        stack = [base]
        while stack:
            folder = stack.pop()
            folder_rel = folder[prefix:].replace(os.sep, "/")
            try:
                stat = os.stat(folder) if listings is not None else None
                known = listings.get(folder_rel, stat) if listings is not None else None
                held = known if known is not None else _list_folder(root, folder, folder_rel)
            except OSError as exc:
                self._unsafe.append((folder_rel, f"cannot read folder: {exc.strerror}"))
                continue
            if listings is not None and known is None:
                listings.put(folder_rel, stat, held)
            files, folders, refused = held
            out.extend([f"{folder_rel}/{name}" for name in files])
            stack.extend([os.path.join(folder, name) for name in folders])
            self._unsafe.extend(refused)
        if listings is not None:
            listings.save()
        out.sort()
        return out

    def read(self, path: str) -> bytes:
        with open(os.path.join(self._root_str, path), "rb") as f:
            return f.read()

    def unsafe(self) -> list[tuple[str, str]]:
        self.files()
        return list(self._unsafe)

    def start_content_ids(self) -> None:
        """Ask git for the blob ids now, to be collected by the first
        :meth:`content_id` (git works on the other core meanwhile)."""
        if self._ids is None and self._pending_ids is None:
            self._pending_ids = _start_git_clean_ids(self._root_str)

    def content_id(self, path: str) -> str:
        """Git's blob id of the file as it is on disk now.

        Taken from git's index when git's own stat check says the file is
        unchanged (no read at all); otherwise (changed, untracked, or marked
        assume-unchanged or skip-worktree, which git does not check) the bytes
        are hashed the way git hashes them, so the id is the same either way."""
        if self._ids is None:
            self.start_content_ids()
            self._ids, self._pending_ids = self._pending_ids(), None
        known = self._ids.get(path)
        return known if known is not None else blob_id(self.read(path))


def _list_folder(root: str, folder: str, folder_rel: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """What one folder holds: its file names, its folder names, and the
    entries refused (path, reason). Names starting with a dot are skipped."""
    files: list[str] = []
    folders: list[str] = []
    refused: list[tuple[str, str]] = []
    for entry in list(os.scandir(folder)):
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_file(follow_symlinks=False):  # most entries: one test (a link to a file is not one)
            files.append(name)
        elif entry.is_symlink():
            root_real = os.path.realpath(root)
            target = os.path.realpath(entry.path)
            if os.path.commonpath([root_real, target]) != root_real:
                refused.append((f"{folder_rel}/{name}", "symbolic link pointing outside the repository"))
            else:
                refused.append((f"{folder_rel}/{name}", "symbolic link; data files must be regular files"))
        elif entry.is_dir(follow_symlinks=False):
            folders.append(name)
        else:  # a FIFO, socket or device: reading it could block or never end
            refused.append((f"{folder_rel}/{name}", f"{_special_kind(entry)}, not a regular file; data files must be regular files"))
    return files, folders, refused


def _special_kind(entry) -> str:
    import stat

    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return "not readable"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes as a blob."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def _start_git_clean_ids(root: str):
    """Start asking git for the blob ids of files under data/ that its index
    holds and that match the working tree (git's stat check, racy-safe).
    Returns the function that waits for the answer: the ids by path, empty
    outside git."""
    import subprocess

    from nesa_cli.store import gitrun
    from nesa_cli.store.gitrun import output

    def start(*args: str):
        return gitrun.start(root, *args)

    try:
        # all at once: on 25,000 files, listing the index and checking the files take 30 to 40 ms each
        procs = [start("rev-parse", "--show-toplevel"), start("ls-files", "--stage", "-v", "-z", "--", DATA_DIR),
                 start("diff-files", "--name-only", "-z", "--", DATA_DIR)]
    except OSError:  # no git here
        return lambda: {}

    def finish() -> dict[str, str]:
        import re

        try:
            top, staged, changed = (output(p) for p in procs)
        except (OSError, subprocess.CalledProcessError):
            return {}
        if os.path.realpath(top.strip()) != os.path.realpath(root):
            return {}
        # "<tag> <mode> <id> <stage>\t<path>\0", entry after entry: regular files at
        # stage 0 only (not links, not conflicts), tagged H. A file marked
        # assume-unchanged (a lower-case tag) or skip-worktree (S) is one git
        # no longer compares with the disk, so diff-files cannot vouch for it:
        # its bytes are hashed instead.
        entries = re.findall(r"([A-Za-z]) ([0-7]{6}) ([0-9a-f]{40,64}) ([0-3])\t([^\0]*)\0", staged)
        ids = {path: sha for tag, mode, sha, stage, path in entries if tag == "H" and mode == "100644" and stage == "0"}
        for path in changed.split("\0"):
            ids.pop(path, None)
        return ids

    return finish
