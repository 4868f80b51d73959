"""Governance bodies (data/bodies/<id>.yaml): who is on them on a day, and their quorum.

A body's membership is a list of entries, each one person (a contact at a
school, a central-team member or an outside member with an organisation) with
a role and a term of office, or a rule that expands to people on the day:
``heads`` (the head of every member school) or ``governors`` (the governor
each member school names: its contact with role governor-representative, else
its chair of governors).

A body also keeps its register of business interests (``interests:``): each
member's standing declaration, made on a date, of their business interests,
the other schools they govern and their relationships with staff (all empty:
"none declared").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from nesa_cli.dates import parse

ROLES = ("chair", "vice-chair", "clerk", "member", "co-opted", "observer")
VOTING = ("chair", "vice-chair", "member", "co-opted")
RULES = {
    "heads": "the head of every member school",
    "governors": "one governor named by each member school",
}
GOVERNOR_ROLES = ("governor-representative", "chair-of-governors")


@dataclass(frozen=True)
class Entry:
    """One line of a body's membership, as written."""

    role: str = "member"
    rule: str | None = None
    school: int | None = None
    name: str | None = None
    team: str | None = None
    organisation: str | None = None
    email: str | None = None
    start: date | None = None  # from
    end: date | None = None  # to (inclusive)

    @property
    def kind(self) -> str:
        if self.rule:
            return "rule"
        if self.team:
            return "team"
        return "school" if self.school is not None else "outside"

    def serves_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Seat:
    """A person on a body on a day (``name`` None: the school has named nobody)."""

    role: str
    name: str | None
    school: int | None = None
    team: str | None = None
    organisation: str | None = None
    school_name: str = ""
    seat: str = ""  # what the seat is: "headteacher", "governor representative", an organisation
    end: date | None = None
    start: date | None = None
    rule: str | None = None  # heads or governors: the seat comes from that rule

    @property
    def voting(self) -> bool:
        return self.role in VOTING


@dataclass(frozen=True)
class Interest:
    """A member's standing declaration of interests (one entry of a body's ``interests:``)."""

    declared: date
    team: str | None = None
    school: int | None = None
    name: str | None = None
    business: tuple[str, ...] = ()
    governance: tuple[str, ...] = ()  # other schools or trusts they govern
    relationships: tuple[str, ...] = ()  # relationships with staff or members

    @property
    def none_declared(self) -> bool:
        return not (self.business or self.governance or self.relationships)

    def is_for(self, seat: "Seat", model=None) -> bool:
        """Whether this declaration is the seat holder's; with ``model``, a
        declaration made at a school's former URN (before it converted) counts."""
        if self.team or seat.team:
            return self.team == seat.team
        if (self.name or "").casefold() != (seat.name or "").casefold():
            return False
        if self.school == seat.school:
            return True
        if model is None or self.school is None or seat.school is None:
            return False
        from nesa_cli.succession import lineage

        return lineage(model, self.school) == lineage(model, seat.school)


@dataclass(frozen=True)
class Quorum:
    count: int | None = None
    fraction: Fraction | None = None
    counts: tuple[str, ...] = VOTING

    def needed(self, seats: list[Seat]) -> int:
        """How many of the counted members must be present."""
        of = sum(s.role in self.counts for s in seats)
        if self.count is not None:
            return self.count
        return max(1, math.ceil(self.fraction * of)) if of else 0

    def describe(self, seats: list[Seat]) -> str:
        of = sum(s.role in self.counts for s in seats)
        who = "voting members" if set(self.counts) == set(VOTING) else "of " + ", ".join(self.counts)
        part = f"{self.fraction} of {of}" if self.fraction is not None else f"{self.count} of {of}"
        return f"{self.needed(seats)} present ({part} {who})"


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    path: str = ""
    purpose: str | None = None
    membership: tuple[Entry, ...] = ()
    quorum: Quorum | None = None
    policies: bool = False  # model policies due for review go on its agendas
    interests: tuple[Interest, ...] = ()  # the register of business interests, as declared

    @property
    def members(self) -> str:
        """The membership in words, for listings: its rules and how many are named."""
        parts = [RULES[e.rule] for e in self.membership if e.rule]
        named = sum(e.rule is None for e in self.membership)
        if named:
            parts.append(f"{named} named")
        return "; ".join(parts)

    @property
    def quorum_text(self) -> str:
        q = self.quorum
        if q is None:
            return ""
        who = "" if set(q.counts) == set(VOTING) else " (" + ", ".join(q.counts) + ")"
        return (f"{q.count}" if q.count is not None else f"{q.fraction}") + who


def _fraction(text) -> Fraction:
    return Fraction(str(text))


def build_body(data: dict, path: str) -> Body:
    entries = []
    for e in data.get("membership", ()):
        entries.append(Entry(role=e.get("role", "member"), rule=e.get("rule"), school=e.get("school"), name=e.get("name"),
                             team=e.get("team"), organisation=e.get("organisation"), email=e.get("email"),
                             start=parse(e.get("from")), end=parse(e.get("to"))))
    q = data.get("quorum")
    quorum = None
    if q:
        quorum = Quorum(count=q.get("count"), fraction=_fraction(q["fraction"]) if "fraction" in q else None,
                        counts=tuple(q.get("counts") or VOTING))
    interests = tuple(Interest(parse(i["declared"]), i.get("team"), i.get("school"), i.get("name"),
                               tuple(i.get("business") or ()), tuple(i.get("governance") or ()),
                               tuple(i.get("relationships") or ())) for i in data.get("interests", ()))
    return Body(id=data["id"], name=data["name"], path=path, purpose=data.get("purpose"), membership=tuple(entries),
                quorum=quorum, policies=bool(data.get("policies_due", False)), interests=interests)


def bodies(model) -> dict[str, Body]:
    return model.other.get("body", {})


def _team_name(model, tid: str) -> str:
    member = model.alliance.team_member(tid) if model.alliance else None
    return member.name if member else tid


def seats_on(model, body: Body, day: date) -> list[Seat]:
    """Everyone on ``body`` on ``day``: named members in their term, rules expanded over the members on the day."""
    out: list[Seat] = []
    for e in body.membership:
        if not e.serves_on(day):
            continue
        if e.rule == "heads":
            for s in model.members_on(day):
                head = s.head
                out.append(Seat(e.role, head.name if head else None, s.urn, school_name=s.name, seat="headteacher", rule="heads"))
        elif e.rule == "governors":
            for s in model.members_on(day):
                named = next((c for r in GOVERNOR_ROLES for c in s.contacts_with(r)), None)
                out.append(Seat(e.role, named.name if named else None, s.urn, school_name=s.name,
                                seat="governor representative", rule="governors"))
        elif e.team:
            out.append(Seat(e.role, _team_name(model, e.team), team=e.team, school_name="central team",
                            seat="central team", end=e.end, start=e.start))
        elif e.school is not None:
            s = model.schools.get(e.school)
            out.append(Seat(e.role, e.name, e.school, school_name=s.name if s else str(e.school),
                            seat=(s.contact_named(e.name).role if s and s.contact_named(e.name) else "contact"), end=e.end,
                            start=e.start))
        else:
            out.append(Seat(e.role, e.name, organisation=e.organisation, school_name=e.organisation or "",
                            seat=e.organisation or "", end=e.end, start=e.start))
    return out


def describe_body(fc, names) -> list:
    """A body's changes in words (nesa diff, the digest): added and removed ones
    summed up alike, other changes field by field from the schema's titles."""
    from nesa_cli.changes.describe import Said, generic

    new, old = fc.new, fc.old
    thing = str((new or old or {}).get("name") or (new or old or {}).get("id") or "body")
    if old is None:
        return [Said(thing, f"Body added: {thing}", "{n} bodies added", thing)]
    if new is None:
        return [Said(thing, f"Body removed: {thing}", "{n} bodies removed", thing)]
    return generic("body", thing, old, new, names)
