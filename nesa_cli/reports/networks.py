"""Queries over staff networks."""

from __future__ import annotations

from nesa_cli.wording import plural

from datetime import date

from nesa_cli.model import Model, Network
from nesa_cli.reports.lookup import find_one
from nesa_cli.tabular import Listing


def find_network(model: Model, query: str) -> Network:
    return find_one(query, model.networks.values(), lambda n: n.id, lambda n: n.name, "network")


def _school_name(model: Model, urn: int | None) -> str | None:
    s = model.schools.get(urn) if urn is not None else None
    return s.name if s else (str(urn) if urn is not None else None)


def list_networks(model: Model, on: date, kind: str | None = None) -> Listing:
    alliance = model.alliance
    rows = []
    for n in sorted(model.networks.values(), key=lambda n: n.name):
        if kind and n.kind != kind:
            continue
        link = alliance.team_member(n.central_link) if alliance else None
        rows.append({
            "id": n.id, "name": n.name, "kind": n.kind,
            "lead": n.lead_person, "lead_school": _school_name(model, n.lead_school),
            "central_link": link.name if link else n.central_link,
            "frequency": n.frequency, "channel": n.channel, "members": len(n.active_members(on)),
        })
    return Listing(
        columns=[("id", "Id"), ("name", "Network"), ("kind", "Kind"), ("lead", "Lead"), ("lead_school", "Lead's school"),
                 ("central_link", "Central link"), ("frequency", "Meets"), ("members", "Members")],
        rows=rows, title=plural(len(rows), "network"),
    )


def network_record(model: Model, n: Network, on: date, include_inactive: bool = False) -> dict:
    alliance = model.alliance
    link = alliance.team_member(n.central_link) if alliance else None
    members = []
    for m in sorted(n.members, key=lambda m: (_school_name(model, m.school) or "", m.person)):
        if not include_inactive and not m.active_on(on):
            continue
        school = model.schools.get(m.school)
        contact = school.contact_named(m.person) if school else None
        members.append({
            "school": m.school, "school_name": school.name if school else None, "person": m.person,
            "role": m.role, "job_role": contact.role if contact else None, "since": m.since, "until": m.until,
            "active": m.active_on(on),
        })
    return {
        "id": n.id, "name": n.name, "kind": n.kind, "purpose": n.purpose,
        "lead": {"person": n.lead_person, "school": n.lead_school, "school_name": _school_name(model, n.lead_school)} if n.lead_person else None,
        "central_link": {"id": n.central_link, "name": link.name if link else None} if n.central_link else None,
        "frequency": n.frequency, "channel": n.channel, "members": members, "path": n.path,
    }
