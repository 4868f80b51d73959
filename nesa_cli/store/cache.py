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

Besides one entry per file, a working-tree load writes one *pack* per kind
(``pack-<kind>``): the entries of every file of that kind in that load, in
one file. Reading 25,000 school entries from one pack costs one read and
about 60 ``marshal.loads`` (the pack is written in chunks: see
``_write_pack``) instead of 25,000 opens; entries the pack lacks (an edited
file, an older revision read with ``--at``) come from the single-file entries
or are parsed afresh, and the pack is rewritten only when the set of entries
changed.
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
        self._packs: dict[str, dict[str, tuple]] = {}  # kind -> {key: (frozen, payload)} as read
        self._used: dict[str, dict[str, tuple]] = {}  # kind -> the entries this load used

    # --- one entry per file, through the kind's pack -------------------------

    def get_file(self, kind: str, key: str) -> Any | None:
        """The entry of one file of ``kind``: from the kind's pack, else from its own entry."""
        if self.dir is None:
            return None
        used = self._used.setdefault(kind, {})
        stored = self._pack(kind).get(key)
        if stored is not None:
            self.hits += 1
            used[key] = stored
            frozen, payload = stored
            return _thaw(payload) if frozen else payload
        value = self.get(key)
        if value is not None:
            used[key] = _stored(value)
        return value

    def put_file(self, kind: str, key: str, value: Any) -> None:
        if self.dir is None:
            return
        stored = _stored(value)
        self._write(key, (key, *stored))
        self._used.setdefault(kind, {})[key] = stored

    def save_packs(self) -> None:
        """Rewrite each kind's pack whose entries differ from what this load used."""
        if self.dir is None:
            return
        for kind, used in self._used.items():
            if used.keys() != self._pack(kind).keys():
                self._write(f"pack-{kind}", lambda f, kind=kind, used=used: _write_pack(f, kind, used))
                self._packs[kind] = used

    def _pack(self, kind: str) -> dict[str, tuple]:
        pack = self._packs.get(kind)
        if pack is None:
            pack = {}
            path = self._path(f"pack-{kind}")
            try:
                with open(path, "rb") as f:
                    entries = _read_pack(f.read(), kind)
                for entry in entries.values():
                    if not (isinstance(entry, tuple) and len(entry) == 2):
                        raise ValueError("not a pack entry")
                pack = entries
            except FileNotFoundError:
                pass
            except Exception:  # noqa: BLE001 - a corrupt or foreign pack is never trusted
                self.misses += 1
                try:
                    os.unlink(path)
                except OSError:
                    pass
            self._packs[kind] = pack
        return pack

    # --- single entries ------------------------------------------------------

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
        frozen, payload = _stored(value)
        self._write(key, (key, frozen, payload))

    def _write(self, name: str, record) -> None:
        """Write one cache file atomically (temporary file, rename): ``record``
        marshalled, or written by ``record(file)`` when it is a function."""
        path = self._path(name)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            first = not (self.dir.parent / ".gitignore").exists()
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as f:
                if callable(record):
                    record(f)
                else:
                    marshal.dump(record, f)
            os.replace(tmp, path)
            if first:
                (self.dir.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        except (OSError, ValueError):  # ValueError: a value marshal cannot write
            self.dir = None  # read-only checkout: carry on without a cache
            self._dir_str = ""


_DEC = "\x00decimal"
# A pack file is a sequence of records, each a 4-byte length and that many
# bytes of marshal: (PACK_TAG, kind), then chunks of entries ({key: entry}),
# then (PACK_END, number of entries).
PACK_TAG = "nesa-pack-2"
PACK_END = "nesa-pack-end"
PACK_CHUNK = 10_000  # about this many list items (contacts, adoptions...) in one chunk


def _write_pack(f, kind: str, entries: dict[str, tuple]) -> None:
    """Write the entries a chunk at a time. One marshal call keeps a table of
    every object it writes, and builds its whole output in memory: over a
    region's 40 policy files, which list a million adoptions, that cost 80 MB
    at the peak of a first validation. A chunk holds entries up to about
    PACK_CHUNK list items (about 400 schools; one large policy alone)."""

    def record(value) -> None:
        blob = marshal.dumps(value)
        f.write(len(blob).to_bytes(4, "little"))
        f.write(blob)

    record((PACK_TAG, kind))
    part, weight = {}, 0
    for key, entry in entries.items():
        data = entry[1][0] if isinstance(entry[1], tuple) and entry[1] else None
        w = 1 + (sum(len(v) for v in data.values() if isinstance(v, list)) if isinstance(data, dict) else 0)
        if part and weight + w > PACK_CHUNK:
            record(part)
            part, weight = {}, 0
        part[key] = entry
        weight += w
    if part:
        record(part)
    record((PACK_END, len(entries)))


def _read_pack(data: bytes, kind: str) -> dict[str, tuple]:
    """The entries of a pack; ValueError (or EOFError) when it is not a whole
    pack of ``kind``."""
    view = memoryview(data)
    records = []
    at = 0
    while at < len(data):
        size = int.from_bytes(view[at:at + 4], "little")
        if size <= 0 or at + 4 + size > len(data):
            raise ValueError("a record cut short")
        records.append(view[at + 4:at + 4 + size])
        at += 4 + size
    if len(records) < 2 or marshal.loads(records[0]) != (PACK_TAG, kind):
        raise ValueError("not a pack of this kind")
    entries: dict[str, tuple] = {}
    for blob in records[1:-1]:
        part = marshal.loads(blob)
        if not isinstance(part, dict):
            raise ValueError("not a pack chunk")
        entries.update(part)
    if marshal.loads(records[-1]) != (PACK_END, len(entries)):
        raise ValueError("no end record: the pack was cut short")
    return entries


def _stored(value: Any) -> tuple[bool, Any]:
    """(whether anything was frozen, the marshal-safe value)."""
    found: list[bool] = []
    payload = _freeze(value, found)
    return bool(found), payload


def _freeze(value: Any, found: list[bool]) -> Any:
    """Values marshal can write: Decimal becomes a tagged tuple (noted in ``found``).

    Anything holding no Decimal is returned as it is, not copied: a pack keeps
    the entries of every file of a kind, and copies would double the memory."""
    if isinstance(value, Decimal):
        found.append(True)
        return (_DEC, str(value))
    if isinstance(value, dict):
        changed = None
        for k, v in value.items():
            f = _freeze(v, found)
            if f is not v:
                if changed is None:
                    changed = dict(value)
                changed[k] = f
        return value if changed is None else changed
    if isinstance(value, (list, tuple)):
        items = None
        for i, v in enumerate(value):
            f = _freeze(v, found)
            if f is not v:
                if items is None:
                    items = list(value)
                items[i] = f
        if items is None:
            return value
        return items if isinstance(value, list) else tuple(items)
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
