"""A school's changes in words: joining, leaving, pupils, contacts, then any other field."""

from __future__ import annotations

from nesa_cli.changes.change import FileChange, Names, Said
from nesa_cli.changes.fields import Item, deltas, same
from nesa_cli.changes.generic import generic, urn_of
from nesa_cli.changes.labels import place, schema_for, value_text
from nesa_cli.privacy import PRIVATE, Masked

ROLE_WORDS = {
    "headteacher": "headteacher", "executive-headteacher": "executive headteacher", "head-of-school": "head of school",
    "deputy-headteacher": "deputy headteacher", "senco": "SENCO", "dsl": "designated safeguarding lead",
    "deputy-dsl": "deputy DSL", "school-business-manager": "school business manager", "office-manager": "office manager",
    "site-manager": "site manager", "chair-of-governors": "chair of governors", "clerk-to-governors": "clerk to governors",
    "governor-representative": "governor representative",
}


def _role(role: str) -> str:
    return ROLE_WORDS.get(role, str(role).replace("-", " "))


def _school(fc: FileChange, names: Names) -> list[Said]:
    new, old = fc.new, fc.old
    d = new or old or {}
    name = d.get("name", "a school")
    urn = urn_of(d.get("urn"))
    converted = _conversion(fc, names)  # issue 20: a conversion is said once, by the successor's file
    if converted is not None:
        return converted
    if old is None:
        history = new.get("membership") or [{}]
        last = history[-1].get("state", "prospective")
        if last == "member":
            return [Said(name, f"{name} joined (member from {history[-1].get('date')})", "{n} schools joined", name, urn)]
        text = f"{name} added ({last} since {history[-1].get('date')})" if history[-1].get("date") else f"{name} added ({last})"
        return [Said(name, text, "{n} schools added (not members)", f"{name} ({last})", urn)]
    if new is None:
        return [Said(name, f"{name} removed from the data", "{n} schools removed from the data", name, urn)]
    out: list[str] = []
    if old.get("name") != new.get("name"):
        out.append(f"{old.get('name')} is now called {new.get('name')}")

    def latest(d):
        ps = sorted(d.get("pupils") or [], key=lambda p: str(p.get("census_date", "")))
        return ps[-1] if ps else None

    lo, ln = latest(old), latest(new)
    if ln and (not lo or not same(lo, ln)):
        before = f"{lo['count']} -> " if lo else ""
        out.append(f"{name}: pupils {before}{ln['count']} (census {ln['census_date']})")
    om, nm = old.get("membership") or [], new.get("membership") or []
    for m in [m for m in nm if not any(same(m, o) for o in om)]:
        state, day = m.get("state"), m.get("date")
        if state == "member":
            out.append(f"{name} joined (member from {day})")
        elif state == "withdrawn":
            reason = f": {m['reason']}" if m.get("reason") else ""
            out.append(f"{name} withdrew on {day}{reason}")
        elif state == "signed-up":
            out.append(f"{name} signed up on {day}")
        else:
            out.append(f"{name}: membership {state} from {day}")
    if any(not any(same(o, m) for m in nm) for o in om):
        out.append(f"{name}: membership history corrected")
    said = [Said(name, t, schools=urn) for t in out]
    said += _contacts(name, old.get("contacts") or [], new.get("contacts") or [], names, urn)
    from nesa_cli.designations import changes_in_words  # designations and categories (issue 20)

    said += [Said(name, t, schools=urn) for t in changes_in_words(name, old, new)]
    from nesa_cli.governance import changes_in_words as governance_words  # partnerships, trust, federation (issue 20)

    said += [Said(name, t, schools=urn) for t in governance_words(name, old, new, getattr(names, "partnership", str))]
    said += generic("school", name, old, new, names, {"name", "pupils", "membership", "contacts", "designations", "categories",
                                                      "partnership", "other_partnerships", "trust", "federation"}, urn)
    return said


def _conversion(fc: FileChange, names: Names) -> list[Said] | None:
    """A conversion in one sentence (nesa_cli.succession): the successor's new file says it; the old
    file's side of it (membership handed on, successor, GIAS closed) says nothing more."""
    from nesa_cli.dates import parse, uk_text
    from nesa_cli.succession import REASONS

    new, old = fc.new, fc.old
    if new is None:
        return None
    link = new.get("predecessor")
    if old is None and isinstance(link, dict) and link.get("urn"):
        when = parse(link.get("date"))
        before = link.get("name") or names(link.get("urn"))
        phrase = REASONS.get(link.get("reason") or "other", REASONS["other"])
        name = new.get("name", "a school")
        text = (f"{before} (URN {link['urn']}) {phrase} on {uk_text(when) if when else link.get('date')} "
                f"and continues as {name} (URN {new.get('urn')})")
        return [Said(name, text, "{n} schools converted", name, urn_of(new.get("urn")) + urn_of(link.get("urn")))]
    if old is not None and new.get("successor") and not old.get("successor"):
        ignore = {"membership", "successor", "gias"}
        rest = {k: v for k, v in new.items() if k not in ignore}, {k: v for k, v in old.items() if k not in ignore}
        if same(rest[0], rest[1]):
            return []
    return None


def _contacts(name: str, old: list, new: list, names: Names, urn: tuple) -> list[Said]:
    root = schema_for("school")
    from nesa_cli.changes.labels import child

    contact = child(root, child(root, root, "contacts"), Item(0))
    out: list[Said] = []
    by_role_old: dict[str, list] = {}
    by_role_new: dict[str, list] = {}
    for c in old:
        by_role_old.setdefault(c.get("role"), []).append(c)
    for c in new:
        by_role_new.setdefault(c.get("role"), []).append(c)
    for role in list(by_role_new) + [r for r in by_role_old if r not in by_role_new]:
        o = {c.get("name"): c for c in by_role_old.get(role, [])}
        n = {c.get("name"): c for c in by_role_new.get(role, [])}
        added, gone = [x for x in n if x not in o], [x for x in o if x not in n]
        if len(added) == 1 and len(gone) == 1:
            out.append(Said(name, f"{name}: {_role(role)} is now {added[0]} (was {gone[0]})", schools=urn))
            continue
        out += [Said(name, f"{name}: new {_role(role)} {x}", schools=urn) for x in added]
        out += [Said(name, f"{name}: {x} is no longer {_role(role)}", schools=urn) for x in gone]
        for person in [p for p in n if p in o]:
            for d in deltas(o[person], n[person]):
                if d.steps and d.steps[0] == "private":
                    continue
                where, node = place(contact, d.steps, names)
                group = f"{name}: {where} changed for {{n}} contacts"
                if isinstance(d.old, Masked) or isinstance(d.new, Masked):
                    out.append(Said(name, f"{name}: {person}'s {where} changed {PRIVATE}", group, person, urn))
                elif d.kind == "added":
                    out.append(Said(name, f"{name}: {person}'s {where} set to {value_text(d.new, node, names)}", group, person, urn))
                elif d.kind == "removed":
                    out.append(Said(name, f"{name}: {person}'s {where} removed", group, person, urn))
                else:
                    out.append(Said(name, f"{name}: {person}'s {where} {value_text(d.old, node, names)} -> {value_text(d.new, node, names)}",
                                    group, person, urn))
    return out
