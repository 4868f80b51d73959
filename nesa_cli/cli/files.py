"""Files a command writes for the user (``-o FILE``, ``--html FILE``, ``-o FOLDER``).

One set of checks for every such option, made before any work is done: the
target is not a folder, its folder exists; and any error while writing (a
read-only file system, a full disk, no permission) becomes one clear message
with the path, exit 2, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from nesa_cli.cli import common


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def output_file(text: str | os.PathLike | None, option: str = "-o") -> Path | None:
    """The file an option names, checked (None when the option was not given)."""
    if text is None:
        return None
    path = Path(text)
    if str(text) == "":
        raise common.Misuse(f"{option} needs a file name")
    if path.is_dir():
        raise common.Misuse(f"{option} {path}: is a folder; give a file name")
    parent = path.parent
    if not parent.exists():
        raise common.Misuse(f"{option} {path}: folder {parent} does not exist")
    if not parent.is_dir():
        raise common.Misuse(f"{option} {path}: {parent} is not a folder")
    return path


def output_folder(text: str | os.PathLike, option: str = "-o", make: bool = True) -> Path:
    """A folder to write several files into; made (with its parents) when missing
    (with ``make=False`` only checked, before the command does its work)."""
    folder = Path(text)
    if str(text) == "":
        raise common.Misuse(f"{option} needs a folder name")
    if folder.exists() and not folder.is_dir():
        raise common.Misuse(f"{option} {folder}: is a file, not a folder")
    if not make:
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise common.Misuse(f"cannot make folder {folder}: {_why(exc)}") from None
    return folder


def write(path: Path, payload: bytes | str, atomic: bool = False) -> None:
    """Write the whole file (``atomic``: through a temporary file and a rename,
    for files in the data repository); an OSError becomes a message naming the path."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    try:
        if atomic:
            from nesa_cli.store.write import atomic_write

            atomic_write(path, data)
        else:
            with open(path, "wb") as fh:
                fh.write(data)
    except OSError as exc:
        raise common.Misuse(f"cannot write {path}: {_why(exc)}") from None


def announce(path: Path, what: str, payload: bytes | str) -> None:
    """Say on stderr what a command wrote (a quiet success leaves a person
    wondering): ``nesa: wrote the agenda (4.2 kB) to agenda.html``."""
    size = len(payload.encode("utf-8") if isinstance(payload, str) else payload)
    amount = f"{size:,} bytes" if size < 1000 else f"{size / 1000:.1f} kB"
    common.echo(f"nesa: wrote {what} ({amount}) to {path}", err=True)


@contextlib.contextmanager
def writing(where: os.PathLike | str) -> Iterator[None]:
    """Around a library call that writes in the data repository (``where``): a
    read-only checkout, a full disk or a missing permission is reported with
    the path, exit 2."""
    try:
        yield
    except OSError as exc:
        raise common.Misuse(f"cannot write {exc.filename or where}: {_why(exc)}") from None


def pdf_warning(url: str, why: str) -> None:
    """Told once per resource a PDF was not allowed to contain."""
    from nesa_cli.diagnostics import visible

    shown = url if len(url) <= 120 else url[:117] + "..."
    common.echo(f"nesa: warning: left out of the PDF: {visible(shown)} ({why})", err=True)
