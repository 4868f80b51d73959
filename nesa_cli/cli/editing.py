"""What every edit command shares: its options, reading a date option, and
running one edit through the library and reporting it.

The edit commands live with their group (``schools.py``: ``schools add``,
``set``, ...), so a command line imports only its own group.

Every edit validates the whole resulting state first and writes nothing if
the data would become invalid (exit 1); keeps the file's comments and layout;
writes atomically under the repository lock; and with ``--commit`` (or
``--branch NAME``) commits exactly the files it changed.
"""

from __future__ import annotations

from datetime import date
from typing import Callable, Optional

import typer

from nesa_cli.cli import common, files

COMMIT = typer.Option(False, "--commit", help="Commit the change (only the files it touched) with a generated message.")
BRANCH = typer.Option(None, "--branch", metavar="NAME", help="Create this branch first and commit there, ready for a pull request (implies --commit).")
DRY_RUN = typer.Option(False, "--dry-run", "-n", help="Validate and show the diff; write nothing.")
MESSAGE = typer.Option(None, "--message", "-m", help="Use this commit message instead of the generated one.")
EDIT_JSON = typer.Option(False, "--json", help="Print what was done as JSON.")

def edit_date(text: Optional[str], option: str, default: Optional[date] = None) -> date:
    if not text:
        if default is None:
            raise common.Misuse(f"{option} is required (YYYY-MM-DD)")
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise common.Misuse(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def run_edit(command: str, fn: Callable, commit: bool, branch: Optional[str], dry_run: bool, message: Optional[str],
          as_json: bool = False) -> None:
    """Run one edit through the library and print what happened."""
    from nesa_cli.edit.transaction import EditError, run

    root = common.root()
    try:
        with files.writing(root):
            result = run(root, fn, today=common.today(), commit=commit, branch=branch, dry_run=dry_run,
                         message=message, command=command)
    except EditError as exc:
        raise common.Misuse(str(exc)) from None
    report(result, dry_run, as_json)


def report(result, dry_run: bool, as_json: bool) -> None:
    from nesa_cli.diagnostics import visible

    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(result.as_dict()))
        if not result.ok:
            raise typer.Exit(common.DATA_ERRORS)
        return
    if not result.ok and not result.written:
        common.echo("nesa: refused: the edit would leave the data invalid; nothing was written.", err=True)
        for d in result.diagnostics:
            common.echo("  " + d.text(), err=True)
        common.echo("(line numbers are those of the file as the edit would have written it)", err=True)
        raise typer.Exit(common.DATA_ERRORS)
    for change in result.changes:
        common.echo(visible(change))
    if not result.paths:
        return
    if dry_run:
        for line in result.diff.splitlines():
            common.echo(visible(line))
        common.echo(f"dry run: {len(result.paths)} file{'s' if len(result.paths) != 1 else ''} would change; nothing written")
    else:
        for path in result.paths:
            common.echo(f"{'created' if path in result.created else 'deleted' if path in result.removed else 'updated'} {path}")
    for d in result.diagnostics:
        common.echo(d.text())
    if result.existing_errors:
        common.echo(f"note: {result.existing_errors} error{'s' if result.existing_errors != 1 else ''} already in other files "
                    "(not caused by this edit); see nesa validate")
    if result.branch:
        common.echo(f"on new branch {result.branch}")
    if result.commit:
        common.echo(f"committed {result.commit[:10]}: {result.message.splitlines()[0]}")
    if not result.ok:
        raise typer.Exit(common.DATA_ERRORS)
