"""Equity for a past period uses the members of that period (issue 20, "Reports that were wrong").

Built like the single-academy-trust alliance's case: run in September 2025 for 2024-25,
one school led 43 h and left before the run, one joined after the period, one only
received support.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from nesa_cli.collab.equity import equity, member_fraction
from nesa_cli.collab.model import Activity
from nesa_cli.model import MembershipEvent, Model, PupilCount, School

RUN = date(2025, 9, 15)
FROM, TO = date(2024, 9, 1), date(2025, 8, 31)


def school(urn, pupils, *events):
    return School(urn=urn, name=f"Trust school {urn}", phase="primary", type="academy converter",
                  pupils=(PupilCount(date(2024, 10, 3), pupils),),
                  membership=tuple(MembershipEvent(state, day) for state, day in events))


def act(id_, lead, hours, start, schools=()):
    return Activity(id=id_, title=id_, kind="school-to-school-support", lead_school=lead, start=start,
                    hours=hours, status="completed", schools=tuple(schools))


def sat_alliance():
    m = Model()
    for s in (
        school(140001, 400, ("member", date(2023, 9, 1))),
        school(140002, 300, ("member", date(2023, 9, 1)), ("withdrawn", date(2025, 7, 1))),  # led 43 h, left
        school(140003, 200, ("member", date(2025, 9, 5))),  # joined after the period
        school(140004, 300, ("member", date(2023, 9, 1))),
        school(140005, 100, ("member", date(2023, 9, 1))),  # received support, led nothing
    ):
        m.schools[s.urn] = s
    m.other["activity"] = {a.id: a for a in (
        act("a1", 140001, 100, date(2024, 10, 1), schools=[140005]),
        act("b1", 140002, 43, date(2025, 1, 20), schools=[140005]),
        act("d1", 140004, 69, date(2025, 3, 3)),
        act("c-later", 140003, 30, date(2025, 10, 1)),  # outside the period
    )}
    return m


def test_past_period_counts_the_period_members():
    r = equity(sat_alliance(), RUN, FROM, TO)
    rows = {row["urn"]: row for row in r["schools"]}
    assert r["total_hours"] == 212  # not 169: the school that left still led 43 h in the period
    assert 140002 in rows and rows[140002]["hours"] == 43
    assert 140003 not in rows  # joined after the period
    assert set(rows) == {140001, 140002, 140004, 140005}


def test_part_period_member_has_time_weighted_share():
    r = equity(sat_alliance(), RUN, FROM, TO)
    rows = {row["urn"]: row for row in r["schools"]}
    part = ((date(2025, 6, 30) - FROM).days + 1) / ((TO - FROM).days + 1)
    assert rows[140002]["member"] == round(part, 4)
    weighted = {140001: 400, 140002: 300 * part, 140004: 300, 140005: 100}
    total = sum(weighted.values())
    for urn, w in weighted.items():
        assert rows[urn]["fair_share"] == round(212 * w / total, 2)


def test_school_that_received_support_is_not_under_contributing():
    r = equity(sat_alliance(), RUN, FROM, TO)
    rows = {row["urn"]: row for row in r["schools"]}
    assert rows[140005]["hours"] == 0 and rows[140005]["received"] == 143
    assert rows[140005]["flag"] == "supported"
    assert 140005 not in r["under"] and r["supported"] == [140005]


def test_a_school_neither_leading_nor_receiving_is_still_under():
    m = sat_alliance()
    m.other["activity"] = {k: v for k, v in m.other["activity"].items()}
    m.other["activity"]["a1"] = act("a1", 140001, 100, date(2024, 10, 1))
    m.other["activity"]["b1"] = act("b1", 140002, 43, date(2025, 1, 20))
    assert equity(m, RUN, FROM, TO)["under"] == [140005]


def test_activity_of_a_lead_not_member_then_does_not_count():
    m = sat_alliance()
    m.other["activity"]["c-early"] = act("c-early", 140003, 25, date(2025, 3, 1))
    r = equity(m, RUN, FROM, TO)
    assert r["total_hours"] == 212 and 140003 not in {row["urn"] for row in r["schools"]}


events = st.lists(st.tuples(st.sampled_from(["member", "withdrawn", "prospective"]),
                            st.integers(min_value=0, max_value=800)), max_size=6)


@settings(max_examples=60, deadline=None)
@given(events, st.integers(min_value=0, max_value=700), st.integers(min_value=0, max_value=120))
def test_member_fraction_is_the_share_of_member_days(evs, offset, length):
    base = date(2024, 1, 1)
    s = school(150001, 10, *sorted(((state, base + timedelta(days=d)) for state, d in evs), key=lambda e: e[1]))
    start = base + timedelta(days=offset)
    end = start + timedelta(days=length)
    days = [start + timedelta(days=i) for i in range(length + 1)]
    assert abs(member_fraction(s, start, end) - sum(s.is_member_on(d) for d in days) / len(days)) < 1e-12
