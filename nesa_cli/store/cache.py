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
one file, their data followed by a small index (see ``_write_pack``).
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

The cache is written only into real folders of the repository: when
``.nesa-cache`` (or a folder in it) is a symbolic link, the cache is not
used (``Cache.refused`` says why) rather than followed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import zlib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from nesa_cli import __version__
from nesa_cli.resources import schemas_dir

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
        self._packs: dict[str, dict[str, tuple]] = {}  # kind -> the index of its pack as read
        self._blobs: dict[str, Any] = {}  # kind -> read(offset, length): bytes of its pack (see _open_pack)
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

    def rows(self, kind: str, keys: list[str]) -> list[tuple | None]:
        """The index rows of these files of ``kind`` in the kind's pack (None
        where it has none): (frozen, load rows, schema rows, summary, offset,
        length, crc). Nothing is unpacked, nor counted as used until
        :meth:`use`. (The quick way for the common case, files met before;
        :meth:`lookup` serves every case.)"""
        if self.dir is None:
            return [None] * len(keys)
        return list(map(self._pack(kind).get, keys))

    def use(self, kind: str, keys: list[str], rows: list[tuple]) -> None:
        """Count rows from :meth:`rows` as served (they go into the next pack)."""
        self._used.setdefault(kind, {}).update(zip(keys, rows))
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

    def lookup(self, kind: str, key: str) -> Entry | None:
        """The entry of one file of ``kind``: from the kind's pack (its data
        left packed until :meth:`unpack`), else from the file's own entry."""
        if self.dir is None:
            return None
        row = self._pack(kind).get(key)
        if row is not None:
            self.hits += 1
            entry = _from_row(row, self._blobs[kind])
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
        if not (isinstance(value, tuple) and len(value) == 3 and _rows_ok(value[1], 5) and _rows_ok(value[2], 5)):
            return None
        return _at_hand(*value)

    def put_file(self, kind: str, key: str, data: Any, load_rows: list, schema_rows: list) -> Entry | None:
        """Remember a file just parsed and checked (its own entry, and the kind's next pack)."""
        if self.dir is None:
            return None
        entry = self._used.setdefault(kind, {})[key] = _at_hand(data, load_rows, schema_rows)
        self._write(key, (key, entry.frozen, (entry.payload, load_rows, schema_rows)))
        return entry

    def unpack(self, kind: str, entry: Entry | tuple) -> Any:
        """The data of an entry of ``kind`` (or of a row from :meth:`rows`);
        ValueError when its packed bytes are damaged: the pack is removed (the
        next load writes it again) and the caller reads the file instead."""
        if type(entry) is tuple:
            frozen, offset, length, crc = entry[0], entry[4], entry[5], entry[6]
            blob = self._blobs[kind](offset, length)
        elif entry.blob is None:
            return entry.data
        else:
            frozen, blob, crc = entry.frozen, entry.blob, entry.crc
        try:
            if zlib.crc32(blob) != crc:
                raise ValueError("checksum")
            payload = marshal.loads(blob)
        except (ValueError, EOFError, TypeError) as exc:
            self.misses += 1
            self._damaged.add(kind)  # not written again by this process: the next load writes it whole
            try:
                os.unlink(self._path(f"pack-{kind}"))
            except OSError:
                pass
            raise ValueError(f"a damaged cache entry: {exc}") from None
        return _thaw(payload) if frozen else payload

    def save_packs(self) -> None:
        """Rewrite each kind's pack whose entries differ from what this load used."""
        if self.dir is None:
            return
        for kind, used in self._used.items():
            if kind not in self._damaged and used.keys() != self._pack(kind).keys():
                self._write(f"pack-{kind}", lambda f, kind=kind, used=used: _write_pack(f, kind, used, self._blobs.get(kind)))

    def _pack(self, kind: str) -> dict[str, tuple]:
        """The index of the kind's pack: key -> row (see _write_pack)."""
        index = self._packs.get(kind)
        if index is None:
            index, blobs = {}, _bytes_reader(b"")
            path = self._path(f"pack-{kind}")
            try:
                read, size = _open_pack(path)
                index, blobs = _read_pack(read, size, kind), read
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
                value = _thaw(value)
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
        frozen, payload = _stored(value)
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


def _rows_ok(rows, width: int) -> bool:
    """Diagnostic rows as a cache entry keeps them: a list of tuples of ``width``."""
    return isinstance(rows, list) and all(type(r) is tuple and len(r) == width for r in rows)


def run_rows_ok(hit) -> bool:
    """Whether a whole-run entry has its shape: (files checked, diagnostic rows)."""
    return (isinstance(hit, tuple) and len(hit) == 2 and type(hit[0]) is int and _rows_ok(hit[1], 6)
            and all(type(r[0]) is str and type(r[1]) is int and type(r[2]) is int and all(type(x) is str for x in r[3:])
                    for r in hit[1]))


class Listings:
    """What each folder under data/ held when last listed (file names, folder
    names, refused entries), by the folder's own modification time, inode and
    change time. Adding, removing or renaming an entry changes a folder's
    modification time (and setting that time back changes its change time),
    so an unchanged folder need not be read again (git's untracked cache rests
    on the same fact): at 25,000 school files, listing data/ took 40 to 60 ms.
    A listing is kept only when the folder had last been modified more than
    RACY_NS before it was read; a change within the same clock tick as the
    read could otherwise leave the time as it was."""

    KEY = "folder-listings"
    RACY_NS = 2_000_000_000

    def __init__(self, cache: Cache):
        self._cache = cache
        self._held: dict | None = None
        self._seen: set[str] = set()
        self._changed = False

    def _all(self) -> dict:
        if self._held is None:
            value = self._cache.get(self.KEY, count=False)
            self._held = value if isinstance(value, dict) else {}
        return self._held

    @staticmethod
    def _stamp(stat) -> tuple[int, int, int]:
        return (stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)

    def get(self, folder: str, stat) -> tuple | None:
        """(files, folders, refused) of ``folder`` if it is as it was when listed."""
        self._seen.add(folder)
        known = self._all().get(folder)
        if not (isinstance(known, tuple) and len(known) == 2 and known[0] == self._stamp(stat)):
            return None
        held = known[1]
        if not (isinstance(held, tuple) and len(held) == 3 and all(isinstance(part, list) for part in held)):
            return None
        return held

    def put(self, folder: str, stat, held: tuple) -> None:
        import time

        self._seen.add(folder)
        now = time.time_ns()
        if now - stat.st_mtime_ns > self.RACY_NS:
            self._all()[folder] = (self._stamp(stat), tuple(held))
            self._changed = True
        elif self._all().pop(folder, None) is not None:
            self._changed = True

    def save(self) -> None:
        """Keep the listings of the folders seen in this scan."""
        held = self._all()
        for gone in set(held) - self._seen:
            del held[gone]
            self._changed = True
        if self._changed:
            self._cache.put(self.KEY, held)
            self._changed = False


_DEC = "\x00decimal"


class Entry:
    """One file's cached verdict: its own diagnostics (YAML, schema) as rows,
    the summary of its record (see nesa_cli.model.summary; None until a record
    was built from it), and its data: at hand (``data``), or still packed
    (``blob``, marshal bytes with a CRC-32) until :meth:`Cache.unpack`."""

    __slots__ = ("frozen", "load_rows", "schema_rows", "summary", "payload", "blob", "crc", "data")

    def __init__(self, frozen, load_rows, schema_rows, summary, payload, blob, crc, data=None):
        self.frozen, self.load_rows, self.schema_rows, self.summary = frozen, load_rows, schema_rows, summary
        self.payload, self.blob, self.crc, self.data = payload, blob, crc, data


def _at_hand(data: Any, load_rows: list, schema_rows: list) -> Entry:
    """An entry whose data is at hand (just parsed, or read from its own file)."""
    frozen, payload = _stored(data)
    return Entry(frozen, load_rows, schema_rows, None, payload, None, 0, data)


def _from_row(row: tuple, read) -> Entry:
    frozen, load_rows, schema_rows, summary, offset, length, crc = row
    return Entry(frozen, load_rows, schema_rows, summary, None, read(offset, length), crc)


def _bytes_reader(data: bytes):
    """read(offset, length) over bytes in memory."""
    view = memoryview(data)
    return lambda offset, length: view[offset:offset + length]


def _open_pack(path: str):
    """(read(offset, length), size) of a pack file. Where the system reads at
    an offset (POSIX pread), the file stays open and only what is asked for
    is read: the index, and the entries a command uses (a 25,000-school pack
    is 19 MB, its index 3 MB). Elsewhere it is read whole."""
    import weakref

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if not hasattr(os, "pread"):
            data = os.read(fd, size)
            os.close(fd)
            return _bytes_reader(data), len(data)

        def read(offset: int, length: int) -> bytes:
            return os.pread(fd, length, offset)

        weakref.finalize(read, os.close, fd)  # closed when nothing can read it any more
        return read, size
    except BaseException:
        os.close(fd)
        raise


# A pack file (format PACK_TAG):
#   a header: 4-byte length, then marshal of (PACK_TAG, kind)
#   the data of every entry, each marshalled on its own, one after another
#   the index: marshal of {key: (frozen, load_rows, schema_rows, summary, offset, length, crc32)}
#   a trailer: the index's offset (8 bytes), length (8) and CRC-32 (4), then PACK_END
# The index is small and read whole; an entry's data is unmarshalled only when
# it is asked for, so a query that keeps 4,000 of 25,000 schools unpacks 4,000.
PACK_TAG = "nesa-pack-3"
PACK_END = b"nesa-end"
_TRAILER = 8 + 8 + 4 + len(PACK_END)


def _write_pack(f, kind: str, entries: dict[str, Entry | tuple], blobs=None) -> None:
    """Write the entries' data one at a time (one marshal call over a region's
    40 policy files, which list a million adoptions, held 80 MB at the peak of
    a first validation), then the index. An entry is an :class:`Entry` or a
    row of the pack read before, whose data ``blobs(offset, length)`` reads."""
    head = marshal.dumps((PACK_TAG, kind))
    f.write(len(head).to_bytes(4, "little"))
    f.write(head)
    at = 4 + len(head)
    index = {}
    for key, e in entries.items():
        if type(e) is tuple:
            frozen, load_rows, schema_rows, summary, offset, length, crc = e
            blob = blobs(offset, length)
        else:
            frozen, load_rows, schema_rows, summary = e.frozen, e.load_rows, e.schema_rows, e.summary
            if e.blob is not None:
                blob, crc = e.blob, e.crc
            else:
                blob = marshal.dumps(e.payload)
                crc = zlib.crc32(blob)
        f.write(blob)
        index[key] = (frozen, load_rows, schema_rows, summary, at, len(blob), crc)
        at += len(blob)
    blob = marshal.dumps(index)
    f.write(blob)
    f.write(at.to_bytes(8, "little") + len(blob).to_bytes(8, "little") + zlib.crc32(blob).to_bytes(4, "little") + PACK_END)


def _read_pack(read, size: int, kind: str) -> dict[str, tuple]:
    """The index of a pack of ``size`` bytes read by ``read(offset, length)``;
    ValueError (or EOFError) when it is not a whole pack of ``kind``."""
    if size < 4 + _TRAILER:
        raise ValueError("the pack was cut short")
    trailer = bytes(read(size - _TRAILER, _TRAILER))
    if trailer[-len(PACK_END):] != PACK_END:
        raise ValueError("no trailer: the pack was cut short")
    at = int.from_bytes(trailer[0:8], "little")
    length = int.from_bytes(trailer[8:16], "little")
    crc = int.from_bytes(trailer[16:20], "little")
    head = int.from_bytes(read(0, 4), "little")
    if not 4 + head <= at <= at + length == size - _TRAILER:
        raise ValueError("the parts of the pack do not add up")
    if marshal.loads(read(4, head)) != (PACK_TAG, kind):
        raise ValueError("not a pack of this kind")
    blob = read(at, length)
    if zlib.crc32(blob) != crc:
        raise ValueError("the index fails its checksum")
    index = marshal.loads(blob)
    if not isinstance(index, dict):
        raise ValueError("not a pack index")
    return index


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
