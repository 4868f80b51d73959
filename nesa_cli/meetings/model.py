"""Meeting records and who is invited to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from nesa_cli.dates import parse



@dataclass(frozen=True)
class PersonRef:
    team: str | None = None
    school: int | None = None
    person: str | None = None

    @staticmethod
    def of(d: dict | None) -> "PersonRef | None":
        return PersonRef(d.get("team"), d.get("school"), d.get("person")) if d else None

    def label(self, model) -> str:
        if self.team:
            for t in (model.alliance.central_team if model.alliance else ()):
                if t.id == self.team:
                    return t.name
            return self.team
        if self.school is None:
            return str(self.person)
        school = model.schools.get(self.school)
        return f"{self.person} ({school.name})" if school else f"{self.person} ({self.school})"


@dataclass(frozen=True)
class Item:
    title: str
    purpose: str
    lead: PersonRef | None = None
    minutes: int | None = None
    paper: str | None = None
    confidential: bool = False
    notes: str | None = None  # the discussion, as minuted
    decisions: tuple[str, ...] = ()
    summary: str | None = None  # what the paper is for
    recommendation: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Attendance:
    status: str
    school: int | None = None
    person: str | None = None
    team: str | None = None


@dataclass(frozen=True)
class Action:
    id: str
    action: str
    owner: PersonRef
    status: str
    due: date | None = None
    item: int | None = None  # 1-based position in the meeting's agenda list


@dataclass(frozen=True)
class Declaration:
    who: PersonRef
    interest: str
    item: int | None = None  # 1-based position in the meeting's agenda list
    withdrew: bool = False


@dataclass(frozen=True)
class Approval:
    """This meeting approved the minutes of an earlier one."""
    meeting: str
    signed_by: PersonRef | None = None
    part2: bool = True
    amendments: str | None = None


# What a report that may not show Part 2 says for an action minuted under a confidential item
# (the digest, nesa actions list and log; see Meeting.action_text).
CONFIDENTIAL_ACTION = "An action from a confidential (Part 2) item: see the Part 2 minutes"


@dataclass(frozen=True)
class Meeting:
    id: str
    uid: str
    body: str
    date: date
    start: time
    end: time
    path: str = ""
    sequence: int = 0
    title: str | None = None
    venue: str | None = None
    online: str | None = None
    chair: PersonRef | None = None
    minute_taker: PersonRef | None = None
    cancelled: bool = False
    agenda: tuple[Item, ...] = ()
    attendance: tuple[Attendance, ...] = ()
    observers: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    notes: str | None = None
    declarations: tuple[Declaration, ...] = ()
    minutes_approved: tuple[Approval, ...] = ()

    @property
    def all_decisions(self) -> tuple[str, ...]:
        """Every decision: those under the agenda items, then the meeting's own."""
        return tuple(d for it in self.agenda for d in it.decisions) + self.decisions

    @property
    def body_kind(self) -> str:
        """network, partnership, or body (a data/bodies/<id>.yaml file)."""
        kind, sep, _ = self.body.partition(":")
        return kind if sep else "body"

    @property
    def body_ref(self) -> str:
        kind, sep, ref = self.body.partition(":")
        return ref if sep else kind

    def part2(self, action: Action) -> bool:
        """Whether ``action`` was minuted under a confidential (Part 2) agenda item."""
        n = action.item
        return bool(n and 0 < n <= len(self.agenda) and self.agenda[n - 1].confidential)

    def action_text(self, action: Action, confidential: bool = False) -> str:
        """What a report says ``action`` is: its text, or for an action under a confidential
        (Part 2) item only :data:`CONFIDENTIAL_ACTION` unless ``confidential`` (the reader may
        see Part 2). Its owner and due date are no secret: they are how it is chased."""
        return CONFIDENTIAL_ACTION if self.part2(action) and not confidential else action.action

    def starts(self) -> datetime:
        return datetime.combine(self.date, self.start)

    def ends(self) -> datetime:
        return datetime.combine(self.date, self.end)


def body_slug(body: str) -> str:
    return body.replace(":", "-")


def _time(text: str) -> time:
    h, m = text.split(":")
    return time(int(h), int(m))


def build_meeting(data: dict, path: str) -> Meeting:
    mid = data["id"]
    return Meeting(
        id=mid, uid=data["uid"], body=data["body"], date=parse(data["date"]),
        start=_time(data["start"]), end=_time(data["end"]), path=path,
        sequence=data.get("sequence", 0), title=data.get("title"), venue=data.get("venue"),
        online=data.get("online"), chair=PersonRef.of(data.get("chair")),
        minute_taker=PersonRef.of(data.get("minute_taker")), cancelled=bool(data.get("cancelled", False)),
        agenda=tuple(Item(i["title"], i["purpose"], PersonRef.of(i.get("lead")), i.get("minutes"), i.get("paper"),
                          bool(i.get("confidential", False)), i.get("notes"), tuple(i.get("decisions", ())),
                          i.get("summary"), i.get("recommendation"), i.get("author")) for i in data.get("agenda", ())),
        attendance=tuple(Attendance(a["status"], a.get("school"), a.get("person"), a.get("team")) for a in data.get("attendance", ())),
        observers=tuple(data.get("observers", ())), guests=tuple(data.get("guests", ())),
        decisions=tuple(data.get("decisions", ())),
        actions=tuple(Action(f"{mid}#{n}", a["action"], PersonRef.of(a["owner"]), a["status"], parse(a.get("due")), a.get("item"))
                      for n, a in enumerate(data.get("actions", ()), 1)),
        notes=data.get("notes"),
        declarations=tuple(Declaration(PersonRef(d.get("team"), d.get("school"), d.get("person")), d["interest"], d.get("item"),
                                       bool(d.get("withdrew", False))) for d in data.get("declarations", ())),
        minutes_approved=tuple(Approval(a["meeting"], PersonRef.of(a.get("signed_by")), bool(a.get("part2", True)), a.get("amendments"))
                               for a in data.get("minutes_approved", ())),
    )


def meetings(model) -> list[Meeting]:
    return sorted(model.other.get("meeting", {}).values(), key=lambda m: (m.date, m.start, m.id))


def body_of(model, m: Meeting):
    """The body a meeting names (a data/bodies/<id>.yaml record), or None (a network,
    a partnership, or a body with no file)."""
    from nesa_cli.meetings.bodies import bodies

    return bodies(model).get(m.body_ref) if m.body_kind == "body" else None


def body_title(model, body: str) -> str:
    from nesa_cli.meetings.bodies import bodies

    kind, sep, ref = body.partition(":")
    if not sep:
        found = bodies(model).get(body)
        return found.name if found else body.replace("-", " ").title()
    if kind == "network":
        n = model.networks.get(ref)
        return n.name if n else f"Network {ref}"
    if model.alliance:
        for p in model.alliance.partnerships:
            if p.id == ref:
                return p.name
    return f"Partnership {ref}"


def meeting_title(model, m: Meeting) -> str:
    return m.title or body_title(model, m.body)


@dataclass(frozen=True)
class Invitee:
    school: int | None
    person: str | None
    role: str
    school_name: str = ""
    team: str | None = None
    body_role: str = "member"  # chair, vice-chair, clerk, member, co-opted, observer (a network or partnership: member)


def invited(model, m: Meeting) -> list[Invitee]:
    """Who is invited: the body's members on the meeting date (named members in
    their term, rules expanded), a network's active members, a partnership's heads."""
    out: list[Invitee] = []
    kind, ref = m.body_kind, m.body_ref
    if kind == "body":
        from nesa_cli.meetings.bodies import seats_on

        body = body_of(model, m)
        for seat in (seats_on(model, body, m.date) if body else ()):
            out.append(Invitee(seat.school, seat.name, seat.seat or seat.role, seat.school_name, seat.team, seat.role))
    elif kind == "partnership":
        for s in model.members_on(m.date):
            if ref in s.partnerships:  # issue 20: any of its partnerships
                head = s.head
                out.append(Invitee(s.urn, head.name if head else None, "headteacher", s.name))
    elif kind == "network":
        n = model.networks.get(ref)
        for mem in (n.active_members(m.date) if n else ()):
            s = model.schools.get(mem.school)
            out.append(Invitee(mem.school, mem.person, mem.role or "member", s.name if s else str(mem.school)))
    return out


def match_attendance(invitees: list[Invitee], attendance) -> list[Invitee | None]:
    """For each attendance entry, the invitee it is (None: not on the body).
    ``{team: id}`` is that central-team member; ``{school, person}`` the named
    person at that school; ``{school}`` alone the school's first invitee not
    already matched; ``{person}`` alone an invitee of that name."""
    taken: set[int] = set()
    out: list[Invitee | None] = []
    for a in attendance:
        person = (a.person or "").casefold()

        def fits(i: Invitee) -> bool:
            if a.team:
                return i.team == a.team
            if a.school is not None and i.school != a.school:
                return False
            if a.person:
                return (i.person or "").casefold() == person
            return a.school is not None and i.team is None

        hit = next((n for n, i in enumerate(invitees) if n not in taken and fits(i)), None)
        if hit is None:
            hit = next((n for n, i in enumerate(invitees) if fits(i)), None)
        if hit is not None:
            taken.add(hit)
        out.append(invitees[hit] if hit is not None else None)
    return out
