"""Writing files safely: atomically, durably, one writer at a time, on every system.

``atomic_write`` writes a temporary file in the same folder, flushes it to
disk, renames it over the target and flushes the folder, so a crash at any
moment leaves either the old file or the new one, never half of one.
``write_in`` does the same for a path relative to the repository root, after
:func:`nesa_cli.store.paths.safe_path` has made sure it stays inside (every
write into a repository goes that way). ``repo_lock`` serialises commands
that write (a second one waits).

Locks are taken with :mod:`filelock` (``flock`` on Linux and macOS,
``LockFileEx`` on Windows), never with ``fcntl`` directly; flushing a folder
is done only where the system can (POSIX, when the folder opens), since
Windows cannot open a folder as a file and makes renames durable itself.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from nesa_cli.store.paths import UnsafePath, safe_path  # noqa: F401 - UnsafePath re-exported for callers

LOCK_NAME = ".nesa-lock"


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)  # our own leftover (a reused pid); O_EXCL below never opens through a planted link
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(folder)


def write_in(root: str | os.PathLike, rel: str, data: bytes, under: str | None = None) -> Path:
    """Write ``data`` atomically at ``rel`` inside the repository ``root``
    (inside ``root/under`` when given); UnsafePath when ``rel`` would leave it."""
    path = safe_path(root, rel, under=under)
    atomic_write(path, data)
    return path


def fsync_folder(folder: str | os.PathLike) -> None:
    """Make a rename in ``folder`` durable, where the system allows it.

    POSIX needs the folder itself flushed; Windows cannot open a folder this
    way (and has no ``O_DIRECTORY``), and some file systems refuse: then
    there is nothing more to do."""
    flag = getattr(os, "O_DIRECTORY", None)
    if os.name == "nt" or flag is None:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | flag)
    except OSError:  # PermissionError, IsADirectoryError, EINVAL...: not supported here
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def file_lock(path: str | os.PathLike, timeout: float | None = None, busy: str = "") -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a lock file, made if missing).

    Waits for the holder to finish; with ``timeout`` (seconds; 0 tries once)
    raises TimeoutError(``busy``) instead of waiting longer. A holder that is
    killed lets go at once (the system drops its lock)."""
    import filelock

    lock = filelock.FileLock(os.fspath(path), timeout=-1 if timeout is None else timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise TimeoutError(busy or f"{path} is locked by another process; try again") from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def repo_lock(root: str | os.PathLike, timeout: float | None = None) -> Iterator[None]:
    """Hold the repository's write lock (``<root>/.nesa-lock``).

    Waits for another writer to finish; with ``timeout`` (seconds) raises
    TimeoutError instead of waiting longer. UnsafePath when ``.nesa-lock`` is
    a link or a folder."""
    path = safe_path(root, LOCK_NAME)
    with file_lock(path, timeout, f"another nesa command is writing in {root}; try again"):
        yield
