"""Recharges between schools and commissioned contracts split across schools.

A recharge is a cost one school carries for others (a shared SENCO, shared
caretaker hours, bus hire): the providing school invoices each receiving
school its share; its own share, if it takes part, is not invoiced. A
commissioned contract (broadband, payroll) is bought once by the fund and
each taking-part school is invoiced its share of the cost.

Splits: ``equal``, by ``pupils`` (census count), by explicit ``shares`` or by
``hours`` used; always with the largest-remainder rule, ties by URN, so the
shares add up to the cost to the penny.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from nesa_cli.finance import money as m
from nesa_cli.finance.contributions import FinanceError
from nesa_cli.finance.model import FinanceYear, Recharge


@dataclass(frozen=True)
class Share:
    charge: Recharge
    urn: int
    weight: Decimal
    amount: Decimal
    po: str | None = None

    @property
    def invoiced(self) -> bool:
        return self.charge.contract or self.urn != self.charge.provider

    def basis(self, total_weight: Decimal) -> str:
        split = self.charge.split
        if split == "equal":
            return f"equal share of {m_text(self.charge.amount)}"
        unit = {"pupils": "pupils", "hours": "hours", "shares": "shares"}[split]
        rate = self.rate(total_weight)
        if rate is not None:
            return f"{_num(self.weight)} {unit if self.weight != 1 else unit[:-1]} × {m_text(rate)}"
        return f"{_num(self.weight)} of {_num(total_weight)} {unit} of {m_text(self.charge.amount)}"

    def rate(self, total_weight: Decimal) -> Decimal | None:
        """The price of one hour, pupil or share when the cost divides into
        whole pence and this share is exactly that many of them; else None."""
        if self.charge.split == "equal" or not total_weight:
            return None
        rate = self.charge.amount / total_weight
        if rate != rate.quantize(Decimal("0.01")) or self.weight * rate != self.amount:
            return None
        return rate.quantize(Decimal("0.01"))


def m_text(d: Decimal) -> str:
    return f"£{d:,.2f}"


def _num(d: Decimal) -> str:
    d = Decimal(d)
    return f"{d.normalize():f}" if d != d.to_integral() else f"{int(d):,}"


def census_for(model, fy: FinanceYear) -> date | None:
    if fy.scheme and fy.scheme.census_date:
        return fy.scheme.census_date
    return model.alliance.census_date if model.alliance else None


def weights(model, fy: FinanceYear, charge: Recharge) -> dict[int, Decimal]:
    """The weight of each taking-part school (raises FinanceError when one is missing)."""
    out: dict[int, Decimal] = {}
    census = census_for(model, fy)
    for p in charge.schools:
        if charge.split == "equal":
            w = Decimal(1)
        elif charge.split == "hours":
            w = p.hours
        elif charge.split == "shares":
            w = p.share
        else:
            school = model.schools.get(p.school)
            count = school.pupils_on(census) if school is not None and census else None
            w = Decimal(count.count) if count else None
        if w is None:
            what = {"hours": "hours", "shares": "share", "pupils": "pupil number"}[charge.split]
            raise FinanceError(f"{charge.kind} {charge.id}: no {what} for school {p.school}")
        out[p.school] = w
    return out


def shares(model, fy: FinanceYear, charge: Recharge) -> list[Share]:
    w = weights(model, fy, charge)
    try:
        pence = m.allocate(m.to_pence(charge.amount), w, order=sorted(w))
    except m.MoneyError as exc:
        raise FinanceError(f"{charge.kind} {charge.id}: {exc}") from None
    po = {p.school: p.po for p in charge.schools}
    return [Share(charge, urn, w[urn], m.from_pence(pence[urn]), po.get(urn)) for urn in sorted(w)]


def due(charge: Recharge, today: date) -> bool:
    return charge.invoice_on is None or charge.invoice_on <= today


def listing(model, fy: FinanceYear, today: date):
    """Every recharge and contract share of a year (``nesa finance recharges``)."""
    from nesa_cli.finance.invoices import live_by_source, source_key
    from nesa_cli.tabular import Listing

    issued = live_by_source(model)
    rows = []
    for charge in fy.charges:
        parts = shares(model, fy, charge)
        total_w = sum((s.weight for s in parts), Decimal(0))
        for s in parts:
            school = model.schools.get(s.urn)
            provider = model.schools.get(charge.provider) if charge.provider else None
            inv = issued.get(source_key(charge.kind, fy.year, charge.id, s.urn))
            rows.append({"kind": charge.kind, "id": charge.id, "from": provider.name if provider else (charge.supplier or ""),
                         "urn": s.urn, "school": school.name if school else s.urn, "basis": s.basis(total_w), "amount": s.amount,
                         "invoiced": s.invoiced, "invoice_on": charge.invoice_on, "invoice": inv.number if inv else None})
    return Listing(columns=[("kind", "Kind"), ("id", "Id"), ("from", "Provider / supplier"), ("school", "School"), ("basis", "Basis"),
                            ("amount", "Amount"), ("invoice_on", "Invoice on"), ("invoice", "Invoice")],
                   rows=rows, title=f"Recharges and commissioned contracts {fy.year}",
                   notes=["A providing school's own share is shown but not invoiced."])
