"""Cross-file rules for meetings and bodies: bodies and people resolve, attendance only for
members of the body, quorum from attendance."""

from __future__ import annotations

from nesa_cli.diagnostics import ERROR, WARNING, declare
from nesa_cli.validate.rules import rule

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "meeting-body": ("error", "A meeting's body names a body (data/bodies/<id>.yaml), network or partnership that does not exist."),
    "meeting-person": ("error", "A chair, minute taker, item lead, action owner, declarer or signatory is neither a central-team id, a contact at the named school, nor an outside member of the body."),
    "meeting-times": ("error", "A meeting ends before it starts."),
    "meeting-attendance": ("error", "Attendance recorded for a school or person who is not on the body on the day (use observers or guests)."),
    "meeting-uid-unique": ("error", "Two meetings share one calendar uid."),
    "meeting-quorum": ("warning", "A meeting with attendance recorded was inquorate: its decisions were taken inquorate."),
    "body-member": ("error", "A body member is not a contact at the named school, or names no central-team member."),
    "body-term": ("error", "A body member's term of office ends before it starts."),
    "body-quorum": ("warning", "A body's quorum counts roles nobody on the body holds, or needs more people than it has."),
})


def _person_ok(model, ref, seats) -> bool:
    if ref.team:
        return any(t.id == ref.team for t in (model.alliance.central_team if model.alliance else ()))
    if ref.school is None:
        wanted = (ref.person or "").casefold()
        return any(s.school is None and s.team is None and (s.name or "").casefold() == wanted for s in seats)
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
    for i, d in enumerate(m.declarations):
        if d.who.team or d.who.school is not None:
            yield ("declarations", i, "team" if d.who.team else "person"), d.who
    for i, a in enumerate(m.minutes_approved):
        if a.signed_by:
            yield ("minutes_approved", i, "signed_by"), a.signed_by


def _body_missing(m) -> str:
    return (f"no body {m.body_ref!r}: create data/bodies/{m.body_ref}.yaml (its name, membership and quorum; "
            f"see schemas/body.schema.json), or name a network:<id> or partnership:<id>")


@rule
def meeting_rules(ctx):
    from nesa_cli.meetings.bodies import bodies
    from nesa_cli.meetings.model import invited, match_attendance, meetings
    from nesa_cli.meetings.quorum import quorum_of

    model = ctx.model
    partnerships = ctx.partnership_ids or set()
    known = bodies(model)
    uids: dict[str, str] = {}
    for m in meetings(model):
        if m.body_kind == "network" and m.body_ref not in model.networks:
            yield ctx.at(m.path, ("body",), ERROR, "meeting-body", f"no network {m.body_ref!r} (data/networks/{m.body_ref}.yaml)")
            continue
        if m.body_kind == "partnership" and m.body_ref not in partnerships:
            yield ctx.at(m.path, ("body",), ERROR, "meeting-body", f"no partnership {m.body_ref!r} in data/alliance.yaml")
            continue
        if m.body_kind == "body" and m.body_ref not in known:
            yield ctx.at(m.path, ("body",), ERROR, "meeting-body", _body_missing(m))
            continue
        if m.end <= m.start:
            yield ctx.at(m.path, ("end",), ERROR, "meeting-times", f"the meeting ends ({m.end:%H:%M}) before it starts ({m.start:%H:%M})")
        if m.uid in uids:
            yield ctx.at(m.path, ("uid",), ERROR, "meeting-uid-unique", f"uid {m.uid} is also used by {uids[m.uid]}")
        uids.setdefault(m.uid, m.path)
        guests = invited(model, m)
        from nesa_cli.meetings.bodies import seats_on

        body = known.get(m.body_ref) if m.body_kind == "body" else None
        seats = seats_on(model, body, m.date) if body else []
        for pointer, ref in _people(m):
            if not _person_ok(model, ref, seats):
                who = ref.team if ref.team else (f"{ref.person} at {ref.school}" if ref.school else ref.person)
                yield ctx.at(m.path, pointer, ERROR, "meeting-person",
                             f"{who} is not a central-team id, a contact at that school nor an outside member of the body")
        name = body.name if body else m.body
        for i, (a, hit) in enumerate(zip(m.attendance, match_attendance(guests, m.attendance))):
            if hit is not None:
                continue
            field = "team" if a.team else ("person" if a.person else "school")
            who = (f"central-team member {a.team}" if a.team else
                   f"{a.person} ({a.school})" if a.person and a.school else a.person or f"school {a.school}")
            where = f" (data/bodies/{body.id}.yaml)" if body else ""
            yield ctx.at(m.path, ("attendance", i, field), ERROR, "meeting-attendance",
                         f"{who} is not on the {name} on {m.date}{where}; list them under observers or guests")
        q = quorum_of(model, m)
        if q and q.recorded and not q.quorate:
            yield ctx.at(m.path, ("attendance",), WARNING, "meeting-quorum",
                         f"inquorate: {q.present} of the {q.needed} needed present ({q.rule})"
                         + (f"; its {len(m.all_decisions)} decision{'s' if len(m.all_decisions) != 1 else ''} were taken inquorate"
                            if m.all_decisions else ""))


@rule
def body_rules(ctx):
    from nesa_cli.meetings.bodies import bodies

    model = ctx.model
    team = {t.id for t in (model.alliance.central_team if model.alliance else ())}
    for body in bodies(model).values():
        roles = set()
        named = 0
        for i, e in enumerate(body.membership):
            roles.add(e.role)
            named += e.rule is None
            if e.start and e.end and e.end < e.start:
                yield ctx.at(body.path, ("membership", i, "to"), ERROR, "body-term",
                             f"the term ends ({e.end}) before it starts ({e.start})")
            if e.team and e.team not in team:
                yield ctx.at(body.path, ("membership", i, "team"), ERROR, "body-member",
                             f"{e.team} is not a central-team id in data/alliance.yaml")
            elif e.school is not None:
                school = model.schools.get(e.school)
                if school is None:
                    yield ctx.at(body.path, ("membership", i, "school"), ERROR, "body-member",
                                 f"no school with URN {e.school} (data/schools/{e.school}.yaml)")
                elif not school.contact_named(e.name):
                    yield ctx.at(body.path, ("membership", i, "name"), ERROR, "body-member",
                                 f"{e.name} is not a contact at {school.name} ({e.school})")
        q = body.quorum
        if q and not roles & set(q.counts):
            yield ctx.at(body.path, ("quorum", "counts"), WARNING, "body-quorum",
                         f"the quorum counts {', '.join(q.counts)} but nobody on the body has that role")
        elif q and q.count and all(e.rule is None for e in body.membership) and q.count > sum(e.role in q.counts for e in body.membership):
            yield ctx.at(body.path, ("quorum", "count"), WARNING, "body-quorum",
                         f"the quorum needs {q.count} present but only {sum(e.role in q.counts for e in body.membership)} members are counted")
