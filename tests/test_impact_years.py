"""Impact counts an activity spanning two financial years once, split by days, and
shows committed spend apart from spend (issue 20, "Reports that were wrong")."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from nesa_cli.collab.impact import impact, split_by_days, year_days
from nesa_cli.collab.model import Activity
from nesa_cli.finance.model import FinanceYear, SpendEntry
from nesa_cli.model import Model

from test_collab import DAY, cli


def act(id_, start, end, hours, spend=None, status="completed"):
    return Activity(id=id_, title=id_, kind="school-to-school-support", lead_school=100001, start=start, end=end,
                    hours=hours, spend=None if spend is None else Decimal(spend), status=status)


def model(*acts, years=()):
    m = Model()
    m.other["activity"] = {a.id: a for a in acts}
    m.other["finance-year"] = {fy.year: fy for fy in years}
    return m


def rows(m, year):
    return {r["id"]: r for r in impact(m, DAY, year).rows}


def test_spanning_activity_is_split_by_days_not_counted_twice():
    # 2025-12-03 .. 2026-04-02: 119 days in 2025-26, 2 in 2026-27 (as support-send-122164)
    m = model(act("span", date(2025, 12, 3), date(2026, 4, 2), 19.5, "600.00"))
    a, b = rows(m, "2025-26")["span"], rows(m, "2026-27")["span"]
    assert (a["days_in_year"], b["days_in_year"]) == (119, 2)
    assert Decimal(str(a["hours"])) + Decimal(str(b["hours"])) == Decimal("19.5")
    assert a["spend"] + b["spend"] == Decimal("600.00")
    assert a["spend"] == Decimal("590.08") and b["spend"] == Decimal("9.92")  # 600 x 119/121, to the penny
    assert any("more than one financial year" in n for n in impact(m, DAY, "2025-26").notes)


def test_finance_entries_count_in_their_own_year_only():
    fy = FinanceYear(year="2025-26", fund={}, spend=(
        SpendEntry(date(2026, 1, 30), "s2s", Decimal("600.00"), "SEND support", activity="span"),))
    fy2 = FinanceYear(year="2026-27", fund={})
    m = model(act("span", date(2025, 12, 3), date(2026, 4, 2), 19.5, "600.00"), years=(fy, fy2))
    assert rows(m, "2025-26")["span"]["spend"] == Decimal("600.00")
    assert rows(m, "2026-27")["span"]["spend"] is None  # not the activity's 600 again


def test_committed_is_not_spend():
    fy = FinanceYear(year="2025-26", fund={}, spend=(
        SpendEntry(date(2025, 6, 1), "s2s", Decimal("250.00"), "paid part", activity="x"),
        SpendEntry(date(2026, 3, 1), "s2s", Decimal("400.00"), "on order", status="committed", activity="x"),))
    m = model(act("x", date(2025, 6, 1), date(2025, 7, 1), 10),
              act("planned", date(2025, 9, 1), date(2025, 9, 1), 3, "120.00", status="planned"), years=(fy,))
    r = rows(m, "2025-26")
    assert (r["x"]["spend"], r["x"]["committed"]) == (Decimal("250.00"), Decimal("400.00"))
    assert (r["planned"]["spend"], r["planned"]["committed"]) == (None, Decimal("120.00"))
    notes = impact(m, DAY, "2025-26").notes
    assert any("spend £250.00, committed (not yet spent) £520.00" in n for n in notes)


pence = st.integers(min_value=0, max_value=10**9).map(lambda p: Decimal(p).scaleb(-2))


@settings(max_examples=80, deadline=None)
@given(pence, st.integers(min_value=0, max_value=2000), st.integers(min_value=0, max_value=1500))
def test_split_adds_up_to_the_penny(amount, offset, length):
    first = date(2023, 1, 1) + timedelta(days=offset)
    days = year_days(Model(), first, first + timedelta(days=length))
    assert sum(days.values()) == length + 1
    parts = split_by_days(amount, days)
    assert sum(parts.values()) == amount and all(p >= 0 and p == p.quantize(Decimal("0.01")) for p in parts.values())
    for label, part in parts.items():  # each part within a penny of the exact pro-rata share
        assert abs(part - amount * days[label] / (length + 1)) < Decimal("0.01")


@pytest.mark.shared_sample
def test_sample_support_send_once(sample):
    got = {}
    for year in ("2025-26", "2026-27"):
        r = cli(sample, "impact", year, "--json")
        assert r.exit_code == 0
        got[year] = {row["id"]: row for row in json.loads(r.output)}["support-send-122164"]
    assert got["2025-26"]["hours"] + got["2026-27"]["hours"] == 19.5
    assert got["2025-26"]["spend"] == "600.00" and got["2026-27"]["spend"] is None
