"""Finance records: a financial year's money rules and the invoices issued.

Built from schema-valid data (money arrives as text such as "1250.00" and
becomes Decimal; dates arrive as text and become dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from nesa_cli.dates import parse
from nesa_cli.errors import DataError

LABEL = re.compile(r"([0-9]{4})-([0-9]{2})\Z")


def _m(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _n(value) -> Decimal | None:
    """A non-money number (hours, shares, ratio, quantity) as an exact Decimal."""
    return None if value is None else Decimal(str(value))


# --- the financial year ----------------------------------------------------------


def label_for(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_of(day: date, start_month: int) -> str:
    """The label of the financial year holding ``day``, e.g. '2025-26'."""
    return label_for(day.year if day.month >= start_month else day.year - 1)


def start_year(label: str) -> int:
    m = LABEL.match(label or "")
    if not m:
        raise ValueError(f"{label!r} is not a financial year such as 2025-26")
    first, second = int(m.group(1)), int(m.group(2))
    if (first + 1) % 100 != second:
        raise ValueError(f"{label!r} is not a financial year: {second:02d} does not follow {first}")
    return first


def bounds(label: str, start_month: int) -> tuple[date, date]:
    """First and last day of a financial year."""
    y = start_year(label)
    first = date(y, start_month, 1)
    nxt = date(y + 1, start_month, 1)
    return first, nxt - timedelta(days=1)


def months(label: str, start_month: int) -> list[date]:
    """The first day of each of the twelve months of the year."""
    y = start_year(label)
    out = []
    for i in range(12):
        m0 = start_month - 1 + i
        out.append(date(y + m0 // 12, m0 % 12 + 1, 1))
    return out


def normalise_year(text: str) -> str:
    """'2025-26' or '2025' -> '2025-26'; ValueError otherwise."""
    text = (text or "").strip()
    if re.fullmatch(r"[0-9]{4}", text):
        return label_for(int(text))
    start_year(text)
    return text


@dataclass(frozen=True)
class Band:
    up_to: int | None  # pupils, inclusive; None = no upper limit
    amount: Decimal


@dataclass(frozen=True)
class Scheme:
    method: str  # per-pupil, bands, share-of-total
    base: Decimal = Decimal("0.00")
    per_pupil: Decimal = Decimal("0")
    total: Decimal | None = None
    bands: tuple[Band, ...] = ()
    floor: Decimal | None = None
    cap: Decimal | None = None
    census_date: date | None = None
    description: str | None = None


@dataclass(frozen=True)
class Confirmation:
    school: int
    date: date
    minute: str
    po: str | None = None


@dataclass(frozen=True)
class Participant:
    school: int
    hours: Decimal | None = None
    share: Decimal | None = None
    po: str | None = None


@dataclass(frozen=True)
class Recharge:
    id: str
    description: str
    amount: Decimal
    split: str
    schools: tuple[Participant, ...]
    provider: int | None = None  # providing school (None: the fund, for commissioned contracts)
    supplier: str | None = None  # for commissioned contracts
    invoice_on: date | None = None
    contract: bool = False
    payment: dict = field(default_factory=dict, hash=False, compare=False)  # the provider's bank details, if given

    @property
    def kind(self) -> str:
        return "contract" if self.contract else "recharge"


@dataclass(frozen=True)
class Receipt:
    date: date
    amount: Decimal
    reference: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    name: str
    amount: Decimal | None = None
    match_for: str | None = None
    ratio: Decimal = Decimal("1")
    received: tuple[Receipt, ...] = ()


@dataclass(frozen=True)
class Stream:
    id: str
    name: str
    budget: Decimal
    description: str | None = None


@dataclass(frozen=True)
class SpendEntry:
    date: date
    stream: str
    amount: Decimal
    description: str
    status: str = "paid"  # paid or committed
    supplier: str | None = None
    activity: str | None = None


@dataclass
class FinanceYear:
    year: str
    fund: dict[str, Any]
    path: str = ""
    payment_terms_days: int = 30
    vat_treatment: str = "none"
    vat_rate: Decimal = Decimal("0")
    vat_number: str | None = None
    scheme: Scheme | None = None
    confirmations: tuple[Confirmation, ...] = ()
    recharges: tuple[Recharge, ...] = ()
    contracts: tuple[Recharge, ...] = ()
    sources: tuple[Source, ...] = ()
    streams: tuple[Stream, ...] = ()
    spend: tuple[SpendEntry, ...] = ()
    brought_forward: Decimal | None = None  # the previous year's closing balance (nesa_cli.finance.carry)

    @property
    def id(self) -> str:
        return self.year

    def confirmation(self, urn: int) -> Confirmation | None:
        for c in self.confirmations:
            if c.school == urn:
                return c
        return None

    def stream(self, sid: str) -> Stream | None:
        for s in self.streams:
            if s.id == sid:
                return s
        return None

    def source(self, sid: str) -> Source | None:
        for s in self.sources:
            if s.id == sid:
                return s
        return None

    @property
    def charges(self) -> tuple[Recharge, ...]:
        return self.recharges + self.contracts


def _participants(items) -> tuple[Participant, ...]:
    return tuple(Participant(int(p["school"]), _n(p.get("hours")), _n(p.get("share")), p.get("po")) for p in items or ())


def build_finance_year(d: dict, path: str = "") -> FinanceYear:
    c = d.get("contributions")
    scheme = None
    if c:
        scheme = Scheme(
            method=c["method"], base=_m(c.get("base")) or Decimal("0.00"), per_pupil=_n(c.get("per_pupil")) or Decimal("0"),
            total=_m(c.get("total")), bands=tuple(Band(b.get("up_to"), _m(b["amount"])) for b in c.get("bands") or ()),
            floor=_m(c.get("floor")), cap=_m(c.get("cap")), census_date=parse(c.get("census_date")),
            description=c.get("description"),
        )
    vat = d.get("vat") or {}
    return FinanceYear(
        year=str(d["year"]), fund=dict(d["fund"]), path=path,
        payment_terms_days=int(d.get("payment_terms_days", 30)),
        vat_treatment=vat.get("treatment", "none"), vat_rate=_n(vat.get("rate")) or Decimal("0"), vat_number=vat.get("number"),
        scheme=scheme,
        confirmations=tuple(Confirmation(int(x["school"]), parse(x["date"]), x["minute"], x.get("po")) for x in d.get("confirmations") or ()),
        recharges=tuple(
            Recharge(r["id"], r["description"], _m(r["amount"]), r["split"], _participants(r["schools"]),
                     provider=r["provider"], invoice_on=parse(r.get("invoice_on")), payment=dict(r.get("payment") or {}))
            for r in d.get("recharges") or ()
        ),
        contracts=tuple(
            Recharge(r["id"], r["description"], _m(r["cost"]), r["split"], _participants(r["schools"]),
                     supplier=r["supplier"], invoice_on=parse(r.get("invoice_on")), contract=True)
            for r in d.get("contracts") or ()
        ),
        sources=tuple(
            Source(s["id"], s["kind"], s["name"], _m(s.get("amount")), s.get("match_for"), _n(s.get("ratio")) or Decimal("1"),
                   tuple(Receipt(parse(r["date"]), _m(r["amount"]), r.get("reference")) for r in s.get("received") or ()))
            for s in d.get("sources") or ()
        ),
        streams=tuple(Stream(s["id"], s["name"], _m(s["budget"]), s.get("description")) for s in d.get("streams") or ()),
        spend=tuple(
            SpendEntry(parse(e["date"]), e["stream"], _m(e["amount"]), e["description"], e.get("status", "paid"),
                       e.get("supplier"), e.get("activity"))
            for e in d.get("spend") or ()
        ),
        brought_forward=Decimal(d["brought_forward"]) if d.get("brought_forward") is not None else None,
    )


# --- invoices --------------------------------------------------------------------

NUMBER = re.compile(r"([A-Z][A-Z0-9]{1,11})-([0-9]{4})-([0-9]{4,6})\Z")


def parse_number(number: str) -> tuple[str, int, int] | None:
    """'NESA-2025-0007' -> ('NESA', 2025, 7); None when it is not an invoice number."""
    m = NUMBER.match(number or "")
    return (m.group(1), int(m.group(2)), int(m.group(3))) if m else None


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}-{year}-{seq:04d}"


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass
class Invoice:
    number: str
    type: str  # invoice or credit-note
    year: str
    source: str
    issued: date
    due: date
    sender: dict[str, Any]
    to: dict[str, Any]
    lines: tuple[Line, ...]
    subtotal: Decimal
    vat: Decimal
    total: Decimal
    status: str
    path: str = ""
    vat_rate: Decimal = Decimal("0")
    vat_treatment: str = "none"
    vat_number: str | None = None
    po_reference: str | None = None
    terms: str | None = None
    payment: dict[str, Any] = field(default_factory=dict)
    notes: str | None = None
    paid_on: date | None = None
    payment_reference: str | None = None
    voided_on: date | None = None
    void_reason: str | None = None
    credit_note: str | None = None
    credits: str | None = None
    replaces: str | None = None
    part_payments: tuple[Receipt, ...] = ()  # payments that did not settle it (it stays issued until the rest is paid)

    @property
    def id(self) -> str:
        return self.number

    def part_paid(self, day: date | None = None) -> Decimal:
        """What the part payments received by ``day`` (all, when None) add up to."""
        return sum((r.amount for r in self.part_payments if day is None or r.date <= day), Decimal("0.00"))

    def net_of_vat(self, amount: Decimal) -> Decimal:
        """The share of ``amount`` (received against the total) that is not VAT, to the penny."""
        if self.total == self.subtotal or not self.total:
            return amount
        return (amount * self.subtotal / self.total).quantize(Decimal("0.01"))

    @property
    def school(self) -> int | None:
        return self.to.get("school")

    @property
    def is_credit_note(self) -> bool:
        return self.type == "credit-note"

    def overdue(self, today: date) -> bool:
        return self.status == "issued" and not self.is_credit_note and self.due < today

    def state(self, today: date) -> str:
        return "overdue" if self.overdue(today) else self.status


def build_invoice(d: dict, path: str = "") -> Invoice:
    totals = d["totals"]
    vat = d.get("vat") or {}
    return Invoice(
        number=d["number"], type=d.get("type", "invoice"), year=str(d["year"]), source=d["source"],
        issued=parse(d["issued"]), due=parse(d["due"]), sender=dict(d["from"]), to=dict(d["to"]),
        lines=tuple(Line(x["description"], _n(x["quantity"]), _m(x["unit_price"]), _m(x["amount"])) for x in d["lines"]),
        subtotal=_m(totals["subtotal"]), vat=_m(totals["vat"]), total=_m(totals["total"]), status=d["status"], path=path,
        vat_rate=_n(vat.get("rate")) or Decimal("0"), vat_treatment=vat.get("treatment", "none"), vat_number=vat.get("number"),
        po_reference=d.get("po_reference"), terms=d.get("terms"), payment=dict(d.get("payment") or {}), notes=d.get("notes"),
        paid_on=parse(d.get("paid_on")), payment_reference=d.get("payment_reference"),
        voided_on=parse(d.get("voided_on")), void_reason=d.get("void_reason"),
        credit_note=d.get("credit_note"), credits=d.get("credits"), replaces=d.get("replaces"),
        part_payments=tuple(Receipt(parse(r["date"]), _m(r["amount"]), r.get("reference")) for r in d.get("part_payments") or ()),
    )


def finance_years(model) -> dict[str, FinanceYear]:
    return dict(sorted((model.other.get("finance-year") or {}).items()))


def invoices(model) -> list[Invoice]:
    return sorted((model.other.get("invoice") or {}).values(), key=lambda i: (parse_number(i.number) or ("", 0, 0), i.number))


def year_file_problems(result, label: str) -> list:
    """Errors that kept the finance year ``label`` from being read: those of ``data/finance/<label>.yaml``
    (YAML syntax, schema) when no record was built from it. Empty when the year was read or has no file."""
    if result is None or (result.model.other.get("finance-year") or {}).get(label) is not None:
        return []
    by_file = getattr(result, "by_file", None) or {}
    out = []
    for ext in ("yaml", "yml"):
        path = f"data/finance/{label}.{ext}"
        out.extend(d for d in by_file.get(path, ()) if d.severity == "error")
        out.extend(d for d in result.diagnostics if d.path == path and d.severity == "error" and d not in out)
    return out


class FinanceYearUnreadable(DataError):
    """The finance year's file exists but could not be read; ``problems`` say where."""

    def __init__(self, label: str, problems: list):
        self.label = label
        self.problems = problems
        where = problems[0].path if problems else f"data/finance/{label}.yaml"
        super().__init__(f"the finance data for {label} cannot be read: {where} has "
                         f"{len(problems)} error{'s' if len(problems) != 1 else ''} (shown above)")
