"""Partnership proposals: group schools so that as many stated preferences as possible are met.

Hard constraints: every school is offered a place; every group's size is within
MIN..MAX. Score (higher is better), summed over pairs in the same group:
  +2 for each one-way preference met, +2 more when the preference is mutual;
  +0.5 same phase group; +0.3 same religious character (not "none");
  -0.02 per km apart (0 when a location is unknown).
Deterministic: schools are taken in URN order; greedy geographic start,
then moves and swaps while the score improves.

Ties (``ties``: sets of schools to keep in one group): an existing hard or
structured partnership, the schools a school says it must stay ``together``
with (a trust, a federation), and the schools of its religious character when it
asks ``with_religious_character``. Breaking a tie costs KEEP per pair split, so
ties are kept whenever sizes allow; any that cannot be are reported. Two
schools that asked for different partnership types score -TYPE_CLASH.
"""

from __future__ import annotations

import math
import random
from itertools import combinations

from nesa_cli.collab.broker import PHASE_GROUP
from nesa_cli.collab.model import distance_km
from nesa_cli.errors import UsageError


class ProposalError(UsageError, ValueError):
    pass


def sizes_for(n: int, lo: int, hi: int) -> list[int]:
    """Group sizes for n schools within lo..hi, as few groups as possible, as even as possible."""
    if lo < 1 or hi < lo:
        raise ProposalError(f"size range {lo}..{hi} is not valid")
    if n == 0:
        return []
    k = math.ceil(n / hi)
    if n < lo * k:
        raise ProposalError(f"{n} schools cannot be split into groups of {lo} to {hi}")
    base, extra = divmod(n, k)
    return [base + 1] * extra + [base] * (k - extra)


KEEP = 100.0
TYPE_CLASH = 3.0


def pair_score(a, b, prefs: dict[int, set[int]], ties: dict | None = None, types: dict | None = None) -> float:
    score = 0.0
    if ties and ties.get(a.urn) is not None and ties.get(a.urn) == ties.get(b.urn):
        score += KEEP
    if types and a.urn in types and b.urn in types and types[a.urn] != types[b.urn]:
        score -= TYPE_CLASH
    ab, ba = b.urn in prefs.get(a.urn, ()), a.urn in prefs.get(b.urn, ())
    score += 2 * ab + 2 * ba + (2 if ab and ba else 0)
    if PHASE_GROUP.get(a.phase, a.phase) == PHASE_GROUP.get(b.phase, b.phase):
        score += 0.5
    if a.religious_character and a.religious_character != "none" and a.religious_character == b.religious_character:
        score += 0.3
    d = distance_km(a, b)
    if d is not None:
        score -= 0.02 * d
    return score


def score_groups(groups: list[list], prefs: dict[int, set[int]]) -> float:
    """The preference score of a grouping (ties and types excluded: the score people read)."""
    return round(sum(pair_score(a, b, prefs) for g in groups for a, b in combinations(g, 2)), 2)


def tie_sets(schools: list, stated: dict[int, set[int]] | None = None) -> dict[int, int]:
    """Union of the stated ties over ``schools``: urn -> the smallest urn of its tie (schools in no tie absent)."""
    urns = {s.urn for s in schools}
    parent = {u: u for u in urns}

    def find(u):
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for u, others in (stated or {}).items():
        for o in others:
            if u in urns and o in urns and o != u:
                a, b = find(u), find(o)
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for u in urns:
        groups.setdefault(find(u), []).append(u)
    return {u: min(g) for g in groups.values() if len(g) > 1 for u in g}


def propose(schools: list, prefs: dict[int, set[int]], lo: int = 3, hi: int = 6, max_rounds: int = 50,
            ties: dict[int, set[int]] | None = None, types: dict[int, str] | None = None) -> dict:
    """Group ``schools`` (records with urn, phase, religious_character, easting, northing).

    ``ties``: urn -> urns it must stay with (see the module docstring); ``types``: urn -> the
    partnership type it asked for."""
    schools = sorted(schools, key=lambda s: s.urn)
    sizes = sizes_for(len(schools), lo, hi)
    tie = tie_sets(schools, ties)
    types = dict(types or {})

    def _group_score(g, _prefs):
        return sum(pair_score(a, b, _prefs, tie, types) for a, b in combinations(g, 2))

    # greedy start: order by position (unknown last), a tie's schools next to each other, fill groups in turn
    def position(s):
        return (s.easting is None, s.northing or 0, s.easting or 0, s.urn)

    by_urn = {s.urn: s for s in schools}
    ordered = sorted(schools, key=lambda s: (position(by_urn[tie.get(s.urn, s.urn)]), s.urn))
    groups: list[list] = []
    i = 0
    for size in sizes:
        groups.append(ordered[i:i + size])
        i += size
    # local improvement: swaps between groups (sizes unchanged), then moves where sizes allow
    for _ in range(max_rounds):
        improved = False
        for gi, gj in combinations(range(len(groups)), 2):
            for x in list(groups[gi]):
                for y in list(groups[gj]):
                    if x not in groups[gi] or y not in groups[gj]:
                        continue
                    before = _group_score(groups[gi], prefs) + _group_score(groups[gj], prefs)
                    a = [s for s in groups[gi] if s is not x] + [y]
                    b = [s for s in groups[gj] if s is not y] + [x]
                    if _group_score(a, prefs) + _group_score(b, prefs) > before + 1e-9:
                        groups[gi], groups[gj] = sorted(a, key=lambda s: s.urn), sorted(b, key=lambda s: s.urn)
                        improved = True
        for gi in range(len(groups)):
            for gj in range(len(groups)):
                if gi == gj:
                    continue
                for x in list(groups[gi]):
                    if len(groups[gi]) <= lo or len(groups[gj]) >= hi:
                        break
                    before = _group_score(groups[gi], prefs) + _group_score(groups[gj], prefs)
                    a = [s for s in groups[gi] if s is not x]
                    b = groups[gj] + [x]
                    if _group_score(a, prefs) + _group_score(b, prefs) > before + 1e-9:
                        groups[gi], groups[gj] = a, sorted(b, key=lambda s: s.urn)
                        improved = True
        if not improved:
            break
    groups = sorted((sorted(g, key=lambda s: s.urn) for g in groups), key=lambda g: g[0].urn)
    where = {s.urn: n for n, g in enumerate(groups, 1) for s in g}
    met, unmet = [], []
    for urn in sorted(prefs):
        if urn not in where:
            continue
        for other in sorted(prefs[urn]):
            item = {"school": urn, "prefers": other}
            if other not in where:
                unmet.append(dict(item, reason="not in this round (not a member)"))
            elif where[other] == where[urn]:
                met.append(item)
            else:
                unmet.append(dict(item, reason=f"placed in group {where[urn]}, partner in group {where[other]}"))
    broken = []
    for root in sorted(set(tie.values())):
        members = sorted(u for u, r in tie.items() if r == root)
        if len({where[u] for u in members}) > 1:
            broken.append({"schools": members, "reason": "kept together where the group sizes allow; split here"})
    out_groups = []
    for n, g in enumerate(groups, 1):
        asked = [types[s.urn] for s in g if s.urn in types]
        kind = max(sorted(set(asked)), key=asked.count) if asked else None
        out_groups.append({"id": f"group-{n}", "schools": [s.urn for s in g], "names": [s.name for s in g],
                           "type": kind})
    return {"size": [lo, hi], "score": score_groups(groups, prefs), "groups": out_groups,
            "preferences_met": len(met), "preferences_total": len(met) + len(unmet), "unmet": unmet,
            "ties_broken": broken}


def random_grouping(schools: list, lo: int, hi: int, seed: int = 0) -> list[list]:
    """A random grouping with the same sizes (the baseline the proposer must beat)."""
    pool = sorted(schools, key=lambda s: s.urn)
    random.Random(seed).shuffle(pool)
    out, i = [], 0
    for size in sizes_for(len(pool), lo, hi):
        out.append(pool[i:i + size])
        i += size
    return out


KEPT_TYPES = ("hard", "structured")


def in_phases(school, phases) -> bool:
    """True when ``phases`` is empty or names the school's phase or its phase group (first -> primary)."""
    return not phases or school.phase in phases or PHASE_GROUP.get(school.phase, school.phase) in phases


def propose_for_model(model, result, day, lo: int = 3, hi: int = 6, phases: tuple[str, ...] = (),
                      ptype: str | None = None) -> dict:
    """A round for the member schools on ``day`` of ``phases`` (all when empty); with ``ptype``, the round
    for that partnership type: the schools that asked for it or stated no type, every group of that type."""
    from nesa_cli.collab.model import preferences

    everyone = model.members_on(day)
    members = [s for s in everyone if in_phases(s, phases)]
    stated = {s.urn: preferences(result, s) for s in everyone}
    if ptype:
        members = [s for s in members if stated[s.urn].get("partnership_type") in (None, ptype)]
    prefs: dict[int, set[int]] = {}
    types: dict[int, str] = {}
    ties: dict[int, set[int]] = {}
    kept = {p.id: p for p in (model.alliance.partnerships if model.alliance else ()) if p.type in KEPT_TYPES}

    def kept_of(s):
        return [pid for pid in (getattr(s, "partnerships", None) or ((s.partnership,) if s.partnership else ()))
                if pid in kept]

    # an existing hard or structured partnership stays whole: one of its schools in the round brings the rest
    in_round = {pid for s in members for pid in kept_of(s)}
    chosen = {s.urn for s in members}
    members += [s for s in everyone if s.urn not in chosen and set(kept_of(s)) & in_round]
    members.sort(key=lambda s: s.urn)
    by_partnership: dict[str, set[int]] = {}
    for s in members:
        for pid in kept_of(s):
            by_partnership.setdefault(pid, set()).add(s.urn)
    for urns in by_partnership.values():
        for u in urns:
            ties.setdefault(u, set()).update(urns)
    for s in members:
        p = stated[s.urn]
        if p.get("partners"):
            prefs[s.urn] = {int(u) for u in p["partners"] if int(u) != s.urn}
        if p.get("partnership_type"):
            types[s.urn] = p["partnership_type"]
        if p.get("together"):
            ties.setdefault(s.urn, set()).update(int(u) for u in p["together"])
        # issue 20: a federation, and a multi-academy trust, are one governance: kept whole like a hard partnership
        for block in ("federation", "trust"):
            mine = getattr(s, block, None)
            if mine and (block == "federation" or mine.get("type") == "mat"):
                ties.setdefault(s.urn, set()).update(o.urn for o in members if o.urn != s.urn and getattr(o, block, None)
                                                     and getattr(o, block)["name"] == mine["name"])
        faith = s.religious_character
        if p.get("with_religious_character") and faith and faith != "none":
            ties.setdefault(s.urn, set()).update(o.urn for o in members if o.religious_character == faith)
    out = propose(members, prefs, lo, hi, ties=ties, types=types)
    for g in out["groups"]:
        wanted = sorted({types[u] for u in g["schools"] if u in types})
        g["partnership_types"] = wanted
        if ptype:
            g["type"] = ptype
    out["schools"] = len(members)
    out["phases"] = list(phases)
    out["type"] = ptype
    out["date"] = day
    return out


def proposal_yaml(proposal: dict, pid: str) -> str:
    lines = ["# yaml-language-server: $schema=../../schemas/proposal.schema.json",
             "# Proposed partnerships, for review (nesa partnerships propose --write).",
             f"id: {pid}", f"date: {proposal['date'].isoformat()}",
             f"size: {{min: {proposal['size'][0]}, max: {proposal['size'][1]}}}",
             f"score: {proposal['score']}", f"preferences_met: {proposal['preferences_met']}",
             f"preferences_total: {proposal['preferences_total']}", "status: proposed", "groups:"]
    for g in proposal["groups"]:
        lines.append(f"  - id: {g['id']}")
        lines.append(f"    schools: [{', '.join(str(u) for u in g['schools'])}]")
        if g.get("type"):
            lines.append(f"    type: {g['type']}")
    return "\n".join(lines) + "\n"


def list_proposals(model):
    from nesa_cli.tabular import Listing

    rows = [{"id": p["id"], "date": p["date"], "status": p.get("status"), "groups": len(p["groups"]),
             "score": p.get("score"), "met": f"{p.get('preferences_met', '?')}/{p.get('preferences_total', '?')}"}
            for p in sorted((model.other.get("proposal") or {}).values(), key=lambda p: p["id"])]
    return Listing(columns=[("id", "Id"), ("date", "Date"), ("status", "Status"), ("groups", "Groups"),
                            ("score", "Score"), ("met", "Preferences met")], rows=rows, title="Partnership proposals")


def build_proposal(d: dict, path: str = "") -> "ProposalRecord":
    return ProposalRecord(d, path)


class ProposalRecord(dict):
    def __init__(self, d: dict, path: str):
        super().__init__(d)
        self["path"] = path
        self.id = d["id"]


def show_proposal(model, pid: str) -> dict | None:
    p = (model.other.get("proposal") or {}).get(pid)
    if p is None:
        return None
    groups = [{"id": g["id"], "schools": [{"urn": u, "name": model.schools[u].name if u in model.schools else "(unknown)"}
                                          for u in g["schools"]]} for g in p["groups"]]
    return {"id": p["id"], "date": p["date"], "status": p.get("status", "proposed"), "score": p.get("score"),
            "preferences_met": p.get("preferences_met"), "preferences_total": p.get("preferences_total"), "groups": groups}
