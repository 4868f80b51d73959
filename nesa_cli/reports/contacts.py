"""Contact sheets: alliance-wide, per network, partnership, school or role; CSV and vCard 3.0."""

from __future__ import annotations

from nesa_cli.errors import UsageError
from nesa_cli.tabular import Listing

PRIVATE_NOTE = "Includes details not for circulation"
PUBLIC_NOTE = "Circulation copy: private details removed"


class ContactsError(UsageError, ValueError):
    """An unknown network, partnership or school."""


def contact_sheet(model, on, network=None, partnership=None, school=None, role=None, include_private=False) -> Listing:
    rows = []
    if network:
        n = model.networks.get(network)
        if not n:
            raise ContactsError(f"no network {network!r}")
        wanted = {(m.school, m.person) for m in n.active_members(on)}
        scope = f"network {n.name}"
    else:
        wanted = None
        scope = "the alliance"
    if partnership:
        known = sorted(p.id for p in model.alliance.partnerships) if model.alliance else []
        if partnership not in known:
            raise ContactsError(f"no partnership {partnership!r} (known: {', '.join(known) or 'none'})")
    if school is not None and school not in model.schools:
        raise ContactsError(f"no school with URN {school}")
    for s in sorted(model.members_on(on), key=lambda s: s.name):
        if partnership and s.partnership != partnership:
            continue
        if school and s.urn != school:
            continue
        for c in s.contacts:
            if wanted is not None and (s.urn, c.name) not in wanted:
                continue
            if role and c.role != role:
                continue
            d = c.as_dict(include_private)
            rows.append({"school": s.name, "urn": s.urn, "role": c.role, "name": c.name, "title": d.get("title"),
                         "email": d.get("email"), "phone": d.get("phone"), "mobile": d.get("mobile")})
    if partnership:
        scope = f"partnership {partnership}"
    if school:
        scope = f"school {school}"
    if role:
        scope += f", role {role}"
    return Listing(columns=[("school", "School"), ("urn", "URN"), ("role", "Role"), ("name", "Name"), ("title", "Title"),
                            ("email", "Email"), ("phone", "Phone"), ("mobile", "Mobile")], rows=rows,
                   title=f"Contacts: {scope}", notes=[PRIVATE_NOTE if include_private else PUBLIC_NOTE])


def _esc(text) -> str:
    return str(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def to_vcf(listing: Listing) -> str:
    """vCard 3.0, one card per row, CRLF line ends."""
    cards = []
    for r in listing.rows:
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_esc(r['name'])}"]
        family = r["name"].split()[-1] if r["name"].split() else r["name"]
        given = " ".join(r["name"].split()[:-1])
        lines.append(f"N:{_esc(family)};{_esc(given)};;;")
        lines.append(f"ORG:{_esc(r['school'])}")
        lines.append(f"TITLE:{_esc(r['title'] or r['role'])}")
        if r.get("email"):
            lines.append(f"EMAIL;TYPE=INTERNET,WORK:{_esc(r['email'])}")
        if r.get("phone"):
            lines.append(f"TEL;TYPE=WORK:{_esc(r['phone'])}")
        if r.get("mobile"):
            lines.append(f"TEL;TYPE=CELL:{_esc(r['mobile'])}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines) + "\r\n")
    return "".join(cards)
