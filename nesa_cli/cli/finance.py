"""nesa finance contributions / recharges / budget / balances."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT, CSV, JSON, NO_PAGER, WIDE, emit

finance_app = typer.Typer(help="The Partnership Fund: contributions, recharges and the budget.", no_args_is_help=True)
app.add_typer(finance_app, name="finance")

YEAR = typer.Argument(None, metavar="[YEAR]", help="Financial year, e.g. 2025-26 (or 2025); default the one holding today.")


def unreadable(exc) -> None:
    """A finance year file that exists but cannot be read: its diagnostics (path:line:col), then exit 1."""
    for d in exc.problems:
        common.echo(d.text(), err=True)
    data_error(str(exc))


def finance_year(model, year: str | None, day, result=None):
    """The finance-year record for ``year`` (default: the year holding ``day``); Misuse when absent,
    a data error pointing at the file when it exists but cannot be read."""
    from nesa_cli.finance.model import FinanceYearUnreadable, normalise_year, year_file_problems, year_of

    if year:
        try:
            label = normalise_year(year)
        except ValueError as exc:
            raise common.Misuse(str(exc)) from None
    else:
        label = year_of(day, model.alliance.financial_year_start_month if model.alliance else 4)
    found = (model.other.get("finance-year") or {}).get(label)
    if found is None and year_file_problems(result, label):
        unreadable(FinanceYearUnreadable(label, year_file_problems(result, label)))
    if found is None:
        known = ", ".join(sorted(model.other.get("finance-year") or {})) or "none"
        raise common.Misuse(f"no finance data for {label} (data/finance/{label}.yaml; years: {known})")
    return found


def data_error(message: str) -> None:
    common.fail(message, code=common.DATA_ERRORS)


def _show(year: str | None, at: str | None, as_json: bool, as_csv: bool, compute) -> None:
    """Load, find the year, compute its listing with ``compute(model, year, day)``, print it.
    A scheme that cannot be worked out is a data error (exit 1), not a traceback."""
    from nesa_cli.finance.contributions import FinanceError

    result, day = common.loaded(at)
    fy = finance_year(result.model, year, day, result)
    try:
        out = compute(result.model, fy, day)
    except FinanceError as exc:
        data_error(str(exc))
    emit(out, as_json, as_csv)


@finance_app.command("contributions")
def contributions_cmd(year: Optional[str] = YEAR, at: Optional[str] = AT, as_json: bool = JSON, as_csv: bool = CSV,
                      wide: bool = WIDE, no_pager: bool = NO_PAGER) -> None:
    """Each member school's contribution: pupils, the calculation, the amount, confirmed or not, and the total."""
    from nesa_cli.finance.contributions import listing

    _show(year, at, as_json, as_csv, lambda model, fy, day: listing(model, fy))


@finance_app.command("recharges")
def recharges_cmd(year: Optional[str] = YEAR, at: Optional[str] = AT, as_json: bool = JSON, as_csv: bool = CSV,
                      wide: bool = WIDE, no_pager: bool = NO_PAGER) -> None:
    """Each school's share of the year's recharges and commissioned contracts."""
    from nesa_cli.finance.recharges import listing

    _show(year, at, as_json, as_csv, listing)


@finance_app.command("budget")
def budget_cmd(year: Optional[str] = YEAR, at: Optional[str] = AT, as_json: bool = JSON, as_csv: bool = CSV,
                      wide: bool = WIDE, no_pager: bool = NO_PAGER) -> None:
    """Fund sources and spending streams (budget, spent, committed, remaining) and the match-funding balance."""
    from nesa_cli.finance.budget import budget

    _show(year, at, as_json, as_csv, lambda model, fy, day: budget(model, fy))


@finance_app.command("balances")
def balances_cmd(at: Optional[str] = AT, as_json: bool = JSON, as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER) -> None:
    """The fund year by year: brought forward, received, spent, closing balance, and whether each year brings
    forward the one before's closing balance (a fund over several years)."""
    from nesa_cli.finance.carry import balances_listing

    result, _ = common.loaded(at)
    emit(balances_listing(result.model), as_json, as_csv)


# --- editing the year's file ------------------------------------------------------------

from nesa_cli.cli.editing import BRANCH as _BRANCH, COMMIT as _COMMIT, DRY_RUN as _DRY_RUN, EDIT_JSON as _EDIT_JSON, MESSAGE as _MESSAGE  # noqa: E402

YEAR_OPT = typer.Option(None, "--year", help="Financial year, e.g. 2026-27 (default: the one holding the date).")


def _run(command: str, fn, commit, branch, dry_run, message, as_json) -> None:
    from nesa_cli.cli.editing import run_edit

    run_edit(f"nesa finance {command}", fn, commit, branch, dry_run, message, as_json)


@finance_app.command("confirm")
def confirm_cmd(
    school: str = typer.Argument(..., help="URN or a unique part of the school's name."),
    on: str = typer.Option(..., "--date", metavar="YYYY-MM-DD", help="Date of the governing body meeting that confirmed it."),
    minute: str = typer.Option(..., "--minute", help="Minute reference, e.g. 'FGB 14/26 item 6'."),
    po: Optional[str] = typer.Option(None, "--po", help="The school's purchase-order reference (printed on the invoice)."),
    year: Optional[str] = YEAR_OPT,
    commit: bool = _COMMIT, branch: Optional[str] = _BRANCH, dry_run: bool = _DRY_RUN, message: Optional[str] = _MESSAGE, as_json: bool = _EDIT_JSON,
) -> None:
    """Record a governing body's confirmation of its school's contribution (only confirmed ones are invoiced)."""
    from nesa_cli.cli.editing import edit_date
    from nesa_cli.edit.verbs_finance import confirm

    day = edit_date(on, "--date")
    _run("confirm", lambda tx: confirm(tx, year, school, day, minute, po), commit, branch, dry_run, message, as_json)


@finance_app.command("recharge")
def recharge_cmd(
    ident: str = typer.Argument(..., metavar="ID", help="Id of the recharge, unique in the year, e.g. shared-caretaker."),
    description: str = typer.Option(..., "--description", help="What is recharged (shown on the invoices)."),
    provider: str = typer.Option(..., "--provider", help="The school that carries the cost and invoices the others (URN or name)."),
    amount: str = typer.Option(..., "--amount", help="The whole cost to split, e.g. 1520.00."),
    split: str = typer.Option(..., "--split", help="equal, pupils, shares or hours."),
    schools: Optional[List[str]] = typer.Option(None, "--school", metavar="URN[:N]", help="A school sharing the cost (repeat); with :N its hours or shares."),
    invoice_on: Optional[str] = typer.Option(None, "--invoice-on", metavar="YYYY-MM-DD", help="Invoice on or after this date."),
    year: Optional[str] = YEAR_OPT,
    commit: bool = _COMMIT, branch: Optional[str] = _BRANCH, dry_run: bool = _DRY_RUN, message: Optional[str] = _MESSAGE, as_json: bool = _EDIT_JSON,
) -> None:
    """Add a recharge: a cost one school carries for others, split between them."""
    from nesa_cli.cli.editing import edit_date
    from nesa_cli.edit.verbs_finance import recharge

    day = edit_date(invoice_on, "--invoice-on") if invoice_on else None
    _run("recharge", lambda tx: recharge(tx, year, ident, description, provider, amount, split, schools or [], day),
         commit, branch, dry_run, message, as_json)


@finance_app.command("spend")
def spend_cmd(
    amount: str = typer.Argument(..., metavar="AMOUNT", help="Amount in pounds, e.g. 1200.00."),
    stream: str = typer.Option(..., "--stream", help="Id of the spending stream, e.g. networks-and-cpd."),
    description: str = typer.Option(..., "--description", help="What it was for."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date paid or committed (default today)."),
    supplier: Optional[str] = typer.Option(None, "--supplier", help="Who was paid."),
    activity: Optional[str] = typer.Option(None, "--activity", help="Id of the activity it paid for."),
    committed: bool = typer.Option(False, "--committed", help="Ordered, not yet paid."),
    year: Optional[str] = YEAR_OPT,
    commit: bool = _COMMIT, branch: Optional[str] = _BRANCH, dry_run: bool = _DRY_RUN, message: Optional[str] = _MESSAGE, as_json: bool = _EDIT_JSON,
) -> None:
    """Record spending from the fund (paid, or --committed)."""
    from nesa_cli.cli.editing import edit_date
    from nesa_cli.edit.verbs_finance import spend

    day = edit_date(on, "--date", common.today())
    _run("spend", lambda tx: spend(tx, year, stream, amount, description, day, supplier, activity, committed),
         commit, branch, dry_run, message, as_json)


@finance_app.command("source")
def source_cmd(
    ident: str = typer.Argument(..., metavar="ID", help="Id of the source, e.g. dfe-grant."),
    kind: str = typer.Option(..., "--kind", help="contributions, match, grant, reserve or other."),
    name: str = typer.Option(..., "--name", help="Name, e.g. 'Northumberland County Council match funding'."),
    amount: Optional[str] = typer.Option(None, "--amount", help="The amount agreed or expected."),
    match_for: Optional[str] = typer.Option(None, "--match-for", help="match: id of the source it matches."),
    ratio: Optional[str] = typer.Option(None, "--ratio", help="match: pounds due per pound matched (default 1)."),
    year: Optional[str] = typer.Option(None, "--year", help="Financial year (default: the one holding today)."),
    commit: bool = _COMMIT, branch: Optional[str] = _BRANCH, dry_run: bool = _DRY_RUN, message: Optional[str] = _MESSAGE, as_json: bool = _EDIT_JSON,
) -> None:
    """Add a source of the fund's money."""
    from nesa_cli.edit.verbs_finance import source_add

    _run("source", lambda tx: source_add(tx, year, ident, kind, name, amount, match_for, ratio), commit, branch, dry_run, message, as_json)


@finance_app.command("stream")
def stream_cmd(
    ident: str = typer.Argument(..., metavar="ID", help="Id of the stream, e.g. wellbeing."),
    name: str = typer.Option(..., "--name", help="Name, e.g. 'Wellbeing'."),
    budget: str = typer.Option(..., "--budget", help="Budget for the year, e.g. 5000.00."),
    description: Optional[str] = typer.Option(None, "--description", help="What the stream pays for."),
    year: Optional[str] = typer.Option(None, "--year", help="Financial year (default: the one holding today)."),
    commit: bool = _COMMIT, branch: Optional[str] = _BRANCH, dry_run: bool = _DRY_RUN, message: Optional[str] = _MESSAGE, as_json: bool = _EDIT_JSON,
) -> None:
    """Add a spending stream with its budget."""
    from nesa_cli.edit.verbs_finance import stream_add

    _run("stream", lambda tx: stream_add(tx, year, ident, name, budget, description), commit, branch, dry_run, message, as_json)


def _verbs() -> None:
    from nesa_cli.cli.records import add_verbs

    add_verbs(finance_app, "finance-year", "finance", "Financial year, e.g. 2026-27.", new=True,
              example="nesa finance set 2026-27 payment_terms_days=28")


_verbs()


from nesa_cli.cli import finance_papers  # noqa: E402,F401  (nesa finance papers ...: registers on finance_app)
