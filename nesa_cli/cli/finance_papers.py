"""nesa finance papers budget / contributions / debtors / statement / reminder: the board's finance papers."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import common
from nesa_cli.cli.finance import YEAR, data_error, finance_app, finance_year
from nesa_cli.cli.formats import FORMAT
from nesa_cli.cli.output import AT

papers_app = typer.Typer(help="The board's finance papers (HTML, PDF, CSV): budget monitoring, contributions, aged debtors, "
                              "a school's statement of account, a reminder letter.", no_args_is_help=True)
finance_app.add_typer(papers_app, name="papers")

KINDS = {"alliance", "school", "finance-year", "invoice"}
OUTPUT = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to this file (required for pdf); default: print.")
TABLE_FORMAT = FORMAT("html", "pdf", "csv", "json", help="csv: the paper's table, for a spreadsheet")
LETTER_FORMAT = FORMAT("html", "pdf", "json")


def _emit(document: str, fmt: str, output: str | None, model, data: dict, listing, what: str, day) -> None:
    """The paper in ``fmt``: a document (html, pdf), its table (csv) or its data (json)."""
    from nesa_cli.cli.documents import check_form, deliver

    deliver(model, day, document, check_form(fmt, output), data, listing, output, what)


def _load(at: str | None):
    result, day = common.loaded(at, kinds=KINDS)
    if result.model.alliance is None:
        data_error("no alliance here (data/alliance.yaml is missing or unreadable); see nesa validate")
    broken = sorted({d.path for d in getattr(result, "diagnostics", ()) or ()
                     if d.severity == "error" and str(d.path).startswith("data/finance/")})
    if broken:  # a paper for the board never leaves money out without saying so
        common.echo(f"nesa: warning: {len(broken)} finance file{'s' if len(broken) != 1 else ''} could not be read and "
                    f"{'are' if len(broken) != 1 else 'is'} left out of these figures: {', '.join(broken[:5])}"
                    f"{' ...' if len(broken) > 5 else ''} (see nesa validate)", err=True)
    return result, day


@papers_app.command("budget")
def budget_cmd(year: Optional[str] = YEAR, fmt: str = TABLE_FORMAT, output: Optional[str] = OUTPUT, at: Optional[str] = AT) -> None:
    """Budget monitoring for the board: income (expected, confirmed, invoiced, received), spending by stream
    (budget, committed, spent, remaining, % used), the fund's balance with the carry-forward, variance notes."""
    from nesa_cli.finance.papers import budget_listing, budget_paper

    result, day = _load(at)
    fy = finance_year(result.model, year, day, result)
    data = budget_paper(result.model, fy, day)  # FinanceError: nesa: error, exit 1 (nesa_cli.cli._Group)
    _emit("finance-budget", fmt, output, result.model, data, budget_listing, f"budget monitoring for {fy.year}", day)


@papers_app.command("contributions")
def contributions_cmd(year: Optional[str] = YEAR, fmt: str = TABLE_FORMAT, output: Optional[str] = OUTPUT,
                      at: Optional[str] = AT) -> None:
    """The contribution statement: each member school's contribution due, confirmed, invoiced, paid and outstanding."""
    from nesa_cli.finance.papers import contributions_listing, contributions_paper

    result, day = _load(at)
    fy = finance_year(result.model, year, day, result)
    data = contributions_paper(result.model, fy, day)  # FinanceError: as budget_cmd
    _emit("finance-contributions", fmt, output, result.model, data, contributions_listing,
          f"the contribution statement for {fy.year}", day)


@papers_app.command("debtors")
def debtors_cmd(
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="Age the debts on this day (default today)."),
    fmt: str = TABLE_FORMAT, output: Optional[str] = OUTPUT, at: Optional[str] = AT,
) -> None:
    """Aged debtors: the fund's unpaid invoices per school, by days past due (1-30, 31-60, 61-90, over 90).

    Paid and void invoices are left out; an invoice paid after --as-of counts as unpaid on that day.
    Invoices one school sent another (recharges) are listed apart: they are owed to that school."""
    from nesa_cli.cli.editing import edit_date
    from nesa_cli.finance.accounts import aged_debtors, debtors_listing
    from nesa_cli.wording import day as uk_day

    result, day = _load(at)
    when = edit_date(as_of, "--as-of", day)
    data = aged_debtors(result.model, when)
    _emit("finance-debtors", fmt, output, result.model, data, debtors_listing, f"aged debtors on {uk_day(when)}", day)


@papers_app.command("statement")
def statement_cmd(
    school: str = typer.Argument(..., help="URN or a unique part of the school's name."),
    year: Optional[str] = YEAR, fmt: str = TABLE_FORMAT, output: Optional[str] = OUTPUT, at: Optional[str] = AT,
) -> None:
    """A school's statement of account with the fund: opening balance, invoices, payments and credits with the
    running balance, what is open and the amount now due, on the letterhead."""
    from nesa_cli.cli import vocab
    from nesa_cli.finance.accounts import statement, statement_listing

    result, day = _load(at)
    found = vocab.school(result.model, school)
    fy = finance_year(result.model, year, day, result)
    data = statement(result.model, found, fy, day)
    _emit("finance-statement", fmt, output, result.model, data, statement_listing,
          f"the statement of account of {found.name} for {fy.year}", day)


@papers_app.command("reminder")
def reminder_cmd(
    school: str = typer.Argument(..., help="URN or a unique part of the school's name."),
    fmt: str = LETTER_FORMAT, output: Optional[str] = OUTPUT, at: Optional[str] = AT,
) -> None:
    """A polite reminder letter to a school with overdue invoices from the fund: each invoice, its date, amount
    and days overdue, how to pay and whom to contact.

    A school that owes nothing overdue gets no letter: a message and exit 1, so a script that
    sends the letters never sends an old file."""
    from nesa_cli.cli import vocab
    from nesa_cli.finance.accounts import reminder

    result, day = _load(at)
    found = vocab.school(result.model, school)
    data = reminder(result.model, found, day)
    _emit("finance-reminder", fmt, output, result.model, data, None, f"a payment reminder to {found.name}", day)
