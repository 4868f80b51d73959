"""Building the digest as plain data (rendered by templates, sent by send.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from nesa_cli.dates import shift
from nesa_cli.diffing import area_title, commit_changes, grouped

SECTIONS = ("changes", "upcoming", "due", "validation")
UPCOMING_DAYS = 14
DUE_DAYS = 30


def build_digest(root: Path, result, today: date, since_days: int | None = 7,
                 base: str | None = None, target: str = "HEAD") -> dict[str, Any]:
    """The digest for the period ending ``today`` (or the revision range)."""
    model = result.model
    from nesa_cli.store.git import history_note

    if base:
        changes = commit_changes(root, base=base, target=target, model=model)
        period = {"from": base, "to": target}
        note = history_note(root)
    else:
        start = shift(today, -(since_days or 7))
        since = datetime.combine(start, time(0, 0))
        changes = commit_changes(root, since=since.isoformat(), target=target, model=model)
        period = {"from": start.isoformat(), "to": today.isoformat()}
        note = history_note(root, since)  # a shallow clone: say the period is only partly there
    groups = [
        {"area": area, "title": area_title(area),
         "items": [{"text": c.text, "author": c.author, "date": c.date, "commit": c.commit} for c in items]}
        for area, items in grouped(changes).items()
    ]
    errors = sum(1 for d in result.diagnostics if d.severity == "error")
    warnings = len(result.diagnostics) - errors
    alliance = model.alliance
    return {
        "alliance": alliance.name if alliance else "",
        "short_name": alliance.short_name if alliance else "",
        "today": today,
        "week": _week_key(today),
        "period": period,
        "changes": groups,
        "change_count": len(changes),
        "history_note": note,
        "upcoming": upcoming(model, today),
        "due": due(model, today),
        "validation": {"files": result.files, "errors": errors, "warnings": warnings,
                       "first": [d.text() for d in result.diagnostics if d.severity == "error"][:10]},
    }


def _week_key(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def upcoming(model, today: date) -> list[dict]:
    """Meetings in the next 14 days and whether their agenda is ready."""
    out = []
    for m in (model.other.get("meeting") or {}).values():
        day = getattr(m, "date", None)
        if day is None or not (today <= day <= shift(today, UPCOMING_DAYS)):
            continue
        if m.cancelled:
            continue
        out.append({
            "id": m.id, "date": day, "title": _meeting_title(model, m),
            "start": m.start, "venue": m.venue or m.online,
            "agenda_ready": bool(m.agenda), "agenda_items": len(m.agenda),
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
    return {"strategic-board": "Strategic Board", "joint-annual": "Joint annual meeting of the Board and Members"}.get(body, body)


def due(model, today: date) -> dict[str, list[dict]]:
    horizon = shift(today, DUE_DAYS)
    reviews = [
        {"policy": p.id, "title": p.title, "due": p.review_due, "overdue": p.review_due < today}
        for p in sorted(model.policies.values(), key=lambda p: (p.review_due, p.title)) if p.review_due <= horizon
    ]
    return {
        "policy_reviews": reviews,
        "overdue_actions": overdue_actions(model, today),
        "unconfirmed_contributions": unconfirmed_contributions(model, today),
        "overdue_invoices": overdue_invoices(model, today),
    }


def overdue_actions(model, today: date) -> list[dict]:
    out = []
    for m in (model.other.get("meeting") or {}).values():
        for a in m.actions:
            if a.status != "done" and a.due is not None and a.due < today:
                out.append({"meeting": m.id, "action": a.id, "text": a.action,
                            "owner": a.owner.label(model) if a.owner else None, "due": a.due})
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
