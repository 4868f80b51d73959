"""The network verbs: members join and leave (the history is kept)."""

from __future__ import annotations

from datetime import date

from nesa_cli.edit import roundtrip
from nesa_cli.edit.fields import append_entry, key_order, put
from nesa_cli.edit.transaction import EditError, Transaction
from nesa_cli.edit.records import existing
from nesa_cli.edit.verbs_school import find_school

def network_path(tx: Transaction, slug: str) -> str:
    return existing(tx, "network", slug)


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


def end_member(tx: Transaction, slug: str, urn: int, person: str | None, on: date) -> str:
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
    who = end_member(tx, slug, urn, person, on)
    doc = tx.doc(network_path(tx, slug))
    school = tx.model.schools.get(urn)
    label = f"{who} ({school.name if school else urn})"
    tx.subject = f"{doc.get('name', slug)}: {label} leaves"
    tx.note(f"{doc.get('name', slug)}: {label} leaves on {on}")


