"""nesa diff."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import JSON


@app.command()
def diff(
    revisions: Optional[str] = typer.Argument(None, metavar="[REV_A..REV_B]", help="Compare two revisions (default: the working tree against HEAD)."),
    base: Optional[str] = typer.Option(None, "--base", help="Compare the working tree's HEAD with this base, as a pull request would (e.g. --base main)."),
    as_json: bool = JSON,
) -> None:
    """What changed in the alliance data, in words (Markdown), not as a YAML diff.

    Private contact details are never shown."""
    from nesa_cli.diffing import diff as run_diff, markdown
    from nesa_cli.store.git import RevisionError

    root = common.root()
    if revisions and base:
        raise common.Misuse("give either REV_A..REV_B or --base, not both")
    if revisions:
        if ".." not in revisions:
            a, b = revisions, None
        else:
            a, _, b = revisions.partition("..")
            a, b = a or "HEAD", b or "HEAD"
        title = f"Changes {a}..{b or 'working tree'}"
    elif base:
        a, b, title = _merge_base(root, base), "HEAD", f"Changes on this branch since {base}"
    else:
        a, b, title = "HEAD", None, "Uncommitted changes"
    result, _ = common.loaded(b if b else None)
    try:
        changes = run_diff(root, a, b, result.model)
    except RevisionError as exc:
        raise common.Misuse(str(exc)) from None
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps([c.as_dict() for c in changes]))
        return
    common.echo(markdown(changes, title).rstrip("\n"))


def _merge_base(root, base: str) -> str:
    from nesa_cli.store.git import RevisionError, resolve

    try:
        a = resolve(root, base)
        head = resolve(root, "HEAD")
    except RevisionError as exc:
        raise common.Misuse(str(exc)) from None
    bases = a.repo.merge_base(a, head)
    return bases[0].hexsha if bases else a.hexsha
