"""``Result.documents``: path -> Document, some of them made only when asked for."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping

from nesa_cli.diagnostics import Diagnostic
from nesa_cli.load import Document, load_bytes
from nesa_cli.store.entries import Entry


class Origin:
    """Where a packed entry's data comes from: its kind's name, the cache that
    unpacks it, and the source that reads the file should it be damaged."""

    __slots__ = ("kind", "cache", "source")

    def __init__(self, kind: str, cache, source):
        self.kind, self.cache, self.source = kind, cache, source


class Documents(MutableMapping):
    """path -> :class:`~nesa_cli.load.Document`, in the order files were added.

    A file served clean from its kind's pack is held as its cache entry until
    its document is first asked for (:meth:`add_packed`): a listing of 4,000
    of a region's 25,000 schools never makes the other 21,000. Every way of
    reading (``[path]``, ``get``, ``values``, ``items``, ``dict(documents)``)
    hands out documents; :meth:`is_made` says whether one was made yet."""

    __slots__ = ("_held",)

    def __init__(self, documents=()):
        self._held: dict[str, object] = {}  # path -> Document, or (Entry, Origin) until asked for
        self.update(documents)

    def __getitem__(self, path: str) -> Document:
        doc = self._held[path]
        if type(doc) is tuple:
            doc = self._held[path] = packed_document(path, *doc)
        return doc

    def __setitem__(self, path: str, doc: Document) -> None:
        self._held[path] = doc

    def __delitem__(self, path: str) -> None:
        del self._held[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def __contains__(self, path) -> bool:
        return path in self._held

    def get(self, path: str, default=None):
        return self[path] if path in self._held else default

    def __repr__(self) -> str:
        return f"<Documents: {len(self._held)} files>"

    def add_packed(self, paths: list[str], entries: list[Entry], origin: Origin) -> None:
        """Files whose entries (clean, from ``origin``'s pack) stand for them until asked for."""
        self._held.update(zip(paths, [(e, origin) for e in entries]))

    def is_made(self, path: str) -> bool:
        """Whether the document of ``path`` exists yet (see :meth:`add_packed`)."""
        return type(self._held[path]) is not tuple


class PackedDocument(Document):
    """A document whose data is still in the cache's pack: unpacked when first
    read (should the packed bytes prove damaged, the file is read instead).
    Its own attributes are only its path, its entry and where that came from:
    a region makes 25,000 of these for a listing that reads 4,000."""

    text = None

    @property
    def data(self):
        d = self.__dict__
        if "data" not in d:
            origin = d["_from"]
            try:
                d["data"] = origin.cache.unpack(origin.kind, d["_entry"])
            except ValueError:
                d["data"] = load_bytes(self.path, origin.source.read(self.path)).data
        return d["data"]

    @data.setter
    def data(self, value) -> None:
        self.__dict__["data"] = value

    @property
    def problems(self) -> list[Diagnostic]:
        return self.__dict__.setdefault("problems", [])

    @problems.setter
    def problems(self, value) -> None:
        self.__dict__["problems"] = value

    @property
    def reread(self):
        d = self.__dict__
        if "reread" in d:
            return d["reread"]
        source, path = d["_from"].source, self.path
        return lambda: source.read(path)

    @reread.setter
    def reread(self, value) -> None:
        self.__dict__["reread"] = value


def packed_document(path: str, entry: Entry, origin: Origin) -> Document:
    """The document of a packed cache entry, its data unpacked when first read."""
    doc = object.__new__(PackedDocument)
    d = doc.__dict__
    d["path"], d["_entry"], d["_from"] = path, entry, origin
    if entry.load_rows:
        d["problems"] = entry.load_problems(path)
    return doc


def entry_document(path: str, entry: Entry, origin: Origin) -> Document:
    """The document of a cache entry, packed or at hand."""
    if entry.packed:
        return packed_document(path, entry, origin)
    doc = Document(path, None, entry.data, entry.load_problems(path))
    source = origin.source
    doc.forget_text(lambda: source.read(path))
    return doc
