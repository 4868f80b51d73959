"""nesa init: a new alliance repository in one command."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common, files


@app.command("init")
def init(
    directory: str = typer.Argument(..., help="Folder for the new repository (created; must be empty if it exists)."),
    name: str = typer.Option(..., "--name", help="The alliance's full name, e.g. \"Barnet Schools Partnership\"."),
    short: str = typer.Option(..., "--short", help="Short name in capitals, used in invoice numbers, e.g. BSP."),
    la: List[int] = typer.Option(..., "--la", help="DfE local authority code (repeat for several), e.g. 302."),
    area: Optional[str] = typer.Option(None, "--area", help="The area served, e.g. Barnet."),
    email: Optional[str] = typer.Option(None, "--email", help="The central team's shared mailbox."),
    census: Optional[str] = typer.Option(None, "--census-date", metavar="YYYY-MM-DD", help="Census date for pupil numbers (default: the latest October census)."),
    nesa_source: Optional[str] = typer.Option(
        None, "--nesa-source", metavar="REQUIREMENT",
        help="Where CI installs nesa from, as pip takes it: git+https://<host>/<owner>/nesa@v0.2.0, an https:// wheel URL, "
             "or nesa-cli==0.2.0 (default: where this nesa was installed from, when CI can reach it)."),
    no_commit: bool = typer.Option(False, "--no-commit", help="Set up the repository but make no first commit."),
) -> None:
    """Create a new alliance data repository that validates at once: data/alliance.yaml
    to fill in, the folders, the schemas, CI workflow, pre-commit configuration,
    a README for the team and a first commit."""
    from datetime import date

    from nesa_cli.init import InitError, create

    census_day = None
    if census:
        try:
            census_day = date.fromisoformat(census)
        except ValueError:
            raise common.Misuse(f"--census-date {census!r} is not a date (YYYY-MM-DD)") from None
    try:
        with files.writing(directory):
            report = create(directory, name=name, short_name=short, la_codes=la, area=area, email=email,
                            census_date=census_day, today=common.today(), commit=not no_commit,
                            nesa_source=nesa_source)
    except InitError as exc:
        raise common.Misuse(str(exc)) from None
    for line in report.lines():
        common.echo(line)
