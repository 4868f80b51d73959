"""Queries over model policies: list, one policy, what is due."""

from __future__ import annotations

from nesa_cli.wording import plural

from dataclasses import dataclass
from datetime import date, timedelta

from nesa_cli.dates import shift
from nesa_cli.model import Model, Policy
from nesa_cli.reports.lookup import find_one
from nesa_cli.tabular import Listing
from nesa_cli.succession import latest_adoption  # issue 20: a successor stands on its predecessor's adoptions


def find_policy(model: Model, query: str) -> Policy:
    return find_one(query, model.policies.values(), lambda p: p.id, lambda p: p.title, "policy")


def list_policies(model: Model, on: date, area: str | None = None, statutory: bool | None = None) -> Listing:
    members = {s.urn for s in model.members_on(on)}
    rows = []
    for p in sorted(model.policies.values(), key=lambda p: p.title):
        if area and p.area != area:
            continue
        if statutory is not None and p.is_statutory != statutory:
            continue
        current = p.current.version
        on_current = sum(1 for urn in members if (a := latest_adoption(model, p, urn)) and a.version == current and a.date <= on)
        rows.append({
            "id": p.id, "title": p.title, "area": p.area, "statutory": p.is_statutory,
            "version": current, "approved": p.current.approved, "review_due": p.review_due,
            "adopted_current": on_current, "members": len(members),
        })
    return Listing(
        columns=[("id", "Id"), ("title", "Policy"), ("area", "Area"), ("statutory", "Statutory"), ("version", "Version"),
                 ("approved", "Approved"), ("review_due", "Review due"), ("adopted_current", "On current"), ("members", "Members")],
        rows=rows, title=plural(len(rows), "model policy", "model policies"),
    )


def policy_record(model: Model, p: Policy, on: date) -> dict:
    schools = []
    for s in sorted(model.members_on(on), key=lambda s: s.name):
        ad = latest_adoption(model, p, s.urn)
        schools.append({
            "urn": s.urn, "name": s.name, "version": ad.version if ad else None, "date": ad.date if ad else None,
            "body": ad.body if ad else None, "local_changes": ad.local_changes if ad else None,
            "up_to_date": bool(ad and ad.version == p.current.version),
        })
    return {
        "id": p.id, "title": p.title, "area": p.area, "statutory": p.statutory, "owner": p.owner,
        "approval_level": p.approval_level, "review_cycle_months": p.review_cycle_months,
        "current_version": p.current.version, "review_due": p.review_due,
        "versions": [{"version": v.version, "approved": v.approved, "summary": v.summary, "document": v.document} for v in p.versions],
        "member_schools": schools, "path": p.path,
    }


@dataclass
class DueFilter:
    policy: str | None = None
    phase: list[str] | None = None
    partnership: list[str] | None = None
    type: list[str] | None = None


def policies_due(model: Model, on: date, within: timedelta, f: DueFilter | None = None) -> Listing:
    """Model policies whose review falls due by ``on + within`` (or has passed),
    and member schools not on the current version of a policy."""
    f = f or DueFilter()
    horizon = shift(on, within)
    rows = []
    for p in sorted(model.policies.values(), key=lambda p: (p.review_due, p.title)):
        if f.policy and p.id != f.policy:
            continue
        if p.review_due <= horizon:
            rows.append({
                "policy": p.id, "title": p.title, "issue": "review overdue" if p.review_due < on else "review due",
                "due": p.review_due, "urn": None, "school": None, "version": p.current.version, "since": p.current.approved,
            })
    for p in sorted(model.policies.values(), key=lambda p: p.title):
        if f.policy and p.id != f.policy:
            continue
        current = p.current
        for s in sorted(model.members_on(on), key=lambda s: s.name):
            if f.phase and s.phase not in f.phase or f.partnership and not set(s.partnerships) & set(f.partnership) or f.type and s.type not in f.type:
                continue
            ad = latest_adoption(model, p, s.urn)
            if ad and ad.version == current.version:
                continue
            rows.append({
                "policy": p.id, "title": p.title, "issue": "on an older version" if ad else "not adopted",
                "due": None, "urn": s.urn, "school": s.name,
                "version": ad.version if ad else None, "since": ad.date if ad else None,
            })
    reviews = sum(1 for r in rows if r["urn"] is None)
    return Listing(
        columns=[("policy", "Policy"), ("issue", "Issue"), ("due", "Due"), ("urn", "URN"), ("school", "School"),
                 ("version", "Version"), ("since", "Since")],
        rows=rows,
        title=f"{reviews} review{'s' if reviews != 1 else ''} due by {horizon.isoformat()}; {len(rows) - reviews} school adoption{'s' if len(rows) - reviews != 1 else ''} behind the current version",
    )
