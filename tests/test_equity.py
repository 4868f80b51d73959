"""Equity of workload: hand-checked numbers on a small alliance."""

from __future__ import annotations

from datetime import date
from conftest import assert_golden

import pytest

from nesa_cli.collab.equity import equity, equity_svg, gini
from nesa_cli.collab.model import Activity
from nesa_cli.model import MembershipEvent, Model, PupilCount, School

DAY = date(2026, 11, 23)


def school(urn, pupils, member=True, **kw):
    return School(urn=urn, name=f"School {urn}", phase=kw.pop("phase", "primary"), type="community",
                  pupils=(PupilCount(date(2025, 10, 2), pupils),),
                  membership=(MembershipEvent("member" if member else "withdrawn", date(2025, 9, 1)),), **kw)


def act(id_, lead, hours, start=date(2026, 1, 10), status="completed"):
    return Activity(id=id_, title=id_, kind="cpd", lead_school=lead, start=start, hours=hours, status=status)


def small_model():
    m = Model()
    for s in (school(100001, 100), school(100002, 300), school(100003, 600), school(100004, 50, member=False)):
        m.schools[s.urn] = s
    m.other["activity"] = {a.id: a for a in (
        act("a", 100001, 30), act("b", 100002, 30), act("c", 100003, 40),
        act("x", 100003, 500, status="cancelled"), act("old", 100001, 20, start=date(2024, 1, 1)),
        act("w", 100004, 99),  # led by a non-member: not counted
    )}
    return m


def test_gini_hand_checked():
    assert gini([1, 1, 1, 1]) == 0
    assert gini([0, 0, 0, 1]) == 0.75
    assert gini([1, 3]) == 0.25
    assert gini([]) == 0


def test_equity_numbers_by_pupils():
    r = equity(small_model(), DAY, start=date(2025, 9, 1))
    rows = {row["urn"]: row for row in r["schools"]}
    assert set(rows) == {100001, 100002, 100003}
    assert r["total_hours"] == 100
    # fair shares 100/1000, 300/1000, 600/1000 of 100 hours
    assert [rows[u]["fair_share"] for u in (100001, 100002, 100003)] == [10, 30, 60]
    assert [rows[u]["ratio"] for u in (100001, 100002, 100003)] == [3.0, 1.0, 0.67]
    assert r["over"] == [100001] and r["under"] == []
    # gini of [0.67, 1.0, 3.0] by the formula: (2*(0.67+2+9))/(3*4.67) - 4/3
    assert r["gini"] == pytest.approx(2 * (0.67 + 2 * 1.0 + 3 * 3.0) / (3 * 4.67) - 4 / 3, abs=1e-4)


def test_equity_thresholds_and_window():
    r = equity(small_model(), DAY, start=date(2025, 9, 1), high=3.5, low=0.7)
    assert r["over"] == [] and r["under"] == [100003]
    r = equity(small_model(), DAY)  # the 2024 activity is in the window, but its lead joined in 2025
    assert {row["urn"]: row["hours"] for row in r["schools"]}[100001] == 30


def test_equity_by_staff_says_it_uses_contacts():
    r = equity(small_model(), DAY, by="staff")
    assert r["by"] == "staff" and "contacts" in r["notes"][0]


def test_equity_svg_chart():
    svg = equity_svg(equity(small_model(), DAY, start=date(2025, 9, 1)))
    assert svg.startswith("<svg") and "School 100001" in svg and "3.00" in svg and "#c0392b" in svg


def test_equity_svg_golden():
    svg = equity_svg(equity(small_model(), DAY, start=date(2025, 9, 1)))
    assert_golden("equity/small.svg", svg)
