"""nesa schools ..."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT, CSV, JSON, emit, record

schools_app = typer.Typer(help="The schools: list and show them, add one, set fields, contacts and pupil numbers.", no_args_is_help=True)
app.add_typer(schools_app, name="schools")


@schools_app.command("list")
def list_(
    phase: Optional[List[str]] = typer.Option(None, "--phase", help="Only this phase (repeat for several), e.g. first, primary, middle-deemed-secondary, high."),
    type_: Optional[List[str]] = typer.Option(None, "--type", help="Only this type, e.g. community, voluntary-aided, academy-converter."),
    partnership: Optional[List[str]] = typer.Option(None, "--partnership", help="Only this partnership id, e.g. simonside."),
    status: Optional[List[str]] = typer.Option(None, "--status", help="prospective, consulting, signed-up, member or withdrawn (on the day read)."),
    network: Optional[str] = typer.Option(None, "--network", help="Only schools with an active member in this network (id)."),
    diocese: Optional[str] = typer.Option(None, "--diocese", help="Only schools whose diocese contains this text, e.g. Newcastle."),
    search: Optional[str] = typer.Option(None, "--search", "-s", help="Text in the name, town, URN, postcode or a contact's name."),
    sort: str = typer.Option("name", "--sort", help="name, urn, phase, type, partnership, status, town or pupils (largest first)."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """List schools, filtered and sorted. Status is as of today, or as of --at."""
    from nesa_cli.reports.schools import SORTS, STATUSES, SchoolFilter, list_schools

    if sort not in SORTS:
        raise common.Misuse(f"--sort must be one of {', '.join(SORTS)}")
    for s in status or []:
        if s not in STATUSES:
            raise common.Misuse(f"--status {s!r} is not one of {', '.join(STATUSES)}")
    result, day = common.loaded(at, kinds={"alliance", "school", "network"})
    model = result.model
    _check_known("--partnership", partnership, {p.id for p in model.alliance.partnerships} if model.alliance else set())
    _check_known("--network", [network] if network else None, set(model.networks))
    f = SchoolFilter(phase=phase, type=type_, partnership=partnership, status=status, network=network, diocese=diocese, search=search)
    emit(list_schools(model, day, f, sort), as_json, as_csv)


def _check_known(option: str, values, known: set) -> None:
    import difflib

    for v in values or []:
        if v not in known:
            close = difflib.get_close_matches(v, sorted(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(sorted(known))}"
            raise common.Misuse(f"{option} {v!r} is not known{hint}")


@schools_app.command("show")
def show(
    school: str = typer.Argument(..., help="URN, or the school's name or a unique part of it."),
    include_private: bool = typer.Option(False, "--include-private", help="Include contact details marked not for circulation."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
) -> None:
    """Show one school's whole record: partnership, membership history, contacts,
    networks, policies adopted and their versions, open actions."""
    from nesa_cli.reports.lookup import NotFound
    from nesa_cli.reports.schools import find_school, school_record

    result, day = common.loaded(at)
    try:
        s = find_school(result.model, school)
    except NotFound as exc:
        raise common.Misuse(str(exc)) from None
    rec = school_record(result.model, s, day, include_private)
    record(rec, f"{s.name} (URN {s.urn})", as_json, skip=("name", "urn"))
