"""nesa schools convert: a school converts to an academy and gets a new URN
(issue 20, conversions; see nesa_cli.succession for how the tool follows it).

One edit, validated as a whole like every other:

* the successor's file data/schools/<NEW>.yaml is made from the old one: what
  the alliance owns about the school carries over (contacts, strengths, needs,
  designations, categories, preferences, pupil numbers, notes, partnership),
  with ``predecessor: {urn, date, reason}`` (the source of truth) and its
  membership continuing from the conversion day in the state it was in;
* the old file is marked: its membership ends ('withdrawn', reason
  "converted ...") on the conversion day, ``successor:`` mirrors the link and
  ``gias: {status: closed, close_date: the day before}`` as GIAS will say;
* network places move: each place active on the day ends then and the same
  person's place starts under the new URN; a network led by the old URN is
  led by the new one;
* policy adoptions are left as they are (the governing body's decisions, on
  their dates): the successor is taken to have adopted them
  (nesa_cli.succession.latest_adoption) until it adopts a newer version;
* issued invoices stay addressed to the old URN (documents already sent); the
  open ones are listed so the central team can chase them with the trust.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta

from nesa_cli.edit import roundtrip
from nesa_cli.edit.fields import append_entry, header, key_order, put, schema_at
from nesa_cli.edit.transaction import EditError, Transaction
from nesa_cli.edit.verbs_school import find_school, school_label, school_path
from nesa_cli.succession import REASONS
from nesa_cli.wording import day

ACTIVE = ("consulting", "signed-up", "member")
# what the successor's own file does not take from the old one
NOT_CARRIED = ("gias", "successor", "predecessor", "membership")


def new_type(reason: str, old_type: str, phase: str) -> str:
    """The successor's establishment type for a reason (an academy converter of a special school is a special converter)."""
    special = phase == "special" or "special" in old_type
    if reason == "academy-converter":
        return "academy-special-converter" if special else "academy-converter"
    if reason == "academy-sponsor-led":
        return "academy-special-sponsor-led" if special else "academy-sponsor-led"
    if reason == "free-school":
        return "free-school-special" if special else "free-school"
    return old_type


def convert(tx: Transaction, query: str, new_urn: str, on: date, reason: str = "academy-converter",
            name: str | None = None, trust: str | None = None) -> None:
    if reason not in REASONS:
        raise EditError(f"--type must be one of {', '.join(REASONS)}")
    old_urn, old_path = find_school(tx, query)
    old = tx.doc(old_path)
    old_label = school_label(old, old_urn)
    new_urn = str(new_urn).strip()
    if not new_urn.isdigit() or len(new_urn) != 6:
        raise EditError(f"the new URN {new_urn!r} is not six digits")
    if int(new_urn) == old_urn:
        raise EditError(f"the new URN is {old_label}'s own; an academy gets a new URN from the DfE (see GIAS)")
    new_path = school_path(new_urn)
    if tx.exists(new_path):
        other = tx.doc(new_path)
        raise EditError(f"school {new_urn} already exists ({other.get('name', '')}); to record that it succeeds "
                        f"{old_urn}: nesa schools set {new_urn} predecessor.urn={old_urn} predecessor.date={on}")
    _check_old(tx, old, old_urn, old_label, on)

    history = old.get("membership") or []
    state = _state_on(history, on - timedelta(days=1))
    phrase = REASONS[reason]
    link = {"urn": old_urn, "date": on, "reason": reason}
    if trust:
        link["note"] = f"joins {trust}"
    entry = {"state": state if state in ACTIVE else "prospective", "date": on,
             "note": f"continues the membership of {old_label}, which {phrase}"}
    new = roundtrip.new_map()
    for key, value in old.items():  # the old file's layout, key by key
        if key == "membership":
            new[key] = roundtrip.new_seq([roundtrip.new_map(entry)])
        elif key not in NOT_CARRIED:
            new[key] = copy.deepcopy(value)
    new["urn"] = int(new_urn)
    if name:
        new["name"] = name
    new["type"] = new_type(reason, str(old.get("type")), str(old.get("phase")))
    order = key_order("school", [])
    if "membership" not in new:
        put(new, "membership", [roundtrip.new_map(entry)], order)
    _after_type(new, "predecessor", roundtrip.new_map(link))
    if trust:
        _set_trust(new, trust)
    tx.create(new_path, new, header("school"))
    new_label = school_label(new, new_urn)
    tx.note(f"{new_label}: created from {old_label} (contacts, strengths, needs, notes carried over); "
            f"{entry['state']} from {on}, succeeding {old_urn}")
    _close_old(tx, old, old_urn, old_label, int(new_urn), new_label, on, reason, state)


# what the alliance owns about a school, carried to a successor file GIAS made (join_existing)
OWNED_BY_ALLIANCE = ("partnership", "strengths", "needs", "designations", "categories", "preferences", "notes")


def join_existing(tx: Transaction, old_urn: int, new_urn: int, on: date, reason: str = "academy-converter") -> None:
    """As :func:`convert` when the successor already has a file (the GIAS import made it, prospective):
    the predecessor is recorded on it, its membership continues the old one, and what the alliance owns
    about the school (contacts it lacks, partnership, strengths, needs, notes, ...) is carried over."""
    old_urn, old_path = find_school(tx, str(old_urn))
    old = tx.doc(old_path)
    old_label = school_label(old, old_urn)
    new_path = school_path(new_urn)
    new = tx.doc(new_path)
    new_label = school_label(new, new_urn)
    if new.get("predecessor"):
        raise EditError(f"{new_label} already has a predecessor (URN {new['predecessor'].get('urn')})")
    _check_old(tx, old, old_urn, old_label, on)
    state = _state_on(old.get("membership") or [], on - timedelta(days=1))
    _after_type(new, "predecessor", roundtrip.new_map({"urn": old_urn, "date": on, "reason": reason}))
    order = key_order("school", [])
    history = new.get("membership") or []
    if state in ACTIVE and all(e.get("state") == "prospective" for e in history):
        entry = {"state": state, "date": on, "note": f"continues the membership of {old_label}, which {REASONS[reason]}"}
        put(new, "membership", [roundtrip.new_map(entry)], order)
    for key in OWNED_BY_ALLIANCE:
        if key in old and key not in new:
            put(new, key, copy.deepcopy(old[key]), order)
    have = {(c.get("name"), c.get("role")) for c in new.get("contacts") or []}
    for c in old.get("contacts") or []:
        if (c.get("name"), c.get("role")) not in have:
            append_entry(new, "contacts", copy.deepcopy(c), "school")
    tx.note(f"{new_label}: succeeds {old_label} from {on}; what the alliance holds about it carried over")
    _close_old(tx, old, old_urn, old_label, new_urn, new_label, on, reason, state)


def name_predecessor(tx: Transaction, new_urn: int, old_urn: int, old_name: str | None, on: date,
                     reason: str = "academy-converter") -> None:
    """Record a predecessor the alliance has no file for (known from GIAS by URN and name)."""
    new_path = school_path(new_urn)
    new = tx.doc(new_path)
    if new.get("predecessor"):
        raise EditError(f"{school_label(new, new_urn)} already has a predecessor")
    link = {"urn": old_urn, "date": on, "reason": reason, "name": old_name or f"URN {old_urn}"}
    _after_type(new, "predecessor", roundtrip.new_map(link))
    tx.note(f"{school_label(new, new_urn)}: formerly {old_name or old_urn} (URN {old_urn}), from {on} (GIAS links)")


def _close_old(tx: Transaction, old, old_urn: int, old_label: str, new_urn: int, new_label: str, on: date,
               reason: str, state: str) -> None:
    """The old file's side: membership handed on, successor mirrored, closed as GIAS says; then what names it."""
    phrase = REASONS[reason]
    order = key_order("school", [])
    if state in ACTIVE:
        append_entry(old, "membership", roundtrip.new_map({
            "state": "withdrawn", "date": on, "reason": f"{phrase}: continues as {new_label}"}), "school")
    _after_type(old, "successor", roundtrip.new_map({"urn": new_urn, "date": on, "reason": reason}))
    if not old.get("gias"):
        put(old, "gias", roundtrip.new_map({"status": "closed", "close_date": on - timedelta(days=1)}), order)
    tx.subject = f"Convert {old_label} to URN {new_urn} on {on}"
    tx.note(f"{old_label}: closed (GIAS) on {on - timedelta(days=1)}" + (
        f"; membership handed on to {new_urn} on {on}" if state in ACTIVE else ""))
    _move_networks(tx, old_urn, new_urn, on)
    _move_meetings(tx, old_urn, new_urn, on)
    _leave_adoptions(tx, old_urn, new_label)
    _open_invoices(tx, old_urn, old_label)


def _after_type(doc, key: str, value) -> None:
    """The link near the top of the file, under name, phase and type, where a reader looks first."""
    keys = list(doc)
    position = keys.index("type") + 1 if "type" in keys else len(keys)
    roundtrip.map_insert(doc, position, key, value)


def _check_old(tx: Transaction, old, old_urn: int, old_label: str, on: date) -> None:
    history = old.get("membership") or []
    if history and str(history[0].get("date")) > on.isoformat():
        raise EditError(f"{on} is before {old_label} joined the alliance's records ({history[0].get('state')} from "
                        f"{history[0].get('date')}); give the conversion date with --on")
    if history and str(history[-1].get("date")) > on.isoformat():
        raise EditError(f"the last membership entry of {old_label} is dated {history[-1].get('date')}, after {on}")
    if old.get("successor"):
        succ = old["successor"]
        raise EditError(f"{old_label} already has a successor (URN {succ.get('urn')} from {succ.get('date')})")
    for s in tx.model.schools.values():
        link = getattr(s, "predecessor", None)
        if link is not None and link.urn == old_urn:
            raise EditError(f"{s.name} ({s.urn}) already succeeds {old_label} (from {link.date})")


def _state_on(history, on: date) -> str:
    state = "prospective"
    for e in history:
        if str(e.get("date")) <= on.isoformat():
            state = str(e.get("state"))
    return state


def _set_trust(doc, trust: str) -> None:
    """The trust, where the school schema has a field for it (trusts are another part of issue 20)."""
    try:
        sub = schema_at("school", ["trust"])
    except EditError:
        return
    order = key_order("school", [])
    if sub.get("type") == "string" or "pattern" in sub or sub.get("$ref", "").endswith("/text"):
        put(doc, "trust", trust, order)
    elif "name" in (sub.get("properties") or {}):
        put(doc, "trust", roundtrip.new_map({"name": trust}), order)


def _move_networks(tx: Transaction, old_urn: int, new_urn: int, on: date) -> None:
    for nid, net in sorted(tx.model.networks.items()):
        mine = [m for m in net.members if m.school == old_urn and (m.until is None or m.until > on)]
        led = net.lead_school == old_urn
        if not mine and not led:
            continue
        doc = tx.doc(net.path)
        for entry in doc.get("members") or []:
            if entry.get("school") != old_urn:
                continue
            until = entry.get("until")
            if until is not None and str(until) <= on.isoformat():
                continue
            since = entry.get("since")
            if since is not None and str(since) >= on.isoformat():
                entry["school"] = new_urn  # a place that starts later starts under the new URN
                continue
            put(entry, "until", on, key_order("network", ["members", "0"]))
            moved = {"school": new_urn, "person": entry.get("person"), "role": entry.get("role"), "since": on,
                     "until": until}
            append_entry(doc, "members", roundtrip.new_map(moved), "network")
            tx.note(f"{net.name}: {entry.get('person')}'s place continues under URN {new_urn} from {day(on)}")
        if led and (doc.get("lead") or {}).get("school") == old_urn:
            doc["lead"]["school"] = new_urn
            tx.note(f"{net.name}: led from URN {new_urn}")


def _move_meetings(tx: Transaction, old_urn: int, new_urn: int, on: date) -> None:
    """Meetings on or after the day, and activities that start on or after it, name the school by its
    new URN (attendance, actions, members; an activity's lead and the schools it involves)."""
    docs = getattr(tx.result, "documents", {}) or {}
    for path, held in sorted(docs.items()):
        data = getattr(held, "data", None)
        if not isinstance(data, dict):
            continue
        if path.startswith("data/meetings/"):
            when, what = data.get("date"), "meeting"
        elif path.startswith("data/activities/"):
            when, what = data.get("start"), "activity"
        else:
            continue
        if when is None or str(when) < on.isoformat():
            continue
        if _mentions(data, old_urn) and _renumber(tx.doc(path), old_urn, new_urn):
            tx.note(f"{path}: the school is named by URN {new_urn} (the {what} is on or after {day(on)})")


def _mentions(value, urn: int) -> bool:
    if isinstance(value, dict):
        return value.get("school") == urn or any(_mentions(v, urn) for v in value.values())
    if isinstance(value, list):
        return urn in value or any(_mentions(v, urn) for v in value)
    return False


def _renumber(value, old_urn: int, new_urn: int) -> bool:
    changed = False
    if isinstance(value, dict):
        if value.get("school") == old_urn:
            value["school"] = new_urn
            changed = True
        for v in value.values():
            changed = _renumber(v, old_urn, new_urn) or changed
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if v == old_urn and isinstance(v, int) and not isinstance(v, bool):  # a list of URNs (an activity's schools)
                value[i] = new_urn
                changed = True
            else:
                changed = _renumber(v, old_urn, new_urn) or changed
    return changed


def _leave_adoptions(tx: Transaction, old_urn: int, new_label: str) -> None:
    adopted = sorted(p.title for p in tx.model.policies.values() if p.latest_adoption(old_urn) is not None)
    if adopted:
        tx.note(f"policies: {len(adopted)} adoption{'s' if len(adopted) != 1 else ''} by URN {old_urn} "
                f"({', '.join(adopted[:4])}{', ...' if len(adopted) > 4 else ''}) stand for {new_label} "
                "until it adopts a newer version")


def _open_invoices(tx: Transaction, old_urn: int, old_label: str) -> None:
    docs = getattr(tx.result, "documents", {}) or {}
    open_ = []
    for path, doc in sorted(docs.items()):
        data = getattr(doc, "data", None)
        if not path.startswith("data/finance/invoices/") or not isinstance(data, dict):
            continue
        if (data.get("to") or {}).get("school") == old_urn and data.get("status") == "issued":
            open_.append(str(data.get("number")))
    if open_:
        tx.note(f"invoices still open to {old_label}: {', '.join(open_)} (they stay addressed to URN {old_urn}; "
                "chase them with the academy's trust)")
