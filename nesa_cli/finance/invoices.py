"""Invoices: what is due to be invoiced, the records, listings and documents.

Pure functions over the model; the writes (issue, pay, void) live in
:mod:`nesa_cli.finance.issue`.

Every invoice carries a ``source``, the thing it bills:

* ``contribution:<year>:<urn>`` a school's contribution to the fund;
* ``recharge:<year>:<recharge id>:<urn>`` a school's share of a recharge;
* ``contract:<year>:<contract id>:<urn>`` a school's share of a commissioned contract;
* ``credit:<invoice number>`` a credit note cancelling that invoice.

A source is invoiced once. ``issue`` skips every source that has an invoice
in any state, void ones included: a void invoice is replaced only on purpose,
with ``nesa invoices void NUMBER --reason ... --reissue``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from nesa_cli.dates import shift
from nesa_cli.finance import money as m
from nesa_cli.finance.model import FinanceYear, Invoice, format_number, invoices, parse_number

SBM_ROLES = ("school-business-manager", "office-manager")


def source_key(kind: str, year: str, *parts) -> str:
    return ":".join([kind, year, *map(str, parts)])


def live_by_source(model) -> dict[str, Invoice]:
    """The invoice in force for each source (void invoices and credit notes left out)."""
    return {i.source: i for i in invoices(model) if i.status != "void" and not i.is_credit_note}


def sources_invoiced(model) -> set[str]:
    return {i.source for i in invoices(model)}


# --- parties ----------------------------------------------------------------------


def address_lines(address: dict[str, str]) -> list[str]:
    return [address[k] for k in ("street", "locality", "address3", "town", "county", "postcode") if address.get(k)]


def school_party(school) -> dict[str, Any]:
    """A school as sender or recipient, as it stands at issue (kept in the record)."""
    out: dict[str, Any] = {"school": school.urn, "name": school.name, "address": address_lines(school.address)}
    for roles in (SBM_ROLES, ("headteacher", "executive-headteacher", "head-of-school")):
        people = school.contacts_with(*roles)
        if people:
            p = people[0]
            out["attention"] = f"{p.name}, {p.title or p.role.replace('-', ' ').capitalize()}"
            break
    if school.email:
        out["email"] = school.email
    return out


def fund_party(model, fy: FinanceYear) -> dict[str, Any]:
    fund = fy.fund
    holder = fund.get("account_holder") or {}
    out: dict[str, Any] = {"fund": fund["name"], "name": holder.get("name") or fund["name"]}
    school = model.schools.get(holder.get("school")) if holder.get("school") else None
    if holder.get("address"):
        out["address"] = list(holder["address"])
    elif school is not None:
        out["address"] = address_lines(school.address)
    else:
        out["address"] = []
    if fund.get("email"):
        out["email"] = fund["email"]
    return out


# --- amounts ---------------------------------------------------------------------


def line(description: str, quantity, unit_price: Decimal) -> dict[str, Any]:
    q = Decimal(quantity)
    return {"description": description, "quantity": q, "unit_price": m.money(unit_price),
            "amount": m.round_pence(q * unit_price)}


def totals(lines: list[dict], treatment: str, rate: Decimal) -> dict[str, Decimal]:
    subtotal = sum((x["amount"] for x in lines), Decimal("0.00"))
    vat = m.round_pence(subtotal * rate / 100) if treatment == "standard" else Decimal("0.00")
    return {"subtotal": subtotal, "vat": vat, "total": subtotal + vat}


def problems(inv: Invoice) -> list[tuple[tuple, str]]:
    """Arithmetic problems of one invoice record: (pointer, message)."""
    out = []
    subtotal = Decimal("0.00")
    for i, x in enumerate(inv.lines):
        want = m.round_pence(x.quantity * x.unit_price)
        if x.amount != want:
            out.append((("lines", i, "amount"), f"line {i + 1}: {x.quantity} x £{x.unit_price:,.2f} is £{want:,.2f}, not £{x.amount:,.2f}"))
        subtotal += x.amount
    if inv.subtotal != subtotal:
        out.append((("totals", "subtotal"), f"subtotal £{inv.subtotal:,.2f} is not the sum of the lines (£{subtotal:,.2f})"))
    vat = m.round_pence(inv.subtotal * inv.vat_rate / 100) if inv.vat_treatment == "standard" else Decimal("0.00")
    if inv.vat != vat:
        out.append((("totals", "vat"), f"VAT £{inv.vat:,.2f} should be £{vat:,.2f} ({inv.vat_treatment}, {inv.vat_rate}%)"))
    if inv.total != inv.subtotal + inv.vat:
        out.append((("totals", "total"), f"total £{inv.total:,.2f} is not subtotal + VAT (£{inv.subtotal + inv.vat:,.2f})"))
    return out


# --- what is due to be invoiced ----------------------------------------------------


@dataclass
class Draft:
    """An invoice to issue: everything but its number."""

    source: str
    record: dict[str, Any]

    @property
    def to_name(self) -> str:
        return self.record["to"]["name"]

    @property
    def total(self) -> Decimal:
        return self.record["totals"]["total"]


def _terms(fy: FinanceYear) -> str:
    return f"Payment due within {fy.payment_terms_days} days of the invoice date."


def _record(fy: FinanceYear, source: str, today: date, sender: dict, to: dict, lines: list[dict],
            payment: dict, po: str | None, notes: str | None = None) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "type": "invoice", "year": fy.year, "source": source, "issued": today,
        "due": shift(today, fy.payment_terms_days), "from": sender, "to": to,
    }
    if po:
        rec["po_reference"] = po
    rec["lines"] = lines
    rec["vat"] = {"treatment": fy.vat_treatment, "rate": fy.vat_rate}
    if fy.vat_number:
        rec["vat"]["number"] = fy.vat_number
    rec["totals"] = totals(lines, fy.vat_treatment, fy.vat_rate)
    rec["terms"] = _terms(fy)
    if payment:
        rec["payment"] = payment
    if notes:
        rec["notes"] = notes
    rec["status"] = "issued"
    return rec


def _fund_payment(fy: FinanceYear) -> dict:
    return {k: v for k, v in (fy.fund.get("payment") or {}).items()}


def contribution_lines(fy: FinanceYear, c) -> list[dict]:
    scheme = fy.scheme
    census = c.census_date.strftime("%d %B %Y").lstrip("0") if c.census_date else ""
    simple = (scheme.method == "per-pupil" and c.months == 12 and scheme.per_pupil == scheme.per_pupil.quantize(Decimal("0.01"))
              and scheme.base + scheme.per_pupil * c.pupils == c.amount)
    if simple:
        out = []
        if scheme.base:
            out.append(line(f"Partnership Fund contribution {fy.year}: base amount", 1, scheme.base))
        out.append(line(f"Partnership Fund contribution {fy.year}: per pupil on roll (census {census})", c.pupils,
                        scheme.per_pupil.quantize(Decimal("0.01"))))
        return out
    text = f"Partnership Fund contribution {fy.year}: {c.calculation} (census {census})"
    return [line(text, 1, c.amount)]


def plan(model, fy: FinanceYear, today: date, only: set[str] | None = None, skip: set[str] | None = None) -> list[Draft]:
    """Invoices due for ``fy`` and not yet issued: contributions of schools whose
    governing body has confirmed, then recharge and contract shares whose
    invoice date has come. ``only`` limits to those sources (re-issue)."""
    from nesa_cli.finance.contributions import calculate
    from nesa_cli.finance.recharges import due, shares

    done = sources_invoiced(model) if skip is None else skip
    out: list[Draft] = []

    def want(source: str) -> bool:
        return (only is None or source in only) and source not in done

    if fy.scheme is not None:
        sender = fund_party(model, fy)
        for c in calculate(model, fy).rows:
            source = source_key("contribution", fy.year, c.urn)
            if not c.confirmed or c.confirmed > today or not want(source) or c.amount <= 0:
                continue
            school = model.schools[c.urn]
            note = f"Confirmed by the governing body on {c.confirmed:%d %B %Y}".replace(" 0", " ") + f" (minute {c.minute})."
            out.append(Draft(source, _record(fy, source, today, sender, school_party(school), contribution_lines(fy, c),
                                             _fund_payment(fy), c.po, note)))
    for charge in fy.charges:
        if not due(charge, today) and only is None:
            continue
        parts = shares(model, fy, charge)
        total_w = sum((s.weight for s in parts), Decimal(0))
        for s in parts:
            source = source_key(charge.kind, fy.year, charge.id, s.urn)
            if not s.invoiced or not want(source) or s.amount <= 0:
                continue
            if charge.contract:
                sender = fund_party(model, fy)
                payment = _fund_payment(fy)
                text = f"{charge.description} ({charge.supplier}): {s.basis(total_w)}"
            else:
                provider = model.schools[charge.provider]
                sender = school_party(provider)
                payment = dict(charge.payment)
                text = f"{charge.description}: {s.basis(total_w)}"
            rate = s.rate(total_w)  # "4 hours × £600.00": quantity and unit price as they are
            lines = [line(text, s.weight, rate)] if rate is not None else [line(text, 1, s.amount)]
            out.append(Draft(source, _record(fy, source, today, sender, school_party(model.schools[s.urn]),
                                             lines, payment, s.po)))
    return out


def credit_note_record(inv: Invoice, number_of_original: str, today: date, reason: str) -> dict[str, Any]:
    """The credit note cancelling ``inv`` in full."""
    lines = [{"description": f"Credit for invoice {number_of_original}: {x.description}", "quantity": x.quantity,
              "unit_price": x.unit_price, "amount": x.amount} for x in inv.lines]
    rec: dict[str, Any] = {"type": "credit-note", "year": inv.year, "source": f"credit:{number_of_original}", "issued": today,
                           "due": today, "from": inv.sender, "to": inv.to}
    if inv.po_reference:
        rec["po_reference"] = inv.po_reference
    rec["lines"] = lines
    rec["vat"] = {"treatment": inv.vat_treatment, "rate": inv.vat_rate}
    if inv.vat_number:
        rec["vat"]["number"] = inv.vat_number
    rec["totals"] = {"subtotal": inv.subtotal, "vat": inv.vat, "total": inv.total}
    rec["terms"] = f"This credit note cancels invoice {number_of_original} in full; nothing is payable."
    rec["notes"] = f"Reason: {reason}"
    rec["status"] = "issued"
    rec["credits"] = number_of_original
    return rec


# --- reading -----------------------------------------------------------------------


def find(model, number: str) -> Invoice | None:
    return (model.other.get("invoice") or {}).get(number)


def as_dict(inv: Invoice, today: date | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": inv.number, "type": inv.type, "year": inv.year, "source": inv.source, "issued": inv.issued, "due": inv.due,
        "from": inv.sender, "to": inv.to, "po_reference": inv.po_reference,
        "lines": [{"description": x.description, "quantity": x.quantity, "unit_price": x.unit_price, "amount": x.amount} for x in inv.lines],
        "vat": {"treatment": inv.vat_treatment, "rate": inv.vat_rate, **({"number": inv.vat_number} if inv.vat_number else {})},
        "totals": {"subtotal": inv.subtotal, "vat": inv.vat, "total": inv.total},
        "terms": inv.terms, "payment": inv.payment or None, "notes": inv.notes, "status": inv.status,
        "paid_on": inv.paid_on, "payment_reference": inv.payment_reference, "voided_on": inv.voided_on,
        "void_reason": inv.void_reason, "credit_note": inv.credit_note, "credits": inv.credits, "replaces": inv.replaces,
        "part_payments": [{"date": r.date, "amount": r.amount, "reference": r.reference} for r in inv.part_payments] or None,
    }
    if today is not None:
        out["overdue"] = inv.overdue(today)
        out["days_overdue"] = (today - inv.due).days if inv.overdue(today) else 0
    return {k: v for k, v in out.items() if v is not None}


STATUSES = ("issued", "paid", "void", "overdue")


def listing(model, today: date, status: str | None = None, overdue: bool = False, year: str | None = None,
            school: int | None = None):
    """``nesa invoices list``: filter by status (issued, paid, void, overdue), year, school."""
    from nesa_cli.tabular import Listing

    rows = []
    outstanding = Decimal("0.00")
    for inv in invoices(model):
        if year and inv.year != year:
            continue
        if school is not None and inv.school != school and inv.sender.get("school") != school:
            continue
        state = inv.state(today)
        if overdue and state != "overdue":
            continue
        if status and not (state == status or (status == "issued" and inv.status == "issued")):
            continue
        if inv.status == "issued" and not inv.is_credit_note:
            outstanding += inv.total - inv.part_paid()
        rows.append({"number": inv.number, "type": inv.type, "year": inv.year, "issued": inv.issued, "due": inv.due,
                     "from": inv.sender.get("name"), "to": inv.to.get("name"), "school": inv.school, "total": inv.total,
                     "status": state, "paid_on": inv.paid_on,
                     "days_overdue": (today - inv.due).days if state == "overdue" else 0})
    notes = [f"{len(rows)} documents; outstanding £{outstanding:,.2f} (as of {today})"]
    return Listing(columns=[("number", "Number"), ("type", "Type"), ("issued", "Issued"), ("due", "Due"), ("from", "From"),
                            ("to", "To"), ("total", "Total"), ("status", "Status"), ("paid_on", "Paid"), ("days_overdue", "Days overdue")],
                   rows=rows, title="Invoices", notes=notes)


def document(model, inv: Invoice, today: date | None = None) -> dict[str, Any]:
    """What the invoice template gets."""
    alliance = model.alliance
    data = as_dict(inv)
    for key in ("po_reference", "terms", "payment", "notes", "paid_on", "voided_on", "void_reason", "credit_note", "credits", "replaces"):
        data.setdefault(key, None)
    for side in ("from", "to"):
        data[side] = {k: data[side].get(k) for k in ("name", "school", "fund", "address", "attention", "email")}
        data[side]["address"] = data[side]["address"] or []
    if data["payment"]:
        data["payment"] = {k: data["payment"].get(k) for k in ("bank", "account_name", "sort_code", "account_number", "instructions")}
    data["vat"] = {"treatment": inv.vat_treatment, "rate": inv.vat_rate, "number": (data.get("vat") or {}).get("number")}
    return {
        "invoice": data,
        "title": "Credit note" if inv.is_credit_note else "Invoice",
        "alliance": {"name": alliance.name, "short_name": alliance.short_name, "website": alliance.website, "email": alliance.email}
        if alliance else {"name": "", "short_name": "", "website": None, "email": None},
        "vat_shown": inv.vat_treatment == "standard",
        "vat_label": f"VAT at {inv.vat_rate.normalize():f}%" if inv.vat_treatment == "standard" else "VAT: not VAT registered",
        "held_by": held_by(model, inv),
        "numbering": numbering_note(model, inv),
        "asks_payment": inv.type == "invoice" and inv.status not in ("void", "paid"),
        "part_paid": inv.part_paid() if inv.status == "issued" else Decimal("0.00"), "owed": inv.total - inv.part_paid(),
    }


def held_by(model, inv: Invoice) -> str | None:
    """Who holds the fund in law, for invoices the fund sends: the alliance
    itself is not a legal body, so the invoice says whose account it is."""
    if not data_of(inv, "from").get("fund"):
        return None
    from nesa_cli.finance.model import finance_years
    from nesa_cli.finance.papers import holder_text

    fy = finance_years(model).get(inv.year)
    return holder_text(model, fy) if fy is not None else None


def numbering_note(model, inv: Invoice) -> str | None:
    """A school-to-school recharge carries a number from the alliance's shared
    series (one register of every invoice between members): say so."""
    sender = data_of(inv, "from")
    if sender.get("fund") or not sender.get("school"):
        return None
    short = model.alliance.short_name if model.alliance else "the alliance"
    return (f"Raised by {sender.get('name')} through the {short} shared invoice register: the number comes from the "
            f"alliance's series, which records every invoice between member schools. Please quote it when you pay.")


def data_of(inv: Invoice, side: str) -> dict:
    return (inv.sender if side == "from" else inv.to) or {}


# --- for the digest ----------------------------------------------------------------


def overdue(model, today: date) -> list[dict]:
    """Issued invoices past due, with what is still owed on each (after part payments)."""
    return [{"number": i.number, "to": i.to.get("name"), "school": i.school, "total": i.total - i.part_paid(), "due": i.due,
             "days": (today - i.due).days}
            for i in invoices(model) if i.overdue(today)]


def unconfirmed(model, today: date) -> list[dict]:
    """Member schools of the current year whose governing body has not confirmed the contribution."""
    from nesa_cli.finance.contributions import FinanceError, calculate
    from nesa_cli.finance.model import year_of

    if model.alliance is None:
        return []
    label = year_of(today, model.alliance.financial_year_start_month)
    fy = (model.other.get("finance-year") or {}).get(label)
    if fy is None or fy.scheme is None:
        return []
    try:
        rows = calculate(model, fy).rows
    except FinanceError:
        return []
    return [{"school": r.school, "urn": r.urn, "amount": r.amount, "year": label} for r in rows if not r.confirmed]


def next_number(prefix: str, year: int, used: set[str]) -> str:
    """1 + the highest number used for this prefix and year (never a gap refilled)."""
    top = 0
    for n in used:
        parsed = parse_number(n)
        if parsed and parsed[0] == prefix and parsed[1] == year:
            top = max(top, parsed[2])
    return format_number(prefix, year, top + 1)
