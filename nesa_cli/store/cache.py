"""A content-addressed cache of parsed files and their verdicts.

Keyed by what a file holds, never by when it changed: the key is a hash of
the file's bytes, its kind, the schemas and the tool's version. So entries are
reused across runs, branches and ``--at`` revisions, and a content change, a
schema change or an upgrade can never serve a stale answer. Entries live in
``.nesa-cache/`` beside ``data/`` (git-ignored), are written atomically, and
one that cannot be read is ignored, removed and rebuilt. Delete the folder
whenever you like. ``NESA_CACHE=0`` turns the cache off.

Entries are written with :mod:`marshal` (plain values only), not pickle: a
cache folder that someone else wrote can at worst be wrong, never run code.
"""

from __future__ import annotations

import hashlib
import os
import marshal
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from nesa_cli import __version__
from nesa_cli.resources import schemas_dir

CACHE_DIR = ".nesa-cache"


@lru_cache(maxsize=None)
def fingerprint() -> str:
    """The tool's version and the exact schemas: part of every key."""
    h = hashlib.blake2b(digest_size=8)
    h.update(__version__.encode())
    for p in sorted(schemas_dir().glob("*.json")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def file_key(kind: str, content_id: str) -> str:
    """Key of one file's entry: its git blob id (see sources.blob_id) and kind."""
    return f"{content_id}-{kind}"


def run_key(entries: list[tuple[str, str]], extra: list[Any]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for path, key in entries:
        h.update(path.encode() + b"\0" + key.encode() + b"\n")
    h.update(repr(extra).encode())
    return "run-" + h.hexdigest()


class Cache:
    def __init__(self, root: Path | None, enabled: bool | None = None):
        if enabled is None:
            enabled = os.environ.get("NESA_CACHE", "1") not in ("0", "no", "off", "false")
        self.dir = (root / CACHE_DIR / fingerprint()) if (root is not None and enabled) else None
        self._dir_str = os.fspath(self.dir) if self.dir is not None else ""
        self.hits = self.misses = 0

    def _path(self, key: str) -> str:
        return os.path.join(self._dir_str, key[:2], key)

    def get(self, key: str) -> Any | None:
        if self.dir is None:
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                stored_key, frozen, value = marshal.loads(f.read())
            if frozen:
                value = _thaw(value)
            value = (stored_key, value)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # noqa: BLE001 - a corrupt or truncated entry is never trusted (EOFError, ValueError, TypeError...)
            self.misses += 1
            try:
                os.unlink(path)
            except OSError:
                pass
            return None
        if not (isinstance(value, tuple) and len(value) == 2 and value[0] == key):
            self.misses += 1
            return None
        self.hits += 1
        return value[1]

    def put(self, key: str, value: Any) -> None:
        if self.dir is None:
            return
        path = self._path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            first = not (self.dir.parent / ".gitignore").exists()
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as f:
                found: list[bool] = []
                payload = _freeze(value, found)
                marshal.dump((key, bool(found), payload), f)
            os.replace(tmp, path)
            if first:
                (self.dir.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        except OSError:
            self.dir = None  # read-only checkout: carry on without a cache


_DEC = "\x00decimal"


def _freeze(value: Any, found: list[bool]) -> Any:
    """Values marshal can write: Decimal becomes a tagged tuple (noted in ``found``)."""
    if isinstance(value, Decimal):
        found.append(True)
        return (_DEC, str(value))
    if isinstance(value, dict):
        return {k: _freeze(v, found) for k, v in value.items()}
    if isinstance(value, list):
        return [_freeze(v, found) for v in value]
    if isinstance(value, tuple):
        return tuple(_freeze(v, found) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        if len(value) == 2 and value[0] == _DEC:
            return Decimal(value[1])
        return tuple(_thaw(v) for v in value)
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_thaw(v) for v in value]
    return value
