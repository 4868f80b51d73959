"""iCalendar (RFC 5545) for meetings: stable UIDs, Europe/London with its
VTIMEZONE, SEQUENCE from the history, DTSTAMP, ORGANIZER and the agenda."""

from __future__ import annotations

TZID = "Europe/London"


def london_vtimezone():
    """The VTIMEZONE for Europe/London: GMT, and BST from 01:00 UTC on the last
    Sunday of March to 01:00 UTC on the last Sunday of October (the rule in
    force since 1996). Written from the rule, not from the machine's tz
    database, so every machine makes the same file; tests check it against
    zoneinfo for every day of 1996-2060."""
    from datetime import datetime, timedelta

    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("dtstart", datetime(1996, 3, 31, 1, 0))  # 01:00 GMT, the last Sunday of March 1996
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))  # 02:00 BST, the last Sunday of October 1996
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def description(model, m) -> str:
    """The agenda in plain text: the meeting's items in order (confidential
    items left out), each with its purpose and lead, then where to join."""
    lines = []
    shown = [it for it in m.agenda if not it.confidential]
    if shown:
        lines.append("Agenda:")
        for n, it in enumerate(shown, 1):
            lead = f" ({it.lead.label(model)})" if it.lead else ""
            lines.append(f"{n}. {it.title} - for {it.purpose}{lead}")
    if m.online:
        lines.append(f"Join online: {m.online}")
    if m.cancelled:
        lines.insert(0, "This meeting is cancelled.")
    return "\n".join(lines)


def organizer(model, m) -> tuple[str, str] | None:
    """(name, email) of who sends the meeting out: the clerk of its body (a
    central-team member or a named member with an email), else the alliance's
    central team at the alliance's address. None when neither has an email."""
    from nesa_cli.meetings.model import body_of

    alliance = model.alliance
    team = {t.id: t for t in (alliance.central_team if alliance else ())}
    body = body_of(model, m)
    for entry in (body.membership if body else ()):
        if entry.role != "clerk" or not entry.serves_on(m.date):
            continue
        if entry.team and team.get(entry.team) and team[entry.team].email:
            return team[entry.team].name, team[entry.team].email
        if entry.email and entry.name:
            return entry.name, entry.email
    if alliance and alliance.email:
        return f"{alliance.short_name or alliance.name} central team", alliance.email
    return None


def to_ics(model, items, stamp, sequence=None) -> str:
    """One VCALENDAR with a VEVENT per meeting. ``stamp``: the DTSTAMP (an
    aware datetime, the time the file is made). ``sequence(m)``: the
    SEQUENCE of a meeting (default: its ``sequence`` field)."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event, vCalAddress

    from nesa_cli.meetings.model import meeting_title

    tz = ZoneInfo(TZID)
    cal = Calendar()
    cal.add("prodid", "-//nesa//meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = model.alliance.name if model.alliance else "Alliance"
    cal.add("x-wr-calname", f"{name} meetings")
    cal.add("x-wr-timezone", TZID)
    cal.add_component(london_vtimezone())
    stamp = stamp.astimezone(timezone.utc)
    for m in items:
        ev = Event()
        ev.add("uid", m.uid)
        ev.add("sequence", m.sequence if sequence is None else sequence(m))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", m.starts().replace(tzinfo=tz))
        ev.add("dtend", m.ends().replace(tzinfo=tz))
        ev.add("summary", meeting_title(model, m))
        if m.venue or m.online:
            ev.add("location", m.venue or m.online)
        if m.online:
            ev.add("url", m.online)
        text = description(model, m)
        if text:
            ev.add("description", text)
        who = organizer(model, m)
        if who:
            address = vCalAddress(f"mailto:{who[1]}")
            address.params["cn"] = who[0]
            ev.add("organizer", address)
        ev.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
