"""Building the digest as plain data (rendered by templates, sent by send.py).

What needs action comes first (overdue actions, policy reviews, contributions,
overdue invoices, meetings in the next 14 days), then what changed, summed up
(:mod:`nesa_cli.changes.summarise`), each line linking to its file when
``links:`` in data/alliance.yaml names the repository's web address.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from nesa_cli.dates import shift, uk_text

SECTIONS = ("changes", "upcoming", "due", "validation")
# The kinds whose records the digest (and a school's own) reads; activities and
# proposals only appear as changes, told from their files (nesa_cli.changes).
READS = frozenset({"alliance", "school", "network", "policy", "body", "meeting", "finance-year", "invoice"})
UPCOMING_DAYS = 14
DUE_DAYS = 30


def load_checked(source):
    """The digest's model (the kinds in READS) and the whole data's validation
    verdict (nesa_cli.validate.checked)."""
    from nesa_cli.validate.checked import load_checked as checked

    return checked(source, kinds=set(READS), counted=False)


def build_digest(root: Path, result, today: date, since_days: int | None = 7,
                 base: str | None = None, target: str = "HEAD") -> dict[str, Any]:
    """The digest for the period ending ``today`` (or the revision range)."""
    return collect(root, result, today, since_days, base, target)[0]


def since_of(today: date, since_days: int | None, base: str | None) -> datetime | None:
    """The start of the period (midnight), or None for a revision range."""
    return None if base else datetime.combine(shift(today, -(since_days or 7)), time(0, 0))


def start_git(root: Path, today: date, since_days: int | None = 7, base: str | None = None, target: str = "HEAD"):
    """Ask git for the period's commits now, to be read by :func:`collect`
    (``pending``) while the data is loaded; None when it cannot be asked early."""
    from nesa_cli.store.gitlog import start

    since = since_of(today, since_days, base)
    return start(root, base, target, since.isoformat() if since else None)


def collect(root: Path, result, today: date, since_days: int | None = 7, base: str | None = None,
            target: str = "HEAD", pending=None) -> tuple[dict[str, Any], list]:
    """(the digest, the changes it was made from)."""
    from nesa_cli.changes.render import Links
    from nesa_cli.changes.walk import commit_changes

    model = result.model
    since = since_of(today, since_days, base)
    if base:
        changes = commit_changes(root, base=base, target=target, model=model, pending=pending)
        period = {"from": base, "to": target}
        note = _history_note(root, None, pending)
        rerun = f"nesa diff {base}..{target}"
    else:
        changes = commit_changes(root, since=since.isoformat(), target=target, model=model, pending=pending)
        period = {"from": since.date().isoformat(), "to": today.isoformat()}
        note = _history_note(root, since, pending)  # a shallow clone: say the period is only partly there
        rerun = f"nesa diff --since {since_days or 7}d"
    errors = sum(1 for d in result.diagnostics if d.severity == "error")
    warnings = len(result.diagnostics) - errors
    alliance = model.alliance
    links = Links.of(alliance)
    due_ = due(model, today)
    return {
        "alliance": alliance.name if alliance else "",
        "short_name": alliance.short_name if alliance else "",
        "reply_to": (alliance.reply_to or alliance.email) if alliance else None,
        "today": today,
        "week": _week_key(today),
        "period": period,
        "changes": change_groups(changes, links),
        "change_count": len(changes),
        "more": 0,  # changes left out to keep the email small (see fit.py)
        "rerun": rerun,
        "history_note": note,
        "upcoming": upcoming(model, today, links),
        "due": due_,
        "action_count": sum(len(v) for k, v in due_.items() if isinstance(v, list)),
        "validation": {"files": result.files, "errors": errors, "warnings": warnings,
                       "first": [d.text() for d in result.diagnostics if d.severity == "error"][:10]},
        "school": None,
    }, changes


def _history_note(root: Path, since: datetime | None = None, pending=None) -> str | None:
    from nesa_cli.store.gitlog import is_shallow_or_unknown

    if not is_shallow_or_unknown(root, pending):
        return None  # a full clone: nothing to say, and no need for GitPython
    from nesa_cli.store.git import history_note

    return history_note(root, since)


def change_groups(changes: list, links) -> list[dict]:
    from nesa_cli.changes.render import by_area
    from nesa_cli.changes.summarise import area_title, summarise

    out = []
    for area, lines in by_area(summarise(changes)).items():
        out.append({"area": area, "title": area_title(area), "more": 0,
                    "items": [{"text": line.text, "author": line.author, "link": links.url(line.path), "count": line.count}
                              for line in lines]})
    return out


def _week_key(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def upcoming(model, today: date, links=None) -> list[dict]:
    """Meetings in the next 14 days and whether their pack (agenda and papers) is out."""
    out = []
    for m in (model.other.get("meeting") or {}).values():
        day = getattr(m, "date", None)
        if day is None or not (today <= day <= shift(today, UPCOMING_DAYS)):
            continue
        if m.cancelled:
            continue
        papers = sum(1 for i in m.agenda if getattr(i, "paper", None))
        out.append({
            "id": m.id, "date": day, "title": _meeting_title(model, m),
            "start": m.start, "venue": m.venue or m.online,
            "agenda_ready": bool(m.agenda), "agenda_items": len(m.agenda), "papers": papers,
            "link": links.url(m.path) if links and getattr(m, "path", None) else None,
            "body": m.body,
        })
    return sorted(out, key=lambda r: (r["date"], r["id"]))


def _meeting_title(model, m) -> str:
    title = getattr(m, "title", None)
    if title:
        return title
    body = str(getattr(m, "body", "meeting"))
    kind, _, ref = body.partition(":")
    if kind == "network" and ref in model.networks:
        return f"{model.networks[ref].name} meeting"
    if kind == "partnership" and model.alliance and model.alliance.partnership(ref):
        return f"{model.alliance.partnership(ref).name} meeting"
    from nesa_cli.meetings.model import body_title

    return body_title(model, body)


def due(model, today: date) -> dict[str, Any]:
    horizon = shift(today, DUE_DAYS)
    reviews = [
        {"policy": p.id, "title": p.title, "due": p.review_due, "overdue": p.review_due < today,
         "days": (today - p.review_due).days}
        for p in sorted(model.policies.values(), key=lambda p: (p.review_due, p.title)) if p.review_due <= horizon
    ]
    invoices = overdue_invoices(model, today)
    return {
        "policy_reviews": reviews,
        "overdue_actions": overdue_actions(model, today),
        "unconfirmed_contributions": unconfirmed_contributions(model, today),
        "overdue_invoices": invoices,
        "open_actions": [],  # a school's own digest: its open actions not yet overdue
        "unpaid_invoices": [],  # a school's own digest: its invoices issued and not yet due
        "adoptions_due": [],  # a school's own digest: model policies it has not adopted at the current version
        "outstanding": sum((Decimal(str(i["total"])) for i in invoices if i.get("total") is not None), Decimal("0")),
    }


def action_row(model, m, a) -> dict:
    """One action for the digest. The digest goes to a list wider than the
    meeting, so an action minuted under a confidential item says only that
    (CONFIDENTIAL_ACTION): its owner and due date, never its text."""
    return {"meeting": m.id, "meeting_title": f"{_meeting_title(model, m)}, {uk_text(m.date)}",
            "action": a.id, "text": m.action_text(a), "confidential": m.part2(a),
            "owner": a.owner.label(model) if a.owner else None, "due": a.due,
            "school": a.owner.school if a.owner else None}


def overdue_actions(model, today: date) -> list[dict]:
    out = []
    for m in (model.other.get("meeting") or {}).values():
        for a in m.actions:
            if a.status != "done" and a.due is not None and a.due < today:
                out.append(dict(action_row(model, m, a), days=(today - a.due).days))
    return sorted(out, key=lambda r: (r["due"], r["meeting"]))


def unconfirmed_contributions(model, today: date) -> list[dict]:
    from nesa_cli.finance import digest_unconfirmed

    return digest_unconfirmed(model, today)


def overdue_invoices(model, today: date) -> list[dict]:
    from nesa_cli.finance import digest_overdue_invoices

    return digest_overdue_invoices(model, today)


def for_sections(digest: dict, sections: tuple[str, ...] | None) -> dict:
    """The digest as one recipient gets it; ``left_out`` names what they chose not to get."""
    chosen = tuple(sections) if sections else SECTIONS
    out = dict(digest)
    out["sections"] = chosen
    out["left_out"] = [s for s in SECTIONS if s not in chosen]
    return out
