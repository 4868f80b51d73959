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
    since: Optional[str] = typer.Option(None, "--since", help="The changes committed in the last N days (e.g. 7d, 2w), commit by commit, as the digest counts them."),
    as_markdown: bool = typer.Option(False, "--markdown", help="Write Markdown (for a pull request's job summary) instead of plain text."),
    as_json: bool = JSON,
) -> None:
    """What changed in the alliance data, in words, not as a YAML diff.

    Plain text unless --markdown. Private contact details are never shown."""
    from nesa_cli.changes.render import Links, markdown, text
    from nesa_cli.changes.walk import commit_changes, diff as run_diff
    from nesa_cli.store.git import RevisionError

    root = common.root()
    if sum(bool(x) for x in (revisions, base, since)) > 1:
        raise common.Misuse("give one of REV_A..REV_B, --base or --since")
    if since:
        from datetime import datetime, time, timedelta

        from nesa_cli.dates import parse_duration

        try:
            days = parse_duration(since).days
        except ValueError as exc:
            raise common.Misuse(f"--since: {exc}") from None
        result, today = common.loaded()
        start = datetime.combine(today - timedelta(days=days), time(0, 0))
        changes = commit_changes(root, since=start.isoformat(), model=result.model)
        _show(changes, f"Changes since {start.date().isoformat()}", as_json, as_markdown, Links.of(result.model.alliance))
        return
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
    _show(changes, title, as_json, as_markdown, Links.of(result.model.alliance))


def _show(changes, title: str, as_json: bool, as_markdown: bool, links) -> None:
    from nesa_cli.changes.render import markdown, text

    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps([c.as_dict() for c in changes]))
    elif as_markdown:
        common.echo(markdown(changes, title, links).rstrip("\n"))
    else:
        common.echo(text(changes, title).rstrip("\n"))


def _merge_base(root, base: str) -> str:
    from nesa_cli.store.git import RevisionError, resolve

    try:
        a = resolve(root, base)
        head = resolve(root, "HEAD")
    except RevisionError as exc:
        raise common.Misuse(str(exc)) from None
    bases = a.repo.merge_base(a, head)
    return bases[0].hexsha if bases else a.hexsha
