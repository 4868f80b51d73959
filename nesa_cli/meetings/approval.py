"""Minutes approved as a true record at a later meeting of the same body.

The approval is recorded on the later meeting (``minutes_approved:`` in its
file, see schemas/meeting.schema.json), because that is where it happens:
the earlier minutes stay a DRAFT until a meeting of the same body, held after
it, says so (nesa_cli.validate.rules_minutes checks the reference).
"""

from __future__ import annotations

from nesa_cli.dates import uk_text


def _valid(earlier, later) -> bool:
    return (earlier.body == later.body and not earlier.cancelled
            and (earlier.date, earlier.start) < (later.date, later.start))


def approval_of(model, m):
    """(the meeting that approved ``m``'s minutes, its Approval), or None: a draft."""
    from nesa_cli.meetings.model import meetings

    for later in meetings(model):
        for a in later.minutes_approved:
            if a.meeting == m.id and _valid(m, later):
                return later, a
    return None


def signatory(model, approving, approval) -> str | None:
    """Who signed the approved minutes: the named signatory, else the approving meeting's chair."""
    ref = approval.signed_by or approving.chair
    return ref.label(model) if ref else None


def approved_here(model, m, part2: bool = False) -> list[str]:
    """What ``m`` minutes about earlier minutes: 'Minutes of the meeting of
    14 October 2026 approved as a true record' (with ``part2``, the Part 2
    minutes approved too are said as well)."""
    from nesa_cli.meetings.model import meetings

    by_id = {x.id: x for x in meetings(model)}
    out = []
    for a in m.minutes_approved:
        earlier = by_id.get(a.meeting)
        if earlier is None or not _valid(earlier, m):
            continue
        text = f"Minutes of the meeting of {uk_text(earlier.date)} approved as a true record"
        if a.amendments:
            text += f", with amendments: {a.amendments.rstrip('.')}"
        if part2 and a.part2 and any(it.confidential for it in earlier.agenda):
            text += "; the confidential (Part 2) minutes approved likewise"
        out.append(text)
    return out
