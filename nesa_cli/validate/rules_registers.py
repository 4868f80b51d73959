"""Rules for the registers of interests: a meeting's declarations are made by people at
the meeting's body (or its listed observers and guests), and a body's standing
declarations are of its members."""

from __future__ import annotations

from nesa_cli.diagnostics import WARNING, declare
from nesa_cli.validate.rules import rule

RULE_IDS = declare({
    "declaration-not-member": ("warning", "An interest declared at a meeting by someone who is not on the body on the day "
                                          "nor one of the meeting's observers or guests."),
    "body-interests": ("warning", "A body's register of interests holds a declaration by someone who is not one of its "
                                  "members (a named member, or a head or governor of a member school for a body by rule)."),
})


def _listed(name: str | None, m) -> bool:
    """The name is one of the meeting's observers or guests (as written there)."""
    wanted = (name or "").casefold().strip()
    return bool(wanted) and any(wanted in x.casefold() for x in m.observers + m.guests)


@rule
def declaration_rules(ctx):
    from nesa_cli.meetings.model import Attendance, invited, match_attendance, meetings

    model = ctx.model
    for m in meetings(model):
        if not m.declarations:
            continue
        people = invited(model, m)
        asked = [Attendance("present", d.who.school, d.who.person, d.who.team) for d in m.declarations]
        for i, (d, hit) in enumerate(zip(m.declarations, match_attendance(people, asked))):
            if hit is not None:
                continue
            name = d.who.label(model)
            if _listed(d.who.person if not d.who.team else name, m):
                continue
            field = "team" if d.who.team else "person"
            yield ctx.at(m.path, ("declarations", i, field), WARNING, "declaration-not-member",
                         f"{name} declared an interest but is not on the body on {m.date} nor listed under its "
                         "observers or guests")


@rule
def body_interest_rules(ctx):
    from nesa_cli.meetings.bodies import bodies

    model = ctx.model
    for body in bodies(model).values():
        rules = {e.rule for e in body.membership if e.rule}
        for i, d in enumerate(body.interests):
            if d.team:
                ok = any(e.team == d.team for e in body.membership)
                who = d.team
            elif d.school is not None:
                wanted = (d.name or "").casefold()
                ok = any(e.school == d.school and (e.name or "").casefold() == wanted for e in body.membership)
                school = model.schools.get(d.school)
                if not ok and rules and school is not None:
                    ok = school.contact_named(d.name) is not None
                who = f"{d.name} ({d.school})"
            else:
                wanted = (d.name or "").casefold()
                ok = any(e.school is None and e.team is None and not e.rule and (e.name or "").casefold() == wanted
                         for e in body.membership)
                who = d.name
            if not ok:
                yield ctx.at(body.path, ("interests", i), WARNING, "body-interests",
                             f"{who} is not a member of the {body.name}: their declaration of interests is never shown")
