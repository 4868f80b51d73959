"""A school's main office: the switchboard number and the postal address, as
contact cards and contact sheets show them beside each person."""

from __future__ import annotations

from typing import NamedTuple

COUNTRY = "United Kingdom"


class Office(NamedTuple):
    school: str
    phone: str | None
    email: str | None
    street: str  # street, locality and address3, comma-separated
    town: str
    county: str
    postcode: str

    @property
    def lines(self) -> list[str]:
        """The address as lines for a page: school, street, town, county and postcode."""
        return [x for x in (self.school, self.street, self.town, " ".join(p for p in (self.county, self.postcode) if p)) if x]


def office(school) -> Office:
    """The school's main phone and address from its file (``phone``, ``email``, ``address``)."""
    a = school.address or {}
    street = ", ".join(a[k] for k in ("street", "locality", "address3") if a.get(k))
    return Office(school.name, school.phone, school.email, street, a.get("town", ""), a.get("county", ""), a.get("postcode", ""))
