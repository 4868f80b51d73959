"""nesa templates list"""

from __future__ import annotations

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import CSV, JSON, emit

templates_app = typer.Typer(help="The document templates in force.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def list_(as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """Every template and which copy is in force (the repository's templates/ beats the built-in one)."""
    from nesa_cli.render import templates_in_force
    from nesa_cli.tabular import Listing

    rows = [{"name": t.name, "source": t.source, "overrides_builtin": t.overrides_builtin, "path": str(t.path)}
            for t in templates_in_force(common.root())]
    emit(Listing(columns=[("name", "Template"), ("source", "In force"), ("overrides_builtin", "Overrides built-in"),
                          ("path", "Path")], rows=rows), as_json, as_csv)


@templates_app.command("copy")
def copy(name: str = typer.Argument(..., help="A built-in template, e.g. agenda.typ or invoice.html.j2.")) -> None:
    """Copy a built-in template into the repository's templates/ to change it there.

    Example: nesa templates copy agenda.typ
    """
    from nesa_cli.render import RenderError, copy_template

    try:
        target = copy_template(common.root(), name)
    except RenderError as exc:
        raise common.Misuse(str(exc)) from None
    common.echo(f"copied the built-in {name} to {target}: edit it there; nesa uses it from now on (delete it to go back)")
