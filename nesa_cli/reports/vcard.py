"""Contact cards (vCard 3.0, RFC 2426) from a contact sheet: one card per
person, with a stable UID, a structured name and the school's office.

A person is known by their work email (one that is for circulation), else by
their school and name: rows of the sheet for the same person (the head who is
also the DSL, a SENCO shared by two schools under one address) make one card,
whose UID is derived from that identity, so importing the file again updates
the cards a client already has instead of adding copies. Text is escaped
(backslash, comma, semicolon, line break) and lines are folded at 75 octets
without splitting a character, with CRLF line ends."""

from __future__ import annotations

import uuid

from nesa_cli.names import structured_name
from nesa_cli.reports.office import COUNTRY, office

# nesa's own namespace for contact UIDs (uuid5 of a person's identity)
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://nesa.example.org/contact")


def role_words(role: str) -> str:
    """A role in words, as the contact sheet says it, with a capital: "Designated safeguarding lead"."""
    from nesa_cli.reports.contacts import role_words as words

    text = words(role)
    return text[:1].upper() + text[1:]


def escape(text) -> str:
    """A TEXT value (RFC 2426 5.4 / RFC 6350 3.4)."""
    return (str(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (UTF-8), never inside a character."""
    out, cur, size = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append("".join(cur))
            cur, size = [" "], 1
        cur.append(ch)
        size += n
    out.append("".join(cur))
    return "\r\n".join(out)


def _contact(model, row):
    school = model.schools.get(row["urn"])
    for c in (school.contacts if school else ()):
        if c.name == row["name"] and c.role == row["role"]:
            return school, c
    return school, None


def person_key(urn, contact) -> str:
    """Who a contact is, for the card's UID: the work email when it is for
    circulation, else the school's URN and the name."""
    if contact is not None and contact.email and "email" not in contact.private:
        return "mailto:" + contact.email.strip().casefold()
    name = contact.name if contact is not None else ""
    return f"urn:{urn}:" + " ".join(name.split()).casefold()


def person_uid(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def people(model, rows) -> list[dict]:
    """The sheet's rows grouped by person, in the sheet's order: each with its
    key, contact record, and its roles as (school record, row) pairs."""
    groups: list[dict] = []
    alias: dict[str, dict] = {}
    for row in rows:
        school, contact = _contact(model, row)
        key = person_key(row["urn"], contact or _Named(row["name"]))
        local = person_key(row["urn"], _Named(row["name"]))
        group = alias.get(key) or alias.get(local)
        if group is None:
            group = {"key": key, "contact": contact, "name": row["name"], "roles": []}
            groups.append(group)
        if contact is not None and contact.family_name and not (group["contact"] and group["contact"].family_name):
            group["contact"] = contact  # the entry that says how the name divides
        alias.setdefault(key, group)
        alias.setdefault(local, group)
        group["roles"].append((school, row))
    return groups


class _Named:
    email = None
    private = frozenset()

    def __init__(self, name: str):
        self.name = name


def _unique(values):
    seen: list = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return seen


def _titles(titles: list[str]) -> list[str]:
    """Distinct titles, leaving out one that a longer one already says
    ("Headteacher" beside "Headteacher and Designated Safeguarding Lead")."""
    titles = _unique(titles)
    return [t for t in titles if not any(t != o and t.casefold() in o.casefold() for o in titles)]


def card(person: dict) -> list[str]:
    """The content lines of one person's card (unfolded)."""
    c = person["contact"]
    n = structured_name(person["name"], c.family_name if c else None, c.given_name if c else None)
    schools = _unique(s for s, _ in person["roles"] if s is not None)
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//nesa//contacts//EN", f"UID:{person_uid(person['key'])}",
             f"FN:{escape(person['name'])}", "N:" + ";".join(escape(p) for p in (n.family, n.given, n.additional, n.prefix, n.suffix))]
    if schools:
        lines.append(f"ORG:{escape(schools[0].name)}")
    by_school = []
    for s in schools or [None]:
        rows = [r for sc, r in person["roles"] if sc is s]
        titles = _titles([r.get("title") or role_words(r["role"]) for r in rows])
        by_school.append((s, ", ".join(titles)))
    if len(by_school) == 1:
        title = by_school[0][1]
    else:
        title = "; ".join(f"{s.name}: {t}" for s, t in by_school)
    if title:
        lines.append(f"TITLE:{escape(title)}")
    roles = _unique(role_words(r["role"]) for _, r in person["roles"] if r["role"] != "other")
    if roles:
        lines.append(f"ROLE:{escape(', '.join(roles))}")
    for email in _unique(r.get("email") for _, r in person["roles"]):
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(email)}")
    own = _unique(r.get("phone") for _, r in person["roles"])
    for phone in own:
        lines.append(f"TEL;TYPE=WORK,VOICE,PREF:{escape(phone)}")
    for mobile in _unique(r.get("mobile") for _, r in person["roles"]):
        lines.append(f"TEL;TYPE=CELL,VOICE:{escape(mobile)}")
    for s in schools:
        o = office(s)
        if o.phone and o.phone not in own:
            lines.append(f"TEL;TYPE=WORK,VOICE:{escape(o.phone)}")
        if o.street or o.town or o.postcode:
            parts = ("", o.school, o.street, o.town, o.county, o.postcode, COUNTRY)
            lines.append("ADR;TYPE=WORK:" + ";".join(escape(p) for p in parts))
    lines.append("END:VCARD")
    return lines


def to_vcf(model, listing) -> str:
    """vCard 3.0 for the people on a contact sheet (its rows: what the sheet
    may show, private details already left out or in), one card per person."""
    return "".join("\r\n".join(fold(line) for line in card(p)) + "\r\n" for p in people(model, listing.rows))
