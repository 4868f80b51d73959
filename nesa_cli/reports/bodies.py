"""nesa bodies list / show: the governance bodies, who is on them on a day, their quorum."""

from __future__ import annotations

from datetime import date

from nesa_cli.reports.lookup import NotFound
from nesa_cli.tabular import Listing


def find_body(model, text: str):
    from nesa_cli.meetings.bodies import bodies

    found = bodies(model)
    if text in found:
        return found[text]
    low = text.lower()
    hits = [b for b in found.values() if low in b.name.lower()]
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(sorted(found)) or "none (data/bodies/ is empty)"
    raise NotFound(f"no body {text!r}" + (f" (it matches {len(hits)}: {', '.join(b.id for b in hits)})" if hits else "")
                   + f"; bodies: {known}")


def list_bodies(model, day: date) -> Listing:
    from nesa_cli.meetings.bodies import bodies, seats_on

    rows = []
    for b in sorted(bodies(model).values(), key=lambda b: b.name):
        seats = seats_on(model, b, day)
        chair = next((s.name for s in seats if s.role == "chair" and s.name), "")
        rows.append({"id": b.id, "name": b.name, "on_body": len(seats), "membership": b.members, "chair": chair,
                     "quorum": b.quorum.describe(seats) if b.quorum else "", "purpose": b.purpose or ""})
    return Listing(columns=[("id", "Id"), ("name", "Name"), ("on_body", "On it"), ("membership", "Membership"),
                            ("chair", "Chair"), ("quorum", "Quorum")],
                   rows=rows, title=f"{len(rows)} bod{'y' if len(rows) == 1 else 'ies'} on {day.isoformat()}")


def body_record(model, body, day: date, all_terms: bool = False) -> dict:
    """One body: purpose, quorum on the day, the people on it; with ``all_terms`` every entry as written."""
    from nesa_cli.meetings.bodies import RULES, seats_on

    seats = seats_on(model, body, day)
    rec = {
        "id": body.id, "name": body.name, "purpose": body.purpose,
        "quorum": body.quorum.describe(seats) if body.quorum else None,
        "members": [{"name": s.name or "(not named yet)", "role": s.role, "seat": s.seat,
                     "of": s.school_name if s.school_name and s.school_name != s.seat else "",
                     "term_ends": s.end} for s in seats],
    }
    if all_terms:
        entries = []
        for e in body.membership:
            who = RULES[e.rule] if e.rule else (e.name or e.team or "")
            status = "serving" if e.serves_on(day) else ("ended" if e.end is not None and e.end < day else "not yet")
            entries.append({"who": who, "kind": e.kind, "school": e.school, "organisation": e.organisation, "role": e.role,
                            "from": e.start, "to": e.end, "status": status})
        rec["terms"] = entries
    rec["path"] = body.path
    return rec
