"""Cross-file rules for successions: a new URN that succeeds an old one (nesa_cli.succession)."""

from __future__ import annotations

from nesa_cli.diagnostics import ERROR, declare
from nesa_cli.succession import successors
from nesa_cli.validate.rules import rule
from nesa_cli.wording import day

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "succession-unknown": ("error", "A school's predecessor is neither a school file nor named (predecessor: name:, known from GIAS)."),
    "succession-cycle": ("error", "Following predecessors leads back to the school itself (or a school succeeds itself)."),
    "succession-dates": ("error", "A succession's dates do not fit: the predecessor joined after it, is still a member from it on, or the successor took part before it existed."),
    "succession-mismatch": ("error", "An old file's successor: disagrees with the successor's predecessor:, or two schools claim to succeed one."),
})


@rule
def successions(ctx):
    model = ctx.model
    index = successors(model)
    for s in model.schools.values():
        link = getattr(s, "predecessor", None)
        if link is None:
            continue
        yield from _cycle(ctx, s)
        old = model.schools.get(link.urn)
        if old is None:
            if link.urn not in ctx.school_ids and not link.name:  # a file with errors of its own is still known
                yield ctx.at(s.path, ("predecessor", "urn"), ERROR, "succession-unknown",
                             f"the predecessor URN {link.urn} is not a school file; add data/schools/{link.urn}.yaml "
                             "or say its name (predecessor: name:, as GIAS gives it)")
            continue
        yield from _dates(ctx, s, old, link)
        claims = index.get(link.urn) or []
        if len(claims) > 1:
            # the one the old file's successor: names keeps it; otherwise the first by URN
            named = [c for c in claims if old.successor is not None and c.urn == old.successor.urn]
            keep = named[0] if named else min(claims, key=lambda c: c.urn)
            if keep is not s:
                yield ctx.at(s.path, ("predecessor", "urn"), ERROR, "succession-mismatch",
                             f"{keep.name} ({keep.urn}) already succeeds {old.name} ({old.urn}); "
                             "a school has one successor")
    for s in model.schools.values():
        mirror = getattr(s, "successor", None)
        if mirror is None:
            continue
        new = model.schools.get(mirror.urn)
        if new is None and mirror.urn not in ctx.school_ids:
            yield ctx.at(s.path, ("successor", "urn"), ERROR, "ref-school",
                         f"the successor URN {mirror.urn} is not a school file")
            continue
        if new is None:
            continue
        theirs = getattr(new, "predecessor", None)
        if theirs is None or theirs.urn != s.urn:
            yield ctx.at(s.path, ("successor", "urn"), ERROR, "succession-mismatch",
                         f"{s.name} says {new.name} ({new.urn}) succeeds it, but {new.urn}.yaml has "
                         + (f"predecessor URN {theirs.urn}" if theirs else "no predecessor")
                         + f"; add predecessor: {{urn: {s.urn}, date: {mirror.date}}} there (the source of truth)")
        elif theirs.date != mirror.date:
            yield ctx.at(s.path, ("successor", "date"), ERROR, "succession-mismatch",
                         f"successor date {mirror.date} differs from {new.name}'s predecessor date {theirs.date}")


def _cycle(ctx, s):
    seen = [s.urn]
    school = s
    while school is not None and getattr(school, "predecessor", None) is not None:
        urn = school.predecessor.urn
        if urn in seen:
            loop = " -> ".join(str(u) for u in [*seen, urn])
            yield ctx.at(s.path, ("predecessor", "urn"), ERROR, "succession-cycle",
                         f"the predecessors go round in a circle ({loop}); a school cannot succeed itself")
            return
        seen.append(urn)
        school = ctx.model.schools.get(urn)


def _dates(ctx, s, old, link):
    first_old = old.membership[0].date if old.membership else None
    if first_old is not None and first_old > link.date:
        yield ctx.at(s.path, ("predecessor", "date"), ERROR, "succession-dates",
                     f"{s.name} succeeds {old.name} on {day(link.date)}, before {old.name}'s first membership entry "
                     f"({day(first_old)})")
    active = ("consulting", "signed-up", "member")
    for i, e in enumerate(old.membership):
        current = e.date <= link.date and old.event_on(link.date) is e
        if (current or e.date > link.date) and e.state in active:
            yield ctx.at(old.path, ("membership", i, "state"), ERROR, "succession-dates",
                         f"{old.name} is still '{e.state}' on {day(max(e.date, link.date))}, but {s.name} ({s.urn}) "
                         f"succeeded it on {day(link.date)}; end its membership the day it converts "
                         "(nesa schools convert does)")
            break
    for i, e in enumerate(s.membership):
        if e.date < link.date and e.state in ("signed-up", "member"):
            yield ctx.at(s.path, ("membership", i, "date"), ERROR, "succession-dates",
                         f"{s.name} is '{e.state}' from {day(e.date)}, before its URN took over from {old.name} on "
                         f"{day(link.date)}")
            break
