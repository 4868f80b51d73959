"""Sources of data files: the working tree and git revisions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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

    def __post_init__(self) -> None:
        self._unsafe: list[tuple[str, str]] = []
        self._files: list[str] | None = None

    def files(self) -> list[str]:
        if self._files is None:
            self._files = self._scan()
        return self._files

    def _scan(self) -> list[str]:
        out: list[str] = []
        base = self.root / DATA_DIR
        if not base.is_dir():
            return out
        root_real = os.path.realpath(self.root)
        stack = [base]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError as exc:
                self._unsafe.append((self._rel(Path(folder)), f"cannot read folder: {exc.strerror}"))
                continue
            for entry in entries:
                rel = self._rel(Path(entry.path))
                if entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if os.path.commonpath([root_real, target]) != root_real:
                        self._unsafe.append((rel, "symbolic link pointing outside the repository"))
                        continue
                    self._unsafe.append((rel, "symbolic link; data files must be regular files"))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    out.append(rel)
        out.sort()
        return out

    def _rel(self, p: Path) -> str:
        return p.relative_to(self.root).as_posix()

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def unsafe(self) -> list[tuple[str, str]]:
        self.files()
        return list(self._unsafe)
