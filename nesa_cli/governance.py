"""Trusts, federations and partnerships of a school (issue 20).

GIAS says which trust and federation a school is in (``trust:`` and
``federation:`` in its file, written by ``nesa import gias``). Whether a
trust is a single-academy trust (SAT) or a multi-academy trust (MAT) is
GIAS's ``TrustSchoolFlag`` when the file has it (``trust.type``); without
it, two or more schools of the alliance with the same trust (code, else
name) make it a MAT for certain, and one school alone leaves it unknown
(a MAT may have one academy so far). From that, a school's *governance*:
``maintained``, ``sat``, ``mat`` or ``other``, what eligibility rules
(``eligibility: governance:`` in alliance.yaml) are written in.

A school takes part in its (primary) ``partnership`` and any
``other_partnerships``; :func:`partnerships_of` gives them all, the primary
first.
"""

from __future__ import annotations

from collections import Counter

MAINTAINED_TYPES = frozenset({"community", "voluntary-aided", "voluntary-controlled", "foundation", "community-special",
                              "foundation-special", "la-nursery", "pupil-referral-unit"})
ACADEMY_TYPES = frozenset({"academy-converter", "academy-sponsor-led", "academy-special-converter",
                           "academy-special-sponsor-led", "academy-alternative-provision", "academy-16-19", "free-school",
                           "free-school-special", "free-school-alternative-provision", "university-technical-college",
                           "studio-school"})
GOVERNANCE = ("maintained", "sat", "mat", "other")
GOVERNANCE_WORDS = {"maintained": "a maintained school", "sat": "a standalone academy (single-academy trust)",
                    "mat": "an academy in a multi-academy trust", "other": "an independent or non-maintained school"}
TRUST_WORDS = {"mat": "multi-academy trust", "sat": "single-academy trust", "foundation": "foundation trust"}
# GIAS TrustSchoolFlag (name) -> trust.type
TRUST_FLAGS = {"supported by a multi-academy trust": "mat", "supported by a single-academy trust": "sat",
               "supported by a trust": "foundation"}


def partnerships_of(school) -> tuple[str, ...]:
    """Every partnership the school takes part in, its primary first."""
    primary = school.partnership
    others = getattr(school, "other_partnerships", ()) or ()
    out = (primary,) if primary else ()
    return out + tuple(p for p in others if p != primary)


def in_partnership(school, pid) -> bool:
    return pid == school.partnership or pid in (getattr(school, "other_partnerships", ()) or ())


def trust_key(school) -> str | None:
    t = getattr(school, "trust", None)
    if not t:
        return None
    return f"code:{t['code']}" if t.get("code") else f"name:{t['name'].strip().lower()}"


def trust_sizes(schools) -> Counter:
    """How many of ``schools`` share each trust (by code, else name)."""
    return Counter(k for k in (trust_key(s) for s in schools) if k)


def trust_type(school, sizes: Counter | None = None) -> str | None:
    """mat, sat or foundation: GIAS's flag, else mat when two schools share the trust; None when not known."""
    t = getattr(school, "trust", None)
    if not t:
        return None
    if t.get("type"):
        return t["type"]
    if sizes is not None and sizes.get(trust_key(school), 0) >= 2:
        return "mat"
    return None


def governance(school, sizes: Counter | None = None) -> str | None:
    """maintained, sat, mat or other; None for an academy whose kind of trust is not known."""
    if school.type in MAINTAINED_TYPES:
        return "maintained"
    if school.type in ACADEMY_TYPES:
        kind = trust_type(school, sizes)
        return kind if kind in ("mat", "sat") else None
    return "other"


def trust_words(school, sizes: Counter | None = None) -> str | None:
    """'Cheviot Learning Trust (multi-academy trust)'."""
    t = getattr(school, "trust", None)
    if not t:
        return None
    kind = trust_type(school, sizes)
    return f"{t['name']} ({TRUST_WORDS[kind]})" if kind else t["name"]


def governance_ok(alliance, school, sizes: Counter | None = None) -> tuple[bool | None, str]:
    """Whether the school's governance is one the alliance admits: True, False (with why) or None (not known, with why)."""
    wanted = getattr(alliance, "eligible_governance", None)
    if not wanted:
        return True, ""
    g = governance(school, sizes)
    said = ", ".join(GOVERNANCE_WORDS[w].split(" (")[0].removeprefix("a ").removeprefix("an ") for w in wanted)
    if g is None:
        return None, (f"it is an academy whose trust is not known to be single- or multi-academy (add trust: with type: "
                      f"from GIAS, nesa import gias; the alliance admits: {said})")
    if g not in wanted:
        trust = trust_words(school, sizes)
        return False, f"it is {GOVERNANCE_WORDS[g]}" + (f", {trust}" if trust and g in ("mat", "sat") else "") + f"; the alliance admits: {said}"
    return True, ""


def changes_in_words(name: str, old: dict, new: dict, partnership=str) -> list[str]:
    """A school file's change of partnerships, trust or federation, in words (nesa diff, the digest);
    ``partnership`` gives a partnership's name from its id."""
    out: list[str] = []

    def called(pid) -> str:
        said = partnership(pid)
        return said if "partnership" in said.lower() else f"partnership {said}"

    def parts(d):
        first = d.get("partnership")
        return ([first] if first else []) + [p for p in d.get("other_partnerships") or [] if p != first]

    po, pn = parts(old), parts(new)
    for p in pn:
        if p not in po:
            out.append(f"{name} joins {called(p)}" + (" (its primary partnership)" if p == pn[0] and len(pn) > 1 else ""))
    for p in po:
        if p not in pn:
            out.append(f"{name} leaves {called(p)}")
    if po and pn and po[0] != pn[0] and po[0] in pn and pn[0] in po:
        out.append(f"{name}'s primary partnership is now {partnership(pn[0])} (was {partnership(po[0])})")
    for block, what in (("trust", "trust"), ("federation", "federation")):
        o, n = old.get(block) or {}, new.get(block) or {}
        kind = lambda d: f" ({TRUST_WORDS[d['type']]})" if d.get("type") in TRUST_WORDS else ""  # noqa: E731
        if o.get("name") == n.get("name"):
            if block == "trust" and o and o.get("type") != n.get("type") and n.get("type"):
                out.append(f"{name}: {n['name']} is now a{'n' if n['type'] == 'mat' else ''} {TRUST_WORDS[n['type']]}")
            continue
        if o and n:
            out.append(f"{name} moves from {what} {o['name']} to {n['name']}{kind(n)}")
        elif n:
            out.append(f"{name} joins {what} {n['name']}{kind(n)}")
        else:
            out.append(f"{name} leaves {what} {o['name']}")
    return out
