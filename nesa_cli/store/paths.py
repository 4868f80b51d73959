"""Where nesa may write: inside the repository, never through a link.

Every file the tool writes or deletes in a repository (data files, the edit
journal, the lock, the cache, the digest's sent-record) is named by a path
relative to the repository root, and that path goes through
:func:`safe_path` before anything touches the disk. It refuses a path that
is absolute, holds ``..``, ``.``, a backslash, a colon or a NUL, or leaves the
folder it must stay in (``data/`` for data files); and, looking at the disk
without following links (``lstat``), one that passes through a symbolic link
(or a Windows junction), or that meets a file where a folder must be or a
folder where a file must be. So neither a hostile id (``../../outside/x``)
nor a committed link (``data -> /elsewhere``, ``.nesa-state -> ~/.ssh``) can
make nesa write anywhere but where it means to.

Names given on the command line that become part of a path (network, policy
and meeting ids) are checked first by :func:`check_id`, so the user hears
"not a valid id" rather than about paths.

No Typer or rich here: the command-line layer turns :class:`UnsafePath` into
an error message and exit code 2.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath
from nesa_cli.errors import UsageError


class UnsafePath(UsageError, ValueError):
    """A path nesa was about to write is not safely inside the repository:
    the message says which and why, and what to do."""


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
_BAD = re.compile(r"[\\:\x00-\x1f\x7f]")


def check_id(text, what: str = "id") -> str:
    """``text`` if it can name one file in a data folder; UnsafePath otherwise.

    An id is letters, digits, ``-``, ``_`` and ``.``, starts with a letter or
    digit and never holds ``..``: no folder separator, no drive, no NUL."""
    if isinstance(text, str) and _ID.fullmatch(text) and ".." not in text:
        return text
    raise UnsafePath(f"not a valid id: {text!r} (a {what} id is letters, digits, '-', '_' and '.', "
                     "and names one file; see the list command for the ids there are)")


def check_relative(rel, under: str | None = None) -> list[str]:
    """The parts of ``rel`` (POSIX style, relative to the repository root)
    when it names a place inside the repository (inside ``under`` when given),
    without looking at the disk; UnsafePath otherwise."""
    text = os.fspath(rel) if isinstance(rel, os.PathLike) else rel
    if not isinstance(text, str) or not text:
        raise UnsafePath(f"{text!r} is not a path inside the repository")
    if _BAD.search(text) or PurePosixPath(text).is_absolute() or PureWindowsPath(text).drive:
        raise UnsafePath(f"{text!r} is not a plain path inside the repository (absolute, or holds a backslash, colon or control character)")
    parts = text.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise UnsafePath(f"{text!r} leads outside the folder it names ('..', '.' or an empty part)")
    if under is not None and (parts[0] != under or len(parts) < 2):
        raise UnsafePath(f"{text!r} is outside {under}/")
    return parts


def safe_path(root: str | os.PathLike, rel, *, under: str | None = None, folder: bool = False) -> Path:
    """The full path of ``rel`` (relative to the repository ``root``), once it
    is known that writing there stays inside the repository.

    Every part that exists already is looked at without following links: a
    link (or junction) anywhere is refused, every part but the last must be a
    folder, and the last must be a folder when ``folder`` and otherwise not
    one. Parts that do not exist yet are fine: the writer makes them as real
    folders. Raises UnsafePath, whose message names the part and what to do."""
    parts = check_relative(rel, under)
    here = Path(root)
    for i, name in enumerate(parts):
        here = here / name
        shown = "/".join(parts[: i + 1])
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            break
        except OSError as exc:
            raise UnsafePath(f"{shown} cannot be looked at ({exc.strerror or exc})") from None
        if stat.S_ISLNK(st.st_mode) or _is_junction(here):
            raise UnsafePath(f"{shown} is a symbolic link; nesa does not write through links "
                             f"(it could point outside the repository). Replace it with a real "
                             f"{'file' if i == len(parts) - 1 and not folder else 'folder'}, or remove it")
        want_folder = folder or i < len(parts) - 1
        if want_folder and not stat.S_ISDIR(st.st_mode):
            raise UnsafePath(f"{shown} is a file where nesa keeps a folder; move it away and run again")
        if not want_folder and not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise UnsafePath(f"{shown} is {kind} where nesa keeps a file; move it away and run again")
    return Path(root).joinpath(*parts)


def _is_junction(path: Path) -> bool:
    """A Windows junction (a link lstat does not call one)."""
    check = getattr(os.path, "isjunction", None)
    return bool(check and check(path))
