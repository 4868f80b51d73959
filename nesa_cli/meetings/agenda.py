"""Meeting listings and the agenda pack (standing items, running order, notice warning)."""

from __future__ import annotations

from datetime import timedelta

from nesa_cli.dates import shift, uk_long, uk_text
from nesa_cli.meetings.model import body_of, body_title, invited, meeting_title, meetings
from nesa_cli.meetings.quorum import quorum_of, quorum_warning
from nesa_cli.tabular import Listing


def list_meetings(model, body=None, start=None, end=None) -> Listing:
    rows = []
    for m in meetings(model):
        if body and m.body != body:
            continue
        if (start and m.date < start) or (end and m.date > end):
            continue
        rows.append({"id": m.id, "date": m.date, "start": m.start.strftime("%H:%M"), "body": m.body,
                     "title": meeting_title(model, m), "venue": m.venue or m.online or "",
                     "open_actions": sum(a.status == "open" for a in m.actions)})
    return Listing(columns=[("id", "Id"), ("date", "Date"), ("start", "Start"), ("body", "Body"), ("title", "Title"),
                            ("venue", "Venue"), ("open_actions", "Open actions")], rows=rows)


def clear_days(issued, meeting_day) -> int:
    """Clear days between issue and meeting, excluding both days."""
    return (meeting_day - issued).days - 1


def notice_warning(issued, meeting_day) -> str | None:
    """What to say when a pack goes out with less than 7 clear days' notice
    (None when the notice is enough). A pack made on the day of the meeting or
    after it (a record copy) says so, not "-1 clear days"."""
    days = clear_days(issued, meeting_day)
    if days >= 7:
        return None
    if issued > meeting_day:
        return f"the meeting was on {meeting_day:%-d %B %Y}: this pack is issued after it"
    if issued == meeting_day:
        return "agenda issued on the day of the meeting; governing-board notice is 7 clear days"
    return f"agenda issued {days} clear day{'' if days == 1 else 's'} before the meeting; governing-board notice is 7 clear days"


def _role(i) -> str:
    """An invitee's role in words: what their seat is (headteacher, governor representative),
    and their role on the body when it is not plain membership."""
    seat = i.role if i.role not in (i.school_name, "") else ""
    if i.body_role == "member":
        return seat or "member"
    return i.body_role + (f" ({seat})" if seat else "")


def _hidden(meeting, action, confidential: bool) -> bool:
    """An action minuted under a confidential (Part 2) item: not in published papers."""
    return (not confidential and action.item is not None and 0 < action.item <= len(meeting.agenda)
            and meeting.agenda[action.item - 1].confidential)


def agenda(model, m, today, confidential: bool = False, part2_section: bool = False) -> dict:
    """Everything an agenda template needs, as plain data. With ``confidential``
    and ``part2_section`` (the agenda pack) the confidential items are not in
    the running order but under ``part2``, numbered on after the last item."""
    body = body_of(model, m)
    same = [x for x in meetings(model) if x.body == m.body and x.id != m.id]
    previous = [x for x in same if x.date < m.date]
    held = [x for x in previous if not x.cancelled]  # the minutes to approve are of the last meeting held
    nxt = [x for x in same if x.date > m.date and not x.cancelled]
    arising = [{"id": a.id, "action": a.action, "owner": a.owner.label(model), "due": a.due,
                "overdue": bool(a.due and a.due < today), "from": x.date} for x in previous for a in x.actions if a.status == "open" and not _hidden(x, a, confidential)]
    items = [{"title": "Welcome and apologies", "purpose": "information", "minutes": 5, "lead": m.chair.label(model) if m.chair else "Chair", "paper": None, "standing": True},
             {"title": "Declarations of interest", "purpose": "information", "minutes": 2, "lead": "", "paper": None, "standing": True},
             {"title": "Minutes of the previous meeting" + (f" ({uk_text(held[-1].date)})" if held else ""), "purpose": "decision", "minutes": 5, "lead": "", "paper": None, "standing": True},
             {"title": "Matters arising", "purpose": "discussion", "minutes": 10 if arising else 2, "lead": "", "paper": None, "standing": True}]
    from nesa_cli.meetings.approval import approved_here

    approvals = approved_here(model, m)
    if approvals:
        items[2]["note"] = "; ".join(approvals)
    left_out = 0
    part2 = []
    for index, it in enumerate(m.agenda, 1):
        if it.confidential and not confidential:
            left_out += 1
            continue
        entry = {"title": it.title + (" (CONFIDENTIAL)" if it.confidential and not part2_section else ""), "purpose": it.purpose,
                 "minutes": it.minutes or 10, "lead": it.lead.label(model) if it.lead else "", "paper": it.paper, "standing": False,
                 "index": index}
        (part2 if it.confidential and part2_section else items).append(entry)
    items.append({"title": "Any other business", "purpose": "discussion", "minutes": 5, "lead": "", "paper": None, "standing": True})
    items.append({"title": "Date of the next meeting" + (f": {nxt[0].date:%A %-d %B %Y}" if nxt else ""), "purpose": "information", "minutes": 2, "lead": "", "paper": None, "standing": True})
    clock = m.starts()
    appendix = 0
    for it in items + part2:
        if it["paper"]:
            appendix += 1
            it["appendix"] = appendix
    for n, it in enumerate(items + part2, 1):
        it["number"] = n
        it["at"] = clock.strftime("%H:%M")
        clock += timedelta(minutes=it["minutes"])
    policies = []
    if body is not None and body.policies:
        until = nxt[0].date if nxt else shift(m.date, 90)
        policies = [{"id": p.id, "title": p.title, "review_due": p.review_due, "overdue": p.review_due < today} for p in sorted(model.policies.values(), key=lambda p: p.review_due) if p.review_due <= until]
    days = clear_days(today, m.date)
    state = quorum_of(model, m)
    inquorate = bool(state and state.recorded and not state.quorate)
    return {"alliance": model.alliance.name if model.alliance else "", "id": m.id, "title": meeting_title(model, m),
            "body": body_title(model, m.body), "date": m.date, "long_date": uk_long(m.date), "start": m.start.strftime("%H:%M"), "end": m.end.strftime("%H:%M"),
            "venue": m.venue, "online": m.online, "chair": m.chair.label(model) if m.chair else None,
            "minute_taker": m.minute_taker.label(model) if m.minute_taker else None,
            "items": items, "part2": part2, "minutes_approved": approvals, "overrun": clock > m.ends(), "finishes": clock.strftime("%H:%M"),
            "matters_arising": arising, "policies": policies, "confidential": confidential, "confidential_left_out": left_out,
            "invited": [{"school": i.school_name, "person": i.person or "(vacant)", "body_role": i.body_role,
                         "role": _role(i)} for i in invited(model, m)],
            "purpose": body.purpose if body else None,
            "quorum": None if state is None else {"needed": state.needed, "counted": state.counted, "present": state.present,
                                                  "apologies": state.apologies, "rule": state.rule, "recorded": state.recorded,
                                                  "quorate": state.quorate if state.recorded else None},
            "quorum_warning": quorum_warning(state),
            "decisions": [{"decision": d, "inquorate": inquorate} for it in m.agenda if confidential or not it.confidential
                          for d in it.decisions] + [{"decision": d, "inquorate": inquorate} for d in m.decisions],
            "issued": today, "clear_days": days,
            "notice_warning": notice_warning(today, m.date)}
