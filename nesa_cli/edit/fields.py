"""Schema-driven editing: any field of any kind, by a dotted path.

The JSON schema of a kind (``schemas/<kind>.schema.json``) says which fields
exist, their types and their order, so one mechanism sets a field of a
meeting, a finance year or a school alike:

- a dotted path names a field; numbers are list positions from 0
  (``strengths.0.area``); the position just past the end adds an entry;
- the text typed after ``=`` is read as the schema says (:func:`coerce`);
- ``FIELD+=ITEM`` and ``FIELD-=ITEM`` add to and remove from a list
  (:mod:`nesa_cli.edit.items`), and ``--unset FIELD.N`` removes entry N.

Layout is kept: an existing key keeps its place, quoting and comment; a new
key goes where the schema's order puts it (:func:`put`).
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from nesa_cli.edit import roundtrip
from nesa_cli.edit.transaction import EditError

MONEY = re.compile(r"\^\[0-9\]\{1,9\}\\\.\[0-9\]\{2\}\$")  # the money pattern of the schemas: "1250.00"


def header(kind: str, depth: int = 2) -> str:
    """The editor hint every data file starts with."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json\n"


# --- the schema as a guide to fields and their types -------------------------


def schema(kind: str) -> dict:
    from nesa_cli.resources import schema as load

    return load(f"{kind}.schema.json")


def resolve(root: dict, sub: dict) -> dict:
    seen = 0
    while "$ref" in sub and seen < 10:
        ref = sub["$ref"]
        extra = {k: v for k, v in sub.items() if k != "$ref"}
        sub = {**root["$defs"][ref.rsplit("/", 1)[1]], **extra}
        seen += 1
    return sub


def field_paths(kind: str) -> list[str]:
    """Every dotted field path of a kind; list entries as ``N`` (``strengths.N.area``)."""
    root = schema(kind)
    out: list[str] = []

    def walk(sub: dict, prefix: str, depth: int = 0) -> None:
        for name, prop in sub.get("properties", {}).items():
            prop = resolve(root, prop)
            path = f"{prefix}{name}"
            out.append(path)
            if depth > 4:
                continue
            if prop.get("type") == "object" and "properties" in prop:
                walk(prop, path + ".", depth + 1)
            elif prop.get("type") == "array":
                items = resolve(root, prop.get("items", {}))
                if "properties" in items:
                    walk(items, path + ".N.", depth + 1)

    walk(root, "")
    return out


def _generic(parts: list[str]) -> str:
    return ".".join("N" if p.isdigit() else p for p in parts)


def schema_at(kind: str, parts: list[str]) -> dict:
    """The sub-schema for a dotted path; EditError (with a did-you-mean) for a
    field the schema does not know."""
    root = schema(kind)
    sub = root
    walked: list[str] = []
    for part in parts:
        sub = resolve(root, sub)
        if sub.get("type") == "array" and part.isdigit():
            sub = sub.get("items", {})
        elif part in sub.get("properties", {}):
            sub = sub["properties"][part]
        else:
            dotted = ".".join(walked + [part])
            if sub.get("type") == "array":
                raise EditError(f"{'.'.join(walked)} is a list: name an entry by its number from 0, e.g. {'.'.join(walked)}.0"
                                + (f".{part}" if not part.isdigit() else ""))
            where = _generic(walked)
            known = [p for p in field_paths(kind) if not where or p.startswith(where + ".")]
            close = difflib.get_close_matches(_generic(walked + [part]), known, n=3, cutoff=0.6)
            close = [_concrete(c, walked) for c in close]
            hint = f"; did you mean {', '.join(close)}?" if close else f"; known fields: {', '.join(_concrete(k, walked) for k in known[:40])}"
            raise EditError(f"a {kind} has no field '{dotted}'{hint}")
        walked.append(part)
    return resolve(root, sub)


def _concrete(generic: str, walked: list[str]) -> str:
    """``strengths.N.area`` said back with the user's own numbers (``strengths.0.area``)."""
    out = generic.split(".")
    for i, part in enumerate(walked[: len(out)]):
        if out[i] == "N":
            out[i] = part
    return ".".join(out)


def key_order(kind: str, parts: list[str]) -> list[str]:
    """The schema's order of the keys in the mapping at ``parts``."""
    root = schema(kind)
    sub = root
    for part in parts:
        sub = resolve(root, sub)
        sub = sub.get("items", {}) if part.isdigit() else sub.get("properties", {}).get(part, {})
    return list(resolve(root, sub).get("properties", {}))


# --- text to value -------------------------------------------------------------


def coerce(kind: str, dotted: str, text: str):
    """Turn the text typed after FIELD= into the value the schema wants:
    numbers, true/false, dates (YYYY-MM-DD), lists (comma-separated),
    money ("1250.00"), enum values (with a did-you-mean), or text."""
    return _coerce(kind, dotted, schema_at(kind, dotted.split(".")), text)


def _coerce(kind: str, dotted: str, sub: dict, text: str):
    root = schema(kind)
    sub = resolve(root, sub)
    text = str(text)
    if "enum" in sub:
        options = [str(o) for o in sub["enum"]]
        if text not in options:
            close = difflib.get_close_matches(text, options, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise EditError(f"{dotted}: {text!r} is not one of {', '.join(options)}{hint}")
        return text
    kind_of = sub.get("type")
    if isinstance(kind_of, list) and "boolean" in kind_of and text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"  # e.g. broker.competitors: a mapping, or false
    if kind_of == "integer":
        try:
            return int(text.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise EditError(f"{dotted}: {text!r} is not a whole number") from None
    if kind_of == "number":
        try:
            return Decimal(text.strip().replace(",", ""))
        except InvalidOperation:
            raise EditError(f"{dotted}: {text!r} is not a number") from None
    if kind_of == "boolean":
        low = text.strip().lower()
        if low in ("true", "yes", "y", "1"):
            return True
        if low in ("false", "no", "n", "0"):
            return False
        raise EditError(f"{dotted}: {text!r} is not true or false; write true or false")
    if kind_of == "array":
        items = sub.get("items", {})
        if resolve(root, items).get("type") == "object":
            raise EditError(f"{dotted} is a list of records: add one with '{dotted}+=KEY=VALUE,KEY=VALUE', "
                            f"or set a part of one with {dotted}.0.FIELD=VALUE")
        values = [v.strip() for v in text.split(",") if v.strip()]
        return [_coerce(kind, f"{dotted}.N", items, v) for v in values]
    if kind_of == "object":
        names = ", ".join(f"{dotted}.{k}" for k in sub.get("properties", {}))
        raise EditError(f"{dotted} is a group of fields; set its parts: {names}")
    if dotted.endswith("postcode"):
        compact = re.sub(r"\s+", "", text).upper()
        return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 4 else text
    if sub.get("format") == "date":
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise EditError(f"{dotted}: {text!r} is not a date (YYYY-MM-DD)") from None
    if MONEY.fullmatch(sub.get("pattern", "")):
        return money(dotted, text)
    return text


def money(dotted: str, text: str) -> str:
    """An amount of money as the files write it: "1200" and "£1,200" -> "1200.00"."""
    raw = str(text).strip().lstrip("£").replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise EditError(f"{dotted}: {text!r} is not an amount of money (e.g. 1250.00)") from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise EditError(f"{dotted}: {text!r} is not an amount in pounds and pence (e.g. 1250.00)")
    return roundtrip.quoted_if_needed(f"{value.quantize(Decimal('0.01'))}")


def put(mapping, key: str, value, order: list[str]) -> None:
    """Set ``key`` keeping the file's layout: an existing key keeps its place,
    comment and quoting style; a new key goes where the schema's order puts it."""
    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import ScalarString

    new = roundtrip.to_yaml(value)
    if key in mapping:
        old = mapping[key]
        if isinstance(old, CommentedSeq) and isinstance(new, list):
            old[:] = [roundtrip.to_yaml(v) for v in new]
            return
        if isinstance(old, ScalarString) and isinstance(new, str) and type(new) is not type(old):
            new = type(old)(str(new))
        mapping[key] = new
        return
    position = len(mapping)
    if key in order:
        rank = order.index(key)
        for i, existing in enumerate(mapping):
            if existing in order and order.index(existing) > rank:
                position = i
                break
    roundtrip.map_insert(mapping, position, key, new)


def append_entry(doc, key: str, entry, kind: str) -> None:
    """Append ``entry`` to the list at ``key``, making the list if need be."""
    if doc.get(key) is None:
        put(doc, key, [entry], key_order(kind, []))
    else:
        roundtrip.append(doc[key], roundtrip.to_yaml(entry))


def _no_entry(parts: list[str], i: int, size: int) -> EditError:
    where = ".".join(parts[:i])
    return EditError(f"{'.'.join(parts[:i + 1])}: there is no entry {parts[i]} (entries are numbered from 0; there "
                     f"{'is' if size == 1 else 'are'} {size}); add one with {where}.{size}.FIELD=... or {where}+=...")


def _branch(rest: list[str], value):
    """The new structure that holds ``value`` at the path ``rest``, built whole
    so that it is inserted once (comments stay where they were)."""
    if not rest:
        return value
    inner = _branch(rest[1:], value)
    if rest[0].isdigit():
        return roundtrip.new_seq([inner])
    return roundtrip.new_map({rest[0]: inner})


def set_path(doc, kind: str, parts: list[str], value, base: list[str] = ()) -> tuple[object, object]:
    """Set a dotted path in ``doc``, making what is missing on the way: a
    mapping, a list, or an entry at the position just past a list's end.
    ``base`` is the path of ``doc`` itself in the record. Returns (old, new)."""
    base = list(base)
    node = doc
    for i, part in enumerate(parts):
        rest = parts[i + 1:]
        if part.isdigit():
            index = int(part)
            if not isinstance(node, list) or index > len(node):
                raise _no_entry(parts, i, len(node) if isinstance(node, list) else 0)
            if index == len(node):
                roundtrip.append(node, _branch(rest, value))
                return None, value
            if not rest:
                old = node[index]
                node[index] = roundtrip.to_yaml(value)
                return old, value
            node = node[index]
            continue
        if not isinstance(node, dict):
            raise EditError(f"{'.'.join(parts[:i])} is not a group of fields")
        if not rest:
            old = node.get(part)
            put(node, part, value, key_order(kind, base + parts[:i]))
            return old, value
        if node.get(part) is None:
            if rest[0].isdigit() and rest[0] != "0":
                raise _no_entry(parts, i + 1, 0)
            put(node, part, _branch(rest, value), key_order(kind, base + parts[:i]))
            return None, value
        node = node[part]
    raise EditError("give a field")


def unset_path(doc, kind: str, parts: list[str]):
    """Remove a field, or (a number last) an entry of a list. An emptied
    mapping goes too. Returns the old value."""
    node = doc
    for part in parts[:-1]:
        if part.isdigit():
            if not isinstance(node, list) or int(part) >= len(node):
                raise EditError(f"{'.'.join(parts)} is not set")
            node = node[int(part)]
        else:
            if not isinstance(node, dict) or part not in node:
                raise EditError(f"{'.'.join(parts)} is not set")
            node = node[part]
    last = parts[-1]
    if last.isdigit():
        if not isinstance(node, list) or int(last) >= len(node):
            size = len(node) if isinstance(node, list) else 0
            raise EditError(f"{'.'.join(parts)}: there is no entry {last} (entries are numbered from 0; there are {size})")
        return node.pop(int(last))
    if not isinstance(node, dict) or last not in node:
        raise EditError(f"{'.'.join(parts)} is not set")
    old = node.pop(last)
    if len(parts) > 1 and not parts[-2].isdigit() and len(node) == 0:
        unset_path(doc, kind, parts[:-1])
    return old


def show(value) -> str:
    value = roundtrip.plain(value)
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(empty)"
    if isinstance(value, dict):
        return ", ".join(f"{k} {show(v)}" for k, v in value.items())
    return str(value)


def valid_slug(text: str, what: str) -> str:
    """An id of lower-case words joined by '-' (the schemas' slug)."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text or ""):
        raise EditError(f"{text!r} is not a valid {what} id: lower-case letters and digits in words joined by '-', e.g. early-reading")
    return text
