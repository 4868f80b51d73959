"""Words for people: field labels from the schemas' titles, plurals, one date
style (UK: 9 December 2026), and names in place of ids on the terminal.

JSON and CSV keep the library's keys and ISO dates; only what a person reads
goes through here.
"""

from __future__ import annotations

from functools import lru_cache

# Fields a record has that no schema holds (worked out by the library).
DERIVED = {
    "pupils_census_date": "Census date", "member_since": "Member since", "status": "Status",
    "current_version": "Current version", "review_due": "Review due", "path": "File",
    "open_actions": "Open actions", "member_schools": "Member schools", "up_to_date": "Up to date",
    "adopted_version": "Adopted version", "adopted_on": "Adopted on", "days_overdue": "Days overdue",
    "overdue": "Overdue", "link": "Central-team link", "active": "Active", "network": "Network",
    "policy": "Policy", "urn": "URN", "id": "Id", "po_reference": "PO reference",
}


from nesa_cli.wording import day, plural, short_day  # noqa: F401  (one home for both sides)


@lru_cache(maxsize=None)
def labels(schema: str) -> dict[str, str]:
    """``key`` and ``parent.key`` -> the schema's title for that property."""
    from nesa_cli.resources import schema as load

    out: dict[str, str] = {}

    def walk(node: dict, prefix: str) -> None:
        if not isinstance(node, dict):
            return
        for key, sub in (node.get("properties") or {}).items():
            if not isinstance(sub, dict):
                continue
            if sub.get("title"):
                out.setdefault(prefix + key, sub["title"])
                out.setdefault(key, sub["title"])
            walk(sub, prefix + key + ".")
            walk(sub.get("items") or {}, prefix + key + ".")

    walk(load(schema), "")
    return out


def label(key: str, schema: str | None = None, parent: str | None = None) -> str:
    """The label a person reads for ``key`` (of ``parent``, in ``schema``)."""
    known = labels(schema) if schema else {}
    if parent and f"{parent}.{key}" in known:
        return known[f"{parent}.{key}"]
    if key in known:
        return known[key]
    if key in DERIVED:
        return DERIVED[key]
    return key.replace("_", " ").capitalize()


def team_name(model, ident: str | None) -> str | None:
    """A central-team member's name for their id (the id when unknown)."""
    if ident is None or not model.alliance:
        return ident
    member = model.alliance.team_member(ident)
    return member.name if member else ident
