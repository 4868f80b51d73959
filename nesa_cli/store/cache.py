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
one file, their data followed by a small index (see nesa_cli.store.packs).
Reading 25,000 school entries from one pack costs one read and one
``marshal.loads`` of the index instead of 25,000 opens, and each file's data
is unmarshalled only when something asks for it: a listing that keeps 4,000
of 25,000 schools unpacks 4,000. Entries the pack lacks (an edited file, an
older revision read with ``--at``) come from the single-file entries or are
parsed afresh, and the pack is rewritten only when the set of entries
changed. Every entry's data carries a CRC-32, checked when it is unpacked;
so does every single-file and whole-run entry, checked when it is read, and
an entry of the wrong shape is a miss: a damaged cache costs time, never a
wrong answer.

What the cache keeps per file is one :class:`~nesa_cli.store.entries.Entry`
(its diagnostics as rows, the summary of its record, its data packed or at
hand), whichever of these places it comes from; the callers (the loader)
read entries by name and hand them back to :meth:`Cache.unpack`.

The cache is written only into real folders of the repository: when
``.nesa-cache`` (or a folder in it) is a symbolic link, the cache is not
used (``Cache.refused`` says why) rather than followed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from nesa_cli import __version__
from nesa_cli.resources import schemas_dir
from nesa_cli.store.entries import Entry, as_rows, at_hand, rows_ok, run_rows_ok, stored, thaw
from nesa_cli.store.listings import Listings
from nesa_cli.store.packs import PACK_TAG, bytes_reader, open_pack, read_pack, write_pack

__all__ = ["CACHE_DIR", "ENTRY_TAG", "PACK_TAG", "Cache", "Entry", "Listings", "file_key", "fingerprint", "run_key", "run_rows_ok"]

CACHE_DIR = ".nesa-cache"
ENTRY_TAG = b"nc1\0"  # a single entry: this tag, the CRC-32 of the rest (4 bytes), then its marshal bytes


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
        self.refused: str | None = None  # why a cache folder that is there is not used
        self.dir = self._folder(Path(root)) if (root is not None and enabled) else None
        self._dir_str = os.fspath(self.dir) if self.dir is not None else ""
        self._root = root
        self._safe: set[str] = set()  # entry folders known to be real folders inside the repository
        self.hits = self.misses = 0
        self._packs: dict[str, dict[str, Entry]] = {}  # kind -> the index of its pack as read
        self._blobs: dict[str, Any] = {}  # kind -> read(offset, length): bytes of its pack (see packs.open_pack)
        self._used: dict[str, dict[str, Entry]] = {}  # kind -> the entries this load used
        self._damaged: set[str] = set()  # kinds whose pack held a damaged entry (removed, not rewritten)
        self._listings: Listings | None = None

    def _folder(self, root: Path) -> Path | None:
        """``.nesa-cache/<fingerprint>`` when it is (or can be made) a real
        folder of the repository: a link there (a committed one could send
        private values anywhere) turns the cache off rather than be followed."""
        from nesa_cli.store.paths import UnsafePath, safe_path

        try:
            return safe_path(root, f"{CACHE_DIR}/{fingerprint()}", folder=True)
        except UnsafePath as exc:
            self.refused = str(exc)
            return None

    # --- one entry per file, through the kind's pack -------------------------

    def in_pack(self, kind: str, keys: list[str]) -> list[Entry | None]:
        """The entries of these files of ``kind`` in the kind's pack (None
        where it has none). Nothing is unpacked, nor counted as used until
        :meth:`use`. (The quick way for the common case, files met before;
        :meth:`lookup` serves every case.)"""
        if self.dir is None:
            return [None] * len(keys)
        return list(map(self._pack(kind).get, keys))

    def use(self, kind: str, keys: list[str], entries: list[Entry]) -> None:
        """Count entries from :meth:`in_pack` as served (they go into the next pack)."""
        self._used.setdefault(kind, {}).update(zip(keys, entries))
        self.hits += len(keys)

    def listings(self) -> Listings:
        """What folders held when last listed (see :class:`Listings`)."""
        if self._listings is None:
            self._listings = Listings(self)
        return self._listings

    def open_packs(self, kinds) -> None:
        """Read the packs of these kinds now (a load does, while git works)."""
        if self.dir is not None:
            for kind in kinds:
                self._pack(kind)

    def entries(self, kind: str, keys: list[str | None]) -> list[Entry | None]:
        """The entries of these files of ``kind`` (None where the cache holds
        none, or the key is None): from the kind's pack, else from each file's
        own entry; every one found goes into the next pack."""
        if self.dir is None:
            return [None] * len(keys)
        index = self._pack(kind)
        found = list(map(index.get, keys))
        served = len(found)
        if None in found:
            for i, entry in enumerate(found):
                if entry is None:
                    served -= 1
                    if keys[i] is not None:
                        found[i] = self.own(keys[i])
            self._used.setdefault(kind, {}).update((k, e) for k, e in zip(keys, found) if e is not None)
        else:
            self._used.setdefault(kind, {}).update(zip(keys, found))
        self.hits += served
        return found

    def lookup(self, kind: str, key: str) -> Entry | None:
        """The entry of one file of ``kind``: from the kind's pack (its data
        left packed until :meth:`unpack`), else from the file's own entry."""
        if self.dir is None:
            return None
        entry = self._pack(kind).get(key)
        if entry is not None:
            self.hits += 1
        else:
            entry = self.own(key)
        if entry is not None:
            self._used.setdefault(kind, {})[key] = entry
        return entry

    def own(self, key: str) -> Entry | None:
        """The entry of one file from its own cache file only (no pack, and
        not kept for the next pack): reading a few files, opening a kind's
        whole pack costs more than it saves."""
        value = self.get(key)
        if not (isinstance(value, tuple) and len(value) == 3 and rows_ok(value[1]) and rows_ok(value[2])):
            return None
        return at_hand(*value)

    def put_file(self, kind: str, key: str, data: Any, load_problems: list, schema_problems: list) -> Entry | None:
        """Remember a file just parsed and checked: its data and its YAML and
        schema diagnostics (its own entry, and the kind's next pack)."""
        if self.dir is None:
            return None
        load_rows, schema_rows = as_rows(load_problems), as_rows(schema_problems)
        entry = self._used.setdefault(kind, {})[key] = at_hand(data, load_rows, schema_rows)
        self._write(key, (key, entry.frozen, (entry.payload, load_rows, schema_rows)))
        return entry

    def summarised(self, kind: str, key: str, entry: Entry, summary: tuple | None) -> Entry:
        """The entry with the summary of the record just built from it (kept in the next pack)."""
        entry = entry._replace(summary=summary)
        used = self._used.get(kind)
        if used is not None and key in used:
            used[key] = entry
        return entry

    def unpack(self, kind: str, entry: Entry) -> Any:
        """The data of an entry of ``kind``; ValueError when its packed bytes
        are damaged: the pack is removed (the next load writes it again) and
        the caller reads the file instead."""
        if not entry.packed:
            return entry.data
        try:
            blob = self._blobs[kind](entry.offset, entry.length)
            if zlib.crc32(blob) != entry.crc:
                raise ValueError("checksum")
            payload = marshal.loads(blob)
        except (ValueError, EOFError, TypeError, OSError) as exc:
            self.misses += 1
            self._damaged.add(kind)  # not written again by this process: the next load writes it whole
            try:
                os.unlink(self._path(f"pack-{kind}"))
            except OSError:
                pass
            raise ValueError(f"a damaged cache entry: {exc}") from None
        return thaw(payload) if entry.frozen else payload

    def save_packs(self) -> None:
        """Rewrite each kind's pack whose entries differ from what this load used."""
        if self.dir is None:
            return
        for kind, used in self._used.items():
            if kind not in self._damaged and used.keys() != self._pack(kind).keys():
                self._write(f"pack-{kind}", lambda f, kind=kind, used=used: write_pack(f, kind, used, self._blobs.get(kind)))

    def _pack(self, kind: str) -> dict[str, Entry]:
        """The index of the kind's pack: key -> entry (see nesa_cli.store.packs)."""
        index = self._packs.get(kind)
        if index is None:
            index, blobs = {}, bytes_reader(b"")
            path = self._path(f"pack-{kind}")
            try:
                read, size = open_pack(path)
                index, blobs = read_pack(read, size, kind), read
            except FileNotFoundError:
                pass
            except Exception:  # noqa: BLE001 - a corrupt or foreign pack is never trusted
                self.misses += 1
                try:
                    os.unlink(path)
                except OSError:
                    pass
            self._packs[kind], self._blobs[kind] = index, blobs
        return index

    # --- single entries ------------------------------------------------------

    def _path(self, key: str) -> str:
        return os.path.join(self._dir_str, key[:2], key)

    def get(self, key: str, count: bool = True) -> Any | None:
        """The entry stored under ``key``, or None. ``count=False`` leaves
        the hit and miss counts (which are about data files) alone.

        An entry is trusted only when it is whole: its CRC-32 matches and it
        names ``key``; any other is removed (the caller rebuilds it)."""
        if self.dir is None:
            return None
        path = self._path(key)
        value = None
        try:
            with open(path, "rb") as f:
                raw = f.read()
            if raw[:4] != ENTRY_TAG or zlib.crc32(raw[8:]) != int.from_bytes(raw[4:8], "little"):
                raise ValueError("a damaged or foreign cache entry")
            stored_key, frozen, value = marshal.loads(raw[8:])
            if frozen:
                value = thaw(value)
            value = (stored_key, value)
        except FileNotFoundError:
            value = None
        except Exception:  # noqa: BLE001 - a corrupt or truncated entry is never trusted (EOFError, ValueError, TypeError...)
            value = None
            try:
                os.unlink(path)
            except OSError:
                pass
        if not (isinstance(value, tuple) and len(value) == 2 and value[0] == key):
            self.misses += count
            return None
        self.hits += count
        return value[1]

    def put(self, key: str, value: Any) -> None:
        if self.dir is None:
            return
        frozen, payload = stored(value)
        self._write(key, (key, frozen, payload))

    def _write(self, name: str, record) -> None:
        """Write one cache file atomically (temporary file, rename): ``record``
        marshalled behind its checksum, or written by ``record(file)`` (a
        pack, which carries its own) when it is a function. Only into real
        folders of the repository (see nesa_cli.store.paths); when that or
        the write fails, the cache is off for the rest of the command."""
        from nesa_cli.store.paths import UnsafePath, safe_path

        path = self._path(name)
        try:
            folder = os.path.dirname(path)
            if folder not in self._safe:
                safe_path(self._root, f"{CACHE_DIR}/{self.dir.name}/{name[:2]}", folder=True)
                os.makedirs(folder, exist_ok=True)
                self._safe.add(folder)
            first = not (self.dir.parent / ".gitignore").exists()
            tmp = f"{path}.{os.getpid()}.tmp"
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            with open(fd, "wb") as f:
                if callable(record):
                    record(f)
                else:
                    body = marshal.dumps(record)
                    f.write(ENTRY_TAG + zlib.crc32(body).to_bytes(4, "little"))
                    f.write(body)
            os.replace(tmp, path)
            if first:
                from nesa_cli.store.write import write_in

                write_in(self._root, f"{CACHE_DIR}/.gitignore", b"*\n")
        except (OSError, ValueError, UnsafePath) as exc:  # ValueError: a value marshal cannot write
            if isinstance(exc, UnsafePath):
                self.refused = str(exc)
            self.dir = None  # read-only checkout, or a link in the way: carry on without a cache
            self._dir_str = ""
