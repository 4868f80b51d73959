"""Schools' accounts with the fund: aged debtors, a statement of account, a reminder letter.

What a school owes on a day is read from the invoice records as they stood on
that day: an invoice counts from its invoice date until it is paid (``paid_on``)
or voided (``voided_on``); credit notes only cancel void invoices, so they are
never a debt. Days overdue are counted from the one "today" a command is given
(``--today``, ``NESA_TODAY``, or ``--as-of``), never from the real clock.

The fund's papers are about the fund's money: the aged debtors and the
statement's balance cover the invoices the fund sent; invoices one member
school sent another through the shared invoice register (recharges) are owed
to that school, and are shown beside them, never added in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from nesa_cli.errors import DataError
from nesa_cli.finance.model import FinanceYear, Invoice, bounds, invoices, year_of
from nesa_cli.finance.papers import ZERO, fund_header, gbp

# (key, heading, first day overdue, last day overdue or None)
BANDS = (("not_due", "Not yet due", None, 0), ("d1_30", "1-30 days", 1, 30), ("d31_60", "31-60 days", 31, 60),
         ("d61_90", "61-90 days", 61, 90), ("over_90", "Over 90 days", 91, None))


class NothingOverdue(DataError):
    """A reminder was asked for a school that owes the fund nothing overdue (no letter is made)."""


def open_on(inv: Invoice, day: date) -> bool:
    """The invoice was an unpaid debt at the end of ``day``."""
    if inv.is_credit_note or inv.issued > day:
        return False
    if inv.status == "paid" and inv.paid_on is not None and inv.paid_on <= day:
        return False
    if inv.status == "void" and (inv.voided_on is None or inv.voided_on <= day):
        return False
    return True


def days_overdue(inv: Invoice, day: date) -> int:
    return (day - inv.due).days


def band_of(days: int) -> str:
    for key, _, lo, hi in BANDS:
        if (lo is None or days >= lo) and (hi is None or days <= hi):
            return key
    raise AssertionError(days)


def from_fund(inv: Invoice) -> bool:
    return bool(inv.sender.get("fund"))


def _item(inv: Invoice, day: date) -> dict[str, Any]:
    d = days_overdue(inv, day)
    part = inv.part_paid(day)
    return {"number": inv.number, "year": inv.year, "issued": inv.issued, "due": inv.due, "description": _what(inv),
            "total": inv.total, "part_paid": part, "amount": inv.total - part, "days_overdue": max(d, 0), "band": band_of(d),
            "owed_to": inv.sender.get("name"), "po_reference": inv.po_reference,
            "part_note": f"{gbp(part)} of {gbp(inv.total)} received" if part else None}


def _what(inv: Invoice) -> str:
    kind = inv.source.split(":", 1)[0]
    return {"contribution": f"Partnership Fund contribution {inv.year}", "contract": inv.lines[0].description.split(":")[0],
            "recharge": inv.lines[0].description.split(":")[0]}.get(kind, inv.lines[0].description if inv.lines else inv.number)


# --- aged debtors -----------------------------------------------------------------------


def aged_debtors(model, day: date) -> dict[str, Any]:
    """Unpaid invoices of the fund on ``day``, per school, in bands of days past due."""
    fund_rows: dict[int, dict] = {}
    shared = []
    for inv in invoices(model):
        if inv.school is None or not open_on(inv, day):
            continue
        item = _item(inv, day)
        if not from_fund(inv):
            shared.append({**item, "school": inv.to.get("name"), "urn": inv.school})
            continue
        row = fund_rows.setdefault(inv.school, {"urn": inv.school, "school": _name(model, inv), "invoices": [],
                                                **{k: ZERO for k, *_ in BANDS}, "total": ZERO})
        row["invoices"].append(item)
        row[item["band"]] += item["amount"]
        row["total"] += item["amount"]
    rows = sorted(fund_rows.values(), key=lambda r: (-r["total"], r["school"]))
    totals = {k: sum((r[k] for r in rows), ZERO) for k, *_ in BANDS}
    totals["total"] = sum((r["total"] for r in rows), ZERO)
    overdue = totals["total"] - totals["not_due"]
    owing = "all of it overdue" if overdue == totals["total"] else f"of which {gbp(overdue)} is overdue"
    notes = [f"{len(rows)} school{'s owe' if len(rows) != 1 else ' owes'} the fund {gbp(totals['total'])}, {owing}."
             if rows else "No school owes the fund anything."]
    if totals["over_90"]:
        notes.append(f"{gbp(totals['over_90'])} is more than 90 days overdue: the board may wish to ask the headteachers "
                     f"and chairs of governors concerned to settle it.")
    if shared:
        notes.append(f"Also unpaid between member schools (shared invoice register, owed to the school that invoiced): "
                     f"{gbp(sum((s['amount'] for s in shared), ZERO))} on {len(shared)} invoice{'s' if len(shared) != 1 else ''}.")
    fy = _year_holding(model, day)
    return {"title": "Aged debtors", "kind": "debtors", "as_of": day, "fund": fund_header(model, fy) if fy else None,
            "bands": [{"key": k, "heading": h} for k, h, *_ in BANDS], "rows": rows, "totals": totals,
            "overdue": overdue, "shared": shared, "notes": notes}


def debtors_listing(data: dict[str, Any]):
    from nesa_cli.tabular import Listing

    rows = [{"urn": r["urn"], "school": r["school"], **{k: r[k] for k, *_ in BANDS}, "total": r["total"],
             "invoices": [i["number"] for i in r["invoices"]]} for r in data["rows"]]
    rows.append({"urn": None, "school": "Total", **data["totals"], "invoices": None})
    return Listing(columns=[("urn", "URN"), ("school", "School"), *[(k, h) for k, h, *_ in BANDS], ("total", "Total"),
                            ("invoices", "Invoices")], rows=rows, title=f"Aged debtors on {data['as_of']}", notes=data["notes"])


def _name(model, inv: Invoice) -> str:
    school = model.schools.get(inv.school)
    return school.name if school is not None else inv.to.get("name")


def _year_holding(model, day: date) -> FinanceYear | None:
    from nesa_cli.finance.model import finance_years

    years = finance_years(model)
    if not years:
        return None
    start = model.alliance.financial_year_start_month if model.alliance else 4
    return years.get(year_of(day, start)) or list(years.values())[-1]


# --- a school's statement of account -------------------------------------------------------


def _contact(c) -> dict[str, Any] | None:
    if c is None:
        return None
    shown = c.as_dict()  # private fields left out
    return {"name": c.name, "title": c.title or c.role.replace("-", " ").capitalize(), "email": shown.get("email")}


def addressee(school) -> dict[str, Any]:
    """The school as a letter or statement is addressed: its finance contact by name, its head, address."""
    from nesa_cli.finance.invoices import SBM_ROLES, address_lines

    sbm = school.contacts_with(*SBM_ROLES)
    return {"urn": school.urn, "name": school.name, "address": address_lines(school.address),
            "finance": _contact(sbm[0] if sbm else None), "head": _contact(school.head), "email": school.email}


def statement(model, school, fy: FinanceYear, day: date) -> dict[str, Any]:
    """A school's statement of account with the fund for the year ``fy`` up to ``day``:
    opening balance, each invoice, payment and credit, the running balance, the amount now due
    (for a year already over: as it all stood at the year's end)."""
    start = model.alliance.financial_year_start_month if model.alliance else 4
    first, last = bounds(fy.year, start)
    end = min(day, last)
    mine = [i for i in invoices(model) if i.school == school.urn and from_fund(i)]
    events = []  # (date, order: credits, then invoices, then payments, number, entry)
    opening = ZERO
    for inv in mine:
        if inv.is_credit_note:
            continue
        entries = [(inv.issued, 1, {"kind": "invoice", "reference": inv.number, "description": _what(inv),
                                    "debit": inv.total, "credit": None})]
        for r in inv.part_payments:
            ref = f" ({r.reference})" if r.reference else ""
            entries.append((r.date, 2, {"kind": "payment", "reference": inv.number, "description": f"Part payment received, thank you{ref}",
                                        "debit": None, "credit": r.amount}))
        if inv.status == "paid" and inv.paid_on:
            ref = f" ({inv.payment_reference})" if inv.payment_reference else ""
            entries.append((inv.paid_on, 2, {"kind": "payment", "reference": inv.number, "description": f"Payment received, thank you{ref}",
                                             "debit": None, "credit": inv.total - inv.part_paid()}))
        elif inv.status == "void" and inv.voided_on:
            cn = f"credit note {inv.credit_note}" if inv.credit_note else "a credit note"
            entries.append((inv.voided_on, 0, {"kind": "credit", "reference": inv.credit_note or inv.number,
                                               "description": f"Invoice {inv.number} cancelled by {cn}",
                                               "debit": None, "credit": inv.total}))
        for when, order, entry in entries:
            if when < first:
                opening += (entry["debit"] or ZERO) - (entry["credit"] or ZERO)
            elif when <= end:
                events.append((when, order, inv.number, {**entry, "date": when}))
    events.sort(key=lambda e: e[:3])
    running = opening
    lines = []
    for *_, entry in events:
        running += (entry["debit"] or ZERO) - (entry["credit"] or ZERO)
        lines.append({**entry, "balance": running})
    open_items = [_item(i, end) for i in mine if open_on(i, end)]
    due_now = sum((i["amount"] for i in open_items if i["band"] != "not_due"), ZERO)
    shared = [_item(i, day) for i in invoices(model) if i.school == school.urn and not from_fund(i) and open_on(i, day)]
    return {
        "title": f"Statement of account: {school.name}", "kind": "statement", "year": fy.year, "as_of": day,
        "period": {"from": first, "to": end}, "fund": fund_header(model, fy), "school": addressee(school),
        "opening": opening, "lines": lines, "closing": running,
        "totals": {"debits": sum((x["debit"] or ZERO for x in lines), ZERO), "credits": sum((x["credit"] or ZERO for x in lines), ZERO)},
        "open_items": open_items, "due_now": due_now, "not_yet_due": sum((i["amount"] for i in open_items if i["band"] == "not_due"), ZERO),
        "shared": shared,
    }


def statement_listing(data: dict[str, Any]):
    from nesa_cli.tabular import Listing

    rows = [{"date": data["period"]["from"], "kind": "opening", "reference": None, "description": "Opening balance",
             "debit": None, "credit": None, "balance": data["opening"]}]
    rows += [{k: x[k] for k in ("date", "kind", "reference", "description", "debit", "credit", "balance")} for x in data["lines"]]
    return Listing(columns=[("date", "Date"), ("kind", "Kind"), ("reference", "Reference"), ("description", "Description"),
                            ("debit", "Debit"), ("credit", "Credit"), ("balance", "Balance")],
                   rows=rows, title=data["title"], notes=[f"Amount now due {gbp(data['due_now'])}"])


# --- a reminder letter -------------------------------------------------------------------------


def reminder(model, school, day: date) -> dict[str, Any]:
    """A polite reminder to a school with overdue invoices from the fund (NothingOverdue when it has none)."""
    overdue = [_item(i, day) for i in invoices(model)
               if i.school == school.urn and from_fund(i) and open_on(i, day) and days_overdue(i, day) > 0]
    if not overdue:
        from nesa_cli.dates import uk_text

        raise NothingOverdue(f"{school.name} ({school.urn}) has no overdue invoices from the fund on {uk_text(day)}: "
                             f"no reminder to send")
    from nesa_cli.finance.model import finance_years

    latest = max(i["year"] for i in overdue)  # the fund as the latest of the overdue invoices names it
    fund = fund_header(model, finance_years(model).get(latest) or _year_holding(model, day))
    to = addressee(school)
    total = sum((i["amount"] for i in overdue), ZERO)
    received = sum((i["part_paid"] for i in overdue), ZERO)
    oldest = max(i["days_overdue"] for i in overdue)
    alliance = model.alliance
    signer = _signer(alliance)
    return {"title": f"Payment reminder: {school.name}", "kind": "reminder", "as_of": day, "fund": fund,
            "school": to, "invoices": overdue, "total": total, "part_paid": received, "oldest_days": oldest,
            "salutation": f"Dear {(to['finance'] or to['head'] or {'name': 'Headteacher'})['name']}",
            "copy_to": to["head"] if to["finance"] and to["head"] else None,
            "firm": oldest > 90, "signer": signer,
            "contact": {"email": fund.get("email") or (alliance.email if alliance else None)}}


def _signer(alliance) -> dict[str, Any] | None:
    """Who signs for the fund: the central team's school business management lead, else the alliance lead."""
    team = list(getattr(alliance, "central_team", None) or ()) if alliance else []
    for role in ("school-business-management", "lead"):
        for p in team:
            if getattr(p, "role", None) == role:
                return {"name": p.name, "title": getattr(p, "title", None), "email": getattr(p, "email", None),
                        "phone": getattr(p, "phone", None)}
    return None
