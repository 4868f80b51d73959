"""nesa finance contributions / recharges / budget."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT, CSV, JSON, NO_PAGER, WIDE, emit

finance_app = typer.Typer(help="The Partnership Fund: contributions, recharges and the budget.", no_args_is_help=True)
app.add_typer(finance_app, name="finance")

YEAR = typer.Argument(None, metavar="[YEAR]", help="Financial year, e.g. 2025-26 (or 2025); default the one holding today.")


def finance_year(model, year: str | None, day):
    """The finance-year record for ``year`` (default: the year holding ``day``); Misuse when absent."""
    from nesa_cli.finance.model import normalise_year, year_of

    if year:
        try:
            label = normalise_year(year)
        except ValueError as exc:
            raise common.Misuse(str(exc)) from None
    else:
        label = year_of(day, model.alliance.financial_year_start_month if model.alliance else 4)
    found = (model.other.get("finance-year") or {}).get(label)
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
    fy = finance_year(result.model, year, day)
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
