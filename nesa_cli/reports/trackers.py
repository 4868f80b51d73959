"""The trackers a board reviews at each meeting, as documents.

* :func:`actions_log`: every action agreed at a meeting (its text, owner by
  name, due date, open or done, overdue marked), with the meeting it came
  from by body and date. Readers see no action ids and no file paths.
  An action tied to a confidential (Part 2) item is named only as such (its
  owner, due date and meeting, not its text) unless asked for, as in the
  digest and ``nesa actions list`` (nesa_cli.meetings.model.Meeting.action_text).
* :func:`policy_schedule`: each model policy with its owner (by name), when
  its review falls due (overdue marked like an overdue action), its current
  version, and each member school's adoption: the current version, an older
  one, or none.

Dates stay dates (``--format json`` prints ISO text; documents the UK style).
"""

from __future__ import annotations

from datetime import date


def _owner_matches(model, owner_ref, wanted: str) -> bool:
    who = owner_ref.label(model) if owner_ref else ""
    w = wanted.strip().casefold()
    return bool(w) and (w in who.casefold() or w == (owner_ref.team or "").casefold())


def actions_log(model, today: date, body: str | None = None, owner: str | None = None, open_only: bool = False,
                confidential: bool = False) -> dict:
    """The actions log across meetings: open ones first (by due date), then those done."""
    from nesa_cli.meetings.model import body_title, meetings

    rows = []
    hidden = 0
    for m in meetings(model):
        if body and m.body != body:
            continue
        for a in m.actions:
            if owner and not _owner_matches(model, a.owner, owner):
                continue
            if open_only and a.status != "open":
                continue
            part2 = m.part2(a)
            withheld = part2 and not confidential  # said as such (Meeting.action_text): owner, due, meeting; no text, no item title
            hidden += withheld
            item = m.agenda[a.item - 1].title if a.item and a.item <= len(m.agenda) and not withheld else None
            rows.append({"action": m.action_text(a, confidential), "owner": a.owner.label(model) if a.owner else "", "due": a.due,
                         "status": a.status, "overdue": bool(a.status == "open" and a.due and a.due < today),
                         "body": body_title(model, m.body), "meeting": m.date, "item": item,
                         "confidential": part2})
    rows.sort(key=lambda r: (r["status"] != "open", r["due"] or date.max, r["meeting"], r["action"]))
    opened = [r for r in rows if r["status"] == "open"]
    return {
        "alliance": model.alliance.name if model.alliance else "", "as_on": today,
        "body": body_title(model, body) if body else None, "owner": owner, "open_only": open_only,
        "confidential": confidential, "actions": rows,
        "counts": {"actions": len(rows), "open": len(opened), "overdue": sum(r["overdue"] for r in rows),
                   "done": len(rows) - len(opened), "confidential_left_out": hidden},
    }


def actions_rows(log: dict):
    """One row per action (a Listing, for CSV)."""
    from nesa_cli.tabular import Listing

    keys = ("action", "owner", "due", "status", "overdue", "body", "meeting")
    return Listing([(k, k) for k in keys], [{"action": r["action"], "owner": r["owner"], "due": r["due"], "status": r["status"],
             "overdue": "overdue" if r["overdue"] else "", "body": r["body"], "meeting": r["meeting"]} for r in log["actions"]])


def _owner_name(model, owner: str | None) -> str:
    if not owner:
        return ""
    member = model.alliance.team_member(owner) if model.alliance else None
    return member.name if member else owner


ACRONYMS = {"send": "SEND", "hr": "HR", "rse": "RSE", "eyfs": "EYFS", "pshe": "PSHE", "ict": "ICT"}


def area_label(area: str | None) -> str:
    """'Health and safety' from health-and-safety; 'SEND', 'HR' as written."""
    if not area:
        return ""
    words = area.split("-")
    out = [ACRONYMS.get(w, w) for w in words]
    first = out[0]
    return " ".join([first if first.isupper() else first.capitalize()] + out[1:])


def policy_schedule(model, today: date, soon_days: int = 60) -> dict:
    """The policy review schedule on ``today``: each policy by review date, with the member schools' adoption."""
    from datetime import timedelta

    from nesa_cli.succession import latest_adoption

    members = sorted(model.members_on(today), key=lambda s: s.name)
    rows = []
    for p in sorted(model.policies.values(), key=lambda p: (p.review_due, p.title)):
        current = p.current.version
        older, missing = [], []
        on_current = 0
        for s in members:
            ad = latest_adoption(model, p, s.urn)  # a converted school stands on its predecessor's
            if ad is None or ad.date > today:
                missing.append({"school": s.name, "urn": s.urn})
            elif ad.version == current:
                on_current += 1
            else:
                older.append({"school": s.name, "urn": s.urn, "version": ad.version, "adopted": ad.date})
        due = p.review_due
        rows.append({
            "policy": p.title, "area": area_label(p.area), "statutory": p.is_statutory, "owner": _owner_name(model, p.owner),
            "review_due": due, "overdue": due < today, "due_soon": today <= due <= today + timedelta(days=soon_days),
            "version": current, "approved": p.current.approved,
            "current": on_current, "older": len(older), "not_adopted": len(missing),
            "older_schools": older, "not_adopted_schools": missing,
        })
    return {
        "alliance": model.alliance.name if model.alliance else "", "as_on": today, "members": len(members),
        "policies": rows,
        "counts": {"policies": len(rows), "overdue": sum(r["overdue"] for r in rows),
                   "due_soon": sum(r["due_soon"] for r in rows),
                   "behind": sum(r["older"] + r["not_adopted"] for r in rows)},
    }


def schedule_rows(schedule: dict):
    """One row per policy (a Listing, for CSV)."""
    from nesa_cli.tabular import Listing

    keys = ("policy", "owner", "review_due", "overdue", "version", "approved", "current", "older", "not_adopted", "members")
    return Listing([(k, k) for k in keys], [{"policy": r["policy"], "owner": r["owner"], "review_due": r["review_due"],
             "overdue": "overdue" if r["overdue"] else "", "version": r["version"], "approved": r["approved"],
             "current": r["current"], "older": r["older"], "not_adopted": r["not_adopted"],
             "members": schedule["members"]} for r in schedule["policies"]])
