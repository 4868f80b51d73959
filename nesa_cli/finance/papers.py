"""The board's finance papers for a year: budget monitoring and the contribution statement.

Pure functions over the model, as document data (the same for HTML, PDF and
``--format json``) plus a :class:`nesa_cli.tabular.Listing` of the paper's main
table for CSV. Every figure is a Decimal, pence exact, and every total is the
sum of the rows shown above it (tests/test_finance_papers.py adds them up).

The figures are those of ``nesa finance budget`` and ``nesa finance
contributions`` (one calculation, two views): income is what the scheme
expects, what governing bodies confirmed, what was invoiced and what was
received; spending is each stream's budget, what is committed (ordered, not
yet paid) and spent, what remains and the share used. The carry-forward is
that of :mod:`nesa_cli.finance.carry`.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from nesa_cli.finance.carry import balance, previous_label, runs, year_of_run
from nesa_cli.finance.model import FinanceYear, bounds, invoices

ZERO = Decimal("0.00")
# A stream this many points ahead of the year's elapsed share is flagged in the variance notes.
AHEAD_POINTS = Decimal("10")


def gbp(d: Decimal) -> str:
    return f"{'-' if d < 0 else ''}£{abs(d):,.2f}"


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal place (None when whole is 0)."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def holder_text(model, fy: FinanceYear) -> str | None:
    """Who holds the fund in law (the alliance is not a legal body): its legal
    entity, else the school whose account holds it. Invoices and papers say it alike."""
    holder = fy.fund.get("account_holder") or {}
    if holder.get("legal_entity"):
        return holder["legal_entity"]
    school = model.schools.get(holder.get("school")) if holder.get("school") else None
    if school is not None:
        return f"The fund's account is held by {school.name} (URN {school.urn}) on behalf of the alliance's member schools."
    return None


def fund_header(model, fy: FinanceYear) -> dict[str, Any]:
    """The fund as a paper names it: name, account holder, contact, legal identity."""
    from nesa_cli.finance.invoices import fund_party

    party = fund_party(model, fy)
    return {"name": fy.fund.get("name") or "Partnership Fund", "holder": party.get("name"), "address": party.get("address") or [],
            "email": party.get("email"), "held_by": holder_text(model, fy), "payment": fy.fund.get("payment") or None}


def _period(model, fy: FinanceYear) -> tuple[date, date]:
    return bounds(fy.year, model.alliance.financial_year_start_month if model.alliance else 4)


def _elapsed(model, fy: FinanceYear, today: date) -> tuple[int, int]:
    """(days of the year gone by on ``today``, days in the year)."""
    first, last = _period(model, fy)
    total = (last - first).days + 1
    return max(0, min(total, (today - first).days + 1)), total


# --- budget monitoring ---------------------------------------------------------------


def budget_paper(model, fy: FinanceYear, today: date) -> dict[str, Any]:
    """Budget monitoring for the board: income, spending by stream, the fund's balance, variance notes."""
    from nesa_cli.finance.budget import budget

    listing = budget(model, fy)
    by_id = {r["id"]: r for r in listing.rows if r["section"] == "source"}
    fy_invoices = [i for i in invoices(model) if i.year == fy.year and i.source.startswith("contribution:") and not i.is_credit_note
                   and i.status != "void"]
    income = []
    for s in fy.sources:
        r = by_id[s.id]
        row = {"id": s.id, "name": s.name, "kind": s.kind, "expected": r["budget"], "confirmed": None,
               "invoiced": None, "received": r["actual"], "outstanding": r["budget"] - r["actual"]}
        if s.kind == "contributions":
            confirmed = _confirmed(model, fy)
            row["confirmed"] = confirmed
            row["invoiced"] = sum((i.subtotal for i in fy_invoices), ZERO)
        income.append(row)
    income_total = {k: sum((r[k] for r in income), ZERO) for k in ("expected", "received", "outstanding")}
    streams = []
    for r in (x for x in listing.rows if x["section"] == "stream"):
        used = r["actual"] + r["committed"]
        streams.append({"id": r["id"], "name": r["name"], "budget": r["budget"], "committed": r["committed"], "spent": r["actual"],
                        "remaining": r["remaining"], "used_percent": percent(used, r["budget"])})
    stream_total = {k: sum((r[k] for r in streams), ZERO) for k in ("budget", "committed", "spent", "remaining")}
    stream_total["used_percent"] = percent(stream_total["spent"] + stream_total["committed"], stream_total["budget"])
    b = balance(model, fy)
    days, of = _elapsed(model, fy, today)
    year_percent = percent(Decimal(days), Decimal(of))
    run = runs(fy)
    n = year_of_run(fy)
    carry = {
        "brought_forward": b.brought_forward, "brought_forward_from": previous_label(fy.year) if b.given else None,
        "received": b.received, "spent": b.spent, "balance": b.closing, "committed": b.committed,
        "after_commitments": b.closing - b.committed,
        "still_to_receive": income_total["outstanding"],
        "still_to_spend": stream_total["remaining"],
        "projected": b.closing - b.committed + income_total["outstanding"] - stream_total["remaining"],
    }
    first, last = _period(model, fy)
    data = {
        "title": f"Budget monitoring: {fund_header(model, fy)['name']} {fy.year}",
        "kind": "budget", "year": fy.year, "as_of": today, "period": {"from": first, "to": last},
        "year_elapsed": {"days": days, "of": of, "percent": year_percent},
        "fund": fund_header(model, fy),
        "run": {"from": run[0], "to": run[1], "year": n[0], "of": n[1]} if run and n else None,
        "income": income, "income_total": income_total,
        "streams": streams, "stream_total": stream_total,
        "carry": carry,
        "notes": _variance_notes(model, fy, income, streams, stream_total, carry, year_percent),
    }
    return data


def _confirmed(model, fy: FinanceYear) -> Decimal:
    from nesa_cli.finance.contributions import calculate

    return calculate(model, fy).confirmed_total if fy.scheme else ZERO


def _variance_notes(model, fy, income, streams, total, carry, year_percent) -> list[str]:
    notes = []
    if year_percent is not None:
        notes.append(f"The year is {year_percent}% through; {total['used_percent'] or 0}% of the spending budgets "
                     f"is spent or committed.")
    behind = []
    for s in streams:
        used = s["used_percent"]
        if s["remaining"] < 0:
            notes.append(f"{s['name']}: overspent by {gbp(-s['remaining'])} ({used}% of its budget).")
        elif used is not None and year_percent is not None and used > year_percent + AHEAD_POINTS:
            notes.append(f"{s['name']}: {used}% used, ahead of the year; {gbp(s['remaining'])} left.")
        elif used is not None and year_percent is not None and used + 2 * AHEAD_POINTS < year_percent:
            behind.append(f"{s['name']} {used}% ({gbp(s['remaining'])} left)")
    if behind:
        notes.append(f"Behind the year (less than {year_percent - 2 * AHEAD_POINTS}% used): {'; '.join(behind)}. "
                     f"Unspent budget is carried forward to the next year of the fund unless the board re-allocates it.")
    for r in income:
        if r["kind"] == "contributions":
            unconfirmed = r["expected"] - (r["confirmed"] or ZERO)
            unpaid = (r["invoiced"] or ZERO) - r["received"]
            if unconfirmed:
                notes.append(f"Contributions: {gbp(unconfirmed)} not yet confirmed by governing bodies.")
            if unpaid:
                notes.append(f"Contributions: {gbp(unpaid)} invoiced and not yet paid (see the aged debtors paper).")
        elif r["outstanding"] > 0:
            notes.append(f"{r['name']}: {gbp(r['outstanding'])} of {gbp(r['expected'])} still to be received.")
    if carry["projected"] < 0:
        notes.append(f"If every budget is spent and all income arrives, the fund ends the year {gbp(-carry['projected'])} short.")
    else:
        notes.append(f"If every budget is spent and all income arrives, the fund ends the year with {gbp(carry['projected'])}.")
    return notes


def budget_listing(data: dict[str, Any]):
    """The paper's figures as one table (CSV): income rows, then streams, each with its total."""
    from nesa_cli.tabular import Listing

    rows = []
    for r in data["income"]:
        rows.append({"section": "income", "name": r["name"], "budget": r["expected"], "confirmed": r["confirmed"],
                     "invoiced": r["invoiced"], "actual": r["received"], "committed": None, "remaining": r["outstanding"],
                     "used_percent": None})
    t = data["income_total"]
    rows.append({"section": "income total", "name": "Total income", "budget": t["expected"], "actual": t["received"],
                 "remaining": t["outstanding"]})
    for s in data["streams"]:
        rows.append({"section": "expenditure", "name": s["name"], "budget": s["budget"], "committed": s["committed"],
                     "actual": s["spent"], "remaining": s["remaining"], "used_percent": s["used_percent"]})
    t = data["stream_total"]
    rows.append({"section": "expenditure total", "name": "Total expenditure", "budget": t["budget"], "committed": t["committed"],
                 "actual": t["spent"], "remaining": t["remaining"], "used_percent": t["used_percent"]})
    return Listing(columns=[("section", "Section"), ("name", "Name"), ("budget", "Budget / expected"), ("confirmed", "Confirmed"),
                            ("invoiced", "Invoiced"), ("committed", "Committed"), ("actual", "Received / spent"),
                            ("remaining", "Remaining"), ("used_percent", "% used")],
                   rows=rows, title=data["title"], notes=data["notes"])


# --- the contribution statement ------------------------------------------------------


def contributions_paper(model, fy: FinanceYear, today: date) -> dict[str, Any]:
    """Each member school's contribution: due, confirmed, invoiced, paid, outstanding."""
    from nesa_cli.finance.contributions import calculate
    from nesa_cli.finance.invoices import live_by_source, source_key

    result = calculate(model, fy)
    live = live_by_source(model)
    rows = []
    for c in result.rows:
        inv = live.get(source_key("contribution", fy.year, c.urn))
        invoiced = inv.subtotal if inv is not None else ZERO
        if inv is not None and inv.status == "paid" and inv.paid_on <= today:
            paid = inv.subtotal
        else:
            paid = inv.net_of_vat(inv.part_paid(today)) if inv is not None else ZERO
        if inv is None:
            state = "not confirmed" if not c.confirmed else "confirmed, not invoiced"
        elif paid == invoiced:
            state = "paid"
        elif inv.due < today:
            state = f"{(today - inv.due).days} days overdue" + (", part paid" if paid else "")
        else:
            state = "invoiced, not yet due"
        rows.append({"urn": c.urn, "school": c.school, "pupils": c.pupils, "months": c.months, "due": c.amount,
                     "confirmed": c.confirmed, "minute": c.minute, "invoice": inv.number if inv else None,
                     "invoiced": invoiced, "paid": paid, "paid_on": inv.paid_on if paid else None,
                     "outstanding": c.amount - paid, "state": state})
    totals = {k: sum((r[k] for r in rows), ZERO) for k in ("due", "invoiced", "paid", "outstanding")}
    totals["confirmed"] = sum((r["due"] for r in rows if r["confirmed"]), ZERO)
    totals["schools"] = len(rows)
    scheme = result.scheme
    notes = [f"Contributions calculated by the {scheme.method} method from the census of {_uk(result.census_date)}"
             + (f": {scheme.description}." if scheme.description else ".")]
    waiting = [r for r in rows if not r["confirmed"]]
    if waiting:
        notes.append(f"Not yet confirmed by the governing body: {', '.join(r['school'] for r in waiting)}.")
    overdue = [r for r in rows if r["state"].endswith("overdue")]
    if overdue:
        notes.append(f"{len(overdue)} contribution invoice{'s' if len(overdue) != 1 else ''} overdue, "
                     f"{gbp(sum((r['invoiced'] for r in overdue), ZERO))} in all.")
    return {"title": f"Contributions to the {fund_header(model, fy)['name']} {fy.year}", "kind": "contributions",
            "year": fy.year, "as_of": today, "fund": fund_header(model, fy), "rows": rows, "totals": totals, "notes": notes}


def contributions_listing(data: dict[str, Any]):
    from nesa_cli.tabular import Listing

    return Listing(columns=[("urn", "URN"), ("school", "School"), ("pupils", "Pupils"), ("due", "Due"), ("confirmed", "Confirmed"),
                            ("minute", "Minute"), ("invoice", "Invoice"), ("invoiced", "Invoiced"), ("paid", "Paid"),
                            ("paid_on", "Paid on"), ("outstanding", "Outstanding"), ("state", "State")],
                   rows=data["rows"], title=data["title"], notes=data["notes"])


def _uk(day: date | None) -> str:
    from nesa_cli.dates import uk_text

    return uk_text(day) if day else ""
