"""Typed records built from schema-valid data.

Plain Python over plain data: a test can build a :class:`Model` in memory and
call any report on it. Dates are :class:`datetime.date`, money is Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from nesa_cli.dates import add_months, from_text, parse

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


# --- builders: schema-valid dict -> record -------------------------------------


def _maker(cls):
    """A fast positional constructor for a frozen dataclass without defaults
    logic: every field given, in order. The generated ``__init__`` of a frozen
    dataclass sets each field through ``object.__setattr__``; filling the
    instance's ``__dict__`` directly is several times faster and the result is
    the same frozen, equal, hashable record. A region has 150,000 contacts."""
    from dataclasses import fields

    names = [f.name for f in fields(cls)]
    body = "".join(f"    d[{n!r}] = {n}\n" for n in names)
    source = f"def make({', '.join(names)}):\n    o = new(cls)\n    d = o.__dict__\n{body}    return o\n"
    namespace = {"new": object.__new__, "cls": cls}
    exec(source, namespace)  # noqa: S102 - code made from the field names above, as dataclasses itself does
    return namespace["make"]


_contact = _maker(Contact)
_event = _maker(MembershipEvent)
_pupils = _maker(PupilCount)
_member = _maker(NetworkMember)
_NO_PRIVATE: frozenset[str] = frozenset()
_SCHOOL_FIELDS = tuple(f.name for f in School.__dataclass_fields__.values())


def _contacts(raw) -> tuple[Contact, ...]:
    return tuple(
        _contact(c["role"], c["name"], c.get("title"), c.get("email"), c.get("phone"), c.get("mobile"),
                 frozenset(c["private"]) if c.get("private") else _NO_PRIVATE, c.get("family_name"), c.get("given_name"))
        for c in raw or ()
    )


class _ReadSchool(School):
    """A school read from a file: the same record, except that its contacts
    are built when first asked for. A region's 25,000 schools have 150,000
    contacts, and most queries (a listing filtered by phase) need few of them.
    The raw list is checked by the schema before a record is built, so
    building it later cannot fail."""

    @property
    def contacts(self) -> tuple[Contact, ...]:
        d = self.__dict__
        built = d.get("_built_contacts")
        if built is None:
            built = d["_built_contacts"] = _contacts(d.pop("_raw_contacts", ()))
        return built

    @contacts.setter
    def contacts(self, value) -> None:
        self.__dict__.pop("_raw_contacts", None)
        self.__dict__["_built_contacts"] = tuple(value)

    @property
    def head(self) -> Contact | None:
        """As School.head; before the contacts are built, only the head's is
        (a listing of 4,000 schools asks each for its head and nothing else)."""
        d = self.__dict__
        if "_built_contacts" in d:
            return School.head.fget(self)
        for c in d.get("_raw_contacts") or ():
            if c["role"] in HEAD_ROLES:
                return _contacts((c,))[0]
        return None

    def __eq__(self, other):
        if not isinstance(other, School):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _SCHOOL_FIELDS)

    __hash__ = None  # as School's (a mutable dataclass)

    def __repr__(self) -> str:
        return School.__repr__(self).replace(type(self).__qualname__ + "(", "School(", 1)


def build_school(d: dict, path: str = "") -> School:
    s = object.__new__(_ReadSchool)
    s.__dict__.update(_school_fields(d, path))
    return s


def _school_fields(d: dict, path: str) -> dict:
    """The attributes of a :class:`_ReadSchool` made from a valid file's data.
    (List comprehensions and one dict display: a listing fills 4,000 of these.)"""
    get = d.get
    addr = get("address")
    loc = get("location") or _EMPTY
    ages = get("age_range") or _EMPTY
    pupils = get("pupils")
    membership = get("membership")
    strengths = get("strengths")
    needs = get("needs")
    return {
        "urn": d["urn"], "name": d["name"], "phase": d["phase"], "type": d["type"], "path": path,
        "laestab": get("laestab"), "age_low": ages.get("low"), "age_high": ages.get("high"),
        "religious_character": get("religious_character"), "diocese": get("diocese"),
        "address": dict(addr) if addr else {}, "easting": loc.get("easting"), "northing": loc.get("northing"),
        "website": get("website"), "phone": get("phone"), "email": get("email"), "capacity": get("capacity"),
        "pupils": tuple([_pupils(parse(p["census_date"]), p["count"]) for p in pupils]) if pupils else (),
        "partnership": get("partnership"),
        "membership": tuple([_event(m["state"], parse(m["date"]), m.get("reason"), m.get("note")) for m in membership]) if membership else (),
        "_raw_contacts": get("contacts"),
        "strengths": tuple(strengths) if strengths else (), "needs": tuple(needs) if needs else (), "notes": get("notes"),
        # issue 20, brokerage (nesa_cli.designations)
        "designations": _designations(get("designations")) if get("designations") else (),
        "categories": _categories(get("categories")) if get("categories") else (),
    }


def _designations(raw):
    from nesa_cli.designations import build_designations

    return build_designations(raw)


def _categories(raw):
    from nesa_cli.designations import build_categories

    return build_categories(raw)


_EMPTY: dict = {}


def build_network(d: dict, path: str = "") -> Network:
    lead = d.get("lead") or {}
    return Network(
        id=d["id"], name=d["name"], kind=d["kind"], path=path, purpose=d.get("purpose"),
        lead_school=lead.get("school"), lead_person=lead.get("person"), central_link=d.get("central_link"),
        frequency=d.get("frequency"), channel=d.get("channel"),
        members=tuple(
            _member(m["school"], m["person"], m.get("role"), parse(m.get("since")), parse(m.get("until")))
            for m in d.get("members") or ()
        ),
    )


def build_policy(d: dict, path: str = "") -> Policy:
    return Policy(
        id=d["id"], title=d["title"], area=d["area"], review_cycle_months=d["review_cycle_months"], path=path,
        versions=tuple(PolicyVersion(v["version"], parse(v["approved"]), v.get("summary"), v.get("document")) for v in d["versions"]),
        statutory=dict(d.get("statutory") or {}), owner=d.get("owner"), approval_level=d.get("approval_level"),
        adoptions=tuple(
            Adoption(a["school"], a["version"], from_text(a["date"]), a.get("body"), a.get("local_changes")) for a in d.get("adoptions") or ()
        ),
    )


def build_alliance(d: dict, path: str = "data/alliance.yaml") -> Alliance:
    el = d["eligibility"]
    return Alliance(
        name=d["name"], short_name=d["short_name"], la_codes=tuple(d["la_codes"]), path=path,
        eligible_types=tuple(el["types"]), eligible_phases=tuple(el["phases"]) if "phases" in el else None,
        eligible_la_codes=tuple(el["la_codes"]) if "la_codes" in el else None, eligibility_text=el.get("description"),
        financial_year_start_month=d["financial_year_start_month"], census_date=parse(d["census_date"]),
        area=d.get("area"), website=d.get("website"), email=d.get("email"),
        central_team=tuple(
            TeamMember(t["id"], t["name"], t["role"], t.get("title"), t.get("email"), t.get("phone"), tuple(t.get("partnerships") or ()))
            for t in d.get("central_team") or ()
        ),
        partnerships=tuple(Partnership(p["id"], p["name"], p["type"], p.get("link"), p.get("description")) for p in d.get("partnerships") or ()),
        recipients=tuple(
            Recipient(r["name"], r["email"], tuple(r["sections"]) if "sections" in r else None)
            for r in (d.get("digest") or {}).get("recipients") or ()
        ),
        links=dict(d["links"]) if isinstance(d.get("links"), dict) else None,
        reply_to=(d.get("digest") or {}).get("reply_to"),
        per_school=dict((d.get("digest") or {})["per_school"]) if isinstance((d.get("digest") or {}).get("per_school"), dict) else None,
        branding=dict(d["branding"]) if isinstance(d.get("branding"), dict) else None,
        categorisation=dict(d["categorisation"]) if isinstance(d.get("categorisation"), dict) else None,
        broker=dict(d["broker"]) if isinstance(d.get("broker"), dict) else None,
    )


def add_record(model: Model, kind, data: dict, path: str):
    """Add one schema-valid record of ``kind`` (see nesa_cli.kinds) and return it."""
    rec = kind.build(data, path)
    if kind.store == "alliance":
        model.alliance = rec
    elif kind.store is not None:
        getattr(model, kind.store)[rec.urn if kind.store == "schools" else rec.id] = rec
    else:
        model.other.setdefault(kind.name, {})[rec.id] = rec
    return rec


# Kinds whose records can be made from a summary (see add_summaries).


