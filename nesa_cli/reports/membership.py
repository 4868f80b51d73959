"""Membership over time: members per term, joiners and leavers per year."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from nesa_cli.model import Model
from nesa_cli.tabular import Listing

# Counted on the first day of each term. Term dates vary by LA and year; these
# fixed days (autumn 1 Sep, spring 1 Jan, summer 15 Apr) keep terms comparable.
TERM_STARTS = ((9, 1, "Autumn"), (1, 1, "Spring"), (4, 15, "Summer"))


def term_days(start: date, end: date) -> list[tuple[str, date]]:
    out = []
    for year in range(start.year - 1, end.year + 1):
        for month, day, name in TERM_STARTS:
            d = date(year, month, day)
            if start <= d <= end:
                out.append((f"{name} {year}", d))
    return sorted(out, key=lambda t: t[1])


def academic_year(d: date) -> str:
    y = d.year if d.month >= 9 else d.year - 1
    return f"{y}/{str(y + 1)[2:]}"


def _first_event(model: Model) -> date | None:
    days = [e.date for s in model.schools.values() for e in s.membership]
    return min(days) if days else None


def membership_by_term(model: Model, on: date, since: date | None = None) -> Listing:
    start = since or _first_event(model) or on
    pnames = {p.id: p.name for p in model.alliance.partnerships} if model.alliance else {}
    rows = []
    previous: set[int] = set()
    for label, day in term_days(start - timedelta(days=1), on):
        members = {s.urn for s in model.members_on(day)}
        schools = [model.schools[u] for u in members]
        rows.append({
            "term": label, "date": day, "members": len(members),
            "joined": len(members - previous) if rows else len(members), "left": len(previous - members),
            "by_phase": dict(sorted(Counter(s.phase for s in schools).items())),
            # issue 20: a school counts in each of its partnerships ("members" counts it once)
            "by_partnership": dict(sorted(Counter(pnames.get(p, p) for s in schools for p in (s.partnerships or ("(none)",))).items())),
        })
        previous = members
    return Listing(
        columns=[("term", "Term"), ("date", "Counted on"), ("members", "Members"), ("joined", "Joined"), ("left", "Left"),
                 ("by_phase", "By phase"), ("by_partnership", "By partnership")],
        rows=rows, title="Members at the start of each term",
    )


def membership_by_year(model: Model, on: date) -> Listing:
    """Joiners (became a member) and leavers (stopped being one) per academic year."""
    pnames = {p.id: p.name for p in model.alliance.partnerships} if model.alliance else {}
    events: list[tuple[str, str, object]] = []  # (year, joined|left, school)
    for s in model.schools.values():
        was = False
        for e in s.membership:
            if e.date > on:
                break
            now = e.state == "member"
            if now and not was:
                events.append((academic_year(e.date), "joined", s))
            elif was and not now:
                events.append((academic_year(e.date), "left", s))
            was = now
    rows = []
    for year in sorted({y for y, _, _ in events}):
        # issue 20: a school in two partnerships is a joiner (or leaver) of each
        for dimension, keys in (("all", lambda s: ("all",)), ("phase", lambda s: (s.phase,)),
                                ("partnership", lambda s: tuple(pnames.get(p, p) for p in (s.partnerships or ("(none)",))))):
            groups = sorted({g for y, _, s in events if y == year for g in keys(s)})
            for g in groups:
                joined = sorted(s.name for y, k, s in events if y == year and k == "joined" and g in keys(s))
                left = sorted(s.name for y, k, s in events if y == year and k == "left" and g in keys(s))
                rows.append({"year": year, "by": dimension, "group": g, "joined": len(joined), "left": len(left),
                             "joiners": joined, "leavers": left})
    return Listing(
        columns=[("year", "Year"), ("by", "By"), ("group", "Group"), ("joined", "Joined"), ("left", "Left"),
                 ("joiners", "Joiners"), ("leavers", "Leavers")],
        rows=rows, title="Joiners and leavers per academic year (September to August)",
    )
