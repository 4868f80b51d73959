"""The minutes of a meeting, as plain data for the minutes templates.

Laid out like the NGA's exemplar minutes for governing boards: who was there
(present; apologies accepted and not accepted; absent; observers and guests),
whether the meeting was quorate, declarations of interest, then one minute
per agenda entry (numbered as on the published agenda) with the discussion,
decisions and actions recorded under it, a summary of actions, the next
meeting, and the chair's signature once a later meeting of the same body has
approved them (until then they are a DRAFT).

Confidential (Part 2) items are minuted separately: ``part2=False`` (the
published minutes) leaves out every confidential item and everything tied to
one (its notes, decisions, actions and declarations); ``part2=True`` gives the
Part 2 minutes, which hold only those.
"""

from __future__ import annotations

from nesa_cli.dates import uk_long, uk_text
from nesa_cli.meetings.agenda import _role
from nesa_cli.meetings.approval import approval_of, approved_here, signatory
from nesa_cli.meetings.model import body_title, invited, match_attendance, meeting_title, meetings
from nesa_cli.meetings.quorum import quorum_of

STATUSES = ("present", "apologies-accepted", "apologies-not-accepted", "absent")


def _names(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def paragraphs(text: str | None) -> list[str]:
    """A note's paragraphs (blank lines between them; single line breaks joined)."""
    if not text:
        return []
    return [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def register(model, m) -> dict:
    """The attendance register: each invitee under what was recorded for them."""
    people = invited(model, m)
    out: dict[str, list] = {s: [] for s in STATUSES}
    out["not_recorded"] = []
    seen: set[int] = set()
    for a, hit in zip(m.attendance, match_attendance(people, m.attendance)):
        if hit is None:
            continue  # not on the body (meeting-attendance says so)
        seen.add(id(hit))
        out[a.status].append({"name": a.person or hit.person or "(vacant)", "role": _role(hit), "school": hit.school_name})
    recorded = any(a.status in ("present", "absent") for a in m.attendance)
    for i in people:
        if id(i) not in seen and recorded:
            out["not_recorded"].append({"name": i.person or "(vacant)", "role": _role(i), "school": i.school_name})
    return {"present": out["present"], "apologies_accepted": out["apologies-accepted"],
            "apologies_not_accepted": out["apologies-not-accepted"], "absent": out["absent"],
            "not_recorded": out["not_recorded"], "observers": list(m.observers), "guests": list(m.guests),
            "recorded": recorded}


def _action(model, a) -> dict:
    return {"action": a.action, "owner": a.owner.label(model), "due": uk_text(a.due) if a.due else "",
            "done": a.status == "done"}


def _welcome(reg) -> list[str]:
    out = ["The chair welcomed those present."]
    acc = [p["name"] for p in reg["apologies_accepted"]]
    nacc = [p["name"] for p in reg["apologies_not_accepted"]]
    if acc:
        out.append(f"Apologies were received from {_names(acc)} and accepted.")
    if nacc:
        out.append(f"Apologies were received from {_names(nacc)} and not accepted.")
    if not acc and not nacc:
        out.append("No apologies were received.")
    return [" ".join(out)]


def minutes(model, m, today, part2: bool = False) -> dict:
    """Everything the minutes templates need (dates already in the one UK style)."""
    from nesa_cli.meetings.agenda import agenda

    plan = agenda(model, m, today, confidential=part2, part2_section=part2)
    shown = plan["part2"] if part2 else [it for it in plan["items"] if not it["standing"]]
    number_of = {it["index"]: it["number"] for it in shown}
    secret = {i for i, it in enumerate(m.agenda, 1) if it.confidential}

    def keep(item: int | None) -> bool:
        """Tied to an item shown here (or, in the published minutes, to no item at all)."""
        return item in number_of if part2 else item not in secret

    reg = register(model, m)
    state = quorum_of(model, m)
    quorum = None
    if state is not None:
        quorum = {"rule": state.rule, "present": state.present, "counted": state.counted, "needed": state.needed,
                  "recorded": state.recorded, "quorate": state.quorate if state.recorded else None}
    declarations = [{"who": d.who.label(model), "interest": d.interest, "withdrew": d.withdrew,
                     "item": number_of.get(d.item) if d.item else None,
                     "item_title": m.agenda[d.item - 1].title if d.item and d.item in number_of else None}
                    for d in m.declarations if keep(d.item)]
    all_actions = [(a.item, _action(model, a)) for a in m.actions]
    sections = []
    for it in (plan["items"] if not part2 else []) + (plan["part2"] if part2 else []):
        entry = {"number": it["number"], "title": it["title"], "standing": it["standing"], "paragraphs": [],
                 "decisions": [], "actions": [], "appendix": it.get("appendix"), "lines": [], "lead": None}
        if not it["standing"]:
            source = m.agenda[it["index"] - 1]
            entry["paragraphs"] = paragraphs(source.notes)
            entry["decisions"] = list(source.decisions)
            entry["actions"] = [a for item, a in all_actions if item == it["index"]]
            entry["lead"] = it["lead"]
        elif part2:
            continue
        sections.append(entry)
    if not part2:
        first = sections[0]
        first["paragraphs"] = _welcome(reg)
        decl = sections[1]
        decl["lines"] = [f"{d['who']}: {d['interest']}" + (f" (item {d['item']}, {d['item_title']})" if d["item"] else "")
                         + ("; left the meeting for that item" if d["withdrew"] else "") for d in declarations]
        if not declarations:
            decl["paragraphs"] = ["No interests were declared."]
        prev = sections[2]
        approvals = approved_here(model, m)
        prev["paragraphs"] = [a + "." for a in approvals] or ["No approval of earlier minutes is recorded."]
        arising = sections[3]
        earlier = [x for x in meetings(model) if x.body == m.body and x.date < m.date and not x.cancelled]
        if earlier:
            last = earlier[-1]
            hidden = {i for i, it in enumerate(last.agenda, 1) if it.confidential}
            arising["actions"] = [_action(model, a) for a in last.actions if a.item not in hidden]
            arising["paragraphs"] = ([f"The actions from the meeting of {uk_text(last.date)} were reviewed:"]
                                     if arising["actions"] else [f"No actions were recorded at the meeting of {uk_text(last.date)}."])
        else:
            arising["paragraphs"] = ["No earlier meeting of this body is recorded."]
        other = sections[-2]  # any other business: what is recorded under no item
        other["decisions"] = list(m.decisions)
        other["actions"] = [a for item, a in all_actions if item is None]
        if not other["decisions"] and not other["actions"]:
            other["paragraphs"] = ["There was no other business."]
    else:
        for d in declarations:
            d["line"] = f"{d['who']}: {d['interest']}"
    nxt = [x for x in meetings(model) if x.body == m.body and x.date > m.date and not x.cancelled]
    next_meeting = None
    if nxt:
        n = nxt[0]
        next_meeting = f"{uk_long(n.date)} at {n.start:%H:%M}" + (f", {n.venue}" if n.venue else "")
        if not part2:
            sections[-1]["title"] = "Date of the next meeting"
            sections[-1]["paragraphs"] = [f"The next meeting will be held on {next_meeting}."]
    elif not part2:
        sections[-1]["title"] = "Date of the next meeting"
        sections[-1]["paragraphs"] = ["The date of the next meeting is to be confirmed."]
    found = approval_of(model, m)
    approval = None
    if found and (not part2 or found[1].part2):
        later, a = found
        approval = {"at": uk_text(later.date), "signed_by": signatory(model, later, a), "amendments": a.amendments}
    summary = [dict(a, minute=number_of.get(item)) for item, a in all_actions if keep(item)]
    if not part2:
        aob = sections[-2]["number"]
        for s in summary:
            s["minute"] = s["minute"] or aob
    left_out = len(plan["part2"]) if part2 else sum(1 for it in m.agenda if it.confidential)
    title = meeting_title(model, m)
    return {
        "alliance": model.alliance.name if model.alliance else "", "id": m.id, "title": title,
        "body": body_title(model, m.body), "date": uk_text(m.date), "long_date": uk_long(m.date),
        "start": m.start.strftime("%H:%M"), "end": m.end.strftime("%H:%M"), "venue": m.venue, "online": m.online,
        "chair": m.chair.label(model) if m.chair else None, "clerk": m.minute_taker.label(model) if m.minute_taker else None,
        "part2": part2, "part2_items": left_out, "held": m.date <= today,
        "status": "approved" if approval else "draft", "approval": approval,
        "register": reg, "quorum": quorum, "declarations": declarations, "sections": sections,
        "actions": summary, "next_meeting": next_meeting,
        "document": ("Part 2 (confidential) minutes" if part2 else "Minutes"),
    }
