"""Queries over schools: list with filters, one whole record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nesa_cli.model import Model, School
from nesa_cli.reports.lookup import find_one
from nesa_cli.tabular import Listing
from nesa_cli.succession import converted_to, latest_adoption, member_since, succeeded_by, successors  # issue 20: a successor stands on its predecessor's adoptions

SORTS = ("name", "urn", "phase", "type", "partnership", "status", "town", "pupils")
# converted: a withdrawn school's old file closed by a conversion (a successor continues it; nesa_cli.succession)
STATUSES = ("prospective", "consulting", "signed-up", "member", "withdrawn", "converted")
NAMED_CONVERSIONS = 5  # a listing names the successors of up to this many converted schools under its table


@dataclass
class SchoolFilter:
    phase: list[str] | None = None
    type: list[str] | None = None
    partnership: list[str] | None = None
    status: list[str] | None = None
    network: str | None = None
    diocese: str | None = None
    search: str | None = None
    trust: str | None = None  # issue 20: text in the trust's or federation's name, or its GIAS code


def _matches_text(s: School, text: str) -> bool:
    t = text.lower()
    hay = [s.name, str(s.urn), s.town, s.postcode, s.postcode.replace(" ", ""), *(c.name for c in s.contacts)]
    return any(t in h.lower() for h in hay if h)


def _in_trust(s: School, text: str) -> bool:
    """issue 20: ``--trust`` matches the trust's or the federation's name (part of it) or GIAS code."""
    t = text.strip().lower()
    for block in (s.trust, s.federation):
        if block and (t in block["name"].lower() or t == str(block.get("code", "")).lower()):
            return True
    return False


def find_school(model: Model, query: str) -> School:
    """A school by URN or (part of) its name; NotFound lists close matches."""
    return find_one(query, model.schools.values(), lambda s: str(s.urn), lambda s: s.name, "school")


def list_schools(model: Model, on: date, f: SchoolFilter | None = None, sort: str = "name") -> Listing:
    f = f or SchoolFilter()
    pnames = {p.id: p.name for p in model.alliance.partnerships} if model.alliance else {}
    in_network: set[int] | None = None
    if f.network:
        net = model.networks.get(f.network)
        in_network = {m.school for m in net.active_members(on)} if net else set()
    rows = []
    index: dict | None = None  # predecessor URN -> successors, made when a withdrawn school is met
    converted: list[str] = []
    for s in model.schools.values():
        # the cheap filters first: a region lists a few thousand of 25,000 schools
        if f.phase and s.phase not in f.phase:
            continue
        if f.type and s.type not in f.type:
            continue
        if f.partnership and s.partnership not in f.partnership and not set(s.other_partnerships or ()) & set(f.partnership):
            continue
        status, new = s.status_on(on), None
        if status == "withdrawn":
            if index is None:
                index = successors(model)  # cheap: a school's predecessor is in its summary (nesa_cli.loader.lazy)
            new = converted_to(model, s, on, index)
            status = "converted" if new is not None else status
        if f.status and status not in f.status:
            continue
        if in_network is not None and s.urn not in in_network:
            continue
        if f.diocese and f.diocese.lower() not in (s.diocese or "").lower():
            continue
        if f.search and not _matches_text(s, f.search):
            continue
        if f.trust and not _in_trust(s, f.trust):
            continue
        pupils = s.pupils_on(on)
        head = s.head
        if new is not None:
            converted.append(f"{s.name} ({s.urn}) {succeeded_by(model, s, index)}.")
        rows.append({
            "urn": s.urn, "name": s.name, "phase": s.phase, "type": s.type,
            "partnership": s.partnership, "partnership_name": pnames.get(s.partnership),
            "status": status, "successor": new.urn if new is not None else None,  # converted: the URN that continues it
            "member_since": member_since(model, s, on), "town": s.town, "postcode": s.postcode,
            "pupils": pupils.count if pupils else None, "head": head.name if head else None,
            "religious_character": s.religious_character, "diocese": s.diocese,
            # issue 20: every partnership (primary first), trust and federation
            "partnerships": list(s.partnerships), "trust": (s.trust or {}).get("name"),
            "trust_type": (s.trust or {}).get("type"), "federation": (s.federation or {}).get("name"),
        })
    key = {
        "pupils": lambda r: (-(r["pupils"] or 0), r["name"]),
        "urn": lambda r: r["urn"],
    }.get(sort, lambda r: ((r.get(sort) or "") if sort != "name" else "", r["name"]))
    rows.sort(key=key)
    return Listing(
        columns=[("urn", "URN"), ("name", "School"), ("phase", "Phase"), ("type", "Type"), ("partnership", "Partnerships"),
                 ("status", "Status"), ("town", "Town"), ("pupils", "Pupils"), ("head", "Headteacher")],
        rows=rows,
        title=f"{len(rows)} school{'s' if len(rows) != 1 else ''} on {on.isoformat()}",
        shown={"partnership": "partnerships"},  # on screen every partnership, the primary first; the CSV the primary
        notes=converted if len(converted) <= NAMED_CONVERSIONS else
        [f"{len(converted)} schools converted: each continues under a new URN (--json gives it: successor)."],
    )


def school_record(model: Model, school: School, on: date, include_private: bool = False) -> dict:
    """The whole record of one school, with what other files say about it."""
    alliance = model.alliance
    partnership = alliance.partnership(school.partnership) if alliance else None
    link = alliance.team_member(partnership.link) if alliance and partnership else None
    others = [alliance.partnership(pid) for pid in school.other_partnerships] if alliance else []
    networks = []
    for n in sorted(model.networks.values(), key=lambda n: n.name):
        for m in n.members:
            if m.school == school.urn:
                networks.append({"network": n.id, "name": n.name, "person": m.person, "role": m.role,
                                 "since": m.since, "until": m.until, "active": m.active_on(on)})
        if n.lead_school == school.urn:
            networks.append({"network": n.id, "name": n.name, "person": n.lead_person, "role": "lead",
                             "since": None, "until": None, "active": True})
    policies = []
    for p in sorted(model.policies.values(), key=lambda p: p.title):
        ad = latest_adoption(model, p, school.urn)
        policies.append({
            "policy": p.id, "title": p.title, "current_version": p.current.version,
            "adopted_version": ad.version if ad else None, "adopted_on": ad.date if ad else None,
            "up_to_date": bool(ad and ad.version == p.current.version),
            **({"adopted_as": ad.school} if ad and ad.school != school.urn else {}),  # by its predecessor's URN
        })
    pupils = school.pupils_on(on)
    return {
        "urn": school.urn, "laestab": school.laestab, "name": school.name, "phase": school.phase, "type": school.type,
        "age_range": {"low": school.age_low, "high": school.age_high} if school.age_low is not None else None,
        "religious_character": school.religious_character, "diocese": school.diocese,
        "address": school.address, "website": school.website, "phone": school.phone, "email": school.email,
        "capacity": school.capacity, "pupils": pupils.count if pupils else None,
        "pupils_census_date": pupils.census_date if pupils else None,
        "status": school.status_on(on), "member_since": member_since(model, school, on),
        "partnership": {"id": partnership.id, "name": partnership.name, "type": partnership.type,
                        "link": link.name if link else None, "primary": True,
                        "leads": _leads(model, partnership)} if partnership else None,
        **_governance(model, school, others),
        "membership": [{"state": e.state, "date": e.date, "reason": e.reason, "note": e.note} for e in school.membership],
        "contacts": [c.as_dict(include_private) for c in school.contacts],
        "networks": networks,
        "policies": policies,
        "strengths": list(school.strengths),
        "needs": list(school.needs),
        **_designations(model, school, on),
        **_succession(model, school),
        "open_actions": open_actions_for(model, school, on),
        "path": school.path,
    }


def _leads(model: Model, p) -> list[str]:
    return [f"{person} ({model.schools[urn].name if urn in model.schools else urn})" for urn, person in p.leads]


def _governance(model: Model, school: School, others: list) -> dict:
    """issue 20: other partnerships, trust and federation, only when the school has any."""
    from nesa_cli.governance import GOVERNANCE_WORDS, TRUST_WORDS, governance, trust_sizes, trust_type

    out: dict = {}
    if others:
        out["other_partnerships"] = [{"id": p.id, "name": p.name, "type": p.type, "leads": _leads(model, p)}
                                     for p in others if p is not None]
    sizes = trust_sizes(model.schools.values()) if school.trust else None
    if school.trust:
        key = school.trust.get("code")
        with_it = sorted(o.name for o in model.schools.values() if o.urn != school.urn and o.trust
                         and (o.trust.get("code") == key if key else o.trust["name"] == school.trust["name"]))
        out["trust"] = {"name": school.trust["name"], "code": school.trust.get("code"), "kind": TRUST_WORDS.get(trust_type(school, sizes)),
                        "schools_with_it": with_it}
    if school.federation:
        f = school.federation
        out["federation"] = {"name": f["name"], "code": f.get("code"),
                             "schools_with_it": sorted(o.name for o in model.schools.values() if o.urn != school.urn
                                                       and o.federation and o.federation["name"] == f["name"])}
    g = governance(school, sizes)
    if school.trust or school.federation or g in ("mat", "sat"):
        out["governance"] = GOVERNANCE_WORDS[g] if g else "an academy (kind of trust not known)"
    return out


def _designations(model: Model, school: School, on: date) -> dict:
    """Designations and categories in words (issue 20; nesa_cli.designations), only when the school has any."""
    if not getattr(school, "designations", ()) and not getattr(school, "categories", ()):
        return {}
    from nesa_cli.designations import school_summary

    return school_summary(model, school, on)


def _succession(model: Model, school: School) -> dict:
    """issue 20, conversions: 'formerly X (URN n), converted to an academy on 1 September 2026' and the old
    file's 'converted to an academy: continues as Y (URN m)'; only when the school has a succession."""
    from nesa_cli.succession import formerly, succeeded_by

    said = [t for t in (formerly(model, school), succeeded_by(model, school)) if t]
    return {"succession": "; ".join(said)} if said else {}


def open_actions_for(model: Model, school: School, on: date) -> list[dict]:
    """Open meeting actions owned by someone at this school (once meetings exist)."""
    out = []
    for meeting in sorted((model.other.get("meeting") or {}).values(), key=lambda m: m.date):
        for action in meeting.actions:
            owner = action.owner
            if action.status != "done" and owner is not None and owner.school == school.urn:
                out.append({"meeting": meeting.id, "action": action.id, "text": action.action,
                            "owner": owner.person, "due": action.due})
    return out
