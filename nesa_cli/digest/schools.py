"""Per-school digests: each member school gets only what concerns it.

Configured by ``digest: per_school:`` in data/alliance.yaml::

    per_school:
      enabled: true
      to: headteacher          # a contact role; headteacher means the school's head
      contacts:                # schools whose digest goes to a named contact instead
        - school: 122150
          name: Liam Straker

What concerns a school: the open actions owned by it or by someone there; the
model policies it has not adopted at their current version; its contribution
if its governing body has not confirmed it; the invoices addressed to it that
are unpaid; the meetings in the next 14 days it is invited to (the networks it
belongs to, its partnership, the board); and the changes whose ``schools``
name it. A school whose contact cannot be found, has no email address, or has
it marked private is reported, never skipped in silence (a private address is
not used: it would be printed and kept in the sent-record).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from nesa_cli.succession import latest_adoption  # issue 20: a successor stands on its predecessor's adoptions

HEAD = "headteacher"
SECTIONS = ("due", "upcoming", "changes")  # the data check is the central team's


@dataclass(frozen=True)
class SchoolRecipient:
    urn: int
    school: str
    name: str
    email: str


@dataclass(frozen=True)
class Config:
    enabled: bool = False
    role: str = HEAD
    named: tuple[tuple[int, str], ...] = ()

    @staticmethod
    def of(alliance) -> "Config":
        d = getattr(alliance, "per_school", None) or {}
        named = tuple((c["school"], c["name"]) for c in d.get("contacts") or () if isinstance(c, dict))
        return Config(bool(d.get("enabled")), d.get("to") or HEAD, named)


def _role_words(role: str) -> str:
    return "head" if role == HEAD else role.replace("-", " ")


def recipient(school, config: Config) -> tuple[SchoolRecipient | None, str | None]:
    """Who at ``school`` gets its digest, or why nobody can (a sentence)."""
    where = f"{school.name} (URN {school.urn})"
    named = dict(config.named).get(school.urn)
    if named is not None:
        contact = school.contact_named(named)
        if contact is None:
            return None, (f"{where}: digest: per_school: contacts names {named}, who is not among the school's contacts; "
                          "no digest sent to the school")
        who = f"{contact.name}, named in digest: per_school: contacts,"
    else:
        contact = school.head if config.role == HEAD else next(iter(school.contacts_with(config.role)), None)
        if contact is None:
            return None, f"{where}: no {_role_words(config.role)} among its contacts; no digest sent to the school"
        who = f"{contact.name}, its {_role_words(config.role)},"
    if "email" in contact.private:
        return None, (f"{where}: {who} has an email address marked private, which the digest does not use; "
                      "no digest sent to the school (give a work address, or name another contact)")
    if not contact.email:
        return None, f"{where}: {who} has no email address; no digest sent to the school"
    return SchoolRecipient(school.urn, school.name, contact.name, contact.email), None


def recipients(model, today: date) -> tuple[list[SchoolRecipient], list[str]]:
    """Every member school's recipient (by school name), and the schools that have none."""
    config = Config.of(model.alliance)
    found, problems = [], []
    if not config.enabled:
        return found, problems
    for school in sorted(model.members_on(today), key=lambda s: (s.name, s.urn)):
        r, problem = recipient(school, config)
        if r:
            found.append(r)
        else:
            problems.append(problem)
    return found, problems


def invited_urns(model, meeting) -> set[int]:
    from nesa_cli.meetings.model import invited

    return {i.school for i in invited(model, meeting) if i.school is not None}


def for_school(digest: dict, changes: list, model, school, today: date) -> dict[str, Any]:
    """The team digest cut down to what concerns ``school``."""
    from nesa_cli.changes.render import Links
    from nesa_cli.digest.build import change_groups

    urn = school.urn
    meetings = model.other.get("meeting") or {}
    upcoming = [m for m in digest["upcoming"] if m["id"] in meetings and urn in invited_urns(model, meetings[m["id"]])]
    mine = [c for c in changes if urn in c.schools]
    due_ = school_due(digest["due"], model, today, urn)
    return dict(
        digest, school={"urn": urn, "name": school.name}, upcoming=upcoming, due=due_,
        action_count=sum(len(v) for v in due_.values() if isinstance(v, list)),
        changes=change_groups(mine, Links.of(model.alliance)), change_count=len(mine), more=0,
        sections=SECTIONS, left_out=[],
    )


def school_due(team: dict, model, today: date, urn: int) -> dict[str, Any]:
    """What the school has to do, from the team digest's lists and the model."""
    from nesa_cli.digest.build import action_row
    from nesa_cli.finance.model import invoices

    overdue = [i for i in team["overdue_invoices"] if i.get("school") == urn]
    open_actions = []
    for m in sorted((model.other.get("meeting") or {}).values(), key=lambda m: (m.date, m.id)):
        for a in m.actions:
            if a.status == "done" or a.owner is None or a.owner.school != urn or (a.due is not None and a.due < today):
                continue
            open_actions.append(action_row(model, m, a))
    open_actions.sort(key=lambda r: (r["due"] is None, r["due"] or today, r["meeting"]))
    adoptions = []
    for p in sorted(model.policies.values(), key=lambda p: (p.title, p.id)):
        ad = latest_adoption(model, p, urn)
        if ad is None or ad.version != p.current.version:
            adoptions.append({"policy": p.id, "title": p.title, "version": p.current.version,
                              "adopted": ad.version if ad else None})
    unpaid = [{"number": i.number, "to": i.to.get("name"), "school": urn, "total": i.total, "due": i.due}
              for i in invoices(model)
              if i.school == urn and i.status == "issued" and not i.is_credit_note and not i.overdue(today)]
    return {
        "policy_reviews": [],  # reviewing the model policies is the central team's work
        "overdue_actions": [a for a in team["overdue_actions"] if a.get("school") == urn],
        "open_actions": open_actions,
        "unconfirmed_contributions": [c for c in team["unconfirmed_contributions"] if c.get("urn") == urn],
        "overdue_invoices": overdue,
        "unpaid_invoices": unpaid,
        "adoptions_due": adoptions,
        "outstanding": sum((Decimal(str(i["total"])) for i in overdue if i.get("total") is not None), Decimal("0")),
    }
