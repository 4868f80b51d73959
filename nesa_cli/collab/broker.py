"""Brokerage: rank member schools that can meet a need, each rank explained in one line."""

from __future__ import annotations

from datetime import date

from nesa_cli.collab.model import activities, distance_km
from nesa_cli.tabular import Listing

PHASE_GROUP = {"nursery": "early", "primary": "primary", "first": "primary", "middle": "middle",
               "secondary": "secondary", "all-through": "all", "special": "special", "16-plus": "secondary"}


def _phase_fit(a: str, b: str) -> float:
    if a == b:
        return 1.0
    ga, gb = PHASE_GROUP.get(a, a), PHASE_GROUP.get(b, b)
    if ga == gb or "all" in (ga, gb):
        return 0.7
    if {ga, gb} in ({"primary", "middle"}, {"middle", "secondary"}):
        return 0.4
    return 0.1


COMPETITOR_NEAREST = 3
COMPETITOR_KM = 5.0


def competitors(model, target, nearest: int = COMPETITOR_NEAREST, within_km: float = COMPETITOR_KM) -> dict[int, int]:
    """The schools in direct competition with ``target``, relative to local density: of the schools
    of its phase (every school on file, member or not, with a location), the ``nearest`` closest,
    and only those within ``within_km``. In a rural alliance that is the two or three neighbouring
    villages; in a city, the few schools next door rather than every school within a few km.
    Returns urn -> rank by distance (1 = nearest)."""
    if nearest <= 0 or within_km <= 0:
        return {}
    near = []
    for s in model.schools.values():
        if s.urn == target.urn or s.phase != target.phase:
            continue
        d = distance_km(s, target)
        if d is not None and d <= within_km:
            near.append((d, s.urn))
    near.sort()
    return {urn: i for i, (_, urn) in enumerate(near[:nearest], 1)}


def _ordinal(n: int) -> str:
    return {1: "the", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def broker(model, day: date, need: str, for_urn: int | None = None, limit: int = 10,
           competitor_km: float = COMPETITOR_KM, competitor_nearest: int = COMPETITOR_NEAREST) -> Listing:
    """Rank member schools offering ``need`` (a strength area) for the school ``for_urn``.

    Score = 3 (expertise) + 2 x phase fit + distance term (up to 2, 0 beyond 40 km; 0.5 when
    unknown) - 0.5 per active support activity it leads + 1 same partnership - 2 competitor
    (one of the ``competitor_nearest`` nearest schools of the same phase, within ``competitor_km``:
    see :func:`competitors`)."""
    target = model.schools.get(for_urn) if for_urn is not None else None
    rivals = competitors(model, target, competitor_nearest, competitor_km) if target is not None else {}
    load: dict[int, int] = {}
    for a in activities(model):
        if a.status == "active" and a.kind == "school-to-school-support":
            load[a.lead_school] = load.get(a.lead_school, 0) + 1
    rows = []
    for s in model.members_on(day):
        if target is not None and s.urn == target.urn:
            continue
        offer = next((st for st in s.strengths if st.get("area") == need), None)
        if offer is None:
            continue
        score = 3.0
        why = [f"offers {need}" + (f" ({', '.join(offer['people'])})" if offer.get("people") else "")]
        dist = None
        if target is not None:
            fit = _phase_fit(s.phase, target.phase)
            score += 2 * fit
            why.append(f"phase {s.phase} for {target.phase} (+{2 * fit:.1f})")
            dist = distance_km(s, target)
            if dist is None:
                score += 0.5
                why.append("distance unknown (+0.5)")
            else:
                d_term = max(0.0, 2 * (1 - dist / 40))
                score += d_term
                why.append(f"{dist:.1f} km (+{d_term:.1f})")
                if s.urn in rivals:
                    score -= 2
                    why.append(f"competitor: {_ordinal(rivals[s.urn])} nearest {target.phase} school "
                               f"(of the {competitor_nearest} nearest within {competitor_km:g} km) (-2)")
            if s.partnership and s.partnership == target.partnership:
                score += 1
                why.append(f"same partnership {s.partnership} (+1)")
        n = load.get(s.urn, 0)
        if n:
            score -= 0.5 * n
            why.append(f"leads {n} active support {'activity' if n == 1 else 'activities'} (-{0.5 * n:g})")
        rows.append({"urn": s.urn, "name": s.name, "phase": s.phase, "score": round(score, 2),
                     "distance_km": None if dist is None else round(dist, 1), "load": n, "why": "; ".join(why)})
    rows.sort(key=lambda r: (-r["score"], r["distance_km"] if r["distance_km"] is not None else 1e9, r["urn"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    rows = rows[:limit]
    title = f"Schools offering {need}" + (f" for {target.name}" if target else "")
    return Listing(columns=[("rank", "#"), ("urn", "URN"), ("name", "School"), ("phase", "Phase"), ("score", "Score"),
                            ("distance_km", "km"), ("load", "Load"), ("why", "Why")], rows=rows, title=title)
