"""Activity records and helpers shared by the collaboration reports."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from nesa_cli.dates import parse

HOURS_PER_DAY = 6.5


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    kind: str
    lead_school: int | None  # None: led by the central team (lead_team) or an outside party (lead_organisation)
    start: date
    path: str = ""
    lead_person: str | None = None
    schools: tuple[int, ...] = ()
    end: date | None = None
    hours: float = 0.0
    partnership: str | None = None
    status: str = "planned"
    need: str | None = None
    expected_outcome: str | None = None
    review_date: date | None = None
    outcomes: tuple[dict, ...] = ()
    evidence: tuple[str, ...] = ()
    stream: str | None = None
    spend: Decimal | None = None
    notes: str | None = None
    lead_team: str | None = None  # a central-team id (data/alliance.yaml)
    lead_organisation: str | None = None  # a university, the local authority, a consultant's firm...

    @property
    def last_day(self) -> date:
        return self.end or self.start

    @property
    def lead_kind(self) -> str:
        """school, team (the central team) or outside (an organisation)."""
        if self.lead_school is not None:
            return "school"
        return "team" if self.lead_team else "outside"

    def lead_words(self, model) -> str:
        """Who leads, for reports: the school's name, a central-team member, or the organisation (and person)."""
        if self.lead_school is not None:
            s = model.schools.get(self.lead_school)
            if s is None:
                return str(self.lead_school)
            from nesa_cli.succession import successor_of  # issue 20: a lead school that has since converted

            new = successor_of(model, s.urn)
            if new is None:
                return s.name
            return f"{s.name} (now URN {new.urn})" if new.name == s.name else f"{s.name} (now {new.name}, URN {new.urn})"
        if self.lead_team:
            member = model.alliance.team_member(self.lead_team) if model.alliance else None
            return f"{member.name if member else self.lead_team} (central team)"
        org = self.lead_organisation or "outside party"
        return f"{self.lead_person} ({org})" if self.lead_person else org


def build_activity(d: dict, path: str = "") -> Activity:
    t = d.get("time") or {}
    hours = float(t.get("amount", 0)) * (HOURS_PER_DAY if t.get("unit") == "days" else 1)
    lead = d["lead"]
    spend = d.get("spend")
    return Activity(
        id=d["id"], title=d["title"], kind=d["kind"], lead_school=int(lead["school"]) if "school" in lead else None,
        lead_person=lead.get("person"), lead_team=lead.get("team"), lead_organisation=lead.get("organisation"),
        start=parse(d["start"]), end=parse(d["end"]) if d.get("end") else None, path=path,
        schools=tuple(int(u) for u in d.get("schools") or ()), hours=round(hours, 2),
        partnership=d.get("partnership"), status=d.get("status", "planned"), need=d.get("need"),
        expected_outcome=d.get("expected_outcome"),
        review_date=parse(d["review_date"]) if d.get("review_date") else None,
        outcomes=tuple(d.get("outcomes") or ()), evidence=tuple(d.get("evidence") or ()),
        stream=d.get("stream"), spend=Decimal(str(spend)) if spend is not None else None, notes=d.get("notes"),
    )


def activities(model) -> list[Activity]:
    return sorted((model.other.get("activity") or {}).values(), key=lambda a: (a.start, a.id))


def pupils(school) -> int:
    """Latest census count (0 when unknown)."""
    if not school.pupils:
        return 0
    return max(school.pupils, key=lambda p: p.census_date).count


def distance_km(a, b) -> float | None:
    if None in (a.easting, a.northing, b.easting, b.northing):
        return None
    return math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000.0


def preferences(result, school) -> dict:
    """The optional ``preferences`` of a school file, read from the raw document."""
    doc = result.documents.get(school.path) if result is not None else None
    data = getattr(doc, "data", None)
    if isinstance(data, dict) and isinstance(data.get("preferences"), dict):
        return data["preferences"]
    return {}

