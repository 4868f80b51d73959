"""nesa list KIND: the records of any kind, plug-in kinds included."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT, CSV, JSON, emit


@app.command("list")
def list_kind(
    kind: str = typer.Argument(..., metavar="KIND", help="A kind of record: schools, networks, policies, meetings, activities, "
                                                        "finance-years, invoices, proposals, or a plug-in's kind."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """List the records of any kind by the columns the kind declares.

    Example: nesa list meetings --csv"""
    from nesa_cli.kinds import named
    from nesa_cli.reports.records import UnknownKind, list_records

    found = named(kind)
    result, _ = common.loaded(at, kinds={found.name} if found is not None else None)
    try:
        listing = list_records(result.model, kind)
    except UnknownKind as exc:
        raise common.Misuse(str(exc)) from None
    emit(listing, as_json, as_csv)
