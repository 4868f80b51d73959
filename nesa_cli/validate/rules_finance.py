"""Cross-file rules for finance years and invoices."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from nesa_cli.diagnostics import ERROR, WARNING, declare
from nesa_cli.validate.rules import rule

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "finance-year": ("error", "A financial year label that is not two consecutive years, e.g. 2025-27."),
    "finance-scheme": ("error", "A contribution scheme that cannot be worked out: a missing field for its method, the floor above the cap, bands out of order, or a total the floors and caps cannot meet."),
    "finance-pupils": ("error", "A contributing member school has no pupil number on or before the scheme's census date."),
    "finance-split": ("error", "A recharge or contract cannot be split: hours or shares missing, or every weight zero."),
    "finance-nothing-to-invoice": ("warning", "A recharge that no school but its provider shares, so nothing would be invoiced."),
    "finance-ref": ("error", "A spending stream, source, activity or account holder that the finance data names does not exist (activities' stream too)."),
    "finance-confirmation": ("warning", "A governing-body confirmation for a school that is not a member in any month of the year."),
    "finance-spend-date": ("error", "A spend entry or receipt dated outside its financial year."),
    "finance-overspend": ("warning", "A spending stream's paid and committed spend exceeds its budget."),
    "invoice-totals": ("error", "An invoice whose lines, subtotal, VAT or total do not add up to the penny."),
    "invoice-number": ("error", "An invoice number with another alliance's prefix, or numbered in a year other than its own."),
    "invoice-status": ("error", "Status fields that contradict each other (paid without paid_on, void without a credit note, a credit note that credits nothing, part payments on a void invoice or adding up to the whole)."),
    "invoice-dates": ("error", "An invoice due, paid, part paid or voided before its invoice date (or part paid after it was paid)."),
    "invoice-credit": ("error", "A credit note and the void invoice it cancels do not point at each other or differ in amount."),
    "invoice-source": ("error", "Two live invoices bill the same thing (the same school's contribution, recharge or contract share)."),
})



def _years(ctx):
    return sorted((ctx.model.other.get("finance-year") or {}).values(), key=lambda f: f.year)


def _invoices(ctx):
    from nesa_cli.finance.model import invoices

    return invoices(ctx.model)


def _dupes(ctx, path, items, name, what):
    seen = set()
    for i, item in enumerate(items):
        value = getattr(item, name)
        if value in seen:
            yield ctx.at(path, (what, i, name), ERROR, "id-unique", f"{what} id '{value}' is used twice in the year")
        seen.add(value)


@rule
def finance_years(ctx):
    from nesa_cli.finance.contributions import member_months
    from nesa_cli.finance.model import bounds

    alliance = ctx.model.alliance
    start_month = alliance.financial_year_start_month if alliance else 4
    activity_ids = ctx.result.ids("activity")
    for fy in _years(ctx):
        p = fy.path
        try:
            first, last = bounds(fy.year, start_month)
        except ValueError as exc:
            yield ctx.at(p, ("year",), ERROR, "finance-year", str(exc))
            continue
        holder = fy.fund.get("account_holder") or {}
        if holder.get("school") is not None:
            d = ctx.school_ref(p, ("fund", "account_holder", "school"), holder["school"])
            if d:
                yield d
        if not holder.get("school") and not holder.get("address"):
            yield ctx.at(p, ("fund", "account_holder"), ERROR, "finance-ref",
                         "the account holder needs an address: give 'address' lines or the 'school' that holds the account", key=True)
        yield from _dupes(ctx, p, fy.recharges, "id", "recharges")
        yield from _dupes(ctx, p, fy.contracts, "id", "contracts")
        yield from _dupes(ctx, p, fy.sources, "id", "sources")
        yield from _dupes(ctx, p, fy.streams, "id", "streams")
        # confirmations
        seen: set[int] = set()
        for i, c in enumerate(fy.confirmations):
            d = ctx.school_ref(p, ("confirmations", i, "school"), c.school)
            if d:
                yield d
                continue
            if c.school in seen:
                yield ctx.at(p, ("confirmations", i, "school"), ERROR, "id-unique", f"school {c.school} is confirmed twice")
            seen.add(c.school)
            school = ctx.model.schools.get(c.school)
            if school is not None and not member_months(school, fy.year, start_month):
                yield ctx.at(p, ("confirmations", i, "school"), WARNING, "finance-confirmation",
                             f"{school.name} is not a member in any month of {fy.year}, so it makes no contribution to confirm")
        # the scheme
        yield from _scheme(ctx, fy, start_month)
        # recharges and contracts
        for what, items in (("recharges", fy.recharges), ("contracts", fy.contracts)):
            for i, charge in enumerate(items):
                yield from _charge(ctx, fy, what, i, charge)
        # sources
        ids = {s.id for s in fy.sources}
        kinds = [s for s in fy.sources if s.kind == "contributions"]
        for s in kinds[1:]:
            yield ctx.at(p, ("sources", fy.sources.index(s), "kind"), ERROR, "finance-ref", "only one source may be the schools' contributions")
        if kinds and fy.scheme is None and kinds[0].amount is None:
            yield ctx.at(p, ("sources", fy.sources.index(kinds[0])), ERROR, "finance-scheme",
                         "a contributions source needs a contribution scheme (contributions:) or an amount")
        for i, s in enumerate(fy.sources):
            if s.kind == "match" and not s.match_for:
                yield ctx.at(p, ("sources", i), ERROR, "finance-ref", f"match source '{s.id}' needs match_for: the id of the source it matches")
            elif s.match_for and s.match_for not in ids:
                yield ctx.at(p, ("sources", i, "match_for"), ERROR, "finance-ref", f"no source '{s.match_for}' in {fy.year} (sources: {', '.join(sorted(ids))})")
            elif s.match_for == s.id:
                yield ctx.at(p, ("sources", i, "match_for"), ERROR, "finance-ref", "a source cannot match itself")
            for j, r in enumerate(s.received):
                if not first <= r.date <= last:
                    yield ctx.at(p, ("sources", i, "received", j, "date"), ERROR, "finance-spend-date",
                                 f"received {r.date}, outside {fy.year} ({first} to {last})")
        # streams and spend
        streams = {s.id: s for s in fy.streams}
        used: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for i, e in enumerate(fy.spend):
            if e.stream not in streams:
                yield ctx.at(p, ("spend", i, "stream"), ERROR, "finance-ref",
                             f"no spending stream '{e.stream}' in {fy.year} (streams: {', '.join(sorted(streams)) or 'none'})")
            else:
                used[e.stream] += e.amount
            if not first <= e.date <= last:
                yield ctx.at(p, ("spend", i, "date"), ERROR, "finance-spend-date", f"dated {e.date}, outside {fy.year} ({first} to {last})")
            if e.activity and e.activity not in activity_ids:
                yield ctx.at(p, ("spend", i, "activity"), ERROR, "finance-ref", f"no activity '{e.activity}' (no data/activities/{e.activity}.yaml)")
        for i, s in enumerate(fy.streams):
            if used[s.id] > s.budget:
                yield ctx.at(p, ("streams", i, "budget"), WARNING, "finance-overspend",
                             f"{s.name}: spent and committed £{used[s.id]:,.2f}, over the budget of £{s.budget:,.2f} by £{used[s.id] - s.budget:,.2f}")
    # activities name a stream of the finance year they start in
    yield from _activity_streams(ctx, start_month)


def _scheme(ctx, fy, start_month):
    from nesa_cli.finance.contributions import FinanceError, calculate, member_months

    sc = fy.scheme
    p = fy.path
    if sc is None:
        return
    need = {"per-pupil": "per_pupil", "bands": "bands", "share-of-total": "total"}[sc.method]
    missing = (sc.method == "per-pupil" and sc.per_pupil == 0 and sc.base == 0) or (sc.method == "bands" and not sc.bands) \
        or (sc.method == "share-of-total" and sc.total is None)
    if missing:
        yield ctx.at(p, ("contributions", "method"), ERROR, "finance-scheme", f"method {sc.method} needs '{need}'")
        return
    if sc.floor is not None and sc.cap is not None and sc.floor > sc.cap:
        yield ctx.at(p, ("contributions", "floor"), ERROR, "finance-scheme", f"the floor £{sc.floor:,.2f} is above the cap £{sc.cap:,.2f}")
        return
    if sc.method == "bands":
        last = None
        for i, b in enumerate(sc.bands):
            if b.up_to is None and i != len(sc.bands) - 1:
                yield ctx.at(p, ("contributions", "bands", i), ERROR, "finance-scheme", "only the last band may leave out up_to")
                return
            if b.up_to is not None and last is not None and b.up_to <= last:
                yield ctx.at(p, ("contributions", "bands", i, "up_to"), ERROR, "finance-scheme", "bands must be smallest first (up_to increasing)")
                return
            last = b.up_to
        if sc.bands[-1].up_to is not None:
            yield ctx.at(p, ("contributions", "bands", len(sc.bands) - 1), ERROR, "finance-scheme",
                         f"the last band needs no up_to, or a school of more than {sc.bands[-1].up_to} pupils has no band")
            return
    census = sc.census_date or (ctx.model.alliance.census_date if ctx.model.alliance else None)
    if census is None and ctx.alliance_broken:
        yield ctx.skip(p, ("contributions",), ctx.alliance_broken)
        return
    missing_pupils = []
    for school in sorted(ctx.model.schools.values(), key=lambda s: s.urn):
        if member_months(school, fy.year, start_month) and (census is None or school.pupils_on(census) is None):
            missing_pupils.append(f"{school.name} ({school.urn})")
    if missing_pupils:
        yield ctx.at(p, ("contributions",), ERROR, "finance-pupils",
                     f"no pupil number on or before the census date {census} for: {', '.join(missing_pupils)}", key=True)
        return
    try:
        calculate(ctx.model, fy)
    except FinanceError as exc:
        yield ctx.at(p, ("contributions",), ERROR, "finance-scheme", str(exc), key=True)


def _charge(ctx, fy, what, i, charge):
    from nesa_cli.finance.contributions import FinanceError
    from nesa_cli.finance.recharges import shares

    p = fy.path
    bad = False
    if charge.provider is not None:
        d = ctx.school_ref(p, (what, i, "provider"), charge.provider)
        if d:
            yield d
            bad = True
    seen = set()
    for j, part in enumerate(charge.schools):
        d = ctx.school_ref(p, (what, i, "schools", j, "school"), part.school)
        if d:
            yield d
            bad = True
            continue
        if part.school in seen:
            yield ctx.at(p, (what, i, "schools", j, "school"), ERROR, "id-unique", f"school {part.school} is listed twice in {charge.id}")
            bad = True
        seen.add(part.school)
        field = {"hours": "hours", "shares": "share"}.get(charge.split)
        if field and getattr(part, field) is None:
            yield ctx.at(p, (what, i, "schools", j), ERROR, "finance-split", f"{charge.id} is split by {charge.split}: give '{field}' for school {part.school}")
            bad = True
    if bad:
        return
    if ctx.alliance_broken:
        yield ctx.skip(p, (what, i, "split"), ctx.alliance_broken)
        return
    try:
        parts = shares(ctx.model, fy, charge)
    except FinanceError as exc:
        yield ctx.at(p, (what, i, "split"), ERROR, "finance-split", str(exc))
        return
    if not any(s.invoiced for s in parts):
        yield ctx.at(p, (what, i, "schools"), WARNING, "finance-nothing-to-invoice", f"{charge.id}: no school other than the provider shares the cost, so nothing is invoiced", key=True)


def _activity_streams(ctx, start_month):
    from nesa_cli.finance.model import year_of

    years = {fy.year: fy for fy in _years(ctx)}
    for a in (ctx.model.other.get("activity") or {}).values():
        if not a.stream:
            continue
        fy = years.get(year_of(a.start, start_month))
        if fy is not None and fy.stream(a.stream) is None:
            yield ctx.at(a.path, ("stream",), ERROR, "finance-ref",
                         f"no spending stream '{a.stream}' in {fy.year} (streams: {', '.join(s.id for s in fy.streams) or 'none'})")


@rule
def invoice_rules(ctx):
    from nesa_cli.finance.invoices import problems
    from nesa_cli.finance.model import parse_number, start_year

    alliance = ctx.model.alliance
    all_inv = _invoices(ctx)
    by_number = {i.number: i for i in all_inv}
    live: dict[str, str] = {}
    for inv in all_inv:
        p = inv.path
        for pointer, message in problems(inv):
            yield ctx.at(p, pointer, ERROR, "invoice-totals", message)
        parsed = parse_number(inv.number)
        if parsed:
            prefix, year, _ = parsed
            if alliance and prefix != alliance.short_name:
                yield ctx.at(p, ("number",), ERROR, "invoice-number", f"{inv.number} does not start with the alliance's short name {alliance.short_name}")
            try:
                if year != start_year(inv.year):
                    yield ctx.at(p, ("number",), ERROR, "invoice-number", f"{inv.number} is numbered in {year} but belongs to {inv.year}")
            except ValueError as exc:
                yield ctx.at(p, ("year",), ERROR, "finance-year", str(exc))
        for side in ("from", "to"):
            party = inv.sender if side == "from" else inv.to
            if party.get("school") is not None:
                d = ctx.school_ref(p, (side, "school"), party["school"])
                if d:
                    yield d
        # dates and status fields
        if inv.due < inv.issued:
            yield ctx.at(p, ("due",), ERROR, "invoice-dates", f"due {inv.due}, before the invoice date {inv.issued}")
        for name in ("paid_on", "voided_on"):
            when = getattr(inv, name)
            if when is not None and when < inv.issued:
                yield ctx.at(p, (name,), ERROR, "invoice-dates", f"{name} {when} is before the invoice date {inv.issued}")
        for i, part in enumerate(inv.part_payments):
            if part.date < inv.issued or (inv.paid_on is not None and part.date > inv.paid_on):
                yield ctx.at(p, ("part_payments", i, "date"), ERROR, "invoice-dates",
                             f"part payment on {part.date} is before the invoice date {inv.issued}" if part.date < inv.issued
                             else f"part payment on {part.date} is after paid_on {inv.paid_on}")
        yield from _status(ctx, inv)
        # one live invoice per source
        if inv.status != "void":
            other = live.get(inv.source)
            if other:
                yield ctx.at(p, ("source",), ERROR, "invoice-source",
                             f"{inv.source} is already billed by {other}; void one of them (a source is invoiced once)")
            else:
                live[inv.source] = inv.number
        # credit notes and void invoices point at each other
        if inv.is_credit_note and inv.credits:
            target = by_number.get(inv.credits)
            if target is None:
                yield ctx.at(p, ("credits",), ERROR, "invoice-credit", f"credits {inv.credits}, which does not exist")
            elif target.is_credit_note:
                yield ctx.at(p, ("credits",), ERROR, "invoice-credit", f"credits {inv.credits}, which is itself a credit note")
            else:
                if target.total != inv.total:
                    yield ctx.at(p, ("totals", "total"), ERROR, "invoice-credit",
                                 f"credits £{inv.total:,.2f} but {target.number} is for £{target.total:,.2f}")
                if target.status != "void" or target.credit_note != inv.number:
                    yield ctx.at(p, ("credits",), ERROR, "invoice-credit",
                                 f"{target.number} is not marked void with credit_note: {inv.number} (an interrupted void? run nesa invoices void again or mark it)")
        if inv.status == "void" and inv.credit_note:
            note = by_number.get(inv.credit_note)
            if note is None or not note.is_credit_note or note.credits != inv.number:
                yield ctx.at(p, ("credit_note",), ERROR, "invoice-credit",
                             f"credit note {inv.credit_note} does not exist or does not credit {inv.number}")


def _status(ctx, inv):
    p = inv.path
    if inv.is_credit_note:
        if not inv.credits:
            yield ctx.at(p, ("type",), ERROR, "invoice-status", "a credit note needs credits: the number of the invoice it cancels")
        if inv.status != "issued":
            yield ctx.at(p, ("status",), ERROR, "invoice-status", "a credit note's status is always issued")
        return
    if inv.credits:
        yield ctx.at(p, ("credits",), ERROR, "invoice-status", "only a credit note has 'credits'")
    if inv.part_payments and (inv.status == "void" or inv.is_credit_note):
        yield ctx.at(p, ("part_payments",), ERROR, "invoice-status", "a void invoice has no part payments (refund them, then void it)")
    elif inv.part_payments and inv.part_paid() >= inv.total:
        yield ctx.at(p, ("part_payments",), ERROR, "invoice-status",
                     f"the part payments add up to £{inv.part_paid():,.2f}, the whole £{inv.total:,.2f}: the invoice is paid "
                     f"(status: paid, paid_on the day of the last)")
    if inv.status == "paid" and inv.paid_on is None:
        yield ctx.at(p, ("status",), ERROR, "invoice-status", "a paid invoice needs paid_on (the date the money arrived)")
    if inv.status != "paid" and inv.paid_on is not None:
        yield ctx.at(p, ("paid_on",), ERROR, "invoice-status", f"paid_on is given but the status is {inv.status}")
    if inv.status == "void":
        for name in ("voided_on", "void_reason", "credit_note"):
            if getattr(inv, name) is None:
                yield ctx.at(p, ("status",), ERROR, "invoice-status", f"a void invoice needs {name} (void it with nesa invoices void)")
    else:
        for name in ("voided_on", "void_reason", "credit_note"):
            if getattr(inv, name) is not None:
                yield ctx.at(p, (name,), ERROR, "invoice-status", f"{name} is given but the status is {inv.status}")
