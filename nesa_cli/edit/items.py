"""List entries: ``FIELD+=ITEM`` and ``FIELD-=ITEM``, and the entries the verbs add.

An ITEM is a value, or for a list of records either ``key=value,key=value``
(a piece without ``key=`` continues the value before it, so a value may hold
commas; nested fields by dots: ``owner.team=rhall``) or a YAML flow mapping
``{key: value, ...}``. Both are read field by field through the schema, as
``FIELD=VALUE`` is.
"""

from __future__ import annotations

import difflib

from nesa_cli.edit import roundtrip
from nesa_cli.edit.fields import (_coerce, _generic, append_entry, coerce, field_paths, key_order, resolve, schema,
                                  schema_at, set_path)
from nesa_cli.edit.transaction import EditError


def item_value(kind: str, dotted: str, text: str):
    """One list entry from text: a value, or a record written ``key=value,key=value``
    (a piece without ``key=`` continues the value before it, so text may hold
    commas) or as a YAML flow mapping ``{key: value, ...}``."""
    parts = dotted.split(".") + ["0"]
    sub = schema_at(kind, parts)
    if sub.get("type") != "object":
        return _coerce(kind, f"{dotted}.N", sub, text)
    text = text.strip()
    pairs = _flow_pairs(dotted, text) if text.startswith("{") else _kv_pairs(kind, parts, text)
    entry = roundtrip.new_map()
    for key, value in pairs:
        set_path(entry, kind, key.split("."), coerce(kind, f"{dotted}.0.{key}", value), base=parts)
    if not entry:
        raise EditError(f"{dotted}+=: give the entry's fields, e.g. {dotted}+={_example(kind, parts)}")
    return entry


def _example(kind: str, parts: list[str]) -> str:
    sub = schema_at(kind, parts)
    keys = sub.get("required") or list(sub.get("properties", {}))[:2]
    return ",".join(f"{k}=..." for k in keys)


def _kv_pairs(kind: str, parts: list[str], text: str) -> list[tuple[str, str]]:
    known = [p[len(_generic(parts)) + 1:] for p in field_paths(kind) if p.startswith(_generic(parts) + ".")]
    pairs: list[list[str]] = []
    for piece in text.split(","):
        key, eq, value = piece.partition("=")
        name = key.strip()
        typo = eq and name == key and difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        if eq and name and (name in known or not pairs or typo):
            pairs.append([name, value])
        elif pairs:
            pairs[-1][1] += "," + piece
        else:
            raise EditError(f"{'.'.join(parts[:-1])}+={text!r}: write the entry as KEY=VALUE,KEY=VALUE, "
                            f"e.g. {'.'.join(parts[:-1])}+={_example(kind, parts)}")
    return [(k, v.strip()) for k, v in pairs]


def _flow_pairs(dotted: str, text: str) -> list[tuple[str, str]]:
    """The keys and the typed text of each value of a flow mapping (text, not
    YAML's guess: ``{version: 1.10}`` keeps "1.10")."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    try:
        node = YAML(typ="rt").compose(text)
    except YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "not YAML"
        raise EditError(f"{dotted}+={text}: not a flow mapping ({first}); quote a value holding ':' or ',', "
                        "e.g. {detail: 'Phonics: RWI'}, or use KEY=VALUE,KEY=VALUE") from None
    if not isinstance(node, MappingNode):
        raise EditError(f"{dotted}+={text}: write the entry as {{key: value, ...}} or KEY=VALUE,KEY=VALUE")
    out: list[tuple[str, str]] = []

    def walk(n, prefix: str) -> None:
        for k, v in n.value:
            key = f"{prefix}{k.value}"
            if isinstance(v, MappingNode):
                walk(v, key + ".")
            elif isinstance(v, ScalarNode):
                out.append((key, v.value))
            else:
                items = [i.value for i in v.value if isinstance(i, ScalarNode)]
                if len(items) != len(v.value):
                    raise EditError(f"{dotted}+=: {key} may hold a list of values only")
                if any("," in i for i in items):
                    raise EditError(f"{dotted}+=: {key}: a value in the list holds a comma; add the entry first, then the "
                                    f"list item by item with {dotted}.N.{key}+=VALUE")
                out.append((key, ",".join(items)))

    walk(node, "")
    return out


# --- putting values into a document ---------------------------------------------


def list_at(doc, parts: list[str]):
    node = doc
    for part in parts:
        if node is None:
            return None
        node = node[int(part)] if part.isdigit() and isinstance(node, list) and int(part) < len(node) else (
            node.get(part) if isinstance(node, dict) else None)
    return node


def append_item(doc, kind: str, parts: list[str], text: str) -> tuple[int, object]:
    """``FIELD+=ITEM``: append to the list at ``parts`` (made if absent).
    A list of plain values takes several, comma-separated, unless it holds text."""
    dotted = ".".join(parts)
    sub = schema_at(kind, parts)
    if sub.get("type") != "array":
        raise EditError(f"{dotted} is not a list; set it with {dotted}=VALUE")
    items = resolve(schema(kind), sub.get("items", {}))
    free_text = items.get("type") == "string" and "enum" not in items and "[a-z0-9]" not in items.get("pattern", "")
    if items.get("type") != "object" and not free_text:
        values = [item_value(kind, dotted, t) for t in text.split(",") if t.strip()]
    else:
        values = [item_value(kind, dotted, text)]
    if not values:
        raise EditError(f"{dotted}+=: give the value to add")
    seq = list_at(doc, parts)
    start = len(seq) if isinstance(seq, list) else 0
    for n, value in enumerate(values):
        set_path(doc, kind, parts + [str(start + n)], value)
    return start, values[0] if len(values) == 1 else values


def remove_item(doc, kind: str, parts: list[str], text: str) -> tuple[int, object]:
    """``FIELD-=ITEM``: remove the entry equal to ITEM (for a list of records,
    whose id, or first required field, is ITEM). Exactly one must match."""
    dotted = ".".join(parts)
    sub = schema_at(kind, parts)
    if sub.get("type") != "array":
        raise EditError(f"{dotted} is not a list; remove it with --unset {dotted}")
    seq = list_at(doc, parts)
    if not isinstance(seq, list) or not seq:
        raise EditError(f"{dotted} has no entries")
    items = resolve(schema(kind), sub.get("items", {}))
    if items.get("type") == "object":
        keys = (["id"] if "id" in items.get("properties", {}) else []) + list(items.get("required", [])) + list(items.get("properties", {}))
        key = keys[0]
        want = roundtrip.plain(roundtrip.to_yaml(_coerce(kind, f"{dotted}.N.{key}", items["properties"][key], text)))
        hits = [i for i, e in enumerate(seq) if isinstance(e, dict) and roundtrip.plain(e.get(key)) == want]
        said = f"with {key} {text}"
    else:
        want = roundtrip.plain(roundtrip.to_yaml(_coerce(kind, f"{dotted}.N", items, text)))
        hits = [i for i, e in enumerate(seq) if roundtrip.plain(e) == want]
        said = repr(text)
    if not hits:
        shown = [str(roundtrip.plain(e.get(key) if isinstance(e, dict) else e)) for e in seq]
        close = difflib.get_close_matches(str(text), shown, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f" (entries: {', '.join(shown[:12])})"
        raise EditError(f"{dotted} has no entry {said}{hint}")
    if len(hits) > 1:
        raise EditError(f"{dotted} has {len(hits)} entries {said} (numbers {', '.join(map(str, hits))}); "
                        f"remove one by its number: --unset {dotted}.{hits[0]}")
    return hits[0], seq.pop(hits[0])


def add_entry(doc, kind: str, key: str, values: dict, flow: bool | None = None) -> int:
    """Append a record to the top-level list ``key``: ``values`` typed as text
    are read by the schema (money, dates, enums with a did-you-mean), keys go
    in the schema's order, and the entry is written in the style of the
    entries already there (one line each ``{...}``, or a block). Returns its index."""
    order = key_order(kind, [key, "0"])
    entry = roundtrip.new_map()
    for name in sorted(values, key=lambda n: order.index(n) if n in order else len(order)):
        value = values[name]
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, str):
            value = coerce(kind, f"{key}.0.{name}", value)
        entry[name] = roundtrip.to_yaml(value)
    existing = doc.get(key) or []
    if flow is None:
        flow = bool(existing) and all(getattr(e, "fa", None) is not None and e.fa.flow_style() for e in existing)
    if flow:
        entry.fa.set_flow_style()
    append_entry(doc, key, entry, kind)
    return len(doc[key]) - 1
