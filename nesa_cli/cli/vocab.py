"""One vocabulary for every command: how a person names a school, a meeting,
a network, a partnership or a role, gives a span of days or picks a choice.

Every command parses through these, so the same words work everywhere:

* a school is its URN or a unique part of its name (``--school rothbury``);
* a span of days is ``90`` or ``90d`` (also ``8w``, ``3m``, ``1y``);
* a choice is matched without regard to case, and a misspelt one is refused
  with what it may have meant (``--phase frist``: did you mean first?);
* a meeting, network or partnership is its id, a unique part of it, or a
  unique part of its name; when nothing matches the message suggests.

A wrong word is a usage error (exit 2) with one plain line, never a pydantic
or Typer type message.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Callable, Iterable, Sequence, TypeVar

from nesa_cli.cli import common

T = TypeVar("T")


# -- spans of days ------------------------------------------------------------

def days(text: str | int | None, option: str = "--within") -> int | None:
    """``90``, ``90d``, ``8w``, ``3m`` or ``1y`` as a number of days."""
    from nesa_cli.dates import parse_duration

    if text is None:
        return None
    word = str(text).strip().lower()
    if word.isdigit():
        word += "d"
    try:
        return parse_duration(word).days
    except ValueError:
        raise common.Misuse(f"{option} {str(text)!r} is not a number of days: give e.g. 90, 90d, 8w, 3m or 1y") from None


def percent(text: str | int, option: str) -> int:
    """A whole percentage 0 to 100 (``75`` or ``75%``)."""
    word = str(text).strip().rstrip("%").strip()
    if not word.isdigit() or int(word) > 100:
        raise common.Misuse(f"{option} {str(text)!r} is not a percentage: give a whole number from 0 to 100, e.g. 75")
    return int(word)


# -- choices ------------------------------------------------------------------

def _suggest(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    known = list(known)
    lower = {k.lower(): k for k in known}
    close = difflib.get_close_matches(word.lower(), list(lower), n=n, cutoff=0.6)
    return [lower[c] for c in close]


def choice(value: str | None, allowed: Sequence[str], option: str) -> str | None:
    """``value`` as the allowed word it names (case ignored); a usage error with
    close matches, or the whole list when it is short, otherwise."""
    if value is None:
        return None
    word = value.strip()
    for a in allowed:
        if a.lower() == word.lower():
            return a
    close = _suggest(word, allowed)
    if close:
        hint = f"; did you mean {' or '.join(close)}?"
    elif len(allowed) <= 12:
        hint = f"; choose from {', '.join(allowed)}"
    else:
        hint = f"; e.g. {', '.join(list(allowed)[:6])}, ..."
    raise common.Misuse(f"{option} {value!r} is not known{hint}")


def choices(values: Sequence[str] | None, allowed: Sequence[str], option: str) -> list[str] | None:
    """Each of a repeated choice option (None stays None: no filter)."""
    if not values:
        return None
    return [choice(v, allowed, option) for v in values]


@lru_cache(maxsize=None)
def schema_enum(schema: str, *path: str) -> tuple[str, ...]:
    """The ``enum`` at ``path`` in a shipped schema (properties, $defs, items)."""
    from nesa_cli.resources import schema as load

    node = load(schema)
    for key in path:
        node = node[key]
    return tuple(node["enum"])


def phases() -> tuple[str, ...]:
    return schema_enum("school.schema.json", "properties", "phase")


def types() -> tuple[str, ...]:
    return schema_enum("school.schema.json", "properties", "type")


def contact_roles() -> tuple[str, ...]:
    from nesa_cli.resources import schema as load

    contact = load("school.schema.json")["properties"]["contacts"]["items"]
    return _enum_in(load("school.schema.json"), contact["properties"]["role"])


def _enum_in(doc: dict, node: dict) -> tuple[str, ...]:
    while "$ref" in node:
        target = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return tuple(node["enum"])


# -- things in the data ---------------------------------------------------------

def lookup(text: str, items: Iterable[T], ident: Callable[[T], str], name: Callable[[T], str], what: str,
           option: str | None = None, part_of_id: bool = True) -> T:
    """An item by its id, a unique part of its id (unless ``part_of_id`` is
    false: part of a URN names nothing), or its name or a unique part of it;
    otherwise a usage error naming close matches."""
    from nesa_cli.reports.lookup import NotFound, find_one

    items = list(items)
    q = text.strip().lower()
    by_id = [i for i in items if q and q in ident(i).lower()] if part_of_id else []
    if len(by_id) == 1 and not any(ident(i).lower() == q for i in items):
        exact_name = [i for i in items if name(i).lower() == q]
        return exact_name[0] if len(exact_name) == 1 else by_id[0]
    try:
        return find_one(text, items, ident, name, what)
    except NotFound as exc:
        prefix = f"{option}: " if option else ""
        message = str(exc)
        if "matches" not in message.split("'", 1)[0] or "Did you mean" in message or len(items) > 12:
            raise common.Misuse(prefix + message) from None
        known = ", ".join(sorted(ident(i) for i in items)) or "none"
        many = what[:-1] + "ies" if what.endswith("y") and what[-2:-1] not in "aeiou" else what + "s"
        raise common.Misuse(f"{prefix}{message} Known {many}: {known}.") from None


def school(model, text: str, option: str | None = None):
    """A school by URN or a unique part of its name (by name: not one a successor replaced, see
    nesa_cli.succession.current_first; by URN: any)."""
    from nesa_cli.succession import current_first

    t = str(text).strip()
    if t.isdigit() and int(t) in model.schools:
        return model.schools[int(t)]
    return lookup(text, current_first(model, model.schools.values()), lambda s: str(s.urn), lambda s: s.name, "school", option, part_of_id=False)


def school_urn(model, text: str | None, option: str) -> int | None:
    return None if text is None else school(model, text, option).urn


def network(model, text: str | None, option: str = "--network") -> str | None:
    if text is None:
        return None
    return lookup(text, model.networks.values(), lambda n: n.id, lambda n: n.name, "network", option).id


def partnership(model, text: str | None, option: str = "--partnership") -> str | None:
    if text is None:
        return None
    known = model.alliance.partnerships if model.alliance else ()
    return lookup(text, known, lambda p: p.id, lambda p: p.name, "partnership", option).id


def partnerships(model, values: Sequence[str] | None, option: str = "--partnership") -> list[str] | None:
    return [partnership(model, v, option) for v in values] if values else None


def meeting(model, text: str):
    """A meeting by id, a unique part of it (its date, ``2026-12-09``) or of its title."""
    from nesa_cli.meetings.model import meetings

    found = meetings(model)
    return lookup(text, found, lambda m: m.id, lambda m: m.title or m.id, "meeting")


def body(model, text: str | None, option: str = "--body") -> str | None:
    """A meeting body: a body's id (data/bodies/<id>.yaml), network:<network> or
    partnership:<partnership> (the part after the colon looked up as above;
    a bare network or partnership name is taken when it is unique)."""
    from nesa_cli.meetings.bodies import bodies

    if text is None:
        return None
    word = text.strip()
    kind, sep, ref = word.partition(":")
    if sep and kind.lower() == "network":
        return f"network:{network(model, ref, option)}"
    if sep and kind.lower() == "partnership":
        return f"partnership:{partnership(model, ref, option)}"
    ids = sorted(bodies(model))
    for b in ids:
        if b == word.lower():
            return b
    known = ids + [f"network:{n}" for n in model.networks]
    known += [f"partnership:{p.id}" for p in (model.alliance.partnerships if model.alliance else ())]
    hits = [k for k in known if word.lower() in k.split(":")[-1]]
    if word and len(hits) == 1:
        return hits[0]
    close = _suggest(word, known) or _suggest(word, [k.split(":")[-1] for k in known])
    close = [k for k in known if k in close or k.split(":")[-1] in close][:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else "; give a body's id (data/bodies/), network:<id> or partnership:<id>"
    if not close and not sep and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", word):
        hint = f"; no body {word!r}: create data/bodies/{word}.yaml (see schemas/body.schema.json)"
    raise common.Misuse(f"{option} {text!r} is not a meeting body{hint}")
