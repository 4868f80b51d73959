"""What a PDF may contain: the gate every file handed to the PDF engine passes.

A template override is written by anyone who can open a pull request, and a
PDF is made on machines whose environment holds secrets. So the PDF engine is
handed nothing but

* regular files inside the data repository (a logo, an image next to a
  template, the repository's own Typst templates), and
* the tool's own bundled templates,

found after resolving symbolic links (a link that leads outside is refused),
never under a dot-folder (``.git``, ``.nesa-state``, the cache), only of the
kinds a document shows, at most 10 MiB. Everything else - other files,
``/proc``, any URL - is refused: the file is left out and
``on_refused(url, why)`` is told once per URL. See :mod:`nesa_cli.render.pdf`
for how Typst is fenced in around these files.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from nesa_cli.resources import templates_dir

ASSET_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg", ".css", ".woff", ".woff2", ".ttf", ".otf",
})
MAX_ASSET_BYTES = 10 * 1024 * 1024
_MIME = {".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf", ".svg": "image/svg+xml"}


class Refused(Exception):
    """A resource the document may not contain (the reason is the message)."""


class Gate:
    """Decides what a document may fetch; remembers what it refused."""

    def __init__(self, root: Path | None, on_refused: Callable[[str, str], None] | None = None):
        self.folders = [templates_dir().resolve()]
        if root is not None:
            self.folders.insert(0, Path(root).resolve())
        self.on_refused = on_refused
        self.refused: dict[str, str] = {}

    def base_url(self) -> str:
        """Relative references resolve against the repository (or the bundled assets)."""
        return self.folders[0].as_uri() + "/"

    def refuse(self, url: str, why: str) -> Refused:
        if url not in self.refused:
            self.refused[url] = why
            if self.on_refused is not None:
                self.on_refused(url, why)
        return Refused(why)

    def read(self, url: str, suffixes: frozenset[str] | None = None) -> tuple[bytes, str]:
        """(content, mime type) of an allowed ``file:`` URL; raises :class:`Refused`.
        ``suffixes``: the kinds of file allowed (default: images, style sheets, fonts)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme != "file":
            raise self.refuse(url, f"{scheme or 'this'} URLs are not fetched" if scheme else "not a URL")
        if parts.netloc not in ("", "localhost"):
            raise self.refuse(url, "files on other hosts are not fetched")
        raw = unquote(parts.path)
        if "\x00" in raw:
            raise self.refuse(url, "not a file name")
        try:
            real = Path(os.path.realpath(raw))
        except (OSError, ValueError):
            raise self.refuse(url, "not a file name") from None
        inside = next((f for f in self.folders if real == f or f in real.parents), None)
        if inside is None:
            raise self.refuse(url, "outside the data repository")
        rel = real.relative_to(inside).parts
        if any(p.startswith(".") for p in rel):
            raise self.refuse(url, "in a hidden folder")
        if real.suffix.lower() not in (ASSET_SUFFIXES if suffixes is None else suffixes):
            raise self.refuse(url, "not an image, style sheet or font")
        try:
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            raise self.refuse(url, "no such file") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise self.refuse(url, "not a regular file")
            if info.st_size > MAX_ASSET_BYTES:
                raise self.refuse(url, f"larger than {MAX_ASSET_BYTES // 1024 // 1024} MiB")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(MAX_ASSET_BYTES + 1)
        finally:
            os.close(fd)
        if len(data) > MAX_ASSET_BYTES:
            raise self.refuse(url, f"larger than {MAX_ASSET_BYTES // 1024 // 1024} MiB")
        suffix = real.suffix.lower()
        return data, _MIME.get(suffix) or mimetypes.guess_type(real.name)[0] or "application/octet-stream"
