"""Whole records of any kind: find, create, change, delete.

Driven by the registry of kinds (:mod:`nesa_cli.kinds`: where a kind's files
live, its id field) and its schema (:mod:`nesa_cli.edit.fields`), so every
kind gets the same verbs, the same messages and the same guarantees (the
transaction validates the whole result before anything is written).
"""

from __future__ import annotations

import difflib

from nesa_cli.edit import fields, items, roundtrip
from nesa_cli.edit.transaction import EditError, Transaction

# Kinds a person creates by hand (invoices are issued by `nesa invoices issue`,
# the alliance by `nesa init`, proposals by `nesa partnerships propose --write`).
CREATABLE = ("school", "network", "policy", "activity", "meeting", "finance-year", "body")


def kind(name: str):
    from nesa_cli.kinds import KINDS

    for k in KINDS:
        if k.name == name:
            return k
    close = difflib.get_close_matches(name, [k.name for k in KINDS], n=3)
    raise EditError(f"no kind of record {name!r}" + (f"; did you mean {', '.join(close)}?" if close else
                                                     f"; kinds: {', '.join(k.name for k in KINDS)}"))


def valid_id(text, what: str) -> str:
    """``text`` when it can name a file in a data folder; EditError ("not a
    valid id: ...") otherwise, before any path is built from it."""
    from nesa_cli.store.paths import UnsafePath, check_id

    try:
        return check_id(text, what)
    except UnsafePath as exc:
        raise EditError(str(exc)) from None


def path_for(kind_name: str, ident) -> str:
    """Where the record ``ident`` of a kind lives (checked: no ``..``, no separators)."""
    import re

    k = kind(kind_name)
    if k.file is not None:
        return k.file
    ident = valid_id(str(ident), kind_name)
    if not re.fullmatch(k.stem, ident):
        raise EditError(f"{ident!r} is not a valid {kind_name} id (it becomes the file name: {_stem_words(k)})")
    return f"{k.folder}/{ident}.yaml"


def _stem_words(k) -> str:
    return {"school": "a six-digit URN", "meeting": "YYYY-MM-DD-body, e.g. 2027-01-20-strategic-board",
            "finance-year": "YYYY-YY, e.g. 2027-28"}.get(k.name, "lower-case words joined by '-', e.g. early-reading")


def existing(tx: Transaction, kind_name: str, ident) -> str:
    """The path of an existing record; EditError naming close matches (or all) when absent."""
    if kind_name == "school":
        from nesa_cli.edit.verbs_school import find_school

        return find_school(tx, str(ident))[1]
    k = kind(kind_name)
    path = path_for(kind_name, ident)
    if not tx.exists(path):
        if k.file is not None:
            raise EditError(f"{path} does not exist (nesa init makes it)")
        known = sorted(p.stem for p in (tx.root / k.folder).glob("*.yaml"))
        close = difflib.get_close_matches(str(ident), known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known[:30]) or 'none'}"
        raise EditError(f"no {kind_name} {str(ident)!r}{hint}")
    return path


def label(kind_name: str, doc, ident) -> str:
    name = None
    if isinstance(doc, dict):
        name = doc.get("name") or doc.get("title")
    if kind_name == "alliance":
        return str(name or "the alliance")
    if kind_name == "school":
        return f"{name} ({ident})" if name else f"school {ident}"
    return f"{name} ({kind_name} {ident})" if name else f"{kind_name} {ident}"


def depth(path: str) -> int:
    return path.count("/")


def new_record(tx: Transaction, kind_name: str, ident, assignments, first: dict | None = None) -> str:
    """Create the record ``ident`` from ``FIELD=VALUE`` assignments (and
    ``first``: values already typed, put before them). Refused (exit 2) when
    the record exists or a required field is missing."""
    k = kind(kind_name)
    if kind_name not in CREATABLE:
        raise EditError({"invoice": "invoices are issued by nesa invoices issue, not made by hand",
                         "alliance": "the alliance file is made by nesa init; change it with nesa alliance set",
                         "proposal": "proposals are made by nesa partnerships propose --write"}.get(kind_name, f"a {kind_name} is not made by hand"))
    path = path_for(kind_name, ident)
    if tx.exists(path):
        raise EditError(f"{kind_name} {ident} already exists ({path}); change it with FIELD=VALUE through its set command")
    ident_value = fields.coerce(kind_name, k.id_field, str(ident))
    doc = roundtrip.new_map({k.id_field: ident_value})
    for key, value in (first or {}).items():
        if value is not None and value != "":
            if isinstance(value, str):
                value = fields.coerce(kind_name, key, value)
            fields.set_path(doc, kind_name, key.split("."), value)
    apply(doc, kind_name, assignments, [], ident=k.id_field)
    required = fields.schema(kind_name).get("required", [])
    missing = [r for r in required if doc.get(r) is None]
    if missing:
        raise EditError(f"a {kind_name} needs {', '.join(missing)}: add {' '.join(_needs(kind_name, [m]) for m in missing)}")
    tx.create(path, doc, fields.header(kind_name, depth(path)))
    tx.subject = f"New {kind_name}: {label(kind_name, doc, ident)}"
    tx.note(f"new {kind_name} {label(kind_name, doc, ident)} ({path})")
    return path


def _needs(kind_name: str, parts: list[str]) -> str:
    """What to type for a required field: ``name=...``, or a group's own required parts."""
    sub = fields.schema_at(kind_name, parts)
    dotted = ".".join(parts)
    if sub.get("type") == "object" and sub.get("required"):
        return " ".join(_needs(kind_name, parts + [r]) for r in sub["required"])
    if sub.get("type") == "array":
        return f"'{dotted}+=...'"
    return f"{dotted}=..."


def delete_record(tx: Transaction, kind_name: str, ident) -> str:
    """Delete the file; refused by validation if anything still names the record."""
    k = kind(kind_name)
    if k.file is not None or kind_name == "invoice":
        raise EditError(f"a {kind_name} is not deleted by hand" + (" (void it: nesa invoices void)" if kind_name == "invoice" else ""))
    path = existing(tx, kind_name, ident)
    try:
        doc = tx.doc(path)
    except EditError:
        doc = None
    what = label(kind_name, doc, ident)
    tx.delete(path)
    tx.subject = f"Delete {what}"
    tx.note(f"deleted {what} ({path})")
    return path


def set_record(tx: Transaction, kind_name: str, ident, assignments, unset=()) -> None:
    path = existing(tx, kind_name, ident)
    set_fields(tx, kind_name, path, ident, assignments, unset)


# --- FIELD=VALUE, FIELD+=ITEM, FIELD-=ITEM -------------------------------------------------


class Assignment(tuple):
    """One ``FIELD=VALUE`` (op ``=``), ``FIELD+=ITEM`` (``+=``) or ``FIELD-=ITEM``
    (``-=``); unpacks as (field, value)."""

    def __new__(cls, field: str, value: str, op: str = "="):
        self = super().__new__(cls, (field, value))
        self.op = op
        return self


def parse_assignments(items) -> list[Assignment]:
    out = []
    for item in items:
        field, eq, value = str(item).partition("=")
        op = "="
        if field.endswith(("+", "-")):
            op, field = field[-1] + "=", field[:-1]
        field = field.strip()
        if not eq or not field:
            raise EditError(f"{item!r} is not FIELD=VALUE (e.g. phone=01670 555111, address.postcode=NE61 1AB, "
                            "or FIELD+=ITEM to add to a list)")
        out.append(Assignment(field, value, op))
    return out


# Fields a school's set may not change as one value: their own commands keep their rules.
PROTECTED = {"urn": "the URN is the school's identity (and its file name); add a new school instead",
             "membership": "use nesa membership join / withdraw",
             "contacts": "use nesa schools add-contact / remove-contact, or contacts.N.FIELD=...",
             "pupils": "use nesa schools pupils URN COUNT --census DATE"}


def _private_value(doc, parts: list[str]) -> bool:
    """Whether the path names a contact field that is not for circulation."""
    if len(parts) == 3 and parts[0] == "contacts" and parts[1].isdigit():
        contacts = doc.get("contacts") or []
        index = int(parts[1])
        if index < len(contacts):
            return parts[2] in (contacts[index].get("private") or ())
    return False


def _summary(entry) -> str:
    """An entry named by its first field (never its whole content: it may hold personal details)."""
    if isinstance(entry, dict) and entry:
        key = "id" if "id" in entry else next(iter(entry))
        return f"{key} {fields.show(entry[key])}"
    return fields.show(entry)


def apply(doc, kind_name: str, assignments, unset, ident: str | None) -> list[str]:
    """Apply assignments and removals to ``doc``; returns what changed, in words."""
    said = []
    for a in assignments:
        dotted, text = a
        op = getattr(a, "op", "=")
        parts = dotted.split(".")
        if parts[0] == ident and (op != "=" or doc.get(ident) is not None):
            raise EditError(f"{dotted} cannot be set: {PROTECTED.get(parts[0], 'it is the record id and its file name')}")
        if kind_name == "school" and parts[0] in PROTECTED and (len(parts) == 1 or op != "="):
            raise EditError(f"{dotted} cannot be set as one value: {PROTECTED[parts[0]]}")
        if op == "+=":
            index, value = items.append_item(doc, kind_name, parts, text)
            said.append(f"{dotted}: added {_summary(value)} (entry {index})")
        elif op == "-=":
            index, old = items.remove_item(doc, kind_name, parts, text)
            said.append(f"{dotted}: removed {_summary(old)} (was entry {index})")
        else:
            value = fields.coerce(kind_name, dotted, text)
            old, new = fields.set_path(doc, kind_name, parts, value)
            if _private_value(doc, parts):
                said.append(f"{dotted} changed (not for circulation)")
            elif roundtrip.plain(old) != roundtrip.plain(roundtrip.to_yaml(new)):
                said.append(f"{dotted}: {fields.show(old)} -> {fields.show(new)}")
    for dotted in unset:
        parts = dotted.split(".")
        fields.schema_at(kind_name, parts)
        if parts[0] == ident:
            raise EditError(f"{dotted} cannot be removed: it is the record id")
        private = _private_value(doc, parts)
        old = fields.unset_path(doc, kind_name, parts)
        if parts[-1].isdigit():
            said.append(f"{dotted} removed ({_summary(old)})")
        else:
            said.append(f"{dotted} removed (was {'not for circulation' if private else fields.show(old)})")
    return said


def set_fields(tx: Transaction, kind_name: str, path: str, ident, assignments, unset=()) -> None:
    """Set, add to, remove from and unset dotted fields of one record, by its schema."""
    doc = tx.doc(path)
    what = label(kind_name, doc, ident)
    if not assignments and not unset:
        raise EditError("give at least one FIELD=VALUE (or FIELD+=ITEM, FIELD-=ITEM, --unset FIELD)")
    k = kind(kind_name)
    said = apply(doc, kind_name, assignments, unset, ident=k.id_field)
    if said:
        tx.subject = f"{what}: {said[0]}" if len(said) == 1 else f"{what}: set {', '.join(s.split(':')[0].split(' ')[0] for s in said)}"
        for s in said:
            tx.note(f"{what}: {s}")
