"""Equity of workload: time given by each member school against its fair share."""

from __future__ import annotations

from datetime import date

from nesa_cli.collab.model import activities, pupils
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


def equity(model, day: date, start: date | None = None, end: date | None = None, by: str = "pupils",
           high: float = 1.5, low: float = 0.5) -> dict:
    """Per member school on ``day``: activities led, hours given, fair share, ratio and flag.

    Fair share of the total hours is proportional to pupils (latest census) or,
    with ``by="staff"``, to the number of contacts on the school file (a proxy:
    staff counts are not held)."""
    members = sorted(model.members_on(day), key=lambda s: s.urn)
    acts = [a for a in activities(model) if a.status != "cancelled"
            and (start is None or a.last_day >= start) and (end is None or a.start <= end)]
    led: dict[int, list] = {s.urn: [] for s in members}
    for a in acts:
        if a.lead_school in led:
            led[a.lead_school].append(a)
    size = {s.urn: (len(s.contacts) if by == "staff" else pupils(s)) for s in members}
    total_size = sum(size.values())
    total_hours = sum(a.hours for v in led.values() for a in v)
    rows = []
    ratios = []
    for s in members:
        hours = round(sum(a.hours for a in led[s.urn]), 2)
        share = round(total_hours * size[s.urn] / total_size, 2) if total_size else 0.0
        ratio = round(hours / share, 2) if share else None
        if ratio is not None:
            ratios.append(ratio)
        flag = ""
        if ratio is not None and ratio > high:
            flag = "over"
        elif ratio is not None and ratio < low:
            flag = "under"
        rows.append({"urn": s.urn, "name": s.name, "size": size[s.urn], "led": len(led[s.urn]),
                     "hours": hours, "fair_share": share, "ratio": ratio, "flag": flag})
    notes = []
    if by == "staff":
        notes.append("Staff counts are not held: the number of contacts on each school file stands in for staff.")
    return {"by": by, "from": start, "to": end, "total_hours": round(total_hours, 2),
            "activities": len([a for v in led.values() for a in v]), "gini": gini(ratios),
            "thresholds": {"high": high, "low": low}, "schools": rows,
            "over": [r["urn"] for r in rows if r["flag"] == "over"],
            "under": [r["urn"] for r in rows if r["flag"] == "under"], "notes": notes}


def equity_listing(report: dict) -> Listing:
    listing = Listing(
        columns=[("urn", "URN"), ("name", "School"), ("size", "Pupils" if report["by"] == "pupils" else "Staff (contacts)"),
                 ("led", "Led"), ("hours", "Hours"), ("fair_share", "Fair share"), ("ratio", "Ratio"), ("flag", "Flag")],
        rows=report["schools"],
        title=f"Equity of workload (Gini {report['gini']:.2f}, {report['total_hours']:g} hours)",
        notes=list(report["notes"]) + [f"over: more than {report['thresholds']['high']}x fair share; "
                                       f"under: less than {report['thresholds']['low']}x"],
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
