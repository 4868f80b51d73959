"""Writing files safely: atomically, durably, one writer at a time.

``atomic_write`` writes a temporary file in the same folder, flushes it to
disk, renames it over the target and flushes the folder, so a crash at any
moment leaves either the old file or the new one, never half of one.
``repo_lock`` serialises commands that write (a second one waits).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

LOCK_NAME = ".nesa-lock"


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
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
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def repo_lock(root: str | os.PathLike, timeout: float | None = None) -> Iterator[None]:
    """Hold the repository's write lock (``<root>/.nesa-lock``, flock).

    Waits for another writer to finish; with ``timeout`` (seconds) raises
    TimeoutError instead of waiting longer."""
    import fcntl
    import time

    path = Path(root) / LOCK_NAME
    with open(path, "a+") as f:
        if timeout is None:
            fcntl.flock(f, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"another nesa command is writing in {root}; try again") from None
                    time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
