"""The registers a governance body publishes: business interests, and attendance per member per year.

Both are laid out as schools publish them for their governors (the DfE's
governance guide asks for both on the website):

* :func:`interests_register`: each current member (name, role, how they are
  on the body, term of office) with their standing declaration (the body's
  ``interests:``): business interests, other schools governed,
  relationships, and the date declared, or "none declared" with that date;
  then the interests declared at the body's meetings in the year (the
  meetings' ``declarations``; those on confidential items stay out).
* :func:`attendance_register`: for an academic year (1 September to 31
  August), each member's meetings held while they were on the body, with
  present, apologies accepted, apologies not accepted, absent and not
  recorded, and the percentage attended of the meetings recorded.

Dates stay dates here (``--format json`` prints them as ISO text; the
documents in the one UK style).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nesa_cli.errors import UsageError

ROLE_WORDS = {"chair": "Chair", "vice-chair": "Vice-chair", "member": "Member", "co-opted": "Co-opted member",
              "observer": "Observer", "clerk": "Clerk"}
LISTED = ("chair", "vice-chair", "member", "co-opted")  # the clerk and observers are not members
STATUS_KEYS = {"present": "present", "apologies-accepted": "apologies_accepted",
               "apologies-not-accepted": "apologies_not_accepted", "absent": "absent"}


class RegisterError(UsageError):
    """A register that cannot be made as asked (a year that is not one, a body with no members)."""


@dataclass(frozen=True)
class Year:
    label: str  # 2026-27
    start: date
    end: date


def academic_year(text: str | None, today: date) -> Year:
    """``2026-27`` (or ``2026``: the year starting that September); None: the year holding ``today``."""
    from nesa_cli.designations import academic_year as label_of

    if text is None:
        text = label_of(today)
    word = text.strip()
    first = word.split("-")[0]
    if not first.isdigit() or len(first) != 4 or ("-" in word and word != f"{first}-{(int(first) + 1) % 100:02d}"):
        y = int(first) if first.isdigit() and len(first) == 4 else today.year
        raise RegisterError(f"--year {text!r} is not an academic year: write it as {y}-{(y + 1) % 100:02d} "
                            f"(September {y} to August {y + 1})")
    y = int(first)
    return Year(f"{y}-{(y + 1) % 100:02d}", date(y, 9, 1), date(y + 1, 8, 31))


def _category(model, seat) -> str:
    """How the member is on the body, in the words of a published register."""
    if seat.rule == "heads":
        return f"Headteacher, {seat.school_name} (ex officio)"
    if seat.rule == "governors":
        return f"Governor named by {seat.school_name}"
    if seat.team:
        member = model.alliance.team_member(seat.team) if model.alliance else None
        title = (member.title or member.role.replace("-", " ").capitalize()) if member else ""
        return f"Central team{': ' + title if title else ''}"
    if seat.school is not None:
        return f"{seat.seat.replace('-', ' ').capitalize()}, {seat.school_name}"
    return seat.organisation or ""


def _term(seat) -> str:
    from nesa_cli.dates import uk_text

    if seat.rule == "heads":
        return "While headteacher"
    if seat.rule == "governors":
        return "While named by the school"
    if seat.start and seat.end:
        return f"{uk_text(seat.start)} to {uk_text(seat.end)}"
    if seat.start:
        return f"From {uk_text(seat.start)}"
    if seat.end:
        return f"Until {uk_text(seat.end)}"
    return "No fixed term"


def interests_register(model, body, today: date, year: str | None = None) -> dict:
    """The register of business interests of ``body`` (a data/bodies record), as on ``today``
    (or the last day of ``year`` when that is earlier), with the meetings' declarations in the year."""
    from nesa_cli.meetings.bodies import seats_on
    from nesa_cli.meetings.model import meetings

    span = academic_year(year, today)
    day = min(today, span.end)
    members = []
    for seat in seats_on(model, body, day):
        if seat.role not in LISTED or not seat.name:
            continue
        found = next((i for i in body.interests if i.is_for(seat, model)), None)
        interests = []
        if found:
            interests = ([{"kind": "Business", "interest": t} for t in found.business]
                         + [{"kind": "Governance elsewhere", "interest": t} for t in found.governance]
                         + [{"kind": "Relationship", "interest": t} for t in found.relationships])
        members.append({"name": seat.name, "role": ROLE_WORDS.get(seat.role, seat.role), "category": _category(model, seat),
                        "term": _term(seat), "declared": found.declared if found else None, "interests": interests,
                        "status": "declared" if interests else ("none declared" if found else "not declared")})
    members.sort(key=lambda x: 0 if x["role"] == "Chair" else 1 if x["role"] == "Vice-chair" else 2)
    at_meetings = []
    for m in meetings(model):
        if m.body != body.id or m.cancelled or not (span.start <= m.date <= min(span.end, today)):
            continue
        for d in m.declarations:
            item = m.agenda[d.item - 1] if d.item and d.item <= len(m.agenda) else None
            if item is not None and item.confidential:
                continue  # declared on a Part 2 item: in the Part 2 minutes only
            at_meetings.append({"date": m.date, "name": d.who.label(model), "interest": d.interest,
                                "item": item.title if item else None, "withdrew": d.withdrew})
    missing = sum(1 for x in members if x["status"] == "not declared")
    return {
        "alliance": model.alliance.name if model.alliance else "", "body": body.name, "body_id": body.id,
        "year": span.label, "year_start": span.start, "year_end": span.end, "as_on": day,
        "members": members, "at_meetings": at_meetings,
        "counts": {"members": len(members), "with_interests": sum(1 for x in members if x["interests"]),
                   "none_declared": sum(1 for x in members if x["status"] == "none declared"), "not_declared": missing},
    }


def _key(invitee) -> tuple:
    if invitee.team:
        return ("team", invitee.team)
    return ("person", invitee.school, (invitee.person or "").casefold())


def attendance_register(model, body_ref: str, today: date, year: str | None = None) -> dict:
    """Each member's attendance at the meetings of ``body_ref`` (a body id, network:<id> or
    partnership:<id>) held in the academic year ``year`` (default: the one holding ``today``)."""
    from nesa_cli.meetings.model import body_title, invited, match_attendance, meetings

    span = academic_year(year, today)
    held = [m for m in meetings(model) if m.body == body_ref and not m.cancelled and span.start <= m.date <= span.end]
    past = [m for m in held if m.date <= today]
    rows: dict[tuple, dict] = {}
    columns = []
    for m in past:
        people = [i for i in invited(model, m) if i.body_role in LISTED and i.person]
        recorded = bool(m.attendance)
        columns.append({"date": m.date, "recorded": recorded})
        status_of: dict[int, str] = {}
        for a, hit in zip(m.attendance, match_attendance(people, m.attendance)):
            if hit is not None:
                status_of[id(hit)] = a.status
        for i in people:
            row = rows.get(_key(i))
            if row is None:
                row = rows[_key(i)] = {"name": i.person, "role": ROLE_WORDS.get(i.body_role, i.body_role),
                                       "school": i.school_name or "",
                                       "marks": {}, "expected": 0, "present": 0, "apologies_accepted": 0,
                                       "apologies_not_accepted": 0, "absent": 0, "not_recorded": 0}
            status = status_of.get(id(i))
            row["expected"] += 1
            if status not in STATUS_KEYS:  # none recorded (or a status the schema does not know)
                row["not_recorded"] += 1
                row["marks"][m.date.isoformat()] = "not recorded"
            else:
                row[STATUS_KEYS[status]] += 1
                row["marks"][m.date.isoformat()] = status
    members = []
    for row in rows.values():
        counted = row["expected"] - row["not_recorded"]
        row["percent"] = round(100 * row["present"] / counted) if counted else None
        row["marks"] = [row["marks"].get(c["date"].isoformat(), "not a member") for c in columns]
        members.append(row)
    members.sort(key=lambda r: (list(ROLE_WORDS).index(next((k for k, v in ROLE_WORDS.items() if v == r["role"]), "member")),
                                r["school"], r["name"]))
    recorded = sum(1 for c in columns if c["recorded"])
    return {
        "alliance": model.alliance.name if model.alliance else "", "body": body_title(model, body_ref), "body_id": body_ref,
        "year": span.label, "year_start": span.start, "year_end": span.end, "as_on": min(today, span.end),
        "year_over": today > span.end, "meetings": columns, "members": members, "to_come": len(held) - len(past),
        "counts": {"meetings": len(columns), "recorded": recorded, "members": len(members)},
    }


ATTENDANCE_COLUMNS = ("name", "role", "school", "expected", "present", "apologies_accepted", "apologies_not_accepted",
                      "absent", "not_recorded", "percent")


def attendance_rows(register: dict):
    """One row per member (a Listing, for CSV)."""
    from nesa_cli.tabular import Listing

    return Listing([(k, k) for k in ATTENDANCE_COLUMNS], [{"name": r["name"], "role": r["role"], "school": r["school"], "expected": r["expected"], "present": r["present"],
             "apologies_accepted": r["apologies_accepted"], "apologies_not_accepted": r["apologies_not_accepted"],
             "absent": r["absent"], "not_recorded": r["not_recorded"], "percent": r["percent"]} for r in register["members"]])


def interests_rows(register: dict):
    """One row per member and interest (one row saying none for a member with none): a Listing, for CSV."""
    from nesa_cli.tabular import Listing

    out = []
    for m in register["members"]:
        base = {"name": m["name"], "role": m["role"], "category": m["category"], "term": m["term"],
                "declared": m["declared"]}
        if m["interests"]:
            out += [dict(base, kind=i["kind"], interest=i["interest"]) for i in m["interests"]]
        else:
            out.append(dict(base, kind="", interest="None declared" if m["status"] == "none declared" else "No declaration received"))
    return Listing([(k, k) for k in ("name", "role", "category", "term", "declared", "kind", "interest")], out)
