"""Record helpers the reports rely on."""

from __future__ import annotations

from datetime import date

from nesa_cli.model import Adoption, Policy, PolicyVersion


def policy(*adoptions: Adoption) -> Policy:
    versions = (PolicyVersion("1.0", date(2024, 9, 1)), PolicyVersion("2.0", date(2025, 9, 1)))
    return Policy("send", "SEND", "send", 12, versions, adoptions=adoptions)


def test_latest_adoption_is_the_latest_date_whatever_the_order():
    p = policy(Adoption(1, "2.0", date(2025, 10, 1)), Adoption(2, "1.0", date(2024, 10, 1)), Adoption(1, "1.0", date(2024, 10, 1)))
    assert p.latest_adoption(1) == Adoption(1, "2.0", date(2025, 10, 1))
    assert p.latest_adoption(2).version == "1.0"
    assert p.latest_adoption(3) is None


def test_on_the_same_day_the_first_listed_adoption_counts():
    first, second = Adoption(1, "1.0", date(2025, 10, 1), "FGB"), Adoption(1, "2.0", date(2025, 10, 1), "Committee")
    assert policy(first, second).latest_adoption(1) is first


def test_versions_by_number():
    p = policy()
    assert p.version("2.0").approved == date(2025, 9, 1)
    assert p.version("3.0") is None
    assert p.current.version == "2.0"


def test_records_built_from_data_equal_records_made_by_hand():
    """The builders' fast constructors make the same frozen records."""
    import dataclasses

    import pytest

    from nesa_cli.model import Contact, MembershipEvent, NetworkMember, PupilCount, build_network, build_school

    s = build_school({"urn": 1, "name": "A", "phase": "primary", "type": "community",
                      "pupils": [{"census_date": "2025-10-02", "count": 9}],
                      "membership": [{"state": "member", "date": "2024-09-01", "reason": None}],
                      "contacts": [{"role": "headteacher", "name": "H", "mobile": "07700 900000", "private": ["mobile"]},
                                   {"role": "senco", "name": "S"}]})
    assert s.contacts == (Contact("headteacher", "H", mobile="07700 900000", private=frozenset({"mobile"})), Contact("senco", "S"))
    assert s.membership == (MembershipEvent("member", date(2024, 9, 1)),)
    assert s.pupils == (PupilCount(date(2025, 10, 2), 9),)
    assert hash(s.contacts[1]) == hash(Contact("senco", "S"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.contacts[0].name = "X"
    n = build_network({"id": "n", "name": "N", "kind": "role", "members": [{"school": 1, "person": "S", "since": "2024-09-01"}]})
    assert n.members == (NetworkMember(1, "S", None, date(2024, 9, 1), None),)
