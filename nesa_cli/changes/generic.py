"""Any record's changed fields in words, labelled from the schema's titles."""

from __future__ import annotations

from typing import Any, Iterable

from nesa_cli.changes.change import Names, Said
from nesa_cli.changes.fields import Item, deltas
from nesa_cli.changes.labels import item_name, money, place, schema_for, value_text, words
from nesa_cli.privacy import PRIVATE, Masked


def urn_of(value) -> tuple:
    return (value,) if isinstance(value, int) else ()


def generic(kind: str | None, name: str, old: dict, new: dict, names: Names, handled: Iterable[str] = (),
            schools: tuple = ()) -> list[Said]:
    """Each change of the fields not ``handled``, labelled from the schema's titles."""
    root = schema_for(kind)
    handled = set(handled)
    ds = deltas({k: v for k, v in old.items() if k not in handled}, {k: v for k, v in new.items() if k not in handled})
    out: list[Said] = []
    # items added to (or removed from) one list of plain values: one sentence
    lists: dict[tuple, list] = {}
    for d in ds:
        last = d.steps[-1] if d.steps else None
        if isinstance(last, Item) and d.kind != "changed" and not isinstance(d.new if d.old is None else d.old, (dict, list)):
            lists.setdefault((d.steps[:-1], d.kind), []).append(d)
            continue
        out.append(_said(root, name, d, names, schools, kind))
    for (steps, kind_), items in lists.items():
        where, node = place(root, steps, names)
        inner = node.get("items") if isinstance(node.get("items"), dict) else {}
        from nesa_cli.changes.labels import _resolve

        inner = _resolve(root, inner)
        values = [item_name(d.new if d.old is None else d.old, inner, names) for d in items]
        verb = "added" if kind_ == "added" else "removed"
        out.append(Said(name, f"{name}: {where}: {_and(values)} {verb}", schools=schools))
    return out


def _and(values: list[str]) -> str:
    values = [v for v in values if v]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


_PLURAL = {"school": "schools", "network": "networks", "policy": "policies", "activity": "activities",
           "meeting": "meetings", "invoice": "invoices", "finance-year": "financial years", "alliance": "alliances"}


def _said(root: dict, name: str, d, names: Names, schools: tuple, kind: str | None = None) -> Said:
    where, node = place(root, d.steps, names)
    last = d.steps[-1] if d.steps else None
    if isinstance(last, Item) and d.kind != "changed":
        # a whole item: one sentence, not one per field
        where_list, list_node = place(root, d.steps[:-1], names)
        from nesa_cli.changes.labels import child

        inner = child(root, list_node, last)
        noun = words(inner.get("title") or "item")
        item = d.new if d.old is None else d.old
        what = _item_sentence(item, inner, names)
        text = f"{name}: {('new ' + noun) if d.kind == 'added' else noun + ' removed'}: {what}" if what else \
            f"{name}: {noun} {'added to' if d.kind == 'added' else 'removed from'} {where_list}"
        return Said(name, text, group=f"{{n}} {noun}s {d.kind}" if noun else None, member=f"{name}: {what}" if what else name,
                    schools=schools)
    if isinstance(d.old, Masked) or isinstance(d.new, Masked):
        return Said(name, f"{name}: {where} changed {PRIVATE}", schools=schools)
    group = f"{where[0].upper() + where[1:]} changed for {{n}} {_PLURAL.get(kind, 'records')}" if where else None
    if d.kind == "added":
        return Said(name, f"{name}: {where} set to {value_text(d.new, node, names)}", group, name, schools)
    if d.kind == "removed":
        return Said(name, f"{name}: {where} removed (was {value_text(d.old, node, names)})", group, name, schools)
    if isinstance(d.new, str) and len(d.new) > 60 or isinstance(d.old, str) and len(d.old) > 60:
        return Said(name, f"{name}: {where} now reads: {value_text(d.new, node, names, 120)}", group, name, schools)
    return Said(name, f"{name}: {where} {value_text(d.old, node, names)} -> {value_text(d.new, node, names)}", group, name, schools)


def _item_sentence(item: Any, node: dict, names: Names) -> str:
    """A list item in one phrase: a finance entry as '£450.00 on 2026-05-01: Supply cover'."""
    if isinstance(item, dict) and "amount" in item:
        bits = [money(item["amount"])]
        if item.get("date"):
            bits.append(f"on {item['date']}")
        if item.get("school"):
            bits.append(f"for {names(item['school'])}")
        text = " ".join(bits)
        if item.get("description"):
            text += f": {value_text(item['description'], {}, names, 80)}"
        return text
    return item_name(item, node, names)
