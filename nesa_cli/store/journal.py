"""Edits that change several files land whole: a roll-forward journal.

``atomic_write`` makes the change of one file atomic. Some edits change two or
more files that must agree: a withdrawal writes the school file and ends the
school's network memberships. Killed between the two renames, such an edit
would leave a school that has withdrawn but is still an active network
member, which the validator rightly rejects.

So an edit of several files first writes every new file's bytes into one
journal (``.nesa-state/edit-journal.json``, written atomically and flushed to
disk), then renames the files into place one by one, then deletes the
journal. Whoever next opens the working tree and finds a journal whose writer
is gone (the repository lock is free) finishes the job: it writes every file
named in the journal again and deletes the journal. A crash before the
journal is complete leaves every file old; any crash after leaves a journal
that makes every file new. Either way no mixture survives the next command.

Every function here expects ``root`` to be the repository root.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

from nesa_cli.errors import DataError
from nesa_cli.store.paths import UnsafePath, safe_path
from nesa_cli.store.root import DATA_DIR

JOURNAL = ".nesa-state/edit-journal.json"
IGNORE = ".nesa-state/.gitignore"
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")  # atomic_write's temporary files


class JournalError(DataError):
    """The journal names a path outside data/ or cannot be read: it was not
    written by nesa, so it is left alone for a person to look at."""


def write_files(root: Path, planned: dict[str, bytes], removed=()) -> None:
    """Write ``planned`` (path relative to root -> bytes) so that a crash at
    any moment leaves either every file old or, once the next command has
    opened the repository, every file new. Call with the repository lock held.

    Every path must stay inside data/ (see nesa_cli.store.paths): UnsafePath
    before anything is written otherwise. ``removed`` are files to delete,
    with the same guarantee."""
    from nesa_cli.store.write import atomic_write

    root = Path(root)
    targets = {p: safe_path(root, p, under=DATA_DIR) for p in [*planned, *removed]}  # all checked before the first write
    sweep_temp_files(root, [*planned, JOURNAL])
    if len(planned) == 1 and not removed:
        (path, data), = planned.items()
        atomic_write(targets[path], data)
        return
    journal = safe_path(root, JOURNAL)
    ignore = safe_path(root, IGNORE)
    if not ignore.exists():  # never committed by a careless `git add -A`
        atomic_write(ignore, b"*\n")
    payload = {"version": 1, "files": {p: base64.b64encode(planned[p]).decode("ascii") for p in sorted(planned)}}
    if removed:
        payload["removed"] = sorted(removed)
    atomic_write(journal, json.dumps(payload).encode("utf-8"))
    _apply(root, payload["files"], payload.get("removed", ()))
    _remove(journal)


def recover(root: Path) -> list[str]:
    """Finish an edit that was killed half way (see the module's description).

    Returns the paths written again. Does nothing when there is no journal,
    or while another command holds the repository lock (a live writer
    finishes its own journal)."""
    from nesa_cli.store.write import repo_lock

    root = Path(root)
    if not (root / JOURNAL).exists():
        return []
    try:
        with repo_lock(root, timeout=0):
            return recover_locked(root)
    except TimeoutError:
        return []
    except OSError:
        return []  # a read-only checkout: nothing can be finished here; validation shows the state


def recover_locked(root: Path) -> list[str]:
    """:func:`recover` for a caller that already holds the repository lock.

    UnsafePath when the journal's place is a link or of the wrong type."""
    journal = safe_path(root, JOURNAL)
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        return []
    try:
        files = json.loads(raw)["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not a mapping")
        decoded = {_checked(root, p): base64.b64decode(v, validate=True) for p, v in files.items()}
        gone = json.loads(raw).get("removed", [])
        if not isinstance(gone, list):
            raise TypeError("removed is not a list")
        gone = [_checked(root, p) for p in gone]
    except (ValueError, KeyError, TypeError) as exc:
        raise JournalError(f"{journal} is not a journal nesa wrote ({exc}); look at it, then delete it") from None
    sweep_temp_files(root, [*decoded, JOURNAL])  # left by a replay (or the edit itself) that was killed
    _apply(root, {p: base64.b64encode(b).decode("ascii") for p, b in decoded.items()}, gone)
    _remove(journal)
    return sorted([*decoded, *gone])


def sweep_temp_files(root: Path, paths) -> None:
    """Delete temporary files left in the folders of ``paths`` by a writer that
    was killed (its process no longer exists). Call with the lock held."""
    for folder in {(Path(root) / p).parent for p in paths}:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            m = _TEMP.match(name)
            if m and not _alive(int(m["pid"])):
                try:
                    os.unlink(folder / name)
                except OSError:
                    pass


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (then its temporary files are its own)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would end the process there
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _alive_windows(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _checked(root: Path, path: str) -> str:
    """A journal may only name files under data/, never through a link."""
    if not isinstance(path, str):
        raise TypeError(f"path {path!r} is not text")
    try:
        safe_path(root, path, under=DATA_DIR)
    except UnsafePath as exc:
        raise ValueError(f"path {path!r} is outside {DATA_DIR}/ or leads through a link: {exc}") from None
    return path


def _apply(root: Path, files: dict[str, str], removed=()) -> None:
    from nesa_cli.store.write import atomic_write, fsync_folder

    for path, data in sorted(files.items()):
        atomic_write(safe_path(root, path, under=DATA_DIR), base64.b64decode(data))
    for path in sorted(removed):
        target = safe_path(root, path, under=DATA_DIR)
        try:
            os.unlink(target)
        except FileNotFoundError:
            continue  # a replay: removed already
        fsync_folder(target.parent)


def _remove(journal: Path) -> None:
    from nesa_cli.store.write import fsync_folder

    os.unlink(journal)
    fsync_folder(journal.parent)
