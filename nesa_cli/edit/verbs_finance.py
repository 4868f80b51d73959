"""The finance verbs: a governing body's confirmation, a recharge, a source,
a stream, a line of spend, each added to the year's file (data/finance/<YYYY-YY>.yaml)."""

from __future__ import annotations

from datetime import date

from nesa_cli.edit import fields, items, roundtrip
from nesa_cli.edit.records import existing
from nesa_cli.edit.transaction import EditError, Transaction

KIND = "finance-year"


def year_file(tx: Transaction, year: str | None, day: date):
    """(label, path, doc) of the finance year ``year``, or the one holding ``day``."""
    from nesa_cli.finance.model import normalise_year, year_of

    if year:
        try:
            label = normalise_year(year)
        except ValueError as exc:
            raise EditError(str(exc)) from None
    else:
        start = tx.model.alliance.financial_year_start_month if tx.model.alliance else 4
        label = year_of(day, start)
    path = existing(tx, KIND, label)
    return label, path, tx.doc(path)


def _school(tx: Transaction, query: str) -> tuple[int, str]:
    from nesa_cli.edit.verbs_school import find_school

    urn, _ = find_school(tx, str(query))
    s = tx.model.schools.get(urn)
    return urn, s.name if s else str(urn)


def _unique(doc, key: str, ident: str, what: str, label: str) -> None:
    if any(str(e.get("id")) == ident for e in doc.get(key) or []):
        raise EditError(f"{label} already has a {what} {ident!r}; change it with nesa finance set {label} {key}.N.FIELD=...")


def confirm(tx: Transaction, year: str | None, school: str, on: date, minute: str, po: str | None = None) -> None:
    """Record a governing body's confirmation of its school's contribution."""
    label, path, doc = year_file(tx, year, on)
    urn, name = _school(tx, school)
    for e in doc.get("confirmations") or []:
        if e.get("school") == urn:
            raise EditError(f"{name} already confirmed its {label} contribution on {e.get('date')} ({e.get('minute')})")
    if not (minute or "").strip():
        raise EditError("give the minute reference with --minute, e.g. 'FGB 14/26 item 6'")
    items.add_entry(doc, KIND, "confirmations", {"school": urn, "date": on, "minute": minute, "po": po})
    tx.subject = f"{label}: {name} confirms its contribution"
    tx.note(f"{label}: {name} ({urn}) confirmed on {on} ({minute})" + (f", PO {po}" if po else ""))


SPLIT_FIELD = {"hours": "hours", "shares": "share"}


def recharge(tx: Transaction, year: str | None, ident: str, description: str, provider: str, amount: str, split: str,
             schools: list[str], invoice_on: date | None = None) -> None:
    """Add a recharge: a cost one school carries for others. ``schools`` are
    URNs, with ``:N`` hours or shares when the split is by hours or shares."""
    label, path, doc = year_file(tx, year, invoice_on or tx.today)
    fields.valid_slug(ident, "recharge")
    _unique(doc, "recharges", ident, "recharge", label)
    split = fields.coerce(KIND, "recharges.0.split", split)
    provider_urn, provider_name = _school(tx, provider)
    if not schools:
        raise EditError("name the schools sharing the cost with --school URN (repeat)" +
                        (f", each with its {SPLIT_FIELD[split]}: --school 122101:3" if split in SPLIT_FIELD else ""))
    shares = []
    for text in schools:
        urn_text, sep, size = str(text).partition(":")
        urn, _ = _school(tx, urn_text)
        part = {"school": urn}
        if split in SPLIT_FIELD:
            if not sep:
                raise EditError(f"--school {text}: the split is by {split}; give each school's {SPLIT_FIELD[split]} as URN:N, e.g. {urn}:3")
            part[SPLIT_FIELD[split]] = fields.coerce(KIND, f"recharges.0.schools.0.{SPLIT_FIELD[split]}", size)
        elif sep:
            raise EditError(f"--school {text}: the split is {split}, so give the URN alone")
        shares.append(roundtrip.new_map(part))
        shares[-1].fa.set_flow_style()
    items.add_entry(doc, KIND, "recharges", {"id": ident, "description": description, "provider": provider_urn,
                                              "amount": amount, "split": split, "schools": shares,
                                              "invoice_on": invoice_on}, flow=False)
    tx.subject = f"{label}: recharge {ident} from {provider_name}"
    tx.note(f"{label}: recharge {ident} ({description}) from {provider_name}, £{fields.money('--amount', amount)} "
            f"split by {split} across {len(shares)} schools")


def spend(tx: Transaction, year: str | None, stream: str, amount: str, description: str, on: date,
          supplier: str | None = None, activity: str | None = None, committed: bool = False) -> None:
    """Add a line of spend (paid, or committed: ordered, not yet paid)."""
    label, path, doc = year_file(tx, year, on)
    streams = [str(s.get("id")) for s in doc.get("streams") or []]
    if stream not in streams:
        import difflib

        close = difflib.get_close_matches(stream, streams, n=3)
        raise EditError(f"{label} has no stream {stream!r}" + (f"; did you mean {', '.join(close)}?" if close else
                                                              f"; streams: {', '.join(streams) or 'none'}"))
    items.add_entry(doc, KIND, "spend", {"date": on, "stream": stream, "amount": amount, "description": description,
                                          "status": "committed" if committed else None, "supplier": supplier,
                                          "activity": activity})
    shown = fields.money("--amount", amount)
    tx.subject = f"{label}: {'commit' if committed else 'spend'} £{shown} from {stream}"
    tx.note(f"{label}: £{shown} {'committed' if committed else 'spent'} on {on} from {stream}: {description}")


def source_add(tx: Transaction, year: str | None, ident: str, kind: str, name: str, amount: str | None = None,
               match_for: str | None = None, ratio: str | None = None) -> None:
    """Add a source of the fund's money (contributions, match, grant, reserve, other)."""
    label, path, doc = year_file(tx, year, tx.today)
    fields.valid_slug(ident, "source")
    _unique(doc, "sources", ident, "source", label)
    items.add_entry(doc, KIND, "sources", {"id": ident, "kind": kind, "name": name, "amount": amount,
                                            "match_for": match_for, "ratio": ratio}, flow=False)
    tx.subject = f"{label}: new source {ident}"
    tx.note(f"{label}: source {ident} ({kind}): {name}" + (f", £{fields.money('--amount', amount)}" if amount else ""))


def stream_add(tx: Transaction, year: str | None, ident: str, name: str, budget: str, description: str | None = None) -> None:
    """Add a spending stream with its budget for the year."""
    label, path, doc = year_file(tx, year, tx.today)
    fields.valid_slug(ident, "stream")
    _unique(doc, "streams", ident, "stream", label)
    items.add_entry(doc, KIND, "streams", {"id": ident, "name": name, "budget": budget, "description": description}, flow=False)
    tx.subject = f"{label}: new stream {ident}"
    tx.note(f"{label}: stream {ident} ({name}), budget £{fields.money('--budget', budget)}")
