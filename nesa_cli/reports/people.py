"""Finding people: school contacts, the central team, network leads."""

from __future__ import annotations

from nesa_cli.wording import plural

from datetime import date

from nesa_cli.model import Model
from nesa_cli.tabular import Listing


def find_people(model: Model, text: str, on: date, include_private: bool = False) -> Listing:
    """Everyone whose name (or work email) contains ``text``, with where they appear."""
    t = text.strip().lower()
    rows = []
    leads: dict[tuple[int, str], list[str]] = {}
    membership: dict[tuple[int, str], list[str]] = {}
    for n in model.networks.values():
        if n.lead_school is not None:
            leads.setdefault((n.lead_school, n.lead_person), []).append(n.name)
        for m in n.active_members(on):
            membership.setdefault((m.school, m.person), []).append(n.name)
    if model.alliance:
        pnames = {p.id: p.name for p in model.alliance.partnerships}
        for tm in model.alliance.central_team:
            if t in tm.name.lower() or (tm.email and t in tm.email.lower()):
                links = [pnames.get(p, p) for p in tm.partnerships]
                rows.append({
                    "name": tm.name, "role": tm.role, "where": "central team", "urn": None,
                    "email": tm.email, "phone": tm.phone,
                    "appears_in": [f"links with {', '.join(links)}"] if links else [],
                })
    carried = _carried_over(model, on)
    for s in sorted(model.schools.values(), key=lambda s: s.name):
        for c in s.contacts:
            if (s.urn, c.name) in carried:
                continue
            visible = c.as_dict(include_private)
            if t in c.name.lower() or (visible.get("email") and t in visible["email"].lower()):
                appears = [f"lead of {n}" for n in leads.get((s.urn, c.name), [])]
                appears += [f"member of {n}" for n in membership.get((s.urn, c.name), [])]
                appears += [f"{d.abbreviation}" + (f" ({d.specialism})" if d.specialism else "")
                            for d in getattr(s, "designations", ()) if d.person == c.name and d.current_on(on)]
                rows.append({
                    "name": c.name, "role": c.role, "where": s.name, "urn": s.urn,
                    "email": visible.get("email"), "phone": visible.get("phone"), "appears_in": appears,
                })
    notes = [] if include_private else ["Details marked not for circulation are left out (--include-private shows them)."]
    if not rows:
        close = _close_names(model, t)
        if close:
            notes.insert(0, f"No one's name contains '{text.strip()}'. Did you mean: {', '.join(close)}?")
    return Listing(
        columns=[("name", "Name"), ("role", "Role"), ("where", "Where"), ("email", "Email"), ("phone", "Phone"), ("appears_in", "Appears in")],
        rows=rows,
        title=f"{plural(len(rows), 'person', 'people')} matching '{text}'",
        notes=notes,
    )


def _carried_over(model: Model, on: date) -> set[tuple[int, str]]:
    """(URN, name) of the contacts to leave out because the same school lists them under its other URN
    (nesa_cli.succession): a person carried over to a converted school's successor is listed once, under
    the school as it is on ``on``: the successor from its first day, the old URN before. Someone only
    on the old file (they left before the conversion) is still found there."""
    from nesa_cli.succession import successors

    out: set[tuple[int, str]] = set()
    for old_urn, news in successors(model).items():
        old, new = model.schools.get(old_urn), news[0]
        if old is None:
            continue
        stale, current = (old, new) if new.predecessor.date <= on else (new, old)
        names = {c.name for c in current.contacts}
        out.update((stale.urn, c.name) for c in stale.contacts if c.name in names)
    return out


def _close_names(model: Model, text: str, n: int = 5) -> list[str]:
    """Names of people whose name, or a run of its words, is close to ``text``."""
    import difflib

    from nesa_cli.reports.lookup import _close_to_part

    names = [tm.name for tm in model.alliance.central_team] if model.alliance else []
    names += [c.name for s in model.schools.values() for c in s.contacts]
    unique = sorted(set(names))
    close = difflib.get_close_matches(text, [x.lower() for x in unique], n=n, cutoff=0.6)
    found = [x for x in unique if x.lower() in close]
    found += [x for x in unique if x not in found and _close_to_part(text, x.lower())]
    return found[:n]
