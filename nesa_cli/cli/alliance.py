"""nesa alliance set / nesa team add: the alliance's own file (data/alliance.yaml)."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, run_edit

alliance_app = typer.Typer(help="The alliance itself (data/alliance.yaml): set its fields.", no_args_is_help=True)
app.add_typer(alliance_app, name="alliance")
team_app = typer.Typer(help="The central team: add a member.", no_args_is_help=True)
app.add_typer(team_app, name="team")


@alliance_app.command("set")
def alliance_set(
    items: Optional[List[str]] = typer.Argument(None, metavar="FIELD=VALUE...", help="e.g. census_date=2026-10-01 'la_codes+=931'."),
    unset: Optional[List[str]] = typer.Option(None, "--unset", metavar="FIELD", help="Remove a field, or a list entry by its number (repeat)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Set fields of the alliance, add to and remove from its lists (central_team, partnerships, digest.recipients, ...)."""
    from nesa_cli.cli.records import assignments
    from nesa_cli.edit import records

    run_edit("nesa alliance set", lambda tx: records.set_record(tx, "alliance", None, assignments(items), unset or []),
             commit, branch, dry_run, message, as_json)


@team_app.command("add")
def team_add(
    ident: str = typer.Argument(..., metavar="ID", help="Short id used elsewhere (chair, owner, link), e.g. lgreen."),
    name: str = typer.Option(..., "--name", help="Full name."),
    role: str = typer.Option(..., "--role", help="lead, school-improvement-adviser, school-business-management, administrator or other."),
    title: Optional[str] = typer.Option(None, "--title", help="Job title."),
    email: Optional[str] = typer.Option(None, "--email", help="Work email address."),
    phone: Optional[str] = typer.Option(None, "--phone", help="Work telephone number."),
    partnerships: Optional[List[str]] = typer.Option(None, "--partnership", help="A partnership this person links with (repeat)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Add a member of the central team."""
    from nesa_cli.edit.verbs_alliance import team_add as add

    run_edit("nesa team add", lambda tx: add(tx, ident, name, role, title, email, phone, partnerships or []),
             commit, branch, dry_run, message, as_json)
