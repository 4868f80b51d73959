"""nesa import gias: schools from the DfE's GIAS establishment file."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common

import_app = typer.Typer(help="Import data from outside sources (GIAS).", no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("gias")
def gias(
    file: Optional[str] = typer.Argument(None, metavar="FILE.csv", help="GIAS 'edubasealldata' CSV (as downloaded: quoted, Windows-1252)."),
    la: Optional[List[int]] = typer.Option(None, "--la", help="Only this LA code (repeat); default: the alliance's la_codes."),
    urn: Optional[List[int]] = typer.Option(None, "--urn", help="Only this URN (repeat); ignores the LA and type filters."),
    phase: Optional[List[str]] = typer.Option(None, "--phase", help="Only new schools of this phase (our slugs: primary, secondary, special, ...)."),
    type_: Optional[List[str]] = typer.Option(None, "--type", help="Only new schools of this type (default: the types eligible to join)."),
    all_types: bool = typer.Option(False, "--all-types", help="Import new establishments of every type (colleges, independent schools, ...)."),
    no_heads: bool = typer.Option(False, "--no-heads", help="Leave headteacher contacts alone."),
    links: Optional[str] = typer.Option(None, "--links", metavar="LINKS.csv", help="GIAS 'links_edubasealldata' CSV: record the successions (academy conversions) of the alliance's schools, after FILE if given."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Say what would change; write nothing."),
    commit: bool = typer.Option(False, "--commit", help="Commit the changed school files."),
    branch: Optional[str] = typer.Option(None, "--branch", metavar="NAME", help="Create this branch first and commit there (implies --commit)."),
    message: Optional[str] = typer.Option(None, "--message", "-m", help="Commit message instead of the generated one."),
    as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON."),
) -> None:
    """Create a school file for each new establishment (prospective) and update the
    GIAS-owned fields of existing ones; the alliance's own fields and comments stay."""
    from nesa_cli.cli.editing import report as print_report
    from nesa_cli.edit.transaction import EditError, run
    from pathlib import Path

    from nesa_cli.gias import GiasError, Options, import_into

    from nesa_cli.cli import vocab

    phase, type_ = vocab.choices(phase, vocab.phases(), "--phase"), vocab.choices(type_, vocab.types(), "--type")
    if file is None and links is None:
        raise common.Misuse("give the GIAS establishment file (FILE.csv), the links file (--links LINKS.csv), or both")
    for given in (file, links):
        if given is not None and not Path(given).is_file():
            raise common.Misuse(f"no file {given}")
    opts = Options(la_codes=la or None, urns=urn or None, phases=phase or None, types=type_ or None,
                   all_types=all_types, heads=not no_heads)
    report = {}

    def fn(tx):
        if file is not None:
            report["r"] = import_into(tx, file, opts)
        if links is not None:  # issue 20, conversions: nesa_cli.gias.links
            from nesa_cli.gias.links import record_links

            report["links"] = record_links(tx, links)

    try:
        result = run(common.root(), fn, today=common.today(), commit=commit, branch=branch, dry_run=dry_run,
                     message=message, command="nesa import gias")
    except (EditError, GiasError) as exc:
        raise common.Misuse(str(exc)) from None
    rep, links_rep = report.get("r"), report.get("links")
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps({**(rep.as_dict() if rep else {}), **({"links": links_rep.as_dict()} if links_rep else {}),
                           "result": result.as_dict()}))
        if not result.ok:
            raise typer.Exit(common.DATA_ERRORS)
        return
    for line in [*(rep.lines() if rep else []), *(links_rep.lines() if links_rep else [])]:
        common.echo(line)
    if links_rep is None:
        result.changes = []  # the report above said it in words (a succession's moves are said by the edit)
    result.diff = ""  # one line per change is enough for an import; the files are new or small
    print_report(result, dry_run=dry_run, as_json=False)
