"""Meeting records and who is invited to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from nesa_cli.dates import parse

BODY_TITLES = {"strategic-board": "Strategic Board", "joint-annual": "Joint Annual Meeting of the Strategic Board and Members"}


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


@dataclass(frozen=True)
class Attendance:
    status: str
    school: int | None = None
    person: str | None = None


@dataclass(frozen=True)
class Action:
    id: str
    action: str
    owner: PersonRef
    status: str
    due: date | None = None


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

    @property
    def body_kind(self) -> str:
        return self.body.partition(":")[0]

    @property
    def body_ref(self) -> str:
        return self.body.partition(":")[2]

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
                          bool(i.get("confidential", False))) for i in data.get("agenda", ())),
        attendance=tuple(Attendance(a["status"], a.get("school"), a.get("person")) for a in data.get("attendance", ())),
        observers=tuple(data.get("observers", ())), guests=tuple(data.get("guests", ())),
        decisions=tuple(data.get("decisions", ())),
        actions=tuple(Action(f"{mid}#{n}", a["action"], PersonRef.of(a["owner"]), a["status"], parse(a.get("due")))
                      for n, a in enumerate(data.get("actions", ()), 1)),
        notes=data.get("notes"),
    )


def meetings(model) -> list[Meeting]:
    return sorted(model.other.get("meeting", {}).values(), key=lambda m: (m.date, m.start, m.id))


def body_title(model, body: str) -> str:
    if body in BODY_TITLES:
        return BODY_TITLES[body]
    kind, _, ref = body.partition(":")
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


def invited(model, m: Meeting) -> list[Invitee]:
    """Who is invited, by the lead's rules (members on the meeting date)."""
    out: list[Invitee] = []
    kind, ref = m.body_kind, m.body_ref
    members = model.members_on(m.date)
    if kind in ("strategic-board", "joint-annual", "partnership"):
        for s in members:
            if kind == "partnership" and s.partnership != ref:
                continue
            head = s.head
            out.append(Invitee(s.urn, head.name if head else None, "headteacher", s.name))
            if kind == "joint-annual":
                gov = s.contacts_with("chair-of-governors")
                out.append(Invitee(s.urn, gov[0].name if gov else None, "governor representative", s.name))
    elif kind == "network":
        n = model.networks.get(ref)
        for mem in (n.active_members(m.date) if n else ()):
            s = model.schools.get(mem.school)
            out.append(Invitee(mem.school, mem.person, mem.role or "member", s.name if s else str(mem.school)))
    return out
