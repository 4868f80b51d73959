"""Partnership proposals: group schools so that as many stated preferences as possible are met.

Hard constraints: every school is offered a place; every group's size is within
MIN..MAX. Score (higher is better), summed over pairs in the same group:
  +2 for each one-way preference met, +2 more when the preference is mutual;
  +0.5 same phase group; +0.3 same religious character (not "none");
  -0.02 per km apart (0 when a location is unknown).
Deterministic: schools are taken in URN order; greedy geographic start,
then moves and swaps while the score improves.
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


def pair_score(a, b, prefs: dict[int, set[int]]) -> float:
    score = 0.0
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
    return round(sum(pair_score(a, b, prefs) for g in groups for a, b in combinations(g, 2)), 2)


def _group_score(g, prefs):
    return sum(pair_score(a, b, prefs) for a, b in combinations(g, 2))


def propose(schools: list, prefs: dict[int, set[int]], lo: int = 3, hi: int = 6, max_rounds: int = 50) -> dict:
    """Group ``schools`` (records with urn, phase, religious_character, easting, northing)."""
    schools = sorted(schools, key=lambda s: s.urn)
    sizes = sizes_for(len(schools), lo, hi)
    # greedy start: order by position (unknown last), fill groups in turn
    ordered = sorted(schools, key=lambda s: (s.easting is None, s.northing or 0, s.easting or 0, s.urn))
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
    return {"size": [lo, hi], "score": score_groups(groups, prefs),
            "groups": [{"id": f"group-{n}", "schools": [s.urn for s in g], "names": [s.name for s in g]}
                       for n, g in enumerate(groups, 1)],
            "preferences_met": len(met), "preferences_total": len(met) + len(unmet), "unmet": unmet}


def random_grouping(schools: list, lo: int, hi: int, seed: int = 0) -> list[list]:
    """A random grouping with the same sizes (the baseline the proposer must beat)."""
    pool = sorted(schools, key=lambda s: s.urn)
    random.Random(seed).shuffle(pool)
    out, i = [], 0
    for size in sizes_for(len(pool), lo, hi):
        out.append(pool[i:i + size])
        i += size
    return out


def propose_for_model(model, result, day, lo: int = 3, hi: int = 6) -> dict:
    from nesa_cli.collab.model import preferences

    members = model.members_on(day)
    prefs: dict[int, set[int]] = {}
    types: dict[int, str] = {}
    for s in members:
        p = preferences(result, s)
        if p.get("partners"):
            prefs[s.urn] = {int(u) for u in p["partners"] if int(u) != s.urn}
        if p.get("partnership_type"):
            types[s.urn] = p["partnership_type"]
    out = propose(members, prefs, lo, hi)
    for g in out["groups"]:
        wanted = sorted({types[u] for u in g["schools"] if u in types})
        g["partnership_types"] = wanted
    out["schools"] = len(members)
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
