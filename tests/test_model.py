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
