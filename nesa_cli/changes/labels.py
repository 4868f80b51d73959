"""A change's place in words, from the schemas' titles: ``central team member
Jo Smith's job title``, not ``central_team[1].title``; a school's URN becomes
its name wherever the schema says a field holds a URN."""

from __future__ import annotations

from typing import Any, Callable

from nesa_cli.changes.fields import Item

Names = Callable[[Any], str]


def schema_for(kind_name: str | None) -> dict:
    from nesa_cli.kinds import KINDS
    from nesa_cli.resources import schema

    for k in KINDS:
        if k.name == kind_name:
            try:
                return schema(k.schema)
            except (OSError, ValueError):
                return {}
    return {}


def _resolve(root: dict, node: Any) -> dict:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 10:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        merged = dict(target) if isinstance(target, dict) else {}
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        merged.setdefault("_ref", ref)
        node, seen = merged, seen + 1
    if not isinstance(node, dict):
        return {}
    if "_root" not in node:
        node = dict(node, _root=root)
    return node


def _branches(root: dict, node: dict):
    yield node
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key) or ():
            yield _resolve(root, sub)
    for key in ("then", "else"):
        if isinstance(node.get(key), dict):
            yield _resolve(root, node[key])


def child(root: dict, node: dict, step: Any) -> dict:
    """The schema of one step further in (a property or a list's items)."""
    for branch in _branches(root, node):
        if isinstance(step, Item):
            if isinstance(branch.get("items"), dict):
                return _resolve(root, branch["items"])
        else:
            props = branch.get("properties")
            if isinstance(props, dict) and step in props:
                return _resolve(root, props[step])
    return {}


def holds_urn(node: dict) -> bool:
    return str(node.get("_ref", "")).endswith("/urn") or node.get("title") == "URN"


def words(title: str) -> str:
    """A title mid-sentence: lower-case, unless it starts with an acronym."""
    if not title:
        return title
    first = title.split(" ", 1)[0]
    return title if (len(first) > 1 and first[:2].isupper()) else title[0].lower() + title[1:]


def _title(node: dict, key: str) -> str:
    return node.get("title") or key.replace("_", " ")


def item_name(item: Any, node: dict, names: Names, at_school: bool = True) -> str:
    """What a list item is, in a few words: a person's name (and school, unless
    ``at_school`` is false: the place of a change within it), a school's name,
    ``version 3.0``; '' when nothing names it."""
    if not isinstance(item, dict):
        if holds_urn(node) and isinstance(item, int):
            return names(item)
        return value_text(item, node, names)
    if item.get("name"):
        school = item.get("school")
        if at_school and isinstance(school, int) and not isinstance(school, bool) and holds_urn(child(node.get("_root") or {}, node, "school")):
            return f"{item['name']} ({names(school)})"  # a named contact, a body's member: and at which school
        return str(item["name"])
    if item.get("person"):
        return f"{item['person']} ({names(item['school'])})" if item.get("school") else str(item["person"])
    if item.get("title"):
        return str(item["title"])
    if item.get("school") and item.get("version"):
        return f"{names(item['school'])}, version {item['version']}"
    if item.get("school"):
        return names(item["school"])
    for key, fmt in (("version", "version {}"), ("number", "{}"), ("id", "{}"), ("census_date", "census {}"),
                     ("measure", "{}"), ("action", "{}"), ("text", "{}"), ("description", "{}")):
        if item.get(key):
            return fmt.format(_short(str(item[key]), 60))
    if item.get("date"):
        return " ".join(str(item[k]) for k in ("state", "date") if item.get(k))
    return ""


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def value_text(value: Any, node: dict, names: Names, limit: int = 80) -> str:
    from nesa_cli.privacy import Masked

    if isinstance(value, Masked):
        return str(value)
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if holds_urn(node) and isinstance(value, int):
        return names(value)
    if str(node.get("_ref", "")).endswith("/money"):
        return money(value)
    if isinstance(value, list):
        inner = child(node.get("_root") or {}, node, Item(0)) if node else {}
        return ", ".join(item_name(v, inner, names) or value_text(v, inner, names, 40) for v in value) or "(none)"
    if isinstance(value, dict):
        return item_name(value, node, names) or ", ".join(f"{k} {value_text(v, {}, names, 30)}" for k, v in value.items())
    return _short(str(value), limit)


def place(root: dict, steps: tuple, names: Names) -> tuple[str, dict]:
    """(words for where ``steps`` lead, the schema node there): a list item
    is named by what it is, e.g. ``central team member Jo Smith's job title``."""
    node, parts, items = root, [], set()
    for step in steps:
        sub = child(root, node, step)
        if isinstance(step, Item):
            label = item_name(step.value, sub, names, at_school=False)
            if label:
                noun = words(sub.get("title") or (parts[-1] if parts else "item"))
                if parts:
                    parts[-1] = f"{noun} {label}"
                else:
                    parts.append(f"{noun} {label}")
                items.add(len(parts) - 1)
        else:
            title = words(_title(sub, step))
            if parts and len(parts) - 1 not in items and parts[-1][:5].lower() in title.lower():
                parts.pop()  # "preferences preferred partners": the child says it
            parts.append(title)
        node = sub
    text = ""
    for n, part in enumerate(parts):
        text += part if not n else ("'s " if n - 1 in items else " ") + part
    return text, node


def money(value: Any) -> str:
    from nesa_cli.render import money as fmt

    try:
        return fmt(value)
    except Exception:  # noqa: BLE001 - odd data is described, not fatal
        return str(value)
