"""The school verbs: add a school, contacts, pupil numbers, membership.

The generic field edits (``nesa schools set``) are :mod:`nesa_cli.edit.records`.
"""

from __future__ import annotations

from datetime import date

from nesa_cli.edit import roundtrip
from nesa_cli.edit.fields import append_entry, coerce, header, key_order, put, set_path
from nesa_cli.edit.transaction import EditError, Transaction
from nesa_cli.model import HEAD_ROLES

SCHOOLS = "data/schools"
STATES = ("prospective", "consulting", "signed-up", "member", "withdrawn")


def school_path(urn) -> str:
    return f"{SCHOOLS}/{urn}.yaml"


def find_school(tx: Transaction, query: str) -> tuple[int, str]:
    """(URN, path) for a URN or a unique part of a name. The file may be
    invalid (then only the URN finds it)."""
    from nesa_cli.reports.lookup import NotFound, find_one

    q = str(query).strip()
    if q.isdigit() and tx.exists(school_path(q)):
        return int(q), school_path(q)
    try:
        from nesa_cli.succession import current_first  # by name: the school as it is now (issue 20)

        s = find_one(q, current_first(tx.model, tx.model.schools.values()), lambda s: str(s.urn), lambda s: s.name, "school")
    except NotFound as exc:
        raise EditError(str(exc)) from None
    return s.urn, school_path(s.urn)


def school_label(doc, urn) -> str:
    name = doc.get("name") if isinstance(doc, dict) else None
    return f"{name} ({urn})" if name else f"school {urn}"


def add_school(tx: Transaction, urn: str, fields: dict[str, str], state: str = "prospective", on: date | None = None,
               note: str | None = None) -> str:
    """Create data/schools/<URN>.yaml from dotted ``fields`` (text, coerced by
    the schema), with a first membership entry. Returns the path."""
    if not str(urn).isdigit() or len(str(urn)) != 6:
        raise EditError(f"URN {urn!r} is not six digits")
    path = school_path(urn)
    if tx.exists(path):
        name = tx.doc(path).get("name", "")
        raise EditError(f"school {urn} already exists ({name}); change it with nesa schools set {urn} FIELD=VALUE")
    if state not in STATES:
        raise EditError(f"--state must be one of {', '.join(STATES)}")
    doc = roundtrip.new_map({"urn": int(urn)})
    for dotted, text in fields.items():
        if text is None or text == "":
            continue
        set_path(doc, "school", dotted.split("."), coerce("school", dotted, text))
    event = {"state": state, "date": on or tx.today}
    if note:
        event["note"] = note
    put(doc, "membership", [event], key_order("school", []))
    tx.create(path, doc, header("school"))
    tx.subject = f"Add {doc.get('name', urn)} ({urn}) as {state}"
    tx.note(f"added {school_label(doc, urn)}: {doc.get('phase')}, {doc.get('type')}, {state} from {event['date']}")
    return path



def add_contact(tx: Transaction, query: str, role: str, name: str, title: str | None = None, email: str | None = None,
                phone: str | None = None, mobile: str | None = None, private: list[str] = ()) -> None:
    urn, path = find_school(tx, query)
    doc = tx.doc(path)
    entry = {"role": coerce("school", "contacts.0.role", role), "title": title, "name": name,
             "email": email, "phone": phone, "mobile": mobile}
    for f in private:
        if f not in ("email", "phone", "mobile"):
            raise EditError(f"--private {f!r}: only email, phone or mobile can be private")
        if not entry.get(f):
            raise EditError(f"--private {f}: the contact has no {f}")
    if private:
        entry["private"] = list(dict.fromkeys(private))
    for c in doc.get("contacts") or []:
        if c.get("name") == name and c.get("role") == entry["role"]:
            raise EditError(f"{name} is already a contact at {school_label(doc, urn)} as {entry['role']}")
    append_entry(doc, "contacts", roundtrip.new_map({k: v for k, v in entry.items() if v}), "school")
    tx.subject = f"{school_label(doc, urn)}: add {entry['role']} {name}"
    tx.note(f"{school_label(doc, urn)}: added contact {name} ({entry['role']})")


def remove_contact(tx: Transaction, query: str, name: str, role: str | None = None) -> None:
    urn, path = find_school(tx, query)
    doc = tx.doc(path)
    contacts = doc.get("contacts") or []
    matches = [i for i, c in enumerate(contacts) if c.get("name") == name and (role is None or c.get("role") == role)]
    if not matches:
        names = ", ".join(f"{c.get('name')} ({c.get('role')})" for c in contacts) or "none"
        raise EditError(f"{name!r} is not a contact at {school_label(doc, urn)} (contacts: {names})")
    if len(matches) > 1:
        roles = ", ".join(contacts[i].get("role") for i in matches)
        raise EditError(f"{name} has several roles at {school_label(doc, urn)} ({roles}); say which with --role")
    removed = contacts.pop(matches[0])
    tx.subject = f"{school_label(doc, urn)}: remove {removed.get('role')} {name}"
    tx.note(f"{school_label(doc, urn)}: removed contact {name} ({removed.get('role')})")


def record_pupils(tx: Transaction, query: str, count: int, census: date) -> None:
    """Add (or correct) the pupil number for one census."""
    urn, path = find_school(tx, query)
    doc = tx.doc(path)
    if count < 0:
        raise EditError("the pupil number cannot be negative")
    label = school_label(doc, urn)
    if _set_pupils(doc, count, census):
        tx.subject = f"{label}: {count} pupils at the census of {census}"
        tx.note(f"{label}: pupils {count} (census {census})")


def _set_pupils(doc, count: int, census: date) -> bool:
    """Put ``count`` for ``census`` into doc's pupils, in date order. True if changed."""
    new = roundtrip.new_map({"census_date": census, "count": count})
    if doc.get("pupils") is None:
        put(doc, "pupils", [new], key_order("school", []))
        return True
    pupils = doc["pupils"]
    for entry in pupils:
        if str(entry.get("census_date")) == census.isoformat():
            if entry.get("count") == count:
                return False
            entry["count"] = count
            return True
    position = len(pupils)
    for i, entry in enumerate(pupils):
        if str(entry.get("census_date")) > census.isoformat():
            position = i
            break
    roundtrip.seq_insert(pupils, position, new)
    return True


# --- membership ------------------------------------------------------------------


def membership_event(tx: Transaction, query: str, state: str, on: date, reason: str | None = None,
                     note: str | None = None) -> tuple[int, object]:
    urn, path = find_school(tx, query)
    doc = tx.doc(path)
    if state not in STATES:
        raise EditError(f"state must be one of {', '.join(STATES)}")
    history = doc.get("membership") or []
    if history:
        last = history[-1]
        if last.get("state") == state:
            raise EditError(f"{school_label(doc, urn)} is already {state} (since {last.get('date')})")
        if str(last.get("date")) > on.isoformat():
            raise EditError(f"the last membership entry of {school_label(doc, urn)} is dated {last.get('date')}, "
                            f"after {on}; the history is kept oldest first")
    append_entry(doc, "membership", roundtrip.new_map({"state": state, "date": on, "reason": reason, "note": note}), "school")
    return urn, doc


def join(tx: Transaction, query: str, on: date, state: str = "member", note: str | None = None) -> None:
    if state not in ("consulting", "signed-up", "member"):
        raise EditError("--state must be consulting, signed-up or member")
    urn, doc = membership_event(tx, query, state, on, note=note)
    label = school_label(doc, urn)
    verb = {"member": "joins as a member", "signed-up": "signs up", "consulting": "starts consulting"}[state]
    tx.subject = f"{label} {verb} on {on}"
    tx.note(f"{label}: {state} from {on}")


def withdraw(tx: Transaction, query: str, on: date, reason: str, note: str | None = None, end_networks: bool = True) -> None:
    """Record a withdrawal; by default also end the school's active network
    memberships on that day (a withdrawn school cannot stay in a network)."""
    if not reason or not reason.strip():
        raise EditError("give the reason for the withdrawal with --reason")
    urn, doc = membership_event(tx, query, "withdrawn", on, reason=reason, note=note)
    label = school_label(doc, urn)
    tx.subject = f"{label} withdraws on {on}"
    tx.note(f"{label}: withdrawn from {on} ({reason})")
    if not end_networks:
        return
    from nesa_cli.edit.verbs_network import end_member

    for nid, net in sorted(tx.model.networks.items()):
        for m in net.members:
            if m.school == urn and m.until is None and (m.since is None or m.since <= on):
                end_member(tx, nid, urn, m.person, on)
                tx.note(f"{net.name}: {m.person} of {doc.get('name', urn)} leaves on {on}")



def head_contact_index(doc) -> int | None:
    contacts = doc.get("contacts") or []
    for role in HEAD_ROLES:
        for i, c in enumerate(contacts):
            if c.get("role") == role:
                return i
    return None

