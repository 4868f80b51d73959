"""The typed records of the model (School, Network, Policy, Alliance, Model, ...).

Plain Python over plain data: a test can build a :class:`Model` in memory and
call any report on it. Dates are :class:`datetime.date`, money is Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from nesa_cli.dates import add_months

MEMBER_STATES = ("signed-up", "member")
HEAD_ROLES = ("headteacher", "executive-headteacher", "head-of-school")
CONTACT_FIELDS = ("email", "phone", "mobile")


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    private: frozenset[str] = frozenset()
    family_name: str | None = None  # for a structured name (vCard N) when "name" alone cannot say
    given_name: str | None = None

    def as_dict(self, include_private: bool = False) -> dict[str, Any]:
        """The contact for output: private fields left out unless asked for."""
        out: dict[str, Any] = {"role": self.role, "name": self.name, "title": self.title}
        for f in CONTACT_FIELDS:
            value = getattr(self, f)
            if value is not None and (include_private or f not in self.private):
                out[f] = value
        return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True)
class MembershipEvent:
    state: str
    date: date
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PupilCount:
    census_date: date
    count: int


@dataclass
class School:
    urn: int
    name: str
    phase: str
    type: str
    path: str = ""
    laestab: int | None = None
    age_low: int | None = None
    age_high: int | None = None
    religious_character: str | None = None
    diocese: str | None = None
    address: dict[str, str] = field(default_factory=dict)
    easting: int | None = None
    northing: int | None = None
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    capacity: int | None = None
    pupils: tuple[PupilCount, ...] = ()
    partnership: str | None = None
    membership: tuple[MembershipEvent, ...] = ()
    contacts: tuple[Contact, ...] = ()
    strengths: tuple[dict, ...] = ()
    needs: tuple[dict, ...] = ()
    notes: str | None = None
    # issue 20, brokerage: see nesa_cli.designations
    designations: tuple = ()  # Designation records
    categories: tuple = ()  # Category records, one per academic year
    # issue 20, conversions: see nesa_cli.succession (predecessor is the source of truth; successor its checked mirror)
    predecessor: Any = None  # succession.Link: the URN this school succeeds
    successor: Any = None  # succession.Link: the URN that succeeded this one (as the old file records it)
    # issue 20, trusts and partnerships (nesa_cli.governance): GIAS's trust and federation, and the
    # partnerships besides the primary one (school.partnerships: all of them, the primary first)
    other_partnerships: tuple[str, ...] = ()
    trust: dict | None = None  # {name, code, type: mat|sat|foundation}
    federation: dict | None = None  # {name, code}

    @property
    def partnerships(self) -> tuple[str, ...]:
        """Every partnership the school takes part in, its primary first (issue 20)."""
        from nesa_cli.governance import partnerships_of

        return partnerships_of(self)

    @property
    def la_code(self) -> int | None:
        return self.laestab // 10000 if self.laestab else None

    @property
    def town(self) -> str:
        return self.address.get("town", "")

    @property
    def postcode(self) -> str:
        return self.address.get("postcode", "")

    def event_on(self, on: date) -> MembershipEvent | None:
        current = None
        for event in self.membership:
            if event.date <= on:
                current = event
        return current

    def status_on(self, on: date) -> str:
        event = self.event_on(on)
        return event.state if event else "prospective"

    def is_member_on(self, on: date) -> bool:
        return self.status_on(on) == "member"

    def member_since(self, on: date) -> date | None:
        """Start of the current unbroken membership at ``on``."""
        since = None
        for event in self.membership:
            if event.date > on:
                break
            if event.state == "member":
                since = since or event.date
            else:
                since = None
        return since

    def pupils_on(self, on: date | None = None) -> PupilCount | None:
        best = None
        for p in self.pupils:
            if on is None or p.census_date <= on:
                if best is None or p.census_date > best.census_date:
                    best = p
        return best

    def contacts_with(self, *roles: str) -> list[Contact]:
        return [c for c in self.contacts if c.role in roles]

    @property
    def head(self) -> Contact | None:
        heads = self.contacts_with(*HEAD_ROLES)
        return heads[0] if heads else None

    def contact_named(self, name: str) -> Contact | None:
        for c in self.contacts:
            if c.name == name:
                return c
        return None


@dataclass(frozen=True)
class NetworkMember:
    school: int
    person: str
    role: str | None = None
    since: date | None = None
    until: date | None = None

    def active_on(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on < self.until)


@dataclass
class Network:
    id: str
    name: str
    kind: str
    path: str = ""
    purpose: str | None = None
    lead_school: int | None = None
    lead_person: str | None = None
    central_link: str | None = None
    frequency: str | None = None
    channel: str | None = None
    members: tuple[NetworkMember, ...] = ()

    def active_members(self, on: date) -> list[NetworkMember]:
        return [m for m in self.members if m.active_on(on)]


@dataclass(frozen=True)
class PolicyVersion:
    version: str
    approved: date
    summary: str | None = None
    document: str | None = None


class Adoption(NamedTuple):
    """One governing body's adoption of one version of a policy.

    A named tuple, not a dataclass: a region's policies hold a million of
    these, and a tuple is built several times faster."""

    school: int
    version: str
    date: date
    body: str | None = None
    local_changes: str | None = None


@dataclass
class Policy:
    id: str
    title: str
    area: str
    review_cycle_months: int
    versions: tuple[PolicyVersion, ...]
    path: str = ""
    statutory: dict[str, Any] = field(default_factory=dict)
    owner: str | None = None
    approval_level: str | None = None
    adoptions: tuple[Adoption, ...] = ()

    @property
    def current(self) -> PolicyVersion:
        return max(self.versions, key=lambda v: v.approved)

    @property
    def review_due(self) -> date:
        return add_months(self.current.approved, self.review_cycle_months)

    @property
    def is_statutory(self) -> bool:
        return bool(self.statutory.get("required"))

    def version(self, number: str) -> PolicyVersion | None:
        return self._versions.get(number)

    def latest_adoption(self, urn: int) -> Adoption | None:
        """The school's adoption with the latest date (the first listed, on a tie)."""
        return self._latest.get(urn)

    @cached_property
    def _versions(self) -> dict[str, PolicyVersion]:
        out: dict[str, PolicyVersion] = {}
        for v in self.versions:
            out.setdefault(v.version, v)
        return out

    @cached_property
    def _latest(self) -> dict[int, Adoption]:
        # One pass instead of a scan of every adoption per school asked about:
        # a report over every member school was quadratic in the region's size.
        out: dict[int, Adoption] = {}
        for a in self.adoptions:
            best = out.get(a.school)
            if best is None or a.date > best.date:
                out[a.school] = a
        return out


@dataclass(frozen=True)
class TeamMember:
    id: str
    name: str
    role: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    partnerships: tuple[str, ...] = ()


@dataclass(frozen=True)
class Partnership:
    id: str
    name: str
    type: str
    link: str | None = None
    description: str | None = None
    leads: tuple[tuple[int, str], ...] = ()  # issue 20: lead heads, (URN, name of a contact)


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    sections: tuple[str, ...] | None = None


@dataclass
class Alliance:
    name: str
    short_name: str
    la_codes: tuple[int, ...]
    eligible_types: tuple[str, ...]
    financial_year_start_month: int
    census_date: date
    path: str = "data/alliance.yaml"
    area: str | None = None
    website: str | None = None
    email: str | None = None
    eligible_phases: tuple[str, ...] | None = None
    eligible_la_codes: tuple[int, ...] | None = None
    eligibility_text: str | None = None
    central_team: tuple[TeamMember, ...] = ()
    partnerships: tuple[Partnership, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    links: dict | None = None  # links: repository web address (and branch) for links to the data's files
    reply_to: str | None = None  # digest: reply_to (the central team's address)
    per_school: dict | None = None  # digest: per_school (see nesa_cli.digest.schools)
    branding: dict | None = None  # branding: logo, colour, address, phone (documents' letterhead)
    # issue 20, brokerage: raw settings, read by nesa_cli.designations.scale and nesa_cli.collab.broker
    categorisation: dict | None = None
    broker: dict | None = None
    # issue 20, trusts: eligibility by governance (maintained, sat, mat, other; nesa_cli.governance)
    eligible_governance: tuple[str, ...] | None = None

    def eligible(self, school: School) -> tuple[bool, str]:
        """Whether ``school`` may be a member, and why not."""
        if school.type not in self.eligible_types:
            return False, f"type '{school.type}' is not eligible (eligible: {', '.join(self.eligible_types)})"
        if self.eligible_phases is not None and school.phase not in self.eligible_phases:
            return False, f"phase '{school.phase}' is not eligible"
        if self.eligible_la_codes is not None and school.la_code is None:
            return False, f"it has no LAESTAB, so its local authority is not known (the alliance's area: {', '.join(map(str, self.eligible_la_codes))})"
        if self.eligible_la_codes is not None and school.la_code not in self.eligible_la_codes:
            return False, f"LA code {school.la_code} is outside the alliance's area ({', '.join(map(str, self.eligible_la_codes))})"
        return True, ""

    def partnership(self, pid: str | None) -> Partnership | None:
        for p in self.partnerships:
            if p.id == pid:
                return p
        return None

    def team_member(self, tid: str | None) -> TeamMember | None:
        for t in self.central_team:
            if t.id == tid:
                return t
        return None


@dataclass
class Model:
    """The alliance's state at one moment: every schema-valid record."""

    alliance: Alliance | None = None
    schools: dict[int, School] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    other: dict[str, dict[str, Any]] = field(default_factory=dict)  # records of kinds without a Model attribute, by kind name

    def records(self, kind: str) -> dict:
        """The records of one kind by id (``model.records("meeting")``), whichever
        kind it is: the schools, networks and policies too, and plug-in kinds."""
        if kind == "school":
            return self.schools
        if kind == "network":
            return self.networks
        if kind == "policy":
            return self.policies
        if kind == "alliance":
            return {self.alliance.short_name: self.alliance} if self.alliance else {}
        return self.other.get(kind, {})

    def members_on(self, on: date) -> list[School]:
        return [s for s in self.schools.values() if s.is_member_on(on)]
