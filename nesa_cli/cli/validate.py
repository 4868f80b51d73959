"""nesa validate."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from nesa_cli.cli import common
from nesa_cli.cli import app
from nesa_cli.cli.formats import FORMAT
from nesa_cli.cli.output import AT


@app.command()
def validate(
    paths: Optional[List[Path]] = typer.Argument(None, help="Report only on these files or folders (everything is still loaded, so cross-file rules hold)."),
    fmt: str = FORMAT("text", "github", "json", short=True, help="text is path:line:col: ..., github Actions annotations"),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors (exit 1 on any warning)."),
    at: Optional[str] = AT,
) -> None:
    """Check every data file: strict YAML, JSON Schema, then the cross-file rules.

    Prints every problem as path:line:col: severity: message [rule-id] and a
    summary. Exit 0 when there are no errors, 1 when there are, 2 on misuse.
    """
    from nesa_cli.diagnostics import counts, summary
    from nesa_cli.validate.run import validate as run_validate

    root = common.root()
    rel = [_relative(root, p) for p in paths or []]
    src = common.source(at)
    result, diags = run_validate(src, rel)
    common.print_diagnostics(diags, fmt)
    errors, warnings = counts(diags)
    if fmt != "json":
        line = summary(diags, result.files)
        named = _named(src, rel)
        if named is not None:
            line = f"{summary(diags, named)} (all {result.files} files read for the cross-file rules)"
        common.echo(line, err=fmt == "github")
    raise typer.Exit(common.DATA_ERRORS if errors or (strict and warnings) else common.OK)


def _named(src, rel: list[str]) -> int | None:
    """How many files the paths given name (None: the whole repository)."""
    prefixes = [p.rstrip("/") for p in rel]
    if not prefixes or any(p in ("", ".") for p in prefixes):
        return None
    return sum(1 for f in src.files() if any(f == p or f.startswith(p + "/") for p in prefixes))


def _relative(root: Path, p: Path) -> str:
    full = (Path.cwd() / p).resolve() if not p.is_absolute() else p.resolve()
    try:
        return full.relative_to(root).as_posix() if full != root else "."
    except ValueError:
        raise common.Misuse(f"{p} is outside the data repository {root}") from None
