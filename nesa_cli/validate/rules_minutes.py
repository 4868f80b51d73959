"""Rules for the governance record: minutes approved at a later meeting of the
same body, declarations and actions tied to agenda entries that exist, papers
that are links or paths inside the repository."""

from __future__ import annotations

from nesa_cli.diagnostics import ERROR, declare
from nesa_cli.validate.rules import rule

RULE_IDS = declare({
    "minutes-approval": ("error", "A meeting approves minutes of a meeting that does not exist, of another body, not held before it, cancelled, or already approved elsewhere."),
    "meeting-item-ref": ("error", "A declaration of interest or an action names an agenda entry (item: n) the meeting's agenda list does not have."),
    "meeting-paper": ("error", "An agenda item's paper is neither an https:// link nor a plain path inside the repository (absolute, '..', a backslash)."),
})


def paper_problem(paper: str) -> str | None:
    """Why ``paper`` cannot name a paper (None when it can): an https:// link,
    or a path from the repository's root that stays inside it."""
    from nesa_cli.store.paths import UnsafePath, check_relative

    if paper.startswith("https://"):
        return None
    if "://" in paper:
        return f"paper {paper!r}: only https:// links, or a path inside the repository (e.g. papers/2026-12-priorities.pdf)"
    try:
        check_relative(paper)
    except UnsafePath as exc:
        return f"paper {exc}: name a file inside the repository (e.g. papers/2026-12-priorities.pdf)"
    return None


@rule
def record_rules(ctx):
    from nesa_cli.meetings.model import meetings

    model = ctx.model
    everything = meetings(model)
    by_id = {m.id: m for m in everything}
    approved_by: dict[str, str] = {}
    for m in everything:
        n = len(m.agenda)
        for i, it in enumerate(m.agenda):
            why = paper_problem(it.paper) if it.paper else None
            if why:
                yield ctx.at(m.path, ("agenda", i, "paper"), ERROR, "meeting-paper", why)
        for field, entries in (("declarations", m.declarations), ("actions", m.actions)):
            for i, e in enumerate(entries):
                if e.item is not None and e.item > n:
                    yield ctx.at(m.path, (field, i, "item"), ERROR, "meeting-item-ref",
                                 f"item {e.item}: the agenda list has {n} entr{'y' if n == 1 else 'ies'} (item: 1 is the first)")
        for i, a in enumerate(m.minutes_approved):
            earlier = by_id.get(a.meeting)
            why = None
            if earlier is None:
                why = f"no meeting {a.meeting} (data/meetings/{a.meeting}.yaml)"
            elif earlier.body != m.body:
                why = f"{a.meeting} is a meeting of {earlier.body}, not of {m.body}: minutes are approved by the same body"
            elif (earlier.date, earlier.start) >= (m.date, m.start):
                why = f"{a.meeting} is not before this meeting: minutes are approved at a later meeting"
            elif earlier.cancelled:
                why = f"{a.meeting} was cancelled: it has no minutes"
            elif a.meeting in approved_by:
                why = f"the minutes of {a.meeting} are already approved at {approved_by[a.meeting]}"
            if why:
                yield ctx.at(m.path, ("minutes_approved", i, "meeting"), ERROR, "minutes-approval", why)
            else:
                approved_by[a.meeting] = m.id
