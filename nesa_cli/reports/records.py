"""Any kind's records as a listing, by the columns its kind declares (`nesa list KIND`)."""

from __future__ import annotations

from nesa_cli.errors import UsageError
from nesa_cli.tabular import Listing


class UnknownKind(UsageError, LookupError):
    """No kind of record by that name; the message lists the kinds there are."""


def list_records(model, kind_name: str) -> Listing:
    from nesa_cli.kinds import KINDS, named

    kind = named(kind_name)
    if kind is None:
        import difflib

        names = [k.title for k in KINDS]
        hint = difflib.get_close_matches(kind_name.lower(), names, n=1)
        tip = f"; did you mean '{hint[0]}'?" if hint else ""
        raise UnknownKind(f"no kind of record called {kind_name!r}{tip} (kinds: {', '.join(names)})")
    columns = [(attr, heading) for heading, attr in kind.columns]
    rows = []
    for ident, rec in sorted(model.records(kind.name).items(), key=lambda kv: str(kv[0])):
        rows.append({attr: (ident if attr in ("id", kind.id_field) and not hasattr(rec, attr) else getattr(rec, attr, None))
                     for attr, _ in columns})
    return Listing(columns, rows, title=kind.title[:1].upper() + kind.title[1:])
