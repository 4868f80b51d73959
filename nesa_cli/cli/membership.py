"""nesa membership ..."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT, CSV, JSON, emit

membership_app = typer.Typer(help="Membership of the alliance: who was a member when, and joining or withdrawing.", no_args_is_help=True)
app.add_typer(membership_app, name="membership")


@membership_app.command("report")
def report(
    by: str = typer.Option("term", "--by", help="term: members at the start of each term; year: joiners and leavers per academic year."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """Members over time per term, or joiners and leavers per year by phase and partnership."""
    from nesa_cli.reports.membership import membership_by_term, membership_by_year

    if by not in ("term", "year"):
        raise common.Misuse("--by must be term or year")
    result, day = common.loaded(at, kinds={"alliance", "school"})
    listing = membership_by_term(result.model, day) if by == "term" else membership_by_year(result.model, day)
    emit(listing, as_json, as_csv)
