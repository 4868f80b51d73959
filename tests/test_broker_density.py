"""Competition relative to local density (issue 20): in a London-like layout only the few
schools next door compete, so a primary, not a secondary, ranks first for primary maths
mastery; in a rural layout the neighbouring schools still count as competitors."""

from __future__ import annotations

import math

import pytest

from nesa_cli.collab.broker import broker, competitors

from test_broker import DAY, model, ranks, school


def ring(first_urn, n, radius_m, centre=(520000, 190000), **kw):
    cx, cy = centre
    return [school(first_urn + i, round(cx + radius_m * math.cos(2 * math.pi * i / n)),
                   round(cy + radius_m * math.sin(2 * math.pi * i / n)), **kw) for i in range(n)]


@pytest.mark.parametrize("spacing_m", [500, 700, 900])
def test_dense_layout_a_primary_ranks_first(spacing_m):
    target = school(100001, 520000, 190000, strengths=())
    next_door = ring(100100, 6, spacing_m, strengths=())  # the primaries next door offer nothing
    offering = ring(100200, 4, 2500)  # primaries a little further away offer maths mastery
    secondary = school(100300, 520800, 190000, phase="secondary")
    m = model(target, *next_door, *offering, secondary)
    rows = broker(m, DAY, "maths-mastery", 100001).rows
    assert rows[0]["phase"] == "primary" and rows[0]["urn"] in {s.urn for s in offering}
    assert not any("competitor" in r["why"] for r in rows)
    assert set(competitors(m, target)) <= {s.urn for s in next_door}


def test_dense_layout_the_nearest_offering_school_next_door_is_a_competitor():
    target = school(100001, 520000, 190000, strengths=())
    m = model(target, *ring(100100, 8, 600))
    rows = {r["urn"]: r for r in broker(m, DAY, "maths-mastery", 100001).rows}
    flagged = [u for u, r in rows.items() if "competitor" in r["why"]]
    assert len(flagged) == 3  # the 3 nearest, not all 8 within 5 km
    assert "nearest primary school" in rows[flagged[0]]["why"]


def test_sparse_layout_neighbours_still_compete():
    target = school(100001, 400000, 600000, strengths=())
    m = model(target, school(100002, 403000, 600000), school(100003, 400000, 604000),
              school(100004, 430000, 600000), school(100005, 400000, 603000, phase="first"))
    rows = {r["urn"]: r for r in broker(m, DAY, "maths-mastery", 100001).rows}
    assert "competitor" in rows[100002]["why"] and "competitor" in rows[100003]["why"]
    assert "competitor" not in rows[100004]["why"]  # 30 km away
    assert ranks(broker(m, DAY, "maths-mastery", 100001))[0] == 100005


def test_competition_can_be_switched_off_or_widened():
    target = school(100001, 520000, 190000, strengths=())
    m = model(target, *ring(100100, 8, 600))
    assert competitors(m, target, nearest=0) == {} and competitors(m, target, within_km=0) == {}
    assert len(competitors(m, target, nearest=8)) == 8
