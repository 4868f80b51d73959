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
    from nesa_cli.succession import lineage

    rows = []
    previous: set[int] = set()
    for label, day in term_days(start - timedelta(days=1), on):
        current = model.members_on(day)
        # a converted school is one school across its URNs (nesa_cli.succession): neither left nor joined
        members = {lineage(model, s.urn) for s in current}
        schools = current
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
    """Joiners (became a member) and leavers (stopped being one) per academic year.

    A conversion (a new URN succeeding a member, nesa_cli.succession) is
    neither: it is listed under "Converted" with the year it happened."""
    from nesa_cli.succession import continues, successors

    pnames = {p.id: p.name for p in model.alliance.partnerships} if model.alliance else {}
    index = successors(model)
    events: list[tuple[str, str, object]] = []  # (year, joined|left|converted, school)
    for s in model.schools.values():
        was = False
        for e in s.membership:
            if e.date > on:
                break
            now = e.state == "member"
            if now != was and continues(model, s, e.date, index):
                if now:  # the successor's side of it: said once
                    events.append((academic_year(e.date), "converted", s))
            elif now and not was:
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
                converted = sorted(_converted(model, s) for y, k, s in events if y == year and k == "converted" and g in keys(s))
                rows.append({"year": year, "by": dimension, "group": g, "joined": len(joined), "left": len(left),
                             "joiners": joined, "leavers": left, "converted": converted})
    return Listing(
        columns=[("year", "Year"), ("by", "By"), ("group", "Group"), ("joined", "Joined"), ("left", "Left"),
                 ("joiners", "Joiners"), ("leavers", "Leavers"), ("converted", "Converted (continuing)")],
        rows=rows, title="Joiners and leavers per academic year (September to August)",
    )


def _converted(model, school) -> str:
    return f"{school.name} (was URN {school.predecessor.urn})"
