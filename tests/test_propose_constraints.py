"""Partnership proposals on a Barnet-like round (issue 20): a phase filter, existing hard
partnerships kept whole, a trust's schools together, a Catholic school that asked to stay
with the other Catholic schools, and the requested partnership type."""

from __future__ import annotations

from datetime import date
from itertools import product
from types import SimpleNamespace

import pytest

from nesa_cli.collab.propose import propose, propose_for_model
from nesa_cli.model import Partnership

DAY = date(2026, 11, 23)


def sch(urn, name, phase, e, n, faith="none", partnership=None):
    return SimpleNamespace(urn=urn, name=name, phase=phase, religious_character=faith, easting=e, northing=n,
                           partnership=partnership, path=f"data/schools/{urn}.yaml")


def barnet(prefs_by_urn=None):
    # a 4 x 4 grid of primaries 1.5 km apart, secondaries and a special school among them
    schools = [sch(101000 + i, f"Primary {i}", "primary", 520000 + 1500 * (i % 4), 190000 + 1500 * (i // 4))
               for i in range(16)]
    schools += [
        sch(102001, "The Hyde School", "primary", 520000, 190000, partnership=None),
        sch(102002, "Parkfield Primary", "primary", 524500, 194500),  # far corner from The Hyde
        sch(102003, "Deansbrook Junior", "primary", 520100, 194400, partnership="deansbrook-tla"),
        sch(102004, "The London Academy", "all-through", 524400, 190100, partnership="deansbrook-tla"),
        sch(102005, "St Agnes RC Primary", "primary", 520050, 190050, faith="roman-catholic"),
        sch(102006, "St Catherine's RC Primary", "primary", 524450, 194450, faith="roman-catholic"),
        sch(102007, "St Joseph's RC Primary", "primary", 524400, 194400, faith="roman-catholic"),
        sch(103001, "Ashmole Academy", "secondary", 521000, 191000),
        sch(103002, "Copthall School", "secondary", 523000, 193000),
        sch(103003, "Hendon School", "secondary", 522000, 192000),
        sch(104001, "Oak Lodge School", "special", 522500, 191500),
    ]
    prefs = {102001: {"together": [102002]},  # one trust
             102005: {"with_religious_character": True}}
    prefs.update(prefs_by_urn or {})
    result = SimpleNamespace(documents={s.path: SimpleNamespace(data={"preferences": prefs.get(s.urn, {})}) for s in schools})
    alliance = SimpleNamespace(partnerships=[Partnership("deansbrook-tla", "Deansbrook and TLA", "hard")])
    model = SimpleNamespace(members_on=lambda day: list(schools), alliance=alliance)
    return model, result, {s.urn: s for s in schools}


def groups_of(out):
    return [set(g["schools"]) for g in out["groups"]]


def together(out, urns):
    return any(set(urns) <= g for g in groups_of(out))


@pytest.mark.parametrize("lo,hi", [(3, 5), (3, 6), (4, 6), (2, 4)])
def test_primary_round_keeps_ties(lo, hi):
    model, result, by = barnet()
    out = propose_for_model(model, result, DAY, lo, hi, phases=("primary",))
    placed = {u for g in groups_of(out) for u in g}
    assert not {u for u in placed if by[u].phase in ("secondary", "special")}  # the phase filter
    assert 102004 in placed  # the all-through partner of a hard partnership comes with it
    assert together(out, [102003, 102004])  # existing hard partnership whole
    assert together(out, [102001, 102002])  # one trust
    assert together(out, [102005, 102006, 102007])  # the Catholic school stays with the other two
    assert out["ties_broken"] == []
    assert all(lo <= len(g) <= hi for g in groups_of(out))


def test_without_the_fix_geography_would_split_them():
    """The same schools with no ties stated: the geographic proposer separates them (so the test above means something)."""
    model, result, by = barnet()
    plain = propose([s for s in by.values() if s.phase == "primary"], {}, 3, 5)
    assert not together(plain, [102001, 102002]) or not together(plain, [102005, 102006, 102007])


def test_requested_type_round_and_no_mixed_types():
    types = {101000 + i: {"partnership_type": t} for i, t in zip(range(16), ["hard", "loose"] * 8)}
    model, result, by = barnet(types)
    out = propose_for_model(model, result, DAY, 3, 5, phases=("primary",), ptype="loose")
    placed = {u for g in groups_of(out) for u in g}
    assert all(types.get(u, {}).get("partnership_type") in (None, "loose") for u in placed if u < 102000)
    assert all(g["type"] == "loose" for g in out["groups"])
    stated = {u: p["partnership_type"] for u, p in types.items()}

    def clashes(out):
        return sum(1 for g in out["groups"] for a in g["schools"] for b in g["schools"]
                   if a < b and a in stated and b in stated and stated[a] != stated[b])

    mixed = propose_for_model(model, result, DAY, 3, 5, phases=("primary",))
    primaries = [s for s in by.values() if s.urn < 102000]
    assert clashes(propose(primaries, {}, 4, 4, types=stated)) == 0  # alone, the types separate fully
    assert clashes(mixed) < clashes(propose(primaries + [by[u] for u in range(102001, 102008)], {}, 3, 5))
    assert clashes(mixed) <= 2  # with the ties, one group of the round at most is mixed


@pytest.mark.parametrize("size", [2, 3, 4])
def test_any_stated_tie_is_kept_when_sizes_allow(size):
    # ties of ``size`` schools placed far apart: each kept whole for every grid position
    schools = [sch(110000 + i, f"S{i}", "primary", 500000 + 4000 * (i % 6), 180000 + 4000 * (i // 6)) for i in range(24)]
    for start in (0, 5, 11):
        members = [schools[(start + 7 * k) % 24].urn for k in range(size)]
        out = propose(schools, {}, size, 6, ties={members[0]: set(members[1:])})
        assert together(out, members) and out["ties_broken"] == []


def test_an_impossible_tie_is_reported():
    schools = [sch(120000 + i, f"S{i}", "primary", 500000 + 1000 * i, 180000) for i in range(8)]
    out = propose(schools, {}, 3, 4, ties={120000: {120001, 120002, 120003, 120004}})
    assert out["ties_broken"] and out["ties_broken"][0]["schools"] == [120000, 120001, 120002, 120003, 120004]
