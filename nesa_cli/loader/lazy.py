"""Records known by their summary until anything else is asked for.

A warm load need not build every record: the cache keeps, beside each clean
file's data, the *summary* of the record last built from that very content
(for a school: URN, name, phase, type, partnerships, the primary and the
others, and its predecessor: enough to filter a listing and to follow a
conversion), and the loader adds a lazy record made from it. The record's file
data is unpacked, and the whole record built, only when a field outside the
summary is read. This is the loader's business: the records in
:mod:`nesa_cli.model` are plain, and know nothing of summaries or the cache.
"""

from __future__ import annotations

import copyreg
from dataclasses import fields
from datetime import date

from nesa_cli.model import Contact, Model, School, _ReadSchool, build_school

# What the cache keeps of a school (see nesa_cli.store.entries.Entry.summary). A change here
# changes what packs hold: bump nesa_cli.store.packs.PACK_TAG with it, so no pack of the old shape is read.
SCHOOL_SUMMARY = ("urn", "name", "phase", "type", "partnership", "other_partnerships", "predecessor")
_PREDECESSOR = SCHOOL_SUMMARY.index("predecessor")  # a succession.Link, kept as plain values (marshal writes no dates)

# Kinds whose records can be made from a summary (see add_summaries).
SUMMARISED = frozenset({"school"})


def summary(kind: str, record) -> tuple | None:
    """What the cache keeps of a record built from a file (None: not kept)."""
    if kind == "school":
        out = [getattr(record, f) for f in SCHOOL_SUMMARY]
        link = out[_PREDECESSOR]
        if link is not None:
            out[_PREDECESSOR] = (link.urn, link.date.toordinal(), link.reason, link.name, link.note)
        return tuple(out)
    return None


def add_summaries(model: Model, kind: str, summaries: list[tuple], paths: list[str], documents) -> None:
    """Add records of ``kind`` (one of SUMMARISED) known by their :func:`summary`,
    each built from ``documents[path].data`` (a Mapping of path -> Document) when needed."""
    if kind != "school":
        raise ValueError(f"no records of {kind} are made from summaries")
    model.schools.update([(s[0], lazy_school(s, p, documents)) for s, p in zip(summaries, paths)])


class _Later:
    """A field of a :class:`LazySchool` not yet built: the first read of any
    builds them all. (Not a data descriptor, so once built, the instance's own
    values are found first, at no cost.)"""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        obj._fill()
        try:
            return obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


class LazySchool(_ReadSchool):
    """A school known by its summary until anything else is asked for; then
    the whole record is built from its file's data. Made only from a summary
    that a successful build of the same content left in the cache, so
    building it later cannot fail. It pickles (and copies) as the school
    :func:`nesa_cli.model.build_school` makes, built first."""

    def _fill(self) -> None:
        d = self.__dict__
        documents = d.pop("_docs", None)
        if documents is None:
            return
        built = build_school(documents[d["path"]].data, d["path"]).__dict__
        built.update(d)  # a value set before the fill wins, as on any record
        d.update(built)

    def __reduce_ex__(self, protocol):
        # as a school read from a file: its class and attributes, nothing of the loader's
        self._fill()
        return (copyreg._reconstructor, (_ReadSchool, object, None), dict(self.__dict__))

    @property
    def contacts(self) -> tuple[Contact, ...]:
        if "_docs" in self.__dict__:
            self._fill()
        return _ReadSchool.contacts.fget(self)

    @contacts.setter
    def contacts(self, value) -> None:
        if "_docs" in self.__dict__:
            self._fill()
        _ReadSchool.contacts.fset(self, value)

    @property
    def head(self) -> Contact | None:
        if "_docs" in self.__dict__:
            self._fill()
        return _ReadSchool.head.fget(self)


for _name in (f.name for f in fields(School)):
    if _name not in SCHOOL_SUMMARY and _name not in ("path", "contacts"):
        setattr(LazySchool, _name, _Later(_name))
del _name


def lazy_school(summary: tuple, path: str, documents) -> School:
    """A school from its summary; its file's data, ``documents[path].data``,
    is read when another field is."""
    s = object.__new__(LazySchool)
    d = s.__dict__
    d.update(zip(SCHOOL_SUMMARY, summary))
    link = summary[_PREDECESSOR]
    if link is not None:
        from nesa_cli.succession import Link

        d["predecessor"] = Link(link[0], date.fromordinal(link[1]), *link[2:])
    d["path"], d["_docs"] = path, documents
    return s
