"""nesa people ..."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit

people_app = typer.Typer(help="Find people: school contacts, the central team, network leads.", no_args_is_help=True)
app.add_typer(people_app, name="people")


@people_app.command("find")
def find(
    text: str = typer.Argument(..., help="Part of a name or work email address."),
    include_private: bool = typer.Option(False, "--include-private", help="Include details marked not for circulation."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """Find anyone by name, with where they appear (school, networks they lead or belong to)."""
    from nesa_cli.reports.people import find_people

    if not text.strip():
        raise common.Misuse("give some text to search for")
    result, day = common.loaded(at, kinds={"alliance", "school", "network"})
    emit(find_people(result.model, text, day, include_private), as_json, as_csv)
