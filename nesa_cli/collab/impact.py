"""Impact: activities of a financial year with their time, spend, outcomes and evidence.

An activity that spans financial years is counted in each for its part only: its
hours, and the spend it records itself, are split pro rata by days (to the penny,
the parts adding up to the whole). Spend from the finance years' entries that name
the activity is taken from each year's own file. Committed spend is shown apart
from spend.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from nesa_cli.collab.model import activities
from nesa_cli.tabular import Listing

ZERO = Decimal("0.00")


def financial_year(model, day: date, year: str | None = None) -> tuple[date, date, str]:
    """First day, last day and label of the financial year ``year`` ('2025-26' or '2025'; default: the one holding ``day``).

    ValueError for a label that is not a financial year.
    """
    from nesa_cli.finance.model import label_for, normalise_year, start_year

    month = _start_month(model)
    first = start_year(normalise_year(year)) if year else (day.year if day.month >= month else day.year - 1)
    start = date(first, month, 1)
    end = date(first + 1, month, 1) if month > 1 else date(first + 1, 1, 1)
    return start, end - timedelta(days=1), label_for(first)


def _start_month(model) -> int:
    return (model.alliance.financial_year_start_month if model.alliance else 4) or 4


def year_days(model, first: date, last: date) -> dict[str, int]:
    """Days of ``first``..``last`` (inclusive) in each financial year, by label, in order."""
    from nesa_cli.finance.model import bounds, year_of

    month = _start_month(model)
    out: dict[str, int] = {}
    day = first
    while day <= last:
        label = year_of(day, month)
        _, year_end = bounds(label, month)
        stop = min(year_end, last)
        out[label] = (stop - day).days + 1
        day = stop + timedelta(days=1)
    return out


def split_by_days(amount: Decimal, days: dict[str, int]) -> dict[str, Decimal]:
    """``amount`` (pounds and pence) split over the years in proportion to their days; the parts add up to it."""
    from nesa_cli.finance.money import allocate, from_pence, to_pence

    pence = to_pence(amount)
    sign = -1 if pence < 0 else 1
    parts = allocate(abs(pence), days, order=list(days))
    return {k: from_pence(sign * v) for k, v in parts.items()}


def _finance_entries(finance_years: dict, activity_id: str) -> dict[str, list]:
    return {label: [e for e in fy.spend if e.activity == activity_id]
            for label, fy in finance_years.items() if any(e.activity == activity_id for e in fy.spend)}


def impact(model, day: date, year: str | None = None, result=None) -> Listing:
    """The impact listing; with the load ``result``, FinanceYearUnreadable when the year's finance
    file exists but could not be read (rather than showing its spend as nothing)."""
    from nesa_cli.finance.model import FinanceYearUnreadable, year_file_problems
    from nesa_cli.finance.model import finance_years as all_years

    start, end, label = financial_year(model, day, year)
    problems = year_file_problems(result, label)
    if problems:
        raise FinanceYearUnreadable(label, problems)
    years = all_years(model)
    finance = years.get(label)
    notes = []
    if finance is None:
        notes.append(f"No finance data for {label} (data/finance/{label}.yaml): spend shown only where the activity records it.")
    rows = []
    split = 0
    for a in activities(model):
        if a.last_day < start or a.start > end or a.status == "cancelled":
            continue
        days = year_days(model, a.start, a.last_day)
        share = {k: Decimal(v) for k, v in split_by_days(Decimal(str(a.hours)), days).items()}
        hours = float(share[label])
        named = _finance_entries(years, a.id)
        spend = committed = None
        if named:
            if finance is not None:
                entries = named.get(label, [])
                paid = [e.amount for e in entries if e.status == "paid"]
                owed = [e.amount for e in entries if e.status == "committed"]
                spend = sum(paid, ZERO) if paid else None
                committed = sum(owed, ZERO) if owed else None
        elif a.spend is not None:
            part = split_by_days(a.spend, days)[label]
            if a.status == "planned":
                committed = part
            else:
                spend = part
        if len(days) > 1:
            split += 1
        rows.append({"id": a.id, "title": a.title, "kind": a.kind, "lead": a.lead_words(model), "lead_kind": a.lead_kind,
                     "start": a.start, "end": a.last_day, "status": a.status, "hours": hours,
                     "hours_total": a.hours, "days_in_year": days[label], "days_total": sum(days.values()),
                     "stream": a.stream, "spend": spend, "committed": committed,
                     "need": a.need, "expected_outcome": a.expected_outcome,
                     "outcomes": [dict(o) for o in a.outcomes],
                     "outcome_text": "; ".join(f"{o['measure']}: {o.get('before', '?')} -> {o.get('after', '?')}" for o in a.outcomes),
                     "evidence": list(a.evidence)})
    total = sum((r["spend"] for r in rows if r["spend"] is not None), ZERO)
    pledged = sum((r["committed"] for r in rows if r["committed"] is not None), ZERO)
    notes.append(f"{len(rows)} activities, {sum(r['hours'] for r in rows):g} hours, spend £{total:,.2f}, "
                 f"committed (not yet spent) £{pledged:,.2f}")
    if split:
        notes.append(f"{split} {'activity spans' if split == 1 else 'activities span'} more than one financial year: "
                     "hours, and spend recorded on the activity, are counted here for the days in this year only.")
    return Listing(columns=[("id", "Activity"), ("kind", "Kind"), ("lead", "Lead"), ("start", "Start"), ("status", "Status"),
                            ("hours", "Hours"), ("spend", "Spend"), ("committed", "Committed"),
                            ("outcome_text", "Outcomes"), ("evidence", "Evidence")],
                   rows=rows, title=f"Impact {label} ({start} to {end})", notes=notes)
