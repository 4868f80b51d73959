"""Cross-file rules for meetings: bodies and people resolve, attendance only for invited members."""

from __future__ import annotations

from nesa_cli.diagnostics import ERROR, declare
from nesa_cli.validate.rules import rule

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "meeting-body": ("error", "A meeting's body names a network or partnership that does not exist."),
    "meeting-person": ("error", "A chair, minute taker, item lead or action owner is neither a central-team id nor a contact at the named school."),
    "meeting-times": ("error", "A meeting ends before it starts."),
    "meeting-attendance": ("error", "Attendance recorded for a school or person who was not invited (use observers or guests)."),
    "meeting-uid-unique": ("error", "Two meetings share one calendar uid."),
})



def _person_ok(model, ref) -> bool:
    if ref.team:
        return any(t.id == ref.team for t in (model.alliance.central_team if model.alliance else ()))
    school = model.schools.get(ref.school)
    return bool(school and school.contact_named(ref.person))


def _people(m):
    if m.chair:
        yield ("chair",), m.chair
    if m.minute_taker:
        yield ("minute_taker",), m.minute_taker
    for i, item in enumerate(m.agenda):
        if item.lead:
            yield ("agenda", i, "lead"), item.lead
    for i, a in enumerate(m.actions):
        yield ("actions", i, "owner"), a.owner


@rule
def meeting_rules(ctx):
    from nesa_cli.meetings.model import invited, meetings

    model = ctx.model
    partnerships = ctx.partnership_ids or set()
    uids: dict[str, str] = {}
    for m in meetings(model):
        if m.body_kind == "network" and m.body_ref not in model.networks:
            yield ctx.at(m.path, ("body",), ERROR, "meeting-body", f"no network {m.body_ref!r} (data/networks/{m.body_ref}.yaml)")
            continue
        if m.body_kind == "partnership" and m.body_ref not in partnerships:
            yield ctx.at(m.path, ("body",), ERROR, "meeting-body", f"no partnership {m.body_ref!r} in data/alliance.yaml")
            continue
        if m.end <= m.start:
            yield ctx.at(m.path, ("end",), ERROR, "meeting-times", f"the meeting ends ({m.end:%H:%M}) before it starts ({m.start:%H:%M})")
        if m.uid in uids:
            yield ctx.at(m.path, ("uid",), ERROR, "meeting-uid-unique", f"uid {m.uid} is also used by {uids[m.uid]}")
        uids.setdefault(m.uid, m.path)
        for pointer, ref in _people(m):
            if not _person_ok(model, ref):
                who = ref.team if ref.team else f"{ref.person} at {ref.school}"
                yield ctx.at(m.path, pointer, ERROR, "meeting-person", f"{who} is not a central-team id nor a contact at that school")
        guests = invited(model, m)
        schools = {g.school for g in guests}
        names = {(g.person or "").casefold() for g in guests}
        for i, a in enumerate(m.attendance):
            if a.school is not None and a.school not in schools:
                yield ctx.at(m.path, ("attendance", i, "school"), ERROR, "meeting-attendance",
                             f"school {a.school} was not invited to this {m.body} meeting; list it under observers or guests")
            elif a.school is None and (a.person or "").casefold() not in names:
                yield ctx.at(m.path, ("attendance", i, "person"), ERROR, "meeting-attendance",
                             f"{a.person} was not invited to this {m.body} meeting; list them under observers or guests")
