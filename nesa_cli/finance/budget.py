"""The fund's budget: sources of money against spending streams.

Sources (the schools' contributions, LA match funding, grants, reserves):
expected, received, still to come. Streams: budget, spent, committed,
remaining. A match source (``kind: match``, ``match_for: contributions``,
``ratio``) is due ``ratio`` x the matched source's expected amount; its
balance is what has been received less what is due.
"""

from __future__ import annotations

from decimal import Decimal

from nesa_cli.finance import money as m
from nesa_cli.finance.model import FinanceYear, invoices

ZERO = Decimal("0.00")


def _gbp(d: Decimal) -> str:
    return f"{'-' if d < 0 else ''}£{abs(d):,.2f}"


def _contributions_expected(model, fy: FinanceYear) -> Decimal:
    from nesa_cli.finance.contributions import calculate

    return calculate(model, fy).total if fy.scheme else ZERO


def budget(model, fy: FinanceYear):
    """The ``nesa finance budget`` table (one listing: sources, then streams)."""
    from nesa_cli.tabular import Listing

    contributions = [i for i in invoices(model) if i.year == fy.year and i.source.startswith("contribution:") and not i.is_credit_note
                     and i.status != "void"]
    expected: dict[str, Decimal] = {}
    received: dict[str, Decimal] = {}
    pending: dict[str, Decimal] = {}
    for s in fy.sources:
        if s.kind == "contributions":
            expected[s.id] = s.amount if s.amount is not None else _contributions_expected(model, fy)
            parts = sum((i.net_of_vat(i.part_paid()) for i in contributions if i.status == "issued"), ZERO)
            received[s.id] = sum((i.subtotal for i in contributions if i.status == "paid"), ZERO) + parts
            pending[s.id] = sum((i.subtotal for i in contributions if i.status == "issued"), ZERO) - parts
        else:
            received[s.id] = sum((r.amount for r in s.received), ZERO)
            pending[s.id] = ZERO
    match_rows = []
    for s in fy.sources:
        if s.kind == "match" and s.match_for:
            base = expected.get(s.match_for)
            if base is None:
                other = fy.source(s.match_for)
                base = other.amount if other and other.amount is not None else ZERO
            due = m.round_pence(base * s.ratio)
            expected.setdefault(s.id, s.amount if s.amount is not None else due)
            match_rows.append({"source": s.id, "name": s.name, "matches": s.match_for, "ratio": s.ratio, "matched": base,
                               "due": due, "received": received[s.id], "balance": received[s.id] - due})
        else:
            expected.setdefault(s.id, s.amount if s.amount is not None else ZERO)
    rows = []
    by_source = {r["source"]: r for r in match_rows}
    for s in fy.sources:
        row = {"section": "source", "id": s.id, "name": s.name, "kind": s.kind, "budget": expected[s.id],
               "actual": received[s.id], "committed": pending[s.id], "remaining": expected[s.id] - received[s.id]}
        if s.id in by_source:
            mr = by_source[s.id]
            row.update(matches=mr["matches"], ratio=mr["ratio"], match_due=mr["due"], match_balance=mr["balance"])
        rows.append(row)
    for st in fy.streams:
        spent = sum((e.amount for e in fy.spend if e.stream == st.id and e.status == "paid"), ZERO)
        committed = sum((e.amount for e in fy.spend if e.stream == st.id and e.status == "committed"), ZERO)
        rows.append({"section": "stream", "id": st.id, "name": st.name, "kind": "stream", "budget": st.budget,
                     "actual": spent, "committed": committed, "remaining": st.budget - spent - committed})
    income = sum((r["budget"] for r in rows if r["section"] == "source"), ZERO)
    got = sum((r["actual"] for r in rows if r["section"] == "source"), ZERO)
    budgets = sum((r["budget"] for r in rows if r["section"] == "stream"), ZERO)
    spent = sum((r["actual"] for r in rows if r["section"] == "stream"), ZERO)
    committed = sum((r["committed"] for r in rows if r["section"] == "stream"), ZERO)
    carried = fy.brought_forward or ZERO
    available = income + carried  # with the balance brought forward from the year before (nesa_cli.finance.carry)
    notes = [
        f"Income expected {_gbp(income)}" + (f" and {_gbp(carried)} brought forward" if fy.brought_forward is not None else "")
        + f", received {_gbp(got)}; spending budgets {_gbp(budgets)} "
        f"({'unallocated ' + _gbp(available - budgets) if available >= budgets else 'over-allocated by ' + _gbp(budgets - available)}).",
        f"Spent {_gbp(spent)}, committed {_gbp(committed)}; cash in the fund {_gbp(got - spent + (fy.brought_forward or ZERO))}"
        + (f" (with {_gbp(fy.brought_forward)} brought forward)." if fy.brought_forward is not None else "."),
    ]
    from nesa_cli.finance.carry import carry_notes

    notes += carry_notes(model, fy)
    for r in match_rows:
        word = "ahead" if r["balance"] > 0 else ("owed to the fund" if r["balance"] < 0 else "level")
        notes.append(f"Match funding {r['name']}: due {_gbp(r['due'])} ({r['ratio'].normalize():f} x {r['matches']} {_gbp(r['matched'])}), "
                     f"received {_gbp(r['received'])}, balance {_gbp(r['balance'])} ({word}).")
    listing = Listing(columns=[("section", "Section"), ("name", "Name"), ("budget", "Budget"), ("actual", "Received / spent"),
                               ("committed", "Invoiced / committed"), ("remaining", "Remaining")],
                      rows=rows, title=f"{fy.fund.get('name', 'Partnership Fund')} {fy.year}: sources and spending streams", notes=notes)
    return listing
