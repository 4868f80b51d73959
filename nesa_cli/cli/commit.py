"""nesa commit -m MESSAGE."""

from __future__ import annotations

import typer

from nesa_cli.cli import app, common


@app.command(rich_help_panel="Edit")
def commit(
    message: str = typer.Option(..., "--message", "-m", metavar="TEXT", help="What you changed, in a few words (the commit's first line)."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Show what would be committed; commit nothing."),
) -> None:
    """Commit your changes to the data (data/ and templates/) with a message,
    without using git directly.

    The message gets a body naming each change in words. Nothing outside
    data/ and templates/ is committed, even if staged. Refused while a git
    rebase, merge or cherry-pick is unfinished, and when nothing changed.

    Example: nesa commit -m "Thropton's new phone number"
    """
    from nesa_cli.edit import commit as plumbing

    root = common.root()
    items = plumbing.prepare(root)
    text = plumbing.message(message, items, _described(root, items))
    if dry_run:
        common.echo(f"Would commit {_files(len(items))}:")
        for it in items:
            common.echo(f"  {it.line()}")
        common.echo("\nwith the message:\n")
        for line in text.rstrip("\n").split("\n"):
            common.echo(f"  {line}" if line else "")
        return
    sha = plumbing.commit(root, items, text)
    common.echo(f"committed {_files(len(items))} as {sha[:10]}: {text.splitlines()[0]}")


def _files(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"


def _described(root, items) -> list[str]:
    """Each data change in words; a data file with no sentence of its own
    (not a record, or unreadable) is named by its path."""
    from nesa_cli.edit.commit import has_head

    data = [it for it in items if it.path.startswith("data/")]
    if not data:
        return []
    lines: list[str] = []
    said: set[str] = set()
    if has_head(root):
        from nesa_cli.changes.walk import diff
        from nesa_cli.store.git import RevisionError

        model = None
        try:
            result, _ = common.loaded()
            model = result.model
        except Exception:  # noqa: BLE001 - names are a nicety; data with errors still commits
            model = None
        try:
            for ch in diff(root, "HEAD", None, model):
                lines.append(ch.text)
                said.add(ch.path)
        except RevisionError:
            pass
    lines += [it.line() for it in data if not (set(it.paths()) & said)]
    return lines
