"""Broker ranking properties."""

from __future__ import annotations

from datetime import date

from nesa_cli.collab.broker import broker
from nesa_cli.collab.model import Activity
from nesa_cli.model import MembershipEvent, Model, School

DAY = date(2026, 11, 23)


def school(urn, e, n, phase="primary", strengths=("maths-mastery",), partnership=None):
    return School(urn=urn, name=f"School {urn}", phase=phase, type="community", easting=e, northing=n,
                  partnership=partnership, membership=(MembershipEvent("member", date(2025, 9, 1)),),
                  strengths=tuple({"area": a} for a in strengths))


def model(*schools, acts=()):
    m = Model()
    m.schools = {s.urn: s for s in schools}
    m.other["activity"] = {a.id: a for a in acts}
    return m


def ranks(listing):
    return [r["urn"] for r in listing.rows]


def test_never_brokers_to_itself():
    m = model(school(100001, 400000, 600000), school(100002, 410000, 600000))
    assert ranks(broker(m, DAY, "maths-mastery", 100001)) == [100002]


def test_closer_equal_school_ranks_higher():
    m = model(school(100001, 400000, 600000, phase="first"), school(100002, 420000, 600000),
              school(100003, 410000, 600000))
    rows = broker(m, DAY, "maths-mastery", 100001).rows
    assert [r["urn"] for r in rows] == [100003, 100002]
    assert all(r["why"] for r in rows) and "10.0 km" in rows[0]["why"]


def test_competitor_ranks_lower():
    # 100002 is nearer but the same phase within 5 km: a competitor
    m = model(school(100001, 400000, 600000), school(100002, 403000, 600000),
              school(100003, 400000, 600000 + 8000, phase="first"))
    rows = broker(m, DAY, "maths-mastery", 100001).rows
    assert [r["urn"] for r in rows] == [100003, 100002]
    assert "competitor" in rows[1]["why"]
    # with no competition distance, the nearer school wins
    assert ranks(broker(m, DAY, "maths-mastery", 100001, competitor_km=0))[0] == 100002


def test_load_partnership_unknown_distance_and_need():
    busy = Activity(id="s1", title="s", kind="school-to-school-support", lead_school=100002, start=DAY, status="active")
    m = model(school(100001, 400000, 600000, partnership="p"), school(100002, 410000, 600000),
              school(100003, 410000, 600000), school(100004, None, None, partnership="p"),
              school(100005, 400000, 600000, strengths=("send",)), acts=[busy])
    rows = {r["urn"]: r for r in broker(m, DAY, "maths-mastery", 100001).rows}
    assert 100005 not in rows
    assert rows[100003]["score"] > rows[100002]["score"] and "leads 1 active" in rows[100002]["why"]
    assert "distance unknown" in rows[100004]["why"] and "same partnership" in rows[100004]["why"]
    assert rows[100004]["distance_km"] is None


def test_limit_and_no_target():
    m = model(*(school(100000 + i, 400000 + i * 1000, 600000) for i in range(1, 6)))
    listing = broker(m, DAY, "maths-mastery", limit=3)
    assert len(listing.rows) == 3 and [r["rank"] for r in listing.rows] == [1, 2, 3]
