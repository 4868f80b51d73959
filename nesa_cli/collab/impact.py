"""Impact: activities of a financial year with their time, spend, outcomes and evidence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from nesa_cli.collab.model import activities
from nesa_cli.tabular import Listing


def financial_year(model, day: date, year: str | None = None) -> tuple[date, date, str]:
    """First day, last day and label of the financial year ``year`` ('2025-26' or '2025'; default: the one holding ``day``).

    ValueError for a label that is not a financial year.
    """
    from nesa_cli.finance.model import label_for, normalise_year, start_year

    month = (model.alliance.financial_year_start_month if model.alliance else 4) or 4
    first = start_year(normalise_year(year)) if year else (day.year if day.month >= month else day.year - 1)
    start = date(first, month, 1)
    end = date(first + 1, month, 1) if month > 1 else date(first + 1, 1, 1)
    return start, end - timedelta(days=1), label_for(first)


def _finance_spend(finance, activity_id: str) -> Decimal | None:
    """Sum of the finance year's spend entries (paid or committed) that name this activity; None when none do."""
    amounts = [entry.amount for entry in finance.spend if entry.activity == activity_id]
    return sum(amounts, Decimal("0")) if amounts else None


def impact(model, day: date, year: str | None = None) -> Listing:
    start, end, label = financial_year(model, day, year)
    finance_kind = model.other.get("finance-year")
    finance = finance_kind.get(label) if isinstance(finance_kind, dict) else None
    notes = []
    if finance is None:
        notes.append(f"No finance data for {label} (data/finance/{label}.yaml): spend shown only where the activity records it.")
    rows = []
    for a in activities(model):
        if a.last_day < start or a.start > end or a.status == "cancelled":
            continue
        spend = _finance_spend(finance, a.id) if finance is not None else None
        if spend is None:
            spend = a.spend
        lead = model.schools.get(a.lead_school)
        rows.append({"id": a.id, "title": a.title, "kind": a.kind, "lead": lead.name if lead else a.lead_school,
                     "start": a.start, "status": a.status, "hours": a.hours, "stream": a.stream, "spend": spend,
                     "need": a.need, "expected_outcome": a.expected_outcome,
                     "outcomes": [dict(o) for o in a.outcomes],
                     "outcome_text": "; ".join(f"{o['measure']}: {o.get('before', '?')} -> {o.get('after', '?')}" for o in a.outcomes),
                     "evidence": list(a.evidence)})
    total = sum((r["spend"] for r in rows if r["spend"] is not None), Decimal("0"))
    notes.append(f"{len(rows)} activities, {sum(r['hours'] for r in rows):g} hours, spend £{total:,.2f}")
    return Listing(columns=[("id", "Activity"), ("kind", "Kind"), ("lead", "Lead"), ("start", "Start"), ("status", "Status"),
                            ("hours", "Hours"), ("spend", "Spend"), ("outcome_text", "Outcomes"), ("evidence", "Evidence")],
                   rows=rows, title=f"Impact {label} ({start} to {end})", notes=notes)
