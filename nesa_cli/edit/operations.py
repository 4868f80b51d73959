"""The edits the central team makes often, as functions over a transaction.

Each function changes round-trip documents held by a
:class:`~nesa_cli.edit.transaction.Transaction`, says what it did in words
(``tx.note``) and raises :class:`EditError` for a request that cannot be
made (an unknown school, a value of the wrong type). Whether the result is
valid is decided afterwards by the full validator, so the rules live in one
place.
"""

from __future__ import annotations

import difflib
from datetime import date

from nesa_cli.edit import roundtrip
from nesa_cli.edit.transaction import EditError, Transaction
from nesa_cli.model import HEAD_ROLES

SCHOOLS = "data/schools"
NETWORKS = "data/networks"
POLICIES = "data/policies"
MEETINGS = "data/meetings"
STATES = ("prospective", "consulting", "signed-up", "member", "withdrawn")


def header(kind: str, depth: int = 2) -> str:
    """The editor hint every data file starts with."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json\n"


# --- the schema as a guide to fields and their types -------------------------


def _schema(kind: str) -> dict:
    from nesa_cli.resources import schema

    return schema(f"{kind}.schema.json")


def _resolve(root: dict, sub: dict) -> dict:
    seen = 0
    while "$ref" in sub and seen < 10:
        ref = sub["$ref"]
        extra = {k: v for k, v in sub.items() if k != "$ref"}
        sub = {**root["$defs"][ref.rsplit("/", 1)[1]], **extra}
        seen += 1
    return sub


def field_paths(kind: str) -> list[str]:
    """Every settable dotted field path of a kind (scalars and lists of scalars)."""
    root = _schema(kind)
    out: list[str] = []

    def walk(sub: dict, prefix: str) -> None:
        for name, prop in sub.get("properties", {}).items():
            prop = _resolve(root, prop)
            path = f"{prefix}{name}"
            if prop.get("type") == "object" and "properties" in prop:
                walk(prop, path + ".")
            else:
                out.append(path)

    walk(root, "")
    return out


def schema_at(kind: str, parts: list[str]) -> dict:
    """The sub-schema for a dotted path; list positions are numbers
    (``contacts.2.email``). EditError for a field the schema does not know."""
    root = _schema(kind)
    sub = root
    walked: list[str] = []
    for part in parts:
        sub = _resolve(root, sub)
        if sub.get("type") == "array" and part.isdigit():
            sub = sub.get("items", {})
        elif part in sub.get("properties", {}):
            sub = sub["properties"][part]
        else:
            where = ".".join(walked)
            known = [p for p in field_paths(kind) if not where or p.startswith(where + ".")]
            dotted = ".".join(walked + [part])
            close = difflib.get_close_matches(dotted, known, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; known fields: {', '.join(known[:40])}"
            raise EditError(f"a {kind} has no field '{dotted}'{hint}")
        walked.append(part)
    return _resolve(root, sub)


def coerce(kind: str, dotted: str, text: str):
    """Turn the text typed after FIELD= into the value the schema wants:
    numbers, true/false, dates (YYYY-MM-DD), lists (comma-separated),
    enum values (with a did-you-mean), or text."""
    parts = dotted.split(".")
    return _coerce(kind, dotted, schema_at(kind, parts), text)


def _coerce(kind: str, dotted: str, sub: dict, text: str):
    root = _schema(kind)
    sub = _resolve(root, sub)
    if "enum" in sub:
        options = [str(o) for o in sub["enum"]]
        if text not in options:
            close = difflib.get_close_matches(text, options, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise EditError(f"{dotted}: {text!r} is not one of {', '.join(options)}{hint}")
        return text
    kind_of = sub.get("type")
    if kind_of == "integer":
        try:
            return int(text.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise EditError(f"{dotted}: {text!r} is not a whole number") from None
    if kind_of == "number":
        from decimal import Decimal, InvalidOperation

        try:
            return Decimal(text.strip())
        except InvalidOperation:
            raise EditError(f"{dotted}: {text!r} is not a number") from None
    if kind_of == "boolean":
        low = text.strip().lower()
        if low in ("true", "yes", "y", "1"):
            return True
        if low in ("false", "no", "n", "0"):
            return False
        raise EditError(f"{dotted}: {text!r} is not true or false")
    if kind_of == "array":
        items = sub.get("items", {})
        resolved = _resolve(root, items)
        if resolved.get("type") == "object":
            raise EditError(f"{dotted} is a list of records; use the command made for it (see nesa --help)")
        values = [v.strip() for v in text.split(",") if v.strip()]
        return [_coerce(kind, f"{dotted}[]", items, v) for v in values]
    if kind_of == "object":
        names = ", ".join(f"{dotted}.{k}" for k in sub.get("properties", {}))
        raise EditError(f"{dotted} is a group of fields; set its parts: {names}")
    if dotted.endswith("postcode"):
        import re

        compact = re.sub(r"\s+", "", text).upper()
        return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 4 else text
    if sub.get("format") == "date":
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise EditError(f"{dotted}: {text!r} is not a date (YYYY-MM-DD)") from None
    return text


def key_order(kind: str, parts: list[str]) -> list[str]:
    """The schema's order of the keys in the mapping at ``parts``."""
    root = _schema(kind)
    sub = root
    for part in parts:
        sub = _resolve(root, sub)
        sub = sub.get("items", {}) if part.isdigit() else sub.get("properties", {}).get(part, {})
    return list(_resolve(root, sub).get("properties", {}))


def put(mapping, key: str, value, order: list[str]) -> None:
    """Set ``key`` keeping the file's layout: an existing key keeps its place,
    comment and quoting style; a new key goes where the schema's order puts it."""
    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import ScalarString

    new = roundtrip.to_yaml(value)
    if key in mapping:
        old = mapping[key]
        if isinstance(old, CommentedSeq) and isinstance(new, list):
            old[:] = [roundtrip.to_yaml(v) for v in new]
            return
        if isinstance(old, ScalarString) and isinstance(new, str) and type(new) is not type(old):
            new = type(old)(str(new))
        mapping[key] = new
        return
    position = len(mapping)
    if key in order:
        rank = order.index(key)
        for i, existing in enumerate(mapping):
            if existing in order and order.index(existing) > rank:
                position = i
                break
    roundtrip.map_insert(mapping, position, key, new)


def append_entry(doc, key: str, entry, kind: str) -> None:
    """Append ``entry`` to the list at ``key``, making the list if need be."""
    if doc.get(key) is None:
        put(doc, key, [entry], key_order(kind, []))
    else:
        roundtrip.append(doc[key], roundtrip.to_yaml(entry))


def _show(value) -> str:
    value = roundtrip.plain(value)
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(empty)"
    return str(value)


# --- schools -------------------------------------------------------------------


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
        s = find_one(q, tx.model.schools.values(), lambda s: str(s.urn), lambda s: s.name, "school")
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
        _set(doc, "school", dotted.split("."), coerce("school", dotted, text))
    event = {"state": state, "date": on or tx.today}
    if note:
        event["note"] = note
    put(doc, "membership", [event], key_order("school", []))
    tx.create(path, doc, header("school"))
    tx.subject = f"Add {doc.get('name', urn)} ({urn}) as {state}"
    tx.note(f"added {school_label(doc, urn)}: {doc.get('phase')}, {doc.get('type')}, {state} from {event['date']}")
    return path


def _set(doc, kind: str, parts: list[str], value) -> tuple[object, object]:
    """Set a dotted path in ``doc``, making intermediate mappings as needed.
    Returns (old value, new value)."""
    node = doc
    for i, part in enumerate(parts[:-1]):
        if part.isdigit():
            index = int(part)
            if not isinstance(node, list) or index >= len(node):
                size = len(node) if isinstance(node, list) else 0
                raise EditError(f"{'.'.join(parts[:i + 1])}: there is no entry {index} (entries are numbered from 0; there are {size})")
            node = node[index]
        else:
            if part not in node or node[part] is None:
                if parts[-1].isdigit():
                    raise EditError(f"{'.'.join(parts)}: give a field of the entry")
                # Build the missing branch whole, then insert it once (so comments stay put).
                branch = value
                for j in range(len(parts) - 1, i, -1):
                    sub = roundtrip.new_map()
                    sub[parts[j]] = roundtrip.to_yaml(branch)
                    branch = sub
                put(node, part, branch, key_order(kind, parts[:i]))
                return None, value
            node = node[part]
    last = parts[-1]
    if last.isdigit():
        raise EditError(f"{'.'.join(parts)}: give a field of the entry, e.g. {'.'.join(parts)}.name")
    old = node.get(last)
    put(node, last, value, key_order(kind, parts[:-1]))
    return old, value


def _unset(doc, kind: str, parts: list[str]):
    node = doc
    for part in parts[:-1]:
        if part.isdigit():
            index = int(part)
            if not isinstance(node, list) or index >= len(node):
                raise EditError(f"{'.'.join(parts)} is not set")
            node = node[index]
        else:
            if not isinstance(node, dict) or part not in node:
                raise EditError(f"{'.'.join(parts)} is not set")
            node = node[part]
    if parts[-1] not in node:
        raise EditError(f"{'.'.join(parts)} is not set")
    old = node.pop(parts[-1])
    if len(parts) > 1 and not parts[-2].isdigit() and len(node) == 0:
        _unset(doc, kind, parts[:-1])
    return old


def _private_value(doc, parts: list[str]) -> bool:
    """Whether the path names a contact field that is not for circulation."""
    if len(parts) == 3 and parts[0] == "contacts" and parts[1].isdigit():
        contacts = doc.get("contacts") or []
        index = int(parts[1])
        if index < len(contacts):
            return parts[2] in (contacts[index].get("private") or ())
    return False


PROTECTED = {"urn": "the URN is the school's identity (and its file name); add a new school instead",
             "membership": "use nesa membership join / withdraw", "contacts": "use nesa schools add-contact / remove-contact, or contacts.N.FIELD=...",
             "pupils": "use nesa schools pupils URN COUNT --census DATE"}


def parse_assignments(items: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        field, eq, value = item.partition("=")
        field = field.strip()
        if not eq or not field:
            raise EditError(f"{item!r} is not FIELD=VALUE (e.g. phone=01670 555111, address.postcode=NE61 1AB)")
        out.append((field, value))
    return out


def set_fields(tx: Transaction, kind: str, path: str, ident, assignments: list[tuple[str, str]], unset: list[str] = ()) -> None:
    """Set (and unset) dotted fields of one record, coerced by the kind's schema."""
    doc = tx.doc(path)
    label = school_label(doc, ident) if kind == "school" else f"{kind} {ident}"
    id_field = {"school": "urn", "network": "id", "policy": "id", "meeting": "id"}.get(kind)
    if not assignments and not unset:
        raise EditError("give at least one FIELD=VALUE (or --unset FIELD)")
    said = []
    for dotted, text in assignments:
        parts = dotted.split(".")
        if parts[0] == id_field:
            raise EditError(f"{dotted} cannot be set: {PROTECTED.get(parts[0], 'it is the record id and its file name')}")
        if parts[0] in PROTECTED and len(parts) == 1 and kind == "school":
            raise EditError(f"{dotted} cannot be set as one value: {PROTECTED[parts[0]]}")
        value = coerce(kind, dotted, text)
        old, new = _set(doc, kind, parts, value)
        if _private_value(doc, parts):
            said.append(f"{dotted} changed (not for circulation)")
        elif roundtrip.plain(old) != roundtrip.plain(roundtrip.to_yaml(new)):
            said.append(f"{dotted}: {_show(old)} -> {_show(new)}")
    for dotted in unset:
        parts = dotted.split(".")
        schema_at(kind, parts)
        if parts[0] == id_field:
            raise EditError(f"{dotted} cannot be removed: it is the record id")
        old = _unset(doc, kind, parts)
        said.append(f"{dotted} removed (was {'not for circulation' if _private_value(doc, parts) else _show(old)})")
    if said:
        tx.subject = f"{label}: {'; '.join(said)}" if len(said) == 1 else f"{label}: set {', '.join(d.split(':')[0].split(' ')[0] for d in said)}"
        for s in said:
            tx.note(f"{label}: {s}")


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
    for nid, net in sorted(tx.model.networks.items()):
        for m in net.members:
            if m.school == urn and m.until is None and (m.since is None or m.since <= on):
                _end_member(tx, nid, urn, m.person, on, quiet=True)
                tx.note(f"{net.name}: {m.person} of {doc.get('name', urn)} leaves on {on}")


# --- networks ----------------------------------------------------------------------


def _existing(tx: Transaction, folder: str, slug: str, what: str) -> str:
    """The path of the ``what`` called ``slug`` in ``folder``; EditError naming close matches (or all) when absent."""
    path = f"{folder}/{valid_id(slug, what)}.yaml"
    if not tx.exists(path):
        known = sorted(p.stem for p in (tx.root / folder).glob("*.yaml"))
        close = difflib.get_close_matches(slug, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known) or 'none'}"
        raise EditError(f"no {what} {slug!r}{hint}")
    return path


def valid_id(text, what: str) -> str:
    """``text`` when it can name a file in a data folder; EditError ("not a
    valid id: ...") otherwise, before any path is built from it."""
    from nesa_cli.store.paths import UnsafePath, check_id

    try:
        return check_id(text, what)
    except UnsafePath as exc:
        raise EditError(str(exc)) from None


def network_path(tx: Transaction, slug: str) -> str:
    return _existing(tx, NETWORKS, slug, "network")


def network_add(tx: Transaction, slug: str, query: str, person: str, role: str | None = "member", since: date | None = None) -> None:
    path = network_path(tx, slug)
    urn, _ = find_school(tx, query)
    doc = tx.doc(path)
    since = since or tx.today
    for m in doc.get("members") or []:
        if m.get("school") == urn and m.get("person") == person and m.get("until") is None:
            raise EditError(f"{person} is already an active member of {doc.get('name', slug)}")
    append_entry(doc, "members", roundtrip.new_map({"school": urn, "person": person, "role": role, "since": since}), "network")
    school = tx.model.schools.get(urn)
    who = f"{person} ({school.name if school else urn})"
    tx.subject = f"{doc.get('name', slug)}: {who} joins"
    tx.note(f"{doc.get('name', slug)}: {who} joins from {since}")


def _end_member(tx: Transaction, slug: str, urn: int, person: str | None, on: date, quiet: bool = False) -> str:
    path = network_path(tx, slug)
    doc = tx.doc(path)
    active = [m for m in doc.get("members") or [] if m.get("school") == urn and m.get("until") is None
              and (person is None or m.get("person") == person)]
    if not active:
        raise EditError(f"{doc.get('name', slug)} has no active member from school {urn}" + (f" named {person}" if person else ""))
    if len(active) > 1:
        raise EditError(f"{doc.get('name', slug)} has several active members from school {urn} "
                        f"({', '.join(m.get('person') for m in active)}); say which with --person")
    entry = active[0]
    if entry.get("since") is not None and str(entry.get("since")) > on.isoformat():
        raise EditError(f"{entry.get('person')} joined on {entry.get('since')}, after {on}")
    put(entry, "until", on, key_order("network", ["members", "0"]))
    return entry.get("person")


def network_remove(tx: Transaction, slug: str, query: str, person: str | None = None, on: date | None = None) -> None:
    """End a membership (``until``): the history of who was a member stays."""
    urn, _ = find_school(tx, query)
    on = on or tx.today
    who = _end_member(tx, slug, urn, person, on)
    doc = tx.doc(network_path(tx, slug))
    school = tx.model.schools.get(urn)
    label = f"{who} ({school.name if school else urn})"
    tx.subject = f"{doc.get('name', slug)}: {label} leaves"
    tx.note(f"{doc.get('name', slug)}: {label} leaves on {on}")


# --- policies ------------------------------------------------------------------------


def policy_path(tx: Transaction, slug: str) -> str:
    return _existing(tx, POLICIES, slug, "policy")


def publish(tx: Transaction, slug: str, version: str, approved: date, summary: str | None = None,
            document: str | None = None) -> None:
    path = policy_path(tx, slug)
    doc = tx.doc(path)
    versions = doc.get("versions")
    if any(str(v.get("version")) == version for v in versions or []):
        raise EditError(f"{doc.get('title', slug)} already has a version {version}")
    roundtrip.append(versions, roundtrip.new_map({"version": version, "approved": approved, "summary": summary, "document": document}))
    tx.subject = f"{doc.get('title', slug)}: version {version} approved on {approved}"
    tx.note(f"{doc.get('title', slug)}: version {version} approved on {approved}" + (f" ({summary})" if summary else ""))


def adopt(tx: Transaction, slug: str, queries: list[str], on: date, version: str | None = None, body: str | None = None,
          local_changes: str | None = None) -> None:
    if not queries:
        raise EditError("name at least one school")
    path = policy_path(tx, slug)
    doc = tx.doc(path)
    title = doc.get("title", slug)
    if version is None:
        versions = [v for v in doc.get("versions") or [] if v.get("approved") is not None]
        if not versions:
            raise EditError(f"{title} has no approved version")
        version = str(max(versions, key=lambda v: str(v.get("approved"))).get("version"))
    adoptions = doc.get("adoptions") or []
    names = []
    already = []
    seen = set()
    for q in queries:
        urn, _ = find_school(tx, q)
        if urn in seen:
            continue
        seen.add(urn)
        if any(a.get("school") == urn and str(a.get("version")) == version for a in adoptions):
            school = tx.model.schools.get(urn)
            already.append(school.name if school else str(urn))
            continue  # the others are still recorded; this one is said once below
        append_entry(doc, "adoptions", roundtrip.new_map({"school": urn, "version": version, "date": on, "body": body,
                                                          "local_changes": local_changes}), "policy")
        adoptions = doc["adoptions"]
        school = tx.model.schools.get(urn)
        names.append(school.name if school else str(urn))
    if not names:
        who = already[0] if len(already) == 1 else ", ".join(already)
        raise EditError(f"{who} already adopted version {version} of {title}; nothing to record")
    what = names[0] if len(names) == 1 else f"{len(names)} schools"
    tx.subject = f"{title}: {what} adopted version {version}"
    for n in names:
        tx.note(f"{title}: {n} adopted version {version} on {on}")
    for n in already:
        tx.note(f"{title}: {n} had already adopted version {version}; left as it was")


# --- meetings and actions --------------------------------------------------------------


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

    if not re.fullmatch(r"strategic-board|joint-annual|(network|partnership):[a-z0-9]+(-[a-z0-9]+)*", body or ""):
        raise EditError(f"--body {body!r} must be strategic-board, joint-annual, network:<id> or partnership:<id>")
    kind, _, ref = body.partition(":")
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
    from nesa_cli.meetings.model import BODY_TITLES

    what = title or BODY_TITLES.get(body, body)
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


def open_actions(model, owner: str | None = None, include_done: bool = False):
    """A listing of meeting actions (open ones unless ``include_done``)."""
    from nesa_cli.meetings.model import meetings
    from nesa_cli.tabular import Listing

    rows = []
    for m in meetings(model):
        for a in m.actions:
            if a.status != "open" and not include_done:
                continue
            who = a.owner.label(model) if a.owner else ""
            if owner and owner.lower() not in who.lower() and owner != (a.owner.team or ""):
                continue
            rows.append({"id": a.id, "meeting": m.date.isoformat(), "action": a.action, "owner": who,
                         "due": a.due.isoformat() if a.due else None, "status": a.status})
    rows.sort(key=lambda r: (r["due"] or "9999", r["id"]))
    return Listing(columns=[("id", "Id"), ("action", "Action"), ("owner", "Owner"), ("due", "Due"), ("status", "Status")],
                   rows=rows, title="Actions from meetings")


def head_contact_index(doc) -> int | None:
    contacts = doc.get("contacts") or []
    for role in HEAD_ROLES:
        for i, c in enumerate(contacts):
            if c.get("role") == role:
                return i
    return None
