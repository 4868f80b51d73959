"""The alliance's own lists (central team, partnerships) and activities."""

from __future__ import annotations

from datetime import date

from nesa_cli.edit import fields, items
from nesa_cli.edit.transaction import EditError, Transaction

ALLIANCE = "data/alliance.yaml"


def _alliance(tx: Transaction):
    if not tx.exists(ALLIANCE):
        raise EditError(f"{ALLIANCE} does not exist (nesa init makes it)")
    return tx.doc(ALLIANCE)


def _unique(doc, key: str, ident: str, what: str) -> None:
    for i, e in enumerate(doc.get(key) or []):
        if str(e.get("id")) == ident:
            raise EditError(f"the alliance already has a {what} {ident!r} ({e.get('name')}); change it with "
                            f"nesa alliance set {key}.{i}.FIELD=VALUE")


def team_add(tx: Transaction, ident: str, name: str, role: str, title: str | None = None, email: str | None = None,
             phone: str | None = None, partnerships: list[str] = ()) -> None:
    """Add a member of the central team to data/alliance.yaml."""
    doc = _alliance(tx)
    fields.valid_slug(ident, "central-team")
    _unique(doc, "central_team", ident, "central-team member")
    items.add_entry(doc, "alliance", "central_team", {"id": ident, "name": name, "role": role, "title": title, "email": email,
                                                       "phone": phone, "partnerships": list(partnerships) or None}, flow=False)
    tx.subject = f"Central team: {name} ({ident}) joins"
    tx.note(f"central team: added {name} ({ident}), {role}")


def partnership_add(tx: Transaction, ident: str, name: str, type_: str, link: str | None = None,
                    description: str | None = None, leads: list[str] = ()) -> None:
    """Add a partnership (a smaller alliance inside the alliance); ``leads``: its lead heads as URN:Name."""
    from nesa_cli.edit.verbs_school import find_school

    doc = _alliance(tx)
    heads = []
    for text in leads:  # issue 20: lead heads
        head, _, person = text.partition(":")
        if not head.strip() or not person.strip():
            raise EditError(f"give a lead head as URN:Name, e.g. 122101:'Maria Fenwick' (not {text!r})")
        heads.append({"school": find_school(tx, head.strip())[0], "person": person.strip()})
    fields.valid_slug(ident, "partnership")
    _unique(doc, "partnerships", ident, "partnership")
    items.add_entry(doc, "alliance", "partnerships", {"id": ident, "name": name, "type": type_, "link": link,
                                                       "description": description, "leads": heads or None}, flow=False)
    tx.subject = f"New partnership: {name} ({ident})"
    tx.note(f"partnerships: added {name} ({ident}), {type_}" + (f", linked with {link}" if link else ""))


def new_activity(tx: Transaction, ident: str, title: str, kind: str, lead: str | None, start: date, schools: list[str] = (),
                 assignments=(), lead_team: str | None = None, lead_organisation: str | None = None) -> str:
    """Create data/activities/<id>.yaml. The lead is one of: ``lead`` (URN or URN:Name, a
    school), ``lead_team`` (a central-team id) or ``lead_organisation`` (Organisation or
    Organisation:Name, an outside party such as a university or the local authority)."""
    from nesa_cli.edit.records import new_record
    from nesa_cli.edit.verbs_school import find_school

    given = [o for o, v in (("--lead", lead), ("--lead-team", lead_team), ("--lead-organisation", lead_organisation)) if v]
    if len(given) != 1:
        raise EditError("give the lead with one of --lead URN[:Name] (a school), --lead-team ID (the central team) "
                        "or --lead-organisation 'Organisation[:Name]' (e.g. 'Newcastle University:Dr Samir Khan')"
                        + (f", not {' and '.join(given)}" if given else ""))
    first = {"title": title, "kind": fields.coerce("activity", "kind", kind)}
    if lead:
        head, sep, person = lead.partition(":")
        if not head.strip():
            raise EditError("give the lead school with --lead URN (or URN:Name)")
        urn, _ = find_school(tx, head.strip())
        first.update({"lead.school": urn, "lead.person": person.strip() or None})
    elif lead_team:
        first["lead.team"] = lead_team.strip()
    else:
        org, sep, person = lead_organisation.partition(":")
        if not org.strip():
            raise EditError("give the organisation with --lead-organisation 'Organisation[:Name]'")
        first.update({"lead.organisation": org.strip(), "lead.person": person.strip() or None})
    first.update({"schools": [find_school(tx, s)[0] for s in schools] or None, "start": start})
    return new_record(tx, "activity", ident, assignments, first=first)
