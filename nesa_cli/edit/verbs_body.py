"""The body verbs: a new body, a member joins (with a role and a term of office), a term ends.

A member is written as the body files write them (nesa_cli.meetings.bodies):
``URN:Name`` a contact at a school, ``team:ID`` a central-team member, or a
name with an organisation (an outside member); or a rule (heads, governors).
Ending a term sets its ``to``: the history of who served when stays.
"""

from __future__ import annotations

from datetime import date

from nesa_cli.edit import roundtrip
from nesa_cli.edit.fields import append_entry, key_order, put
from nesa_cli.edit.records import existing, new_record
from nesa_cli.edit.transaction import EditError, Transaction

ROLES = ("chair", "vice-chair", "clerk", "member", "co-opted", "observer")
RULES = ("heads", "governors")


def body_path(tx: Transaction, slug: str) -> str:
    return existing(tx, "body", slug)


def parse_who(tx: Transaction, who: str | None, organisation: str | None = None, rule: str | None = None) -> dict:
    """The fields of a membership entry for WHO: URN:Name, team:ID, a name (with
    ``organisation``), or ``rule``."""
    from nesa_cli.edit.verbs_school import find_school

    if rule:
        if who or organisation:
            raise EditError("--rule stands for people by itself: give no person or organisation with it")
        if rule not in RULES:
            raise EditError(f"--rule {rule!r}: one of {', '.join(RULES)}")
        return {"rule": rule}
    if not who or not who.strip():
        raise EditError("say who: URN:Name (a school contact), team:ID (the central team), a name with --organisation, or --rule heads|governors")
    head, sep, rest = who.partition(":")
    if sep and head.strip() == "team":
        if organisation:
            raise EditError("a central-team member has no --organisation")
        tid = rest.strip()
        alliance = tx.model.alliance
        if alliance is not None and alliance.team_member(tid) is None:
            known = ", ".join(t.id for t in alliance.central_team) or "none"
            raise EditError(f"no central-team member {tid!r} in data/alliance.yaml (ids: {known})")
        return {"team": tid}
    if sep and head.strip().isdigit():
        if organisation:
            raise EditError("a school contact has no --organisation (it is the school)")
        urn, _ = find_school(tx, head.strip())
        name = rest.strip()
        school = tx.model.schools.get(urn)
        if school is not None and school.contact_named(name) is None:
            raise EditError(f"{name} is not a contact at {school.name}: add them with nesa schools add-contact first")
        return {"school": urn, "name": name}
    if not organisation:
        raise EditError(f"{who!r}: an outside member needs --organisation (or write URN:Name for a school contact, team:ID for the central team)")
    return {"name": who.strip(), "organisation": organisation.strip()}


def _label(tx: Transaction, entry: dict) -> str:
    if entry.get("rule"):
        from nesa_cli.meetings.bodies import RULES as WORDS

        return WORDS.get(entry["rule"], entry["rule"])
    if entry.get("team"):
        m = tx.model.alliance.team_member(entry["team"]) if tx.model.alliance else None
        return f"{m.name if m else entry['team']} (central team)"
    if entry.get("school") is not None:
        s = tx.model.schools.get(entry["school"])
        return f"{entry.get('name')} ({s.name if s else entry['school']})"
    return f"{entry.get('name')} ({entry.get('organisation')})"


def new_body(tx: Transaction, ident: str, name: str, purpose: str | None = None, quorum: str | None = None,
             rules: list[str] = (), assignments=()) -> str:
    """Create data/bodies/<id>.yaml; ``quorum`` a number (3) or a fraction (1/2)."""
    first: dict = {"name": name, "purpose": purpose}
    if quorum:
        q = quorum.strip()
        if q.isdigit():
            first["quorum.count"] = int(q)
        elif "/" in q:
            first["quorum.fraction"] = q
        else:
            raise EditError(f"--quorum {quorum!r}: a number of members (e.g. 4) or a fraction (e.g. 1/2)")
    for r in rules:
        if r not in RULES:
            raise EditError(f"--rule {r!r}: one of {', '.join(RULES)}")
    entries = [roundtrip.new_map({"rule": r}) for r in rules]
    for e in entries:
        e.fa.set_flow_style()
    first["membership"] = roundtrip.new_seq(entries) if entries else roundtrip.new_seq([], flow=True)
    return new_record(tx, "body", ident, assignments, first=first)


def add_member(tx: Transaction, slug: str, who: str | None, role: str = "member", start: date | None = None,
               end: date | None = None, organisation: str | None = None, email: str | None = None,
               rule: str | None = None) -> None:
    path = body_path(tx, slug)
    doc = tx.doc(path)
    if role not in ROLES:
        raise EditError(f"--role {role!r}: one of {', '.join(ROLES)}")
    entry = parse_who(tx, who, organisation, rule)
    if email:
        if "organisation" not in entry:
            raise EditError("--email is for an outside member (a school contact's or the team's address is on their own record)")
        entry["email"] = email
    if end is not None and start is not None and end < start:
        raise EditError(f"the term ends {end} before it starts {start}")
    on = start or tx.today
    for e in doc.get("membership") or []:
        same = all(e.get(k) == v for k, v in entry.items() if k != "email")
        serving = (e.get("to") is None or str(e.get("to")) >= on.isoformat()) and \
                  (e.get("from") is None or str(e.get("from")) <= on.isoformat())
        if same and serving and e.get("role", "member") == role:
            raise EditError(f"{_label(tx, entry)} is already on {doc.get('name', slug)} as {role} on {on}")
    item = {**entry, "role": role, "from": start, "to": end}
    new = roundtrip.new_map(item)
    existing_entries = doc.get("membership") or []
    if not existing_entries or all(getattr(e, "fa", None) is not None and e.fa.flow_style() for e in existing_entries):
        new.fa.set_flow_style()
    append_entry(doc, "membership", new, "body")
    who_words = _label(tx, entry)
    tx.subject = f"{doc.get('name', slug)}: {who_words} joins as {role}"
    tx.note(f"{doc.get('name', slug)}: {who_words} joins as {role}" + (f" from {start}" if start else "")
            + (f" to {end}" if end else ""))


def end_term(tx: Transaction, slug: str, who: str | None, on: date | None = None, organisation: str | None = None,
             rule: str | None = None, role: str | None = None) -> None:
    """End a serving member's term on ``on`` (their last day; default today): ``to: DATE``."""
    path = body_path(tx, slug)
    doc = tx.doc(path)
    on = on or tx.today
    if rule:
        entry = parse_who(tx, None, None, rule)
    else:
        head, sep, _ = (who or "").partition(":")
        # a bare name finds the person of any kind (school contact, outside member)
        entry = parse_who(tx, who, organisation) if (sep and (head.strip() == "team" or head.strip().isdigit())) or organisation \
            else {"name": (who or "").strip()}
    serving = []
    for e in doc.get("membership") or []:
        if not all(e.get(k) == v for k, v in entry.items()):
            continue
        if role and e.get("role", "member") != role:
            continue
        if e.get("to") is not None and str(e.get("to")) < on.isoformat():
            continue
        serving.append(e)
    body_name = doc.get("name", slug)
    if not serving:
        raise EditError(f"{body_name} has no member serving on {on} who is {who or rule}")
    if len(serving) > 1:
        roles = ", ".join(str(e.get("role", "member")) for e in serving)
        raise EditError(f"{who or rule} holds {len(serving)} places on {body_name} ({roles}); say which with --role")
    e = serving[0]
    if e.get("from") is not None and str(e.get("from")) > on.isoformat():
        raise EditError(f"the term starts on {e.get('from')}, after {on}: delete the entry with nesa bodies set --unset membership.N instead")
    put(e, "to", on, key_order("body", ["membership", "0"]))
    words = _label(tx, dict(e))
    tx.subject = f"{body_name}: {words}'s term ends"
    tx.note(f"{body_name}: {words}, {e.get('role', 'member')}, serves until {on}")



# --- declarations of interests (a body's interests:, nesa registers interests) ----------

# The schema's three lists of a declaration (schemas/body.schema.json, $defs.interest)
NATURES = ("business", "governance", "relationships")
_WORDS = {"business": ("a business interest", "business interests"), "governance": ("a governance role elsewhere", "governance roles elsewhere"),
          "relationships": ("a relationship", "relationships")}
_DECLARER = ("chair", "vice-chair", "member", "co-opted")  # whom the register lists (nesa_cli.reports.registers.LISTED)


def _find_body(tx: Transaction, text: str):
    """A body of data/bodies/ by id, name or a unique part of it (did you mean, otherwise)."""
    from nesa_cli.meetings.bodies import bodies
    from nesa_cli.reports.lookup import NotFound, find_one

    known = bodies(tx.model)
    if not known:
        raise EditError("this repository has no bodies yet: create one with nesa bodies new")
    try:
        return find_one(text, known.values(), lambda b: b.id, lambda b: b.name, "body")
    except NotFound as exc:
        raise EditError(str(exc)) from None


def _seat_key(seat) -> str:
    return f"team:{seat.team}" if seat.team else f"{seat.school}:{seat.name}" if seat.school is not None else seat.name


def _find_member(tx: Transaction, body, who: str, on: date):
    """The member of ``body`` on ``on`` that WHO names: their name or a unique part of it,
    URN:Name or team:ID (did you mean, otherwise)."""
    from nesa_cli.meetings.bodies import seats_on
    from nesa_cli.reports.lookup import NotFound, find_one

    seats = list({_seat_key(s): s for s in seats_on(tx.model, body, on) if s.role in _DECLARER and s.name}.values())
    try:
        return find_one(who, seats, _seat_key, lambda s: s.name, "member")
    except NotFound as exc:
        raise EditError(f"{body.name} on {on}: {exc} The register lists the members serving on the day "
                        f"(not the clerk or observers): see nesa registers interests {body.id}") from None


def declare(tx: Transaction, body_text: str, who: str, interests: list[str], nature: str = "business",
            on: date | None = None, replace: bool = False) -> None:
    """Record a member's declaration of interests in the body's ``interests:`` (the register).

    ``interests`` (each one text) go in the ``nature`` list (business, governance or
    relationships) of the member's declaration, dated ``on`` (default today). A member
    with a declaration already gets these added to it and its date moved on; with
    ``replace`` the new declaration stands alone (the earlier one's interests go: a
    fresh annual declaration). No interests: a declaration that they have none."""
    from nesa_cli.meetings.bodies import bodies

    if nature not in NATURES:
        raise EditError(f"--nature {nature!r}: one of {', '.join(NATURES)}")
    texts = [roundtrip.quoted(t.strip()) for t in interests]
    if any(not t for t in texts):
        raise EditError("--interest needs some text: what the interest is")
    on = on or tx.today
    body = _find_body(tx, body_text)
    seat = _find_member(tx, body, who, on)
    doc = tx.doc(body.path)
    whom = {"team": seat.team} if seat.team else {"school": seat.school, "name": seat.name} if seat.school is not None \
        else {"name": seat.name}
    label = f"{seat.name} ({seat.school_name})"
    entries = doc.get("interests") or []
    mine = next((i for i, d in enumerate(bodies(tx.model)[body.id].interests) if d.is_for(seat, tx.model)), None)
    entry = entries[mine] if mine is not None and mine < len(entries) else None
    if entry is not None and not replace:
        have = [t for n in NATURES for t in (entry.get(n) or [])]
        if not texts and have:
            raise EditError(f"{label} declared {len(have)} interest{'s' if len(have) != 1 else ''} on {entry.get('declared')}: "
                            "to declare none now, add --replace (a fresh declaration)")
        again = [t for t in texts if t in (entry.get(nature) or [])]
        if texts and len(again) == len(texts):
            raise EditError(f"{label} has already declared {again[0]!r} ({nature})")
        order = key_order("body", ["interests", "0"])
        for key, value in whom.items():  # the school as it is now (a declaration made at a former URN counts)
            if entry.get(key) != value:
                put(entry, key, value, order)
        put(entry, "declared", on, order)
        new = [t for t in texts if t not in again]
        if new:
            if entry.get(nature) is None:
                put(entry, nature, roundtrip.new_seq(new, flow=True), order)
            else:
                for t in new:
                    roundtrip.seq_insert(entry[nature], len(entry[nature]), t)
        said = _said(nature, new)
    else:
        item = roundtrip.new_map({**whom, "declared": on, **({nature: roundtrip.new_seq(texts, flow=True)} if texts else {})})
        if entries and all(getattr(e, "fa", None) is not None and e.fa.flow_style() for e in entries):
            item.fa.set_flow_style()
        if entry is not None:
            entries[mine] = item  # in its place: the comments around it stay
        else:
            append_entry(doc, "interests", item, "body")
        said = _said(nature, texts)
    tx.subject = f"Declaration of interests: {seat.name} ({body.id})"
    tx.note(f"{body.name}: {label} declares {said} on {on}" + (" (replacing the earlier declaration)" if replace and entry is not None else ""))


def _said(nature: str, texts: list[str]) -> str:
    if not texts:
        return "no interests"
    one, many = _WORDS[nature]
    return f"{one if len(texts) == 1 else many}: " + "; ".join(texts)
