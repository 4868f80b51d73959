"""The partnership proposer: every school placed, sizes kept, beats a random grouping."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from nesa_cli.collab.propose import ProposalError, propose, random_grouping, score_groups, sizes_for

PHASES = ["first", "primary", "middle", "secondary"]


def instance(seed, n):
    rng = random.Random(seed)
    schools = [SimpleNamespace(urn=100000 + i, name=f"S{i}", phase=rng.choice(PHASES),
                               religious_character=rng.choice(["none", "none", "church-of-england"]),
                               easting=rng.randint(380000, 430000) if rng.random() > 0.1 else None,
                               northing=rng.randint(560000, 620000)) for i in range(n)]
    prefs = {}
    for s in schools:
        if rng.random() < 0.7:
            prefs[s.urn] = {o.urn for o in rng.sample(schools, 3) if o.urn != s.urn}
    return schools, prefs


@pytest.mark.parametrize("seed", range(12))
def test_every_school_placed_and_beats_random(seed):
    rng = random.Random(1000 + seed)
    n = rng.randint(7, 40)
    lo, hi = 3, rng.choice([4, 5, 6])
    schools, prefs = instance(seed, n)
    out = propose(schools, prefs, lo, hi)
    placed = [u for g in out["groups"] for u in g["schools"]]
    assert sorted(placed) == sorted(s.urn for s in schools)
    assert all(lo <= len(g["schools"]) <= hi for g in out["groups"])
    baseline = max(score_groups(random_grouping(schools, lo, hi, seed=k), prefs) for k in range(5))
    assert out["score"] > baseline
    assert out["preferences_met"] + len(out["unmet"]) == out["preferences_total"]


def test_deterministic_and_order_free():
    schools, prefs = instance(3, 25)
    a = propose(schools, prefs, 3, 5)
    b = propose(list(reversed(schools)), prefs, 3, 5)
    assert a == b


def test_mutual_preferences_met():
    schools, _ = instance(4, 12)
    prefs = {schools[0].urn: {schools[11].urn}, schools[11].urn: {schools[0].urn}}
    out = propose(schools, prefs, 3, 4)
    assert out["preferences_met"] == 2 and out["unmet"] == []


def test_sizes():
    assert sizes_for(10, 3, 4) == [4, 3, 3]
    assert sizes_for(6, 3, 6) == [6]
    with pytest.raises(ProposalError):
        sizes_for(5, 3, 4)
    with pytest.raises(ProposalError):
        sizes_for(5, 4, 3)
