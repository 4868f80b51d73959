"""Engagement: attendance rate per school per network, flagging schools below a threshold."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from nesa_cli.meetings.model import body_title, invited, meetings
from nesa_cli.tabular import Listing

COUNTED = {"present"}


def engagement(model, network=None, start=None, end=None, threshold: int = 75) -> Listing:
    """Rate = meetings with the school present / meetings it was invited to that have attendance recorded."""
    tally: dict[tuple[str, int], list[int]] = {}
    for m in meetings(model):
        if m.body_kind != "network" or (network and m.body_ref != network) or not m.attendance or m.cancelled:
            continue
        if (start and m.date < start) or (end and m.date > end):
            continue
        present = {a.school for a in m.attendance if a.status in COUNTED}
        for urn in {i.school for i in invited(model, m)}:
            t = tally.setdefault((m.body_ref, urn), [0, 0])
            t[1] += 1
            t[0] += urn in present
    rows = []
    for (net, urn), (came, of) in sorted(tally.items()):
        rate = int((Decimal(100 * came) / of).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        s = model.schools.get(urn)
        rows.append({"network": body_title(model, "network:" + net), "urn": urn, "school": s.name if s else str(urn),
                     "attended": came, "meetings": of, "rate": rate, "flag": "below threshold" if rate < threshold else ""})
    return Listing(columns=[("network", "Network"), ("urn", "URN"), ("school", "School"), ("attended", "Attended"),
                            ("meetings", "Meetings"), ("rate", "Rate %"), ("flag", "Flag")], rows=rows,
                   title="Network attendance and engagement", notes=[f"Threshold: {threshold}%"])
