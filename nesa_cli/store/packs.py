"""A kind's pack: the cache entries of every file of one kind, in one file.

Format (``PACK_TAG``):

* a header: 4-byte length, then marshal of (PACK_TAG, kind);
* the data of every entry, each marshalled on its own, one after another;
* the index: marshal of {key: the first seven fields of its
  :class:`~nesa_cli.store.entries.Entry` (load_rows, schema_rows, summary,
  frozen, offset, length, crc)};
* a trailer: the index's offset (8 bytes), length (8) and CRC-32 (4), then PACK_END.

The index is small and read whole; an entry's data is unmarshalled only when
it is asked for, so a query that keeps 4,000 of 25,000 schools unpacks 4,000.
"""

from __future__ import annotations

import marshal
import os
import zlib
from typing import Callable

from nesa_cli.store.entries import Entry

PACK_TAG = "nesa-pack-5"  # 5: a school's summary holds its other partnerships and predecessor (nesa_cli.loader.lazy)
PACK_END = b"nesa-end"
_TRAILER = 8 + 8 + 4 + len(PACK_END)
_AT_HAND_NONE = (None, None)  # an Entry's data and payload, which a packed entry leaves out

Reader = Callable[[int, int], bytes]  # read(offset, length)


def bytes_reader(data: bytes) -> Reader:
    """read(offset, length) over bytes in memory."""
    view = memoryview(data)
    return lambda offset, length: view[offset:offset + length]


def open_pack(path: str) -> tuple[Reader, int]:
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
            return bytes_reader(data), len(data)

        def read(offset: int, length: int) -> bytes:
            return os.pread(fd, length, offset)

        weakref.finalize(read, os.close, fd)  # closed when nothing can read it any more
        return read, size
    except BaseException:
        os.close(fd)
        raise


def write_pack(f, kind: str, entries: dict[str, Entry], blobs: Reader | None = None) -> None:
    """Write the entries' data one at a time (one marshal call over a region's
    40 policy files, which list a million adoptions, held 80 MB at the peak of
    a first validation), then the index. A packed entry's data is copied from
    the pack read before, through ``blobs``."""
    head = marshal.dumps((PACK_TAG, kind))
    f.write(len(head).to_bytes(4, "little"))
    f.write(head)
    at = 4 + len(head)
    index = {}
    for key, e in entries.items():
        if e.packed:
            blob, crc = blobs(e.offset, e.length), e.crc
        else:
            blob = marshal.dumps(e.payload)
            crc = zlib.crc32(blob)
        f.write(blob)
        index[key] = (e.load_rows, e.schema_rows, e.summary, e.frozen, at, len(blob), crc)
        at += len(blob)
    blob = marshal.dumps(index)
    f.write(blob)
    f.write(at.to_bytes(8, "little") + len(blob).to_bytes(8, "little") + zlib.crc32(blob).to_bytes(4, "little") + PACK_END)


def read_pack(read: Reader, size: int, kind: str) -> dict[str, Entry]:
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
    if not (isinstance(index, dict) and all(type(row) is tuple and len(row) == 7 for row in index.values())):
        raise ValueError("not a pack index")
    new, none = tuple.__new__, _AT_HAND_NONE
    return {key: new(Entry, row + none) for key, row in index.items()}  # 25,000 rows: about 8 ms
