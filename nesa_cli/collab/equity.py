"""Equity of workload: time given by each member school against its fair share."""

from __future__ import annotations

from datetime import date, timedelta

from nesa_cli.collab.model import activities
from nesa_cli.tabular import Listing


def gini(values: list[float]) -> float:
    """Gini coefficient of non-negative values (0 = equal, towards 1 = concentrated)."""
    xs = sorted(v for v in values)
    n = len(xs)
    total = sum(xs)
    if n == 0 or total == 0:
        return 0.0
    cum = sum((i + 1) * x for i, x in enumerate(xs))
    return round((2 * cum) / (n * total) - (n + 1) / n, 4)


def member_spans(school, start: date, end: date) -> list[tuple[date, date]]:
    """The spans (first day, last day, inclusive) within ``start``..``end`` when ``school`` was a member."""
    spans = []
    opened = None
    for event in school.membership:
        if event.state == "member":
            opened = opened or event.date
        elif opened is not None:
            spans.append((opened, event.date - timedelta(days=1)))
            opened = None
    if opened is not None:
        spans.append((opened, date.max))
    out = []
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a <= b:
            out.append((a, b))
    return out


def member_fraction(school, start: date, end: date) -> float:
    """Share of the days ``start``..``end`` (inclusive) on which ``school`` was a member (0 to 1)."""
    days = (end - start).days + 1
    held = sum((b - a).days + 1 for a, b in member_spans(school, start, end))
    return held / days if days > 0 else 0.0


def _member_during(school, start: date, end: date) -> bool:
    return bool(member_spans(school, start, end))


def _period(acts, day: date, start: date | None, end: date | None) -> tuple[date, date]:
    """The period whose members count: the window asked for; an open end is ``day`` (or the last activity)."""
    first = start or min([a.start for a in acts] + [day])
    last = end or max([a.last_day for a in acts] + [day])
    return first, max(first, last)


def equity(model, day: date, start: date | None = None, end: date | None = None, by: str = "pupils",
           high: float = 1.5, low: float = 0.5) -> dict:
    """Per school that was a member during the period: activities led, hours given, fair share, ratio and flag.

    The period is ``start``..``end`` (an open side: the first activity / the later of
    ``day`` and the last activity). Members are those of the period, not of ``day``: a school
    counts with the fraction of the period it was a member (time-weighted fair share), and an
    activity counts for its lead when the lead was a member on one of the activity's days in
    the period. Fair share of the total hours is proportional to pupils (census at or before the
    period's end, else the earliest held) or, with ``by="staff"``, to the number of contacts on
    the school file (a proxy: staff counts are not held). Hours a school received (it is one of
    an activity's ``schools``; an activity's hours split evenly among them) are shown, and a school
    below ``low`` whose given plus received hours reach ``low`` x share is flagged ``supported``,
    not ``under``."""
    window = [a for a in activities(model) if a.status != "cancelled"
              and (start is None or a.last_day >= start) and (end is None or a.start <= end)]
    first, last = _period(window, day, start, end)
    # issue 20, conversions: a school counts once across its URNs, as the school it is now
    from nesa_cli.succession import latest, successors

    index = successors(model)
    now = {u: latest(model, u, index) for u in model.schools}
    weight: dict[int, float] = {}
    formerly: dict[int, list[int]] = {}
    for s in model.schools.values():
        f = member_fraction(s, first, last)
        if f > 0:
            weight[now[s.urn]] = weight.get(now[s.urn], 0.0) + f
            if now[s.urn] != s.urn:
                formerly.setdefault(now[s.urn], []).append(s.urn)
    members = sorted((model.schools[u] for u in weight), key=lambda s: s.urn)
    led: dict[int, list] = {s.urn: [] for s in members}
    received: dict[int, float] = {s.urn: 0.0 for s in members}
    outside: list = []  # led by the central team or an outside party: credited to no school
    for a in window:
        a_first, a_last = max(a.start, first), min(a.last_day, last)
        if a.lead_school is None:
            outside.append(a)
            others = list(dict.fromkeys(a.schools))
            for u in others:
                if now.get(u, u) in received:
                    received[now.get(u, u)] += a.hours / len(others)
            continue
        lead = model.schools.get(a.lead_school)
        who = now.get(a.lead_school, a.lead_school)
        if who in led and lead is not None and (_member_during(lead, a_first, a_last)
                                                or _member_during(model.schools[who], a_first, a_last)):
            led[who].append(a)
            others = [u for u in dict.fromkeys(a.schools) if now.get(u, u) != who]
            for u in others:
                if now.get(u, u) in received:
                    received[now.get(u, u)] += a.hours / len(others)

    def census(s):
        at = s.pupils_on(last) or (min(s.pupils, key=lambda p: p.census_date) if s.pupils else None)
        return at.count if at else 0

    size = {s.urn: (len(s.contacts) if by == "staff" else census(s)) for s in members}
    weighted = {u: size[u] * weight[u] for u in size}
    total_size = sum(weighted.values())
    total_hours = sum(a.hours for v in led.values() for a in v)
    rows = []
    ratios = []
    for s in members:
        hours = round(sum(a.hours for a in led[s.urn]), 2)
        share = round(total_hours * weighted[s.urn] / total_size, 2) if total_size else 0.0
        ratio = round(hours / share, 2) if share else None
        if ratio is not None:
            ratios.append(ratio)
        flag = ""
        if ratio is not None and ratio > high:
            flag = "over"
        elif ratio is not None and ratio < low:
            flag = "supported" if hours + received[s.urn] >= low * share else "under"
        rows.append({"urn": s.urn, "name": s.name, "formerly": sorted(formerly.get(s.urn, [])), "size": size[s.urn], "member": round(weight[s.urn], 4),
                     "led": len(led[s.urn]), "hours": hours, "received": round(received[s.urn], 2),
                     "fair_share": share, "ratio": ratio, "flag": flag})
    notes = []
    if by == "staff":
        notes.append("Staff counts are not held: the number of contacts on each school file stands in for staff.")
    notes.append(f"Members of {first} to {last}; a school that was a member for part of it has its fair share "
                 "scaled by that part.")
    for urn, old in sorted(formerly.items()):  # issue 20, conversions
        notes.append(f"{model.schools[urn].name} ({urn}) counts with its former URN{'s' if len(old) > 1 else ''} "
                     f"{', '.join(map(str, sorted(old)))}: one school across a conversion.")
    if outside:
        notes.append(f"{len(outside)} {'activity' if len(outside) == 1 else 'activities'} led by the central team or an "
                     f"outside party ({round(sum(a.hours for a in outside), 2):g} hours: "
                     f"{', '.join(sorted({a.lead_words(model) for a in outside}))}) credited to no school; "
                     "the hours count as received by the schools supported.")
    return {"by": by, "from": start, "to": end, "period": {"from": first, "to": last},
            "total_hours": round(total_hours, 2),
            "activities": len([a for v in led.values() for a in v]), "gini": gini(ratios),
            "thresholds": {"high": high, "low": low}, "schools": rows,
            "outside": [{"id": a.id, "lead": a.lead_words(model), "hours": a.hours} for a in outside],
            "over": [r["urn"] for r in rows if r["flag"] == "over"],
            "under": [r["urn"] for r in rows if r["flag"] == "under"],
            "supported": [r["urn"] for r in rows if r["flag"] == "supported"], "notes": notes}


def equity_listing(report: dict) -> Listing:
    listing = Listing(
        columns=[("urn", "URN"), ("name", "School"), ("size", "Pupils" if report["by"] == "pupils" else "Staff (contacts)"),
                 ("member", "Member"), ("led", "Led"), ("hours", "Hours"), ("received", "Received"),
                 ("fair_share", "Fair share"), ("ratio", "Ratio"), ("flag", "Flag")],
        rows=report["schools"],
        title=f"Equity of workload (Gini {report['gini']:.2f}, {report['total_hours']:g} hours)",
        notes=list(report["notes"]) + [f"over: more than {report['thresholds']['high']}x fair share; "
                                       f"under: less than {report['thresholds']['low']}x, unless hours received make up "
                                       "the shortfall (supported); Member: share of the period"],
    )
    return listing


def equity_svg(report: dict, root=None) -> str:
    """A bar chart of ratio to fair share per school, rendered through templates/equity.svg.j2."""
    from nesa_cli.render import render

    rows = report["schools"]
    peak = max([r["ratio"] or 0 for r in rows] + [report["thresholds"]["high"], 1.0])
    bars = []
    for i, r in enumerate(rows):
        ratio = r["ratio"] or 0
        bars.append({"y": 40 + i * 18, "width": round(400 * ratio / peak, 1), "label": f"{r['name']}",
                     "value": "n/a" if r["ratio"] is None else f"{ratio:.2f}", "flag": r["flag"]})
    context = {"bars": bars, "height": 80 + len(rows) * 18, "gini": report["gini"],
               "one_x": round(400 / peak, 1), "high_x": round(400 * report["thresholds"]["high"] / peak, 1),
               "low_x": round(400 * report["thresholds"]["low"] / peak, 1), "by": report["by"]}
    return render(root, "equity", "svg", context)
