"""iCalendar (RFC 5545) for meetings: stable UIDs, Europe/London times, SEQUENCE."""

from __future__ import annotations


def to_ics(model, items, stamp) -> str:
    """One VCALENDAR with a VEVENT per meeting; ``stamp`` is the DTSTAMP (a datetime, UTC)."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    from nesa_cli.meetings.model import meeting_title

    tz = ZoneInfo("Europe/London")
    cal = Calendar()
    cal.add("prodid", "-//nesa//meetings//EN")
    cal.add("version", "2.0")
    name = model.alliance.name if model.alliance else "Alliance"
    cal.add("x-wr-calname", f"{name} meetings")
    for m in items:
        ev = Event()
        ev.add("uid", m.uid)
        ev.add("sequence", m.sequence)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", m.starts().replace(tzinfo=tz))
        ev.add("dtend", m.ends().replace(tzinfo=tz))
        ev.add("summary", meeting_title(model, m))
        if m.venue or m.online:
            ev.add("location", m.venue or m.online)
        if m.online:
            ev.add("url", m.online)
        ev.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
