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

# Designations (nesa_cli.designations) current on the day: an SLE whose specialism is the need,
# the best of NLE / LLE, an NLG for a governance need, and the school's teaching-school status.
SLE_BONUS = 1.5
LEADER_BONUS = {"nle": 1.0, "lle": 0.5}
NLG_BONUS = 1.0
SCHOOL_BONUS = 0.5
GOVERNANCE_NEEDS = ("governance",)
# The designation bonus is weighed up when the need is pressing: x(1 + 0.5 for a high-priority
# need + 0.5 for a target whose category this year is one that needs support).
URGENT = 0.5
# The supporter's own category this year: the best one +0.5; one that needs support -1.
BEST_CATEGORY = 0.5
SUPPORT_CATEGORY = -1.0


def competitor_setting(alliance) -> tuple[int, float, str]:
    """(nearest, within_km, where it comes from) from data/alliance.yaml ``broker: competitors``:
    ``{nearest: 3, within_km: 5}`` (either may be left out), or ``false`` for none. The default,
    the 3 nearest within 5 km, is right for a rural county and a London borough alike: it is
    relative to local density (see :func:`competitors`)."""
    raw = ((getattr(alliance, "broker", None) or {}) if alliance is not None else {}).get("competitors")
    if raw is False:
        return 0, 0.0, "data/alliance.yaml, broker: competitors: false"
    if isinstance(raw, dict):
        return (int(raw.get("nearest", COMPETITOR_NEAREST)), float(raw.get("within_km", COMPETITOR_KM)),
                "data/alliance.yaml, broker: competitors")
    return COMPETITOR_NEAREST, COMPETITOR_KM, "the default"


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


def _urgency(model, target, need: str, day: date) -> tuple[float, list[str]]:
    """The weight of designations for this target and need, and why (empty: x1)."""
    from nesa_cli.designations import category_on, scale

    if target is None:
        return 1.0, []
    weight, why = 1.0, []
    wanted = next((n for n in target.needs if n.get("area") == need), None)
    if wanted is not None and wanted.get("priority") == "high":
        weight += URGENT
        why.append("high-priority need")
    sc = scale(model.alliance)
    cat = category_on(target, day)
    if cat is not None and sc is not None and cat.category in sc.support:
        weight += URGENT
        why.append(f"category {cat.category}")
    return weight, why


def _designation_terms(s, need: str, day: date, weight: float, because: list[str]) -> tuple[float, list[str]]:
    """The score from ``s``'s designations current on ``day``, and the words for it."""
    from nesa_cli.designations import current

    held = current(s, day)
    parts: list[tuple[float, str]] = []
    sle = [d for d in held if d.type == "sle" and d.specialism == need]
    if sle:
        parts.append((SLE_BONUS, f"SLE in {need}: {', '.join(d.person for d in sle)}"))
    leaders = sorted((d for d in held if d.type in LEADER_BONUS), key=lambda d: -LEADER_BONUS[d.type])
    if leaders:
        d = leaders[0]
        parts.append((LEADER_BONUS[d.type], f"{d.abbreviation} {d.person}"))
    if need in GOVERNANCE_NEEDS:
        nlg = [d for d in held if d.type == "nlg"]
        if nlg:
            parts.append((NLG_BONUS, f"NLG {nlg[0].person}"))
    school = [d for d in held if d.person is None and d.type in ("teaching-school", "teaching-school-hub", "national-support-school")]
    if school:
        parts.append((SCHOOL_BONUS, school[0].title.lower()))
    words = []
    total = 0.0
    for bonus, text in parts:
        total += bonus * weight
        words.append(f"{text} (+{round(bonus * weight, 2):g}" + (f", x{weight:g}: {' and '.join(because)}" if weight != 1 else "") + ")")
    if not sle:
        lapsed = [d for d in getattr(s, "designations", ()) if d.type == "sle" and d.specialism == need and d.status_on(day) == "lapsed"]
        if lapsed:
            words.append(f"SLE in {need} lapsed {lapsed[-1].end} (not counted)")
    return total, words


def _own_category(model, s, day: date) -> tuple[float, str | None]:
    from nesa_cli.designations import category_on, scale

    sc = scale(model.alliance)
    cat = category_on(s, day)
    if cat is None or sc is None:
        return 0.0, None
    label = sc.label(cat.category)
    if cat.category in sc.support:
        return SUPPORT_CATEGORY, f"itself in category {cat.category} ({label}) ({SUPPORT_CATEGORY:+g})"
    if sc.is_best(cat.category):
        return BEST_CATEGORY, f"category {cat.category} ({label}) (+{BEST_CATEGORY:g})"
    return 0.0, None


def broker(model, day: date, need: str, for_urn: int | None = None, limit: int = 10,
           competitor_km: float | None = None, competitor_nearest: int | None = None) -> Listing:
    """Rank member schools offering ``need`` (a strength area) for the school ``for_urn``.

    Score = 3 (expertise) + 2 x phase fit + distance term (up to 2, 0 beyond 40 km; 0.5 when
    unknown) - 0.5 per active support activity it leads + 1 same partnership - 2 competitor
    (one of the ``competitor_nearest`` nearest schools of the same phase, within ``competitor_km``:
    see :func:`competitors`; None: as data/alliance.yaml says, see :func:`competitor_setting`)
    + designations current on ``day`` (a current SLE in the need +1.5, NLE +1 or LLE +0.5, an
    NLG for governance +1, a teaching school or hub +0.5), each weighed x1.5 for a high-priority
    need of the target and x1.5 more when the target's category this year needs support
    + the supporter's own category this year (the best +0.5, one that needs support -1)."""
    from nesa_cli.designations import category_on, category_words, scale

    nearest, within, source = competitor_setting(model.alliance)
    if competitor_nearest is not None:
        nearest, source = competitor_nearest, "--competitor-nearest"
    if competitor_km is not None:
        within, source = competitor_km, "--competitor-km"
    target = model.schools.get(for_urn) if for_urn is not None else None
    rivals = competitors(model, target, nearest, within) if target is not None else {}
    weight, because = _urgency(model, target, need, day)
    load: dict[int, int] = {}
    for a in activities(model):
        if a.status == "active" and a.kind == "school-to-school-support" and a.lead_school is not None:
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
        bonus, said = _designation_terms(s, need, day, weight, because)
        score += bonus
        why += said
        own, said = _own_category(model, s, day)
        score += own
        if said:
            why.append(said)
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
                               f"(of the {nearest} nearest within {within:g} km) (-2)")
            shared = [p for p in s.partnerships if p in target.partnerships]  # issue 20: any of their partnerships
            if shared:
                score += 1
                why.append(f"same partnership {shared[0]} (+1)")
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
    notes = []
    if target is not None:
        wanted = next((n for n in target.needs if n.get("area") == need), None)
        cat = category_words(category_on(target, day), scale(model.alliance))
        said = [f"need {need}: priority {wanted.get('priority', 'not given')}" if wanted else f"{need} is not among its needs"]
        if cat:
            said.append(f"category {cat}")
        notes.append(f"{target.name}: " + "; ".join(said) + (f" (designations weigh x{weight:g})" if weight != 1 else "") + ".")
        notes.append(f"Competitors: of its phase, the {nearest} nearest within {within:g} km ({source})." if nearest and within
                     else f"Competitors: none counted ({source}).")
    return Listing(columns=[("rank", "#"), ("urn", "URN"), ("name", "School"), ("phase", "Phase"), ("score", "Score"),
                            ("distance_km", "km"), ("load", "Load"), ("why", "Why")], rows=rows, title=title, notes=notes)
