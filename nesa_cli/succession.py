"""Successions: a new URN that succeeds an old one (issue 20, conversions).

When a maintained school converts to an academy, the DfE closes its URN and
opens a new one for the academy (GIAS links the two: "Predecessor" /
"Successor"). For the alliance it is the same school carrying on: membership,
network places, policy adoptions and history continue across it.

The source of truth is the successor's file::

    predecessor: {urn: 122220, date: 2025-09-01, reason: academy-converter}

(``name:`` too when the alliance has no file for the old URN: then it is
"known" from GIAS). The old file may carry the mirror ``successor: {urn, date}``
(written by ``nesa schools convert`` so the old file reads right on its own);
when present it is checked against the successor's ``predecessor``
(rule ``succession-mismatch``), never used instead of it.

How the rest of the tool follows a succession:

* membership reports count a chain of URNs as one school (:func:`lineage`),
  so a conversion is neither a leaver nor a joiner (:func:`continues`);
* policy adoptions are NOT rewritten: an adoption is a governing body's
  decision on a date, a historical fact of the old school. The successor is
  taken to have adopted what its predecessor adopted until it adopts a newer
  version itself (:func:`latest_adoption`), so "policies due" and adoption
  checks accept the predecessor's adoption;
* network places are moved by ``nesa schools convert`` (the old place ends
  on the conversion date and the same person's place starts under the new
  URN), so each network's list reads right on its own date by date;
* invoices are documents already issued to the old URN: they stay as they
  are (``nesa schools convert`` lists the open ones to chase with the trust).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nesa_cli.dates import parse, uk_text

# reason -> (past-tense phrase, GIAS LinkType words that mean it)
REASONS = {
    "academy-converter": "converted to an academy",
    "academy-sponsor-led": "became a sponsored academy",
    "free-school": "reopened as a free school",
    "amalgamation": "was amalgamated",
    "merger": "merged",
    "change-of-age-range": "reopened with a new age range",
    "other": "was succeeded",
}


@dataclass(frozen=True)
class Link:
    """One side of a succession: the other school's URN and the day the new
    URN took over (the academy's opening day)."""

    urn: int
    date: date
    reason: str | None = None
    name: str | None = None  # the other school's name (needed when the alliance has no file for it)
    note: str | None = None

    @property
    def phrase(self) -> str:
        return REASONS.get(self.reason or "other", REASONS["other"])


def build_link(raw) -> Link | None:
    if not raw:
        return None
    return Link(raw["urn"], parse(raw["date"]), raw.get("reason"), raw.get("name"), raw.get("note"))


# --- following the links ------------------------------------------------------


def successors(model) -> dict[int, list]:
    """Predecessor URN -> the schools whose ``predecessor`` names it."""
    out: dict[int, list] = {}
    for s in model.schools.values():
        link = getattr(s, "predecessor", None)
        if link is not None:
            out.setdefault(link.urn, []).append(s)
    return out


def successor_of(model, urn: int, index: dict | None = None):
    """The school that succeeded ``urn`` (the first, if a file wrongly names two), or None."""
    found = (index if index is not None else successors(model)).get(urn) or []
    return found[0] if found else None


def chain(model, urn: int) -> list[tuple[int, Link]]:
    """The predecessors of ``urn``, newest first, as (their URN, the link that
    names them); stops at a school without a file or at a cycle."""
    out: list[tuple[int, Link]] = []
    seen = {urn}
    school = model.schools.get(urn)
    while school is not None and getattr(school, "predecessor", None) is not None:
        link = school.predecessor
        if link.urn in seen:
            break
        seen.add(link.urn)
        out.append((link.urn, link))
        school = model.schools.get(link.urn)
    return out


def converted_to(model, school, on: date, index: dict | None = None):
    """The school that has succeeded ``school`` by ``on`` (its predecessor date on or
    before it) when ``school`` has withdrawn: its file was closed by a conversion, it
    did not leave (listings say "converted", as status does); otherwise None."""
    if school.status_on(on) != "withdrawn":
        return None
    new = successor_of(model, school.urn, index)
    return new if new is not None and new.predecessor.date <= on else None


def latest(model, urn: int, index: dict | None = None) -> int:
    """The newest URN of the school's chain: the school as it is now."""
    index = index if index is not None else successors(model)
    seen = {urn}
    while True:
        new = successor_of(model, urn, index)
        if new is None or new.urn in seen:
            return urn
        seen.add(new.urn)
        urn = new.urn


def lineage(model, urn: int) -> int:
    """The oldest URN of the school's chain: one id for the school across conversions."""
    links = chain(model, urn)
    return links[-1][0] if links else urn


def continues(model, school, on: date, index: dict | None = None) -> str | None:
    """Why a membership change of ``school`` on ``on`` is not a real join or
    leave: 'joined' is its predecessor's membership carried on (the predecessor
    was a member the day before); 'left' is handed on to a successor that is a
    member from that day. Returns the other school's label, or None."""
    link = getattr(school, "predecessor", None)
    if link is not None and on == link.date:
        old = model.schools.get(link.urn)
        if old is not None and old.is_member_on(on - timedelta(days=1)):
            return f"{old.name} ({old.urn})"
    new = successor_of(model, school.urn, index)
    if new is not None and on == new.predecessor.date and new.is_member_on(on):
        return f"{new.name} ({new.urn})"
    return None


def member_since(model, school, on: date) -> date | None:
    """Start of the school's unbroken membership at ``on``, across its predecessors' URNs."""
    since = school.member_since(on)
    seen = {school.urn}
    while since is not None and getattr(school, "predecessor", None) is not None and since == school.predecessor.date:
        old = model.schools.get(school.predecessor.urn)
        if old is None or old.urn in seen:
            break
        seen.add(old.urn)
        earlier = old.member_since(since - timedelta(days=1))
        if earlier is None:
            break
        since, school = earlier, old
    return since


def latest_adoption(model, policy, urn: int):
    """The school's latest adoption of ``policy``, or its predecessors' when
    it has not adopted the policy since (see the module's description)."""
    own = policy.latest_adoption(urn)
    if own is not None:
        return own
    for old, _link in chain(model, urn):
        ad = policy.latest_adoption(old)
        if ad is not None:
            return ad
    return None


def current_first(model, schools) -> list:
    """The schools with the ones a successor replaced left out, when any remain: a converted school
    that kept its name is found by its name as the school it is now (its old URN still finds the old file)."""
    index = successors(model)
    schools = list(schools)
    current = [s for s in schools if s.urn not in index]
    return current if current and len(current) < len(schools) else schools


# --- in words -----------------------------------------------------------------


def _named(model, link: Link) -> str:
    other = model.schools.get(link.urn)
    name = other.name if other is not None else link.name
    return f"{name} (URN {link.urn})" if name else f"URN {link.urn}"


def formerly(model, school) -> str | None:
    """'formerly Hexham Middle School (URN 122220), converted to an academy on 1 September 2025'."""
    link = getattr(school, "predecessor", None)
    if link is None:
        return None
    return f"formerly {_named(model, link)}, {link.phrase} on {uk_text(link.date)}"


def succeeded_by(model, school, index: dict | None = None) -> str | None:
    """'closed on 31 August 2025: converted to an academy, continues as X (URN n) from 1 September 2025'."""
    new = successor_of(model, school.urn, index)
    link = new.predecessor if new is not None else getattr(school, "successor", None)
    if link is None:
        return None
    target = Link(new.urn, link.date, name=new.name) if new is not None else link
    return f"{link.phrase}: continues as {_named(model, target)} from {uk_text(link.date)}"
