"""Contributions to the Partnership Fund: who pays what, and why.

A school contributes for each month of the financial year it is a member on
the first day of (so a school joining on 1 September 2025 pays for 7 of the
12 months of 2025-26; one withdrawing on 31 August 2025 pays for 5). Pupil
numbers are taken from the census the scheme names (default: the alliance's
census date): the latest count on or before that date.

Methods:

* ``per-pupil``: base + rate x pupils, kept between the floor and the cap,
  then x months/12, rounded half up to the penny.
* ``bands``: the amount of the school's size band, floor/cap, x months/12.
* ``share-of-total``: the total to raise shared in proportion to pupils x
  months, each part between its floor and cap (pro rata by months too); what
  caps release is re-shared among the others; the largest-remainder rule
  makes the parts add up to the total to the penny.
"""

from __future__ import annotations

from nesa_cli.wording import plural

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from nesa_cli.errors import DataError
from nesa_cli.finance import money as m
from nesa_cli.finance.model import FinanceYear, Scheme, months


class FinanceError(DataError):
    """The finance data does not allow the calculation (says why)."""


@dataclass
class Contribution:
    urn: int
    school: str
    pupils: int | None
    census_date: date | None
    months: int
    calculation: str
    amount: Decimal
    confirmed: date | None = None
    minute: str | None = None
    po: str | None = None

    def as_dict(self) -> dict:
        return {"urn": self.urn, "school": self.school, "pupils": self.pupils, "census_date": self.census_date,
                "months": self.months, "calculation": self.calculation, "amount": self.amount,
                "confirmed": self.confirmed, "minute": self.minute}


@dataclass
class Contributions:
    year: str
    scheme: Scheme
    census_date: date
    rows: list[Contribution] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal("0.00"))

    @property
    def confirmed_total(self) -> Decimal:
        return sum((r.amount for r in self.rows if r.confirmed), Decimal("0.00"))


def member_months(school, label: str, start_month: int) -> int:
    """Months of the year on whose first day the school is a member."""
    return sum(1 for first in months(label, start_month) if school.is_member_on(first))


def _gbp(d: Decimal) -> str:
    sign = "-" if d < 0 else ""
    return f"{sign}£{abs(d):,.2f}"


def _rate(d: Decimal) -> str:
    text = f"{d.normalize():f}"
    if "." not in text:
        text += ".00"
    elif len(text.split(".")[1]) < 2:
        text += "0"
    return "£" + text


def band_amount(scheme: Scheme, pupils: int) -> Decimal:
    for band in scheme.bands:
        if band.up_to is None or pupils <= band.up_to:
            return band.amount
    return scheme.bands[-1].amount if scheme.bands else Decimal("0.00")


def _limits_text(full: Decimal, clamped: Decimal, scheme: Scheme) -> str:
    if clamped == full:
        return ""
    if scheme.floor is not None and clamped == scheme.floor and full < scheme.floor:
        return f"; raised to the floor of {_gbp(scheme.floor)}"
    return f"; limited to the cap of {_gbp(scheme.cap)}"


def calculate(model, fy: FinanceYear) -> Contributions:
    """Every contributing school's amount for the year (pure; raises FinanceError)."""
    scheme = fy.scheme
    if scheme is None:
        raise FinanceError(f"{fy.path or fy.year}: no contribution scheme (contributions:) for {fy.year}")
    alliance = model.alliance
    start_month = alliance.financial_year_start_month if alliance else 4
    census = scheme.census_date or (alliance.census_date if alliance else None)
    if census is None:
        raise FinanceError("no census date: set contributions.census_date or the alliance's census_date")
    out = Contributions(fy.year, scheme, census)
    schools = []
    missing = []
    for school in sorted(model.schools.values(), key=lambda s: s.urn):
        n_months = member_months(school, fy.year, start_month)
        if not n_months:
            continue
        count = school.pupils_on(census)
        if count is None:
            missing.append(f"{school.name} ({school.urn})")
            continue
        schools.append((school, n_months, count))
    if missing:
        raise FinanceError(f"no pupil number on or before the census date {census} for: {', '.join(missing)}")
    schools = _one_row_per_succession(model, fy, schools)
    for school, n_months, count in schools:
        conf = fy.confirmation(school.urn)
        out.rows.append(Contribution(school.urn, school.name, count.count, count.census_date, n_months, "", Decimal("0.00"),
                                     conf.date if conf else None, conf.minute if conf else None, conf.po if conf else None))
    if scheme.method == "share-of-total":
        _share_of_total(out, scheme)
    else:
        for row in out.rows:
            if scheme.method == "bands":
                full = band_amount(scheme, row.pupils)
                text = f"band amount for {row.pupils:,} pupils {_gbp(full)}"
            else:
                full = scheme.base + scheme.per_pupil * row.pupils
                text = f"{_gbp(scheme.base)} + {row.pupils:,} pupils x {_rate(scheme.per_pupil)} = {_gbp(m.round_pence(full))}"
            clamped = m.clamp(full, scheme.floor, scheme.cap)
            text += _limits_text(full, clamped, scheme)
            amount = m.round_pence(Fraction(clamped) * row.months / 12)
            if row.months != 12:
                text += f"; x {row.months}/12 months"
            row.calculation, row.amount = text, amount
    return out


def _one_row_per_succession(model, fy, schools: list) -> list:
    """issue 20, conversions: a school that converted within the year pays one contribution for the
    year, not two part-year ones: the months of its URNs add up (at most 12) on the row of the URN
    whose governing body confirmed it (else the older URN), which the year's invoice names."""
    from nesa_cli.succession import lineage

    groups: dict[int, list] = {}
    for item in schools:
        groups.setdefault(lineage(model, item[0].urn), []).append(item)
    out = []
    for items in groups.values():
        if len(items) == 1:
            out.append(items[0])
            continue
        confirmed = [i for i in items if fy.confirmation(i[0].urn) is not None]
        school, _, count = (confirmed or items)[0]
        out.append((school, min(12, sum(i[1] for i in items)), count))
    return sorted(out, key=lambda i: i[0].urn)


def _share_of_total(out: Contributions, scheme: Scheme) -> None:
    if scheme.total is None:
        raise FinanceError("the share-of-total method needs contributions.total")
    rows = out.rows
    if not rows:
        return
    weights = {r.urn: Fraction(r.pupils * r.months) for r in rows}
    floors = {r.urn: m.to_pence_fraction(Fraction(scheme.floor) * r.months / 12) if scheme.floor is not None else 0 for r in rows}
    caps = {r.urn: m.to_pence_fraction(Fraction(scheme.cap) * r.months / 12) if scheme.cap is not None else None for r in rows}
    try:
        pence = m.share_with_limits(m.to_pence(scheme.total), weights, floors, caps)
    except m.MoneyError as exc:
        raise FinanceError(f"the total {_gbp(scheme.total)} cannot be shared: {exc}") from None
    all_pupils = sum(r.pupils for r in rows)
    for r in rows:
        r.amount = m.from_pence(pence[r.urn])
        text = f"{r.pupils:,} of {all_pupils:,} pupils' share of {_gbp(scheme.total)}"
        if r.months != 12:
            text += f", weighted {r.months}/12 months"
        if floors[r.urn] and pence[r.urn] == floors[r.urn]:
            text += "; at the floor"
        elif caps[r.urn] is not None and pence[r.urn] == caps[r.urn]:
            text += "; at the cap"
        r.calculation = text


def listing(model, fy: FinanceYear):
    """The ``nesa finance contributions`` table."""
    from nesa_cli.finance.invoices import live_by_source, source_key
    from nesa_cli.tabular import Listing

    result = calculate(model, fy)
    issued = live_by_source(model)
    rows = []
    for r in result.rows:
        inv = issued.get(source_key("contribution", fy.year, r.urn))
        rows.append({**r.as_dict(), "confirmed": bool(r.confirmed), "confirmed_on": r.confirmed, "minute": r.minute,
                     "invoice": inv.number if inv else None})
    unconfirmed = [r for r in result.rows if not r.confirmed]
    notes = [
        f"Total {_gbp(result.total)} from {plural(len(result.rows), 'school')}; confirmed by governing bodies {_gbp(result.confirmed_total)}"
        + (f"; {len(unconfirmed)} not yet confirmed" if unconfirmed else ""),
        f"Pupils from the census of {result.census_date}; method {result.scheme.method}.",
    ]
    return Listing(
        columns=[("urn", "URN"), ("school", "School"), ("pupils", "Pupils"), ("months", "Months"), ("calculation", "Calculation"),
                 ("amount", "Amount"), ("confirmed_on", "Confirmed"), ("minute", "Minute"), ("invoice", "Invoice")],
        rows=rows, title=f"Contributions to {fy.fund.get('name', 'the Partnership Fund')} {fy.year}", notes=notes,
    )
