"""Contact sheets: alliance-wide, per network, partnership, school or role; CSV and vCard 3.0."""

from __future__ import annotations

from nesa_cli.errors import UsageError
from nesa_cli.model import HEAD_ROLES
from nesa_cli.tabular import Listing

PRIVATE_NOTE = "Includes details not for circulation"
PUBLIC_NOTE = "Circulation copy: private details removed"


class ContactsError(UsageError, ValueError):
    """An unknown network, partnership or school."""


def role_words(role: str) -> str:
    from nesa_cli.changes.describe import ROLE_WORDS

    return ROLE_WORDS.get(role, str(role).replace("-", " "))


def roles_wanted(role: str | None) -> tuple[str, ...] | None:
    """The contact roles ``--role`` means: a headteacher's seat is also held
    by an executive headteacher or a head of school."""
    if not role:
        return None
    return HEAD_ROLES if role == "headteacher" else (role,)


def school_address(school) -> str:
    a = school.address or {}
    return ", ".join(str(a[k]) for k in ("street", "locality", "address3", "town", "postcode") if a.get(k))


def contact_sheet(model, on, network=None, partnership=None, school=None, role=None, include_private=False) -> Listing:
    rows = []
    lead = None
    if network:
        n = model.networks.get(network)
        if not n:
            raise ContactsError(f"no network {network!r}")
        wanted = {(m.school, m.person) for m in n.active_members(on)}
        lead = (n.lead_school, n.lead_person)
        scope = n.name
    else:
        wanted = None
        scope = model.alliance.name if model.alliance else "the alliance"
    if partnership:
        known = {p.id: p for p in model.alliance.partnerships} if model.alliance else {}
        if partnership not in known:
            raise ContactsError(f"no partnership {partnership!r} (known: {', '.join(sorted(known)) or 'none'})")
        scope = known[partnership].name
    if school is not None and school not in model.schools:
        raise ContactsError(f"no school with URN {school}")
    roles = roles_wanted(role)
    # issue 20: the partnership's lead heads (of every partnership on an alliance-wide sheet)
    leads = {ld for p in (model.alliance.partnerships if model.alliance else ()) if not partnership or p.id == partnership
             for ld in p.leads}
    for s in sorted(model.members_on(on), key=lambda s: s.name):
        if partnership and partnership not in s.partnerships:  # issue 20: any of its partnerships
            continue
        if school and s.urn != school:
            continue
        for c in s.contacts:
            if wanted is not None and (s.urn, c.name) not in wanted:
                continue
            if roles and c.role not in roles:
                continue
            d = c.as_dict(include_private)
            rows.append({"school": s.name, "urn": s.urn, "role": c.role, "name": c.name, "title": d.get("title"),
                         "email": d.get("email"), "phone": d.get("phone"), "mobile": d.get("mobile"),
                         "school_phone": s.phone, "school_address": school_address(s),
                         "network_lead": bool(lead and lead == (s.urn, c.name)),
                         "partnership_lead": (s.urn, c.name) in leads})
    if school:
        scope = model.schools[school].name
    title = f"Contacts: {scope}"
    if role:
        title += f" ({role_words(role)}s)" if role != "headteacher" else " (headteachers, executive heads and heads of school)"
    return Listing(columns=[("school", "School"), ("urn", "URN"), ("role", "Role"), ("name", "Name"), ("title", "Title"),
                            ("email", "Email"), ("phone", "Phone"), ("mobile", "Mobile"),
                            ("school_phone", "School phone"), ("school_address", "School address")], rows=rows,
                   title=title, notes=[PRIVATE_NOTE if include_private else PUBLIC_NOTE])


def sheet_document(model, sheet: Listing, on, include_private: bool = False) -> dict:
    """The contact sheet as a document: grouped by school, with the date it was
    produced (it is a list of personal data, and goes out of date)."""
    schools: list[dict] = []
    for r in sheet.rows:
        if not schools or schools[-1]["urn"] != r["urn"]:
            schools.append({"name": r["school"], "urn": r["urn"], "phone": r["school_phone"], "address": r["school_address"], "contacts": []})
        schools[-1]["contacts"].append({"name": r["name"], "role": (r["title"] or role_words(r["role"]).capitalize())
                                        + (" (partnership lead)" if r.get("partnership_lead") else ""),
                                        "email": r["email"], "phone": r["phone"], "mobile": r["mobile"], "network_lead": r["network_lead"]})
    people = len(sheet.rows)
    return {"alliance": model.alliance.name if model.alliance else "", "title": sheet.title, "note": sheet.notes[0],
            "private": include_private, "produced": on, "rows": sheet.rows, "schools": schools,
            "counts": f"{people} {'person' if people == 1 else 'people'} at {len(schools)} school{'' if len(schools) == 1 else 's'}"}


