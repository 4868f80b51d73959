"""Builders: a schema-valid dict read from a file -> a record of
:mod:`nesa_cli.model.records`. Fast paths matter here: a region has 25,000
schools and 150,000 contacts."""

from __future__ import annotations

from nesa_cli.dates import from_text, parse
from nesa_cli.model.records import (
    HEAD_ROLES,
    Adoption,
    Alliance,
    Contact,
    MembershipEvent,
    Model,
    Network,
    NetworkMember,
    Partnership,
    Policy,
    PolicyVersion,
    PupilCount,
    Recipient,
    School,
    TeamMember,
)


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
        # issue 20, conversions (nesa_cli.succession)
        "predecessor": _link(get("predecessor")), "successor": _link(get("successor")),
        # issue 20, trusts and partnerships (nesa_cli.governance)
        "other_partnerships": tuple(get("other_partnerships")) if get("other_partnerships") else (),
        "trust": dict(get("trust")) if get("trust") else None,
        "federation": dict(get("federation")) if get("federation") else None,
    }


def _link(raw):
    if not raw:
        return None
    from nesa_cli.succession import build_link

    return build_link(raw)


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
        partnerships=tuple(Partnership(p["id"], p["name"], p["type"], p.get("link"), p.get("description"),
                                       tuple((ld["school"], ld["person"]) for ld in p.get("leads") or ()))  # leads: issue 20
                           for p in d.get("partnerships") or ()),
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
        eligible_governance=tuple(el["governance"]) if el.get("governance") else None,  # issue 20, trusts
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
