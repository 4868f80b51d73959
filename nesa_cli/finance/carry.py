"""A fund over several years: each year's unspent balance is brought forward into the next.

A finance year's closing balance is what it brought forward (``brought_forward``,
0 when absent) plus the money received (every source's receipts and the
contribution invoices paid, in full or in part) less the money spent (paid spend; committed spend
is not yet out of the account). The next year's ``brought_forward`` must be
that balance to the penny (rule ``finance-carry-forward``). A fund agreed for
several years says so with ``fund: runs: {from: 2025-26, to: 2027-28}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nesa_cli.finance.model import FinanceYear, invoices, label_for, start_year

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Balance:
    year: str
    brought_forward: Decimal  # 0 when the file gives none
    received: Decimal
    spent: Decimal
    committed: Decimal
    given: bool  # the file gives brought_forward

    @property
    def closing(self) -> Decimal:
        return self.brought_forward + self.received - self.spent


def previous_label(label: str) -> str:
    return label_for(start_year(label) - 1)


def next_label(label: str) -> str:
    return label_for(start_year(label) + 1)


def balance(model, fy: FinanceYear) -> Balance:
    mine = [i for i in invoices(model) if i.year == fy.year and i.source.startswith("contribution:") and not i.is_credit_note]
    paid = sum((i.subtotal for i in mine if i.status == "paid"), ZERO)
    paid += sum((i.net_of_vat(i.part_paid()) for i in mine if i.status == "issued"), ZERO)  # part payments
    got = sum((r.amount for s in fy.sources if s.kind != "contributions" for r in s.received), ZERO)
    spent = sum((e.amount for e in fy.spend if e.status == "paid"), ZERO)
    committed = sum((e.amount for e in fy.spend if e.status == "committed"), ZERO)
    return Balance(fy.year, fy.brought_forward if fy.brought_forward is not None else ZERO, paid + got, spent, committed,
                   fy.brought_forward is not None)


def runs(fy: FinanceYear) -> tuple[str, str] | None:
    r = fy.fund.get("runs") if isinstance(fy.fund, dict) else None
    return (str(r["from"]), str(r["to"])) if isinstance(r, dict) else None


def year_of_run(fy: FinanceYear) -> tuple[int, int] | None:
    """(n, of): this is year n of the fund's ``of`` years (None: no run given, or outside it)."""
    r = runs(fy)
    if r is None:
        return None
    try:
        first, last, this = start_year(r[0]), start_year(r[1]), start_year(fy.year)
    except ValueError:
        return None
    if not first <= this <= last:
        return None
    return this - first + 1, last - first + 1


def _gbp(d: Decimal) -> str:
    return f"{'-' if d < 0 else ''}£{abs(d):,.2f}"


def carry_notes(model, fy: FinanceYear) -> list[str]:
    """The lines the finance budget adds: the year of the fund, brought forward, closing balance."""
    from nesa_cli.finance.model import finance_years

    years = finance_years(model)
    b = balance(model, fy)
    out = []
    n = year_of_run(fy)
    if n is not None:
        first, last = runs(fy)
        out.append(f"Year {n[0]} of {n[1]} of the fund ({first} to {last}).")
    prev = years.get(previous_label(fy.year))
    if b.given:
        out.append(f"Brought forward from {previous_label(fy.year)}: {_gbp(b.brought_forward)}"
                   + (f" (its closing balance {_gbp(balance(model, prev).closing)})" if prev is not None else "") + ".")
    nxt = next_label(fy.year)
    tail = ""
    if nxt in years:
        tail = f"; carried forward to {nxt}"
    elif n is not None and n[0] == n[1]:
        tail = "; the last year of the fund"
    out.append(f"Closing balance {_gbp(b.closing)} = brought forward {_gbp(b.brought_forward)} + received {_gbp(b.received)} "
               f"- spent {_gbp(b.spent)}{tail}" + (f" (committed, not yet spent: {_gbp(b.committed)})" if b.committed else "") + ".")
    return out


def balances_listing(model):
    """``nesa finance balances``: every year of the fund, brought forward to closing balance."""
    from nesa_cli.finance.model import finance_years
    from nesa_cli.tabular import Listing

    years = finance_years(model)
    rows = []
    for label, fy in years.items():
        b = balance(model, fy)
        prev = years.get(previous_label(label))
        expected = balance(model, prev).closing if prev is not None else None
        n = year_of_run(fy)
        check = ""
        if prev is not None and b.given:
            check = "matches" if b.brought_forward == expected else f"differs: {previous_label(label)} closed at {_gbp(expected)}"
        elif prev is not None and expected:
            check = f"not brought forward ({_gbp(expected)})"
        rows.append({"year": label, "of_fund": f"{n[0]} of {n[1]}" if n else "", "brought_forward": b.brought_forward,
                     "received": b.received, "spent": b.spent, "committed": b.committed, "closing": b.closing, "check": check})
    name = next((fy.fund.get("name") for fy in years.values()), None) or "Partnership Fund"
    return Listing(columns=[("year", "Year"), ("of_fund", "Year of fund"), ("brought_forward", "Brought forward"),
                            ("received", "Received"), ("spent", "Spent"), ("committed", "Committed"),
                            ("closing", "Closing balance"), ("check", "Brought forward check")],
                   rows=rows, title=f"{name}: balances year by year",
                   notes=["Closing balance = brought forward + received - spent (paid); each year brings forward the one before's."])
