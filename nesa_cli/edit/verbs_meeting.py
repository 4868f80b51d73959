"""The meeting verbs: a new meeting, attendance, decisions, actions."""

from __future__ import annotations

import difflib
from datetime import date

from nesa_cli.edit import roundtrip
from nesa_cli.edit.fields import append_entry, header, key_order, put
from nesa_cli.edit.transaction import EditError, Transaction
from nesa_cli.edit.records import valid_id

MEETINGS = "data/meetings"


def _flow_person(tx: Transaction, text: str | None):
    """'rhall' (a central-team id) or 'URN:Name' (a contact at a school), as
    the shipped files write a person: ``{team: rhall}``."""
    if not text:
        return None
    urn, sep, name = text.partition(":")
    if sep and urn.strip().isdigit():
        value = roundtrip.new_map({"school": int(urn), "person": name.strip()})
    else:
        value = roundtrip.new_map({"team": text.strip()})
    value.fa.set_flow_style()
    return value


def new_meeting(tx: Transaction, body: str, on: date, start: str, end: str, venue: str | None = None,
                online: str | None = None, chair: str | None = None, minute_taker: str | None = None,
                title: str | None = None, items: list[str] = ()) -> str:
    """Create data/meetings/<date>-<body>.yaml with a stable calendar uid."""
    import re

    from nesa_cli.meetings.model import body_slug

    from nesa_cli.meetings.bodies import bodies

    if not re.fullmatch(r"((network|partnership):)?[a-z0-9]+(-[a-z0-9]+)*", body or ""):
        raise EditError(f"--body {body!r} must be a body's id (data/bodies/<id>.yaml), network:<id> or partnership:<id>")
    kind, _, ref = body.partition(":")
    if ":" not in body and body not in bodies(tx.model):
        raise EditError(f"no body {body!r}: create data/bodies/{body}.yaml (see schemas/body.schema.json)")
    if kind == "network" and ref not in tx.model.networks:
        close = difflib.get_close_matches(ref, sorted(tx.model.networks), n=3)
        raise EditError(f"no network {ref!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    if kind == "partnership" and tx.model.alliance and not tx.model.alliance.partnership(ref):
        known = ", ".join(p.id for p in tx.model.alliance.partnerships)
        raise EditError(f"no partnership {ref!r} (known: {known})")
    for label, value in (("--start", start), ("--end", end)):
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value or ""):
            raise EditError(f"{label} {value!r} is not a time HH:MM (24-hour)")
    if end <= start:
        raise EditError(f"the meeting ends ({end}) before it starts ({start})")
    mid = f"{on.isoformat()}-{body_slug(body)}"
    path = f"{MEETINGS}/{mid}.yaml"
    if tx.exists(path):
        raise EditError(f"meeting {mid} already exists ({path})")
    doc = roundtrip.new_map({"id": mid, "uid": f"{mid}@{_uid_host(tx)}", "sequence": 0, "title": title, "body": body,
                             "date": on, "start": roundtrip.quoted_if_needed(start), "end": roundtrip.quoted_if_needed(end),
                             "venue": venue, "online": online})
    for key, who in (("chair", chair), ("minute_taker", minute_taker)):
        value = _flow_person(tx, who)
        if value is not None:
            put(doc, key, value, key_order("meeting", []))
    if items:
        agenda = []
        for item in items:
            purpose, sep, rest = item.partition(":")
            if sep and purpose.strip() in ("decision", "discussion", "information"):
                agenda.append({"title": rest.strip(), "purpose": purpose.strip()})
            else:
                agenda.append({"title": item.strip(), "purpose": "discussion"})
        put(doc, "agenda", agenda, key_order("meeting", []))
    tx.create(path, doc, header("meeting"))
    from nesa_cli.meetings.model import body_title

    what = title or body_title(tx.model, body)
    tx.subject = f"New meeting: {what} on {on}"
    tx.note(f"new meeting {mid}: {what}, {on} {start}-{end}" + (f", {venue}" if venue else ""))
    return path


def _uid_host(tx: Transaction) -> str:
    import re

    a = tx.model.alliance
    host = ""
    if a and a.email:
        host = a.email.rpartition("@")[2]
    elif a and a.website:
        host = re.sub(r"^https?://", "", a.website).split("/")[0]
    host = re.sub(r"[^A-Za-z0-9.-]", "", host)
    return host or "nesa.invalid"


def action_done(tx: Transaction, action_id: str, reopen: bool = False) -> None:
    """Mark action <meeting-id>#<n> done (or open again)."""
    mid, sep, number = action_id.partition("#")
    if not sep or not number.isdigit() or int(number) < 1:
        raise EditError(f"{action_id!r} is not an action id such as 2026-10-14-strategic-board#2 (see nesa actions list)")
    valid_id(mid, "meeting")
    path = f"{MEETINGS}/{mid}.yaml"
    if not tx.exists(path):
        known = sorted(tx.model.other.get("meeting", {}))
        close = difflib.get_close_matches(mid, known, n=3)
        raise EditError(f"no meeting {mid!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    doc = tx.doc(path)
    actions = doc.get("actions") or []
    index = int(number) - 1
    if index >= len(actions):
        raise EditError(f"meeting {mid} has {len(actions)} action{'s' if len(actions) != 1 else ''}; there is no #{number}")
    entry = actions[index]
    want = "open" if reopen else "done"
    if entry.get("status") == want:
        raise EditError(f"action {action_id} is already {want}")
    entry["status"] = want
    tx.subject = f"Action {action_id} {'reopened' if reopen else 'done'}"
    tx.note(f"action {action_id} ({entry.get('action')}): {want}")


def open_actions(model, owner: str | None = None, include_done: bool = False, confidential: bool = False):
    """A listing of meeting actions (open ones unless ``include_done``). An action under
    a confidential (Part 2) item shows its owner and due date, its text only with
    ``confidential`` (Meeting.action_text, as the digest and the actions log say it)."""
    from nesa_cli.meetings.model import meetings
    from nesa_cli.tabular import Listing

    rows = []
    hidden = 0
    for m in meetings(model):
        for a in m.actions:
            if a.status != "open" and not include_done:
                continue
            who = a.owner.label(model) if a.owner else ""
            if owner and owner.lower() not in who.lower() and owner != (a.owner.team or ""):
                continue
            part2 = m.part2(a)
            hidden += part2 and not confidential
            rows.append({"id": a.id, "meeting": m.date.isoformat(), "action": m.action_text(a, confidential), "owner": who,
                         "due": a.due.isoformat() if a.due else None, "status": a.status, "confidential": part2})
    rows.sort(key=lambda r: (r["due"] or "9999", r["id"]))
    shown = sum(r["confidential"] for r in rows) if confidential else 0
    notes = ([f"{hidden} action{'s' if hidden != 1 else ''} from confidential (Part 2) items: the text only with --confidential."] if hidden
             else [f"Includes {shown} action{'s' if shown != 1 else ''} from confidential (Part 2) items: not for publication."] if shown else [])
    return Listing(columns=[("id", "Id"), ("action", "Action"), ("owner", "Owner"), ("due", "Due"), ("status", "Status")],
                   rows=rows, title="Actions from meetings", notes=notes)




def _meeting(tx: Transaction, mid: str):
    from nesa_cli.edit.records import existing

    path = existing(tx, "meeting", mid)
    return path, tx.doc(path)


ATTENDANCE = {"present": "present", "apologies": "apologies-accepted", "apologies-accepted": "apologies-accepted",
              "apologies-not-accepted": "apologies-not-accepted", "absent": "absent"}


def attend(tx: Transaction, mid: str, who: str, status: str, school: str | None = None) -> None:
    """Record one school's or person's attendance: ``122108`` (a school),
    ``122108:Emma Charlton`` (a person at a school) or a name (a person);
    ``school`` names the school by URN or name instead. A second call for the
    same school or person changes their entry."""
    if status not in ATTENDANCE:
        close = difflib.get_close_matches(status, list(ATTENDANCE), n=2)
        raise EditError(f"attendance {status!r} is not one of present, apologies, apologies-not-accepted, absent"
                        + (f"; did you mean {', '.join(close)}?" if close else ""))
    path, doc = _meeting(tx, mid)
    urn, person = None, None
    head, sep, tail = who.partition(":")
    if head.strip().isdigit():
        urn, person = head.strip(), (tail.strip() or None) if sep else None
    else:
        person = who.strip()
    if school is not None:
        urn = school
    if urn is not None:
        from nesa_cli.edit.verbs_school import find_school

        urn = find_school(tx, str(urn))[0]
    if not person and urn is None:
        raise EditError("name the school (URN) or the person who attended")
    entries = doc.get("attendance") or []
    same = [e for e in entries if e.get("school") == urn and e.get("person") == person]
    said = f"{person + ' of ' if person and urn else person or ''}{_school_name(tx, urn) if urn else ''}"
    value = ATTENDANCE[status]
    if same:
        entry = same[0]
        if entry.get("status") == value:
            raise EditError(f"{said} is already recorded as {value} at {mid}")
        old = entry.get("status")
        entry["status"] = value
        tx.note(f"{mid}: {said}: {old} -> {value}")
    else:
        entry = roundtrip.new_map({"school": urn, "person": person, "status": value})
        if not entries or all(getattr(e, "fa", None) is not None and e.fa.flow_style() for e in entries):
            entry.fa.set_flow_style()
        append_entry(doc, "attendance", entry, "meeting")
        tx.note(f"{mid}: {said} {value}")
    tx.subject = f"{mid}: {said} {value}"


def _school_name(tx: Transaction, urn) -> str:
    s = tx.model.schools.get(urn)
    return s.name if s else f"school {urn}"


def decide(tx: Transaction, mid: str, text: str) -> None:
    """Add a decision to the meeting's minutes."""
    text = (text or "").strip()
    if not text:
        raise EditError("give the decision's text")
    path, doc = _meeting(tx, mid)
    if any(str(d).strip() == text for d in doc.get("decisions") or []):
        raise EditError(f"{mid} already records that decision")
    append_entry(doc, "decisions", text, "meeting")
    tx.subject = f"{mid}: decision recorded"
    tx.note(f"{mid}: decided: {text}")


def action_add(tx: Transaction, mid: str, text: str, owner: str, due: date | None = None) -> str:
    """Add an open action; returns its id (<meeting id>#<n>)."""
    text = (text or "").strip()
    if not text:
        raise EditError("give what is to be done")
    if not owner or not owner.strip():
        raise EditError("give the action's owner with --owner: a central-team id (rhall) or URN:Name")
    path, doc = _meeting(tx, mid)
    entry = roundtrip.new_map({"action": text})
    entry["owner"] = _flow_person(tx, owner)
    if due is not None:
        entry["due"] = due
    entry["status"] = "open"
    append_entry(doc, "actions", entry, "meeting")
    action_id = f"{mid}#{len(doc['actions'])}"
    tx.subject = f"Action {action_id}: {text}"
    tx.note(f"action {action_id}: {text} (owner {owner.strip()}" + (f", due {due})" if due else ")"))
    return action_id
