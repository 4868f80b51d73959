"""The alliance at a glance."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from nesa_cli.dates import shift
from nesa_cli.model import Model


def _counts(values) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


# The kinds whose records the report reads; of the others it gives only how many there are.
READS = frozenset({"alliance", "school", "network", "policy"})


def status(model: Model, today: date, within_days: int = 60, counts: dict[str, int] | None = None) -> dict:
    """Members by phase, type and partnership; prospective and withdrawn schools;
    networks; policies whose review falls due within ``within_days``.
    ``counts``: records of each kind (nesa_cli.validate.checked), when the
    model holds only the kinds in READS."""
    alliance = model.alliance
    members = sorted(model.members_on(today), key=lambda s: s.name)
    pnames = {p.id: p.name for p in alliance.partnerships} if alliance else {}
    by_state: dict[str, list] = {}
    for s in sorted(model.schools.values(), key=lambda s: s.name):
        by_state.setdefault(s.status_on(today), []).append(s)
    from nesa_cli.succession import successors

    index = successors(model)
    horizon = shift(today, within_days)
    due = sorted(
        (p for p in model.policies.values() if p.review_due <= horizon), key=lambda p: (p.review_due, p.title)
    )
    return {
        "alliance": alliance.name if alliance else None,
        "short_name": alliance.short_name if alliance else None,
        "date": today,
        "schools": len(model.schools),
        "members": len(members),
        "pupils_in_members": sum((s.pupils_on(today).count if s.pupils_on(today) else 0) for s in members),
        "members_by_phase": _counts(s.phase for s in members),
        "members_by_type": _counts(s.type for s in members),
        # issue 20: a school in two partnerships counts in each (these add up to more than "members")
        "members_by_partnership": _counts(pnames.get(p, p) for s in members for p in (s.partnerships or ("(none)",))),
        "in_several_partnerships": [s.name for s in members if len(s.partnerships) > 1],  # issue 20
        "joining": [
            {"urn": s.urn, "name": s.name, "status": st}
            for st in ("signed-up", "consulting", "prospective")
            for s in by_state.get(st, [])
            if not (s.predecessor is not None and today < s.predecessor.date)  # a successor not yet opened
        ],
        "withdrawn": [
            {"urn": s.urn, "name": s.name, "date": s.event_on(today).date, "reason": s.event_on(today).reason}
            for s in by_state.get("withdrawn", []) if s.urn not in index  # a converted school has not left
        ],
        # issue 20, conversions: schools that continue under a new URN (nesa_cli.succession), not leavers
        "converted": [
            {"urn": s.urn, "name": s.name, "date": index[s.urn][0].predecessor.date, "successor": index[s.urn][0].urn,
             "successor_name": index[s.urn][0].name}
            for s in by_state.get("withdrawn", []) if s.urn in index
        ],
        "networks": [
            {"id": n.id, "name": n.name, "members": len(n.active_members(today))}
            for n in sorted(model.networks.values(), key=lambda n: n.name)
        ],
        "policies": len(model.policies),
        "policies_due": [
            {"id": p.id, "title": p.title, "version": p.current.version, "review_due": p.review_due,
             "overdue": p.review_due < today}
            for p in due
        ],
        "within_days": within_days,
        "records": records(model, counts),
    }


def records(model: Model, counts: dict[str, int] | None = None) -> list[dict]:
    """How many records each other kind holds (meetings, activities, finance
    years, invoices, plug-in kinds), in the registry's order: from ``counts``
    when given, else counted in the model."""
    from nesa_cli.kinds import KINDS

    def count(kind: str) -> int:
        return counts[kind] if counts is not None and kind in counts else len(model.records(kind))

    return [{"kind": k.name, "title": k.title, "count": count(k.name)}
            for k in KINDS if k.store is None and count(k.name)]
