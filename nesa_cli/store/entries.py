"""What the cache keeps of one file (:class:`Entry`), and the plain values
:mod:`marshal` can write in its place.

An entry is the same record wherever it comes from: a kind's pack (its data
still packed, found by ``offset`` and ``length``), the file's own cache file,
or a file just parsed (its data at hand). Everything outside ``nesa_cli.store``
reads entries by these names; the pack's on-disk rows are its first seven
fields, in this order (see nesa_cli.store.packs).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from nesa_cli.diagnostics import Diagnostic

# A diagnostic as an entry keeps it: (line, col, severity, rule, message). Only
# this module reads or makes these rows: everyone else has Diagnostics.
ROW_WIDTH = 5


class Entry(NamedTuple):
    """One file's cached verdict and data."""

    load_rows: list  # its YAML diagnostics, each (line, col, severity, rule, message)
    schema_rows: list  # its schema diagnostics, the same way
    summary: tuple | None  # what its record is known by (see nesa_cli.loader.lazy); None: not kept
    frozen: bool  # its stored data holds Decimals as tagged pairs (see freeze)
    offset: int  # where its data lies in its kind's pack; -1: at hand
    length: int
    crc: int  # CRC-32 of its packed data, checked when it is unpacked
    data: Any = None  # at hand: the file's data
    payload: Any = None  # at hand: that data as marshal writes it

    @property
    def packed(self) -> bool:
        return self.offset >= 0

    @property
    def clean(self) -> bool:
        """No YAML or schema problem: a record can be made of its data."""
        return not self.load_rows and not self.schema_rows

    def load_problems(self, path: str) -> list[Diagnostic]:
        """The file's YAML diagnostics, for the file at ``path``."""
        return [Diagnostic(path, *row) for row in self.load_rows]

    def schema_problems(self, path: str) -> list[Diagnostic]:
        """The file's schema diagnostics, for the file at ``path``."""
        return [Diagnostic(path, *row) for row in self.schema_rows]


def as_rows(problems: list[Diagnostic]) -> list[tuple]:
    """Diagnostics of one file as an entry keeps them (without the path)."""
    return [(d.line, d.col, d.severity, d.rule, d.message) for d in problems]


def at_hand(data: Any, load_rows: list, schema_rows: list, summary: tuple | None = None) -> Entry:
    """An entry whose data is at hand (just parsed, or read from its own file)."""
    frozen, payload = stored(data)
    return Entry(load_rows, schema_rows, summary, frozen, -1, 0, 0, data, payload)


def rows_ok(rows, width: int = ROW_WIDTH) -> bool:
    """Diagnostic rows as an entry keeps them: a list of tuples of ``width``."""
    return isinstance(rows, list) and all(type(r) is tuple and len(r) == width for r in rows)


def run_rows_ok(hit) -> bool:
    """Whether a whole-run entry has its shape: (files checked, diagnostic rows)."""
    return (isinstance(hit, tuple) and len(hit) == 2 and type(hit[0]) is int and rows_ok(hit[1], 6)
            and all(type(r[0]) is str and type(r[1]) is int and type(r[2]) is int and all(type(x) is str for x in r[3:])
                    for r in hit[1]))


_DEC = "\x00decimal"


def stored(value: Any) -> tuple[bool, Any]:
    """(whether anything was frozen, the marshal-safe value)."""
    found: list[bool] = []
    payload = freeze(value, found)
    return bool(found), payload


def freeze(value: Any, found: list[bool]) -> Any:
    """Values marshal can write: Decimal becomes a tagged tuple (noted in ``found``).

    Anything holding no Decimal is returned as it is, not copied: a pack keeps
    the entries of every file of a kind, and copies would double the memory."""
    if isinstance(value, Decimal):
        found.append(True)
        return (_DEC, str(value))
    if isinstance(value, dict):
        changed = None
        for k, v in value.items():
            f = freeze(v, found)
            if f is not v:
                if changed is None:
                    changed = dict(value)
                changed[k] = f
        return value if changed is None else changed
    if isinstance(value, (list, tuple)):
        items = None
        for i, v in enumerate(value):
            f = freeze(v, found)
            if f is not v:
                if items is None:
                    items = list(value)
                items[i] = f
        if items is None:
            return value
        return items if isinstance(value, list) else tuple(items)
    return value


def thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        if len(value) == 2 and value[0] == _DEC:
            return Decimal(value[1])
        return tuple(thaw(v) for v in value)
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [thaw(v) for v in value]
    return value
