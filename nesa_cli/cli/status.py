"""nesa status."""

from __future__ import annotations

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT


@app.command()
def status(
    within: str = typer.Option("60", "--within", metavar="DAYS", help="Show policies whose review falls due within this span: 60, 60d, 8w, 3m or 1y."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    at: str = AT,
) -> None:
    """The alliance at a glance: members by phase, type and partnership, schools
    joining and withdrawn, networks, policies due for review, and validation."""
    from nesa_cli.cli import vocab
    from nesa_cli.diagnostics import counts, summary
    from nesa_cli.reports.status import READS, status as build

    within = vocab.days(within)

    result, day = common.loaded(at, kinds=set(READS), checked=True)  # the other kinds are only counted
    report = build(result.model, day, within, counts=result.counts)
    errors, warnings = counts(result.diagnostics)
    report["validation"] = {"files": result.files, "errors": errors, "warnings": warnings}
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(report))
        return
    from nesa_cli.cli.show import status_view

    status_view(report, summary(result.diagnostics, result.files))
