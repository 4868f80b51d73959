"""The command-line adapter: Typer commands that parse, call the library, print.

Only this package imports Typer and rich. Commands import heavy modules
(jinja2, git, jsonschema) inside their bodies, never at start-up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import typer

from nesa_cli import __version__
from nesa_cli.cli import common

app = typer.Typer(
    name="nesa",
    help="Run a school alliance from a git repository of YAML files: validate it, query it, render its documents.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        common.echo(f"nesa {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    data_dir: Optional[str] = typer.Option(
        None, "--data-dir", "-C", envvar="NESA_DATA_DIR", metavar="DIR",
        help="The alliance data repository (default: found from the current folder upwards).",
    ),
    today: Optional[datetime] = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], envvar="NESA_TODAY", metavar="YYYY-MM-DD",
        help="Treat this date as today (reproducible reports).",
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    common.OPTIONS.data_dir = data_dir
    common.OPTIONS.today = today.date() if today else None


from nesa_cli.cli import status as _status  # noqa: E402,F401  (registers commands)
from nesa_cli.cli import validate as _validate  # noqa: E402,F401
from nesa_cli.cli import schools as _schools  # noqa: E402,F401
from nesa_cli.cli import networks as _networks  # noqa: E402,F401
from nesa_cli.cli import policies as _policies  # noqa: E402,F401
from nesa_cli.cli import people as _people  # noqa: E402,F401
from nesa_cli.cli import membership as _membership  # noqa: E402,F401
from nesa_cli.cli import history as _history  # noqa: E402,F401
from nesa_cli.cli import diff as _diff  # noqa: E402,F401
from nesa_cli.cli import digest as _digest  # noqa: E402,F401
from nesa_cli.cli import meetings as _meetings  # noqa: E402,F401
from nesa_cli.cli import templates as _templates  # noqa: E402,F401
from nesa_cli.cli import collab as _collab  # noqa: E402,F401
from nesa_cli.cli import finance as _finance  # noqa: E402,F401
from nesa_cli.cli import invoices as _invoices  # noqa: E402,F401
from nesa_cli.cli import edit as _edit, init as _init, importer as _importer  # noqa: E402,F401  (edit commands, nesa init, nesa import)


def main() -> None:
    """Entry point: a user's mistake is a message and an exit code, never a traceback."""
    import sys

    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        common.echo("nesa: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
