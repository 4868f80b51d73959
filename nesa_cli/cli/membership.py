"""nesa membership ..."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, edit_date, run_edit
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit

membership_app = typer.Typer(help="Membership of the alliance: who was a member when, and joining or withdrawing.", no_args_is_help=True)
app.add_typer(membership_app, name="membership")


@membership_app.command("report")
def report(
    by: str = typer.Option("term", "--by", help="term: members at the start of each term; year: joiners and leavers per academic year."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """Members over time per term, or joiners and leavers per year by phase and partnership."""
    from nesa_cli.reports.membership import membership_by_term, membership_by_year

    if by not in ("term", "year"):
        raise common.Misuse("--by must be term or year")
    result, day = common.loaded(at, kinds={"alliance", "school"})
    listing = membership_by_term(result.model, day) if by == "term" else membership_by_year(result.model, day)
    emit(listing, as_json, as_csv)


@membership_app.command("join")
def membership_join(
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date of the new state (default today)."),
    state: str = typer.Option("member", "--state", help="member (default), signed-up or consulting."),
    note: Optional[str] = typer.Option(None, "--note", help="e.g. the governing body minute."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record a school joining (or signing up, or starting to consult). Refused
    if the school is not eligible."""
    from nesa_cli.edit import operations as ops

    day = edit_date(on, "--date", common.today())
    run_edit("nesa membership join", lambda tx: ops.join(tx, school, day, state, note), commit, branch, dry_run, message, as_json)


@membership_app.command("withdraw")
def membership_withdraw(
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date of the withdrawal (default today)."),
    reason: str = typer.Option(..., "--reason", help="Why the school withdraws."),
    note: Optional[str] = typer.Option(None, "--note"),
    keep_networks: bool = typer.Option(False, "--keep-networks", help="Do not end the school's network memberships (the validator will then object)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record a withdrawal; the school's active network memberships end on the same day."""
    from nesa_cli.edit import operations as ops

    day = edit_date(on, "--date", common.today())
    run_edit("nesa membership withdraw", lambda tx: ops.withdraw(tx, school, day, reason, note, not keep_networks),
          commit, branch, dry_run, message, as_json)
