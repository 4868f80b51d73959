"""Field-level changes between two versions of one record.

Values are compared after strict loading, so a change of layout or comments is
not a change; nor is a value written another way (``600.00`` and ``"600.00"``,
a date and its ISO text), nor a list in another order. The items of a list
are matched by what they are (a contact by name, an adoption by school and
version), not by their place. Fields marked private are never shown: see
:mod:`nesa_cli.privacy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field as _field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from nesa_cli.privacy import PRIVATE, Masked as _Masked, marked


@dataclass(frozen=True)
class Item:
    """A step into a list: the item's index (in the newer list when it is in
    both) and the identity it was matched by, e.g. ``{"name": "Jo Smith"}``."""

    index: int
    identity: tuple = ()  # ((field, value), ...)
    value: Any = None  # the item (newer version), for naming it


@dataclass(frozen=True)
class Delta:
    """One change: ``steps`` from the record's root (keys and Items); ``old``
    and ``new`` are whole values (a whole item when one was added or removed)."""

    steps: tuple
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"


@dataclass(frozen=True)
class FieldChange:
    field: str  # e.g. "contacts[2].email", "pupils[1].count"
    old: Any
    new: Any
    steps: tuple = _field(default=(), compare=False, repr=False)

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    def as_dict(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new, "kind": self.kind}


def _number(v: Any) -> Decimal | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float, Decimal)):
        try:
            return Decimal(str(v))
        except InvalidOperation:
            return None
    if isinstance(v, str) and v.strip() and len(v) < 40:
        try:
            d = Decimal(v.strip())
        except InvalidOperation:
            return None
        return d if d.is_finite() else None
    return None


def same(a: Any, b: Any) -> bool:
    """Equal as data: numbers by value whichever way they are written, a
    date and its ISO text, mappings key by key, lists in any order."""
    if a is b:
        return True
    if isinstance(a, _Masked) or isinstance(b, _Masked):
        # a value hidden in one version only (marked private by its place in the
        # newest file, and the list since reordered): equal when the hidden
        # value's digest matches; nothing of it is shown either way
        if a is None or b is None:
            return False
        return (a if isinstance(a, _Masked) else _Masked(a)) == (b if isinstance(b, _Masked) else _Masked(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and not _list_deltas(a, b, ())
    if type(a) is type(b) and not isinstance(a, (float, Decimal)):
        return a == b
    if isinstance(a, (int, float, Decimal, str)) and isinstance(b, (int, float, Decimal, str)) and not (isinstance(a, str) and isinstance(b, str)):
        na, nb = _number(a), _number(b)
        return na is not None and nb is not None and na == nb
    if isinstance(a, date) and isinstance(b, str) or isinstance(b, date) and isinstance(a, str):
        return str(a) == str(b)
    return a == b


# Fields that say what a list item is, tried in order: the first that every
# item of both lists has, and that no two items of one list share, matches them.
IDENTITIES = (
    ("id",), ("urn",), ("number",), ("version",), ("census_date",), ("school", "version"), ("school", "person"),
    ("name",), ("person",), ("school",), ("role", "name"), ("title",), ("measure",), ("date", "state"), ("date",),
)


def _identity(old: list, new: list) -> tuple | None:
    items = old + new
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for fields in IDENTITIES:
        if not all(all(f in i and isinstance(i[f], (str, int, float, Decimal, date)) for f in fields) for i in items):
            continue
        if all(len({tuple(str(i[f]) for f in fields) for i in side}) == len(side) for side in (old, new)):
            return fields
    return None


def _similar(a: Any, b: Any) -> bool:
    """Two unmatched items that are probably one item edited: mappings sharing
    at least half their fields' values."""
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    keys = set(a) | set(b)
    return bool(keys) and sum(1 for k in keys if k in a and k in b and same(a[k], b[k])) * 2 >= len(keys)


def deltas(old: Any, new: Any, steps: tuple = ()) -> list[Delta]:
    """What changed from ``old`` to ``new``, as few whole changes as possible."""
    if same(old, new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        hidden = marked(old) | marked(new)
        out: list[Delta] = []
        for k in list(old) + [k for k in new if k not in old]:
            a, b = old.get(k), new.get(k)
            if k in hidden:
                a = None if a is None else _Masked(a)
                b = None if b is None else _Masked(b)
            out += deltas(a, b, steps + (k,))
        return out
    if isinstance(old, list) and isinstance(new, list):
        return _list_deltas(old, new, steps)
    if old is None and isinstance(new, dict) and new or new is None and isinstance(old, dict) and old:
        # a whole mapping added or removed (not a list item): field by field, each labelled
        return deltas(old if old is not None else {}, new if new is not None else {}, steps)
    if old is None and new is None:
        return []
    if isinstance(old, (list, dict)) and not old and new is None or isinstance(new, (list, dict)) and not new and old is None:
        return []  # an empty list or mapping and no value say the same
    return [Delta(steps, old, new)]


def _list_deltas(old: list, new: list, steps: tuple) -> list[Delta]:
    fields = _identity(old, new)
    out: list[Delta] = []
    if fields is not None:
        key = lambda i: tuple(str(i[f]) for f in fields)  # noqa: E731
        before = {key(i): n for n, i in enumerate(old)}
        matched = set()
        gone = [n for n, i in enumerate(old) if key(i) not in {key(j) for j in new}]
        added = []
        for n, item in enumerate(new):
            k = key(item)
            if k in before:
                matched.add(before[k])
                out += deltas(old[before[k]], item, steps + (Item(n, tuple(zip(fields, k)), item),))
            else:
                added.append(n)
        pairs = [(g, a) for g, a in zip(gone, added) if _similar(old[g], new[a])] if len(gone) == len(added) else []
        for g, a in pairs:  # an identity field itself edited (a contact renamed)
            out += deltas(old[g], new[a], steps + (Item(a, (), new[a]),))
        paired_g, paired_a = {g for g, _ in pairs}, {a for _, a in pairs}
        out += [Delta(steps + (Item(a, tuple(zip(fields, key(new[a]))), new[a]),), None, new[a]) for a in added if a not in paired_a]
        out += [Delta(steps + (Item(g, tuple(zip(fields, key(old[g]))), old[g]),), old[g], None) for g in gone if g not in paired_g]
        return out
    # no identity: items equal as data are the same item, wherever they are
    rest_old = list(range(len(old)))
    unmatched_new = []
    for n, item in enumerate(new):
        hit = next((o for o in rest_old if same(old[o], item)), None)
        if hit is None:
            unmatched_new.append(n)
        else:
            rest_old.remove(hit)
    if len(rest_old) == len(unmatched_new):  # edited in place (pair them in order)
        for o, n in zip(rest_old, unmatched_new):
            if isinstance(old[o], (dict, list)) and isinstance(new[n], (dict, list)):
                out += deltas(old[o], new[n], steps + (Item(n, (), new[n]),))
            else:
                out.append(Delta(steps + (Item(n, (), new[n]),), old[o], new[n]))
        return out
    out += [Delta(steps + (Item(n, (), new[n]),), None, new[n]) for n in unmatched_new]
    out += [Delta(steps + (Item(o, (), old[o]),), old[o], None) for o in rest_old]
    return out


def path_text(steps: tuple) -> str:
    """The machine path of ``steps``: ``contacts[2].email``."""
    out = ""
    for s in steps:
        out += f"[{s.index}]" if isinstance(s, Item) else (f".{s}" if out else str(s))
    return out


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': [1, {'c': 2}]}} -> {'a.b[0]': 1, 'a.b[1].c': 2}.

    In any mapping with a ``private:`` list (a contact), the fields it names are masked."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        private = marked(value)
        if not value and prefix:
            out[prefix] = {}
        for k, v in value.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            if k in private and v is not None:
                out[path] = _Masked(v)
            else:
                out.update(flatten(v, path))
    elif isinstance(value, list):
        if not value and prefix:
            out[prefix] = []
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def _shown(v: Any) -> Any:
    return PRIVATE if isinstance(v, _Masked) else v


def field_changes(old: Any, new: Any) -> list[FieldChange]:
    """Leaf by leaf (for JSON and ``nesa history``): each change's machine path,
    old and new value; a whole item added or removed gives one per field."""
    out = []
    for d in deltas(old or {}, new or {}):
        base = path_text(d.steps)
        if isinstance(d.old if d.new is None else d.new, (dict, list)) and (d.old is None or d.new is None):
            whole = d.new if d.old is None else d.old
            for sub, v in flatten(whole, base).items():
                if v in ({}, []):
                    continue
                out.append(FieldChange(sub, None if d.old is None else _shown(v), None if d.new is None else _shown(v), d.steps))
            continue
        out.append(FieldChange(base, None if d.old is None else _shown(d.old), None if d.new is None else _shown(d.new), d.steps))
    return out
