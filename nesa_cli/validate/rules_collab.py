"""Cross-file rules for activities, partnership preferences and proposals."""

from __future__ import annotations

from nesa_cli.diagnostics import ERROR, WARNING, declare
from nesa_cli.validate.rules import rule

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "activity-dates": ("error", "An activity ends, or is reviewed, before it starts."),
    "activity-self": ("error", "An activity lists its own lead school among the other schools involved."),
    "activity-lead-not-member": ("warning", "An activity is led by a school that is not a member on its start date."),
    "activity-lead": ("error", "An activity's lead is not exactly one of a school, a central-team member (team) or an outside organisation."),
    "preference-self": ("error", "A school names itself as a preferred partner."),
    "proposal-duplicate": ("error", "A partnership proposal puts one school in more than one group."),
})



@rule
def activity_refs(ctx):
    for a in (ctx.model.other.get("activity") or {}).values():
        given = [f for f, v in (("school", a.lead_school), ("team", a.lead_team), ("organisation", a.lead_organisation)) if v is not None]
        if len(given) != 1:
            yield ctx.at(a.path, ("lead",), ERROR, "activity-lead",
                         f"the lead is {' and '.join(given)}: give one" if given else
                         "the lead names no school, team or organisation: give one (school: URN, team: a central-team id, "
                         "or organisation: e.g. Newcastle University, with person:)", key=True)
        elif a.lead_team is not None:
            if a.lead_person:
                yield ctx.at(a.path, ("lead", "person"), ERROR, "activity-lead",
                             "a central-team lead is named by team: alone (person: is for a school's or an organisation's lead)")
            if ctx.team_ids is not None and a.lead_team not in ctx.team_ids:
                yield ctx.at(a.path, ("lead", "team"), ERROR, "ref-central-team",
                             f"no central-team member {a.lead_team} in data/alliance.yaml")
        lead_school = a.lead_school if len(given) == 1 else None
        d = ctx.school_ref(a.path, ("lead", "school"), lead_school) if lead_school is not None else None
        if d:
            yield d
        elif lead_school is not None:
            school = ctx.model.schools.get(a.lead_school)
            if school is not None and a.lead_person and school.contact_named(a.lead_person) is None:
                yield ctx.at(a.path, ("lead", "person"), ERROR, "ref-person",
                             f"{a.lead_person} is not a contact at {school.name}")
            if school is not None and not school.is_member_on(a.start):
                yield ctx.at(a.path, ("lead", "school"), WARNING, "activity-lead-not-member",
                             f"{school.name} is not a member school on {a.start} ({school.status_on(a.start)})")
        for i, urn in enumerate(a.schools):
            d = ctx.school_ref(a.path, ("schools", i), urn)
            if d:
                yield d
            elif urn == a.lead_school:
                yield ctx.at(a.path, ("schools", i), ERROR, "activity-self",
                             f"the lead school {urn} is also listed among the other schools")
        if a.partnership and ctx.partnership_ids is not None and a.partnership not in ctx.partnership_ids:
            yield ctx.at(a.path, ("partnership",), ERROR, "ref-partnership",
                         f"no partnership {a.partnership} in data/alliance.yaml")
        if a.end and a.end < a.start:
            yield ctx.at(a.path, ("end",), ERROR, "activity-dates", f"ends {a.end} before it starts {a.start}")
        if a.review_date and a.review_date < a.start:
            yield ctx.at(a.path, ("review_date",), ERROR, "activity-dates",
                         f"review date {a.review_date} is before the start {a.start}")


@rule
def preference_refs(ctx):
    for s in ctx.model.schools.values():
        doc = ctx.docs.get(s.path)
        data = getattr(doc, "data", None)
        prefs = data.get("preferences") if isinstance(data, dict) else None
        if not isinstance(prefs, dict):
            continue
        for i, urn in enumerate(prefs.get("partners") or ()):
            pointer = ("preferences", "partners", i)
            d = ctx.school_ref(s.path, pointer, urn)
            if d:
                yield d
            elif urn == s.urn:
                yield ctx.at(s.path, pointer, ERROR, "preference-self", "a school cannot prefer itself as a partner")


@rule
def proposal_refs(ctx):
    for p in (ctx.model.other.get("proposal") or {}).values():
        seen = set()
        for gi, g in enumerate(p.get("groups") or ()):
            for i, urn in enumerate(g.get("schools") or ()):
                pointer = ("groups", gi, "schools", i)
                d = ctx.school_ref(p["path"], pointer, urn)
                if d:
                    yield d
                if urn in seen:
                    yield ctx.at(p["path"], pointer, ERROR, "proposal-duplicate", f"school {urn} is in more than one group")
                seen.add(urn)
