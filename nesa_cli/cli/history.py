"""nesa history ..."""

from __future__ import annotations

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import JSON


@app.command()
def history(
    thing: str = typer.Argument(..., help="A school (URN or name), a network id or a policy id."),
    as_json: bool = JSON,
) -> None:
    """The commits that changed one school, network or policy: date, author,
    message, and each field's old and new value.

    A value private at that revision or in the file as it is now is shown as
    "(not for circulation)": marking a detail private hides all its history."""
    from nesa_cli.reports.history import history as build, predecessor_histories, thing_path
    from nesa_cli.reports.lookup import NotFound
    from nesa_cli.store.git import RevisionError

    result, _ = common.loaded()
    root = common.root()
    try:
        path, label = thing_path(root, thing, result.model)
        entries = build(root, path, _names(result.model))
        before = predecessor_histories(root, path, result.model, _names(result.model), entries)  # across a conversion
    except (NotFound, RevisionError) as exc:
        raise common.Misuse(str(exc)) from None
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps([*entries, *(e for _, _, older in before for e in older)]))
        return
    if not entries:
        from nesa_cli.store.git import history_note

        note = history_note(root)
        raise common.Misuse(f"no commits change {path}" + (f" ({note})" if note else ""))
    from nesa_cli.cli.common import markup as escape

    out = common.console()
    out.print(f"[bold]History of {escape(label)}[/bold] ({escape(path)})")
    for said, _, _ in before[:1]:
        out.print(escape(said[0].upper() + said[1:]))
    _entries(out, entries, escape)
    for said, old_path, older in before:
        if older:
            out.print()
            out.print(f"[bold]Before that: {escape(said)}[/bold] ({escape(old_path)})")
            _entries(out, older, escape)


def _entries(out, entries, escape) -> None:
    for e in entries:
        out.print()
        out.print(f"[bold]{e['date']}[/bold] {e['commit']} {escape(e['author'])}: {escape(e['message'])} {escape('[' + e['event'] + ']')}")
        for c in e["changes"]:
            old = "" if c["old"] is None else c["old"]
            new = "" if c["new"] is None else c["new"]
            what = c.get("label") or c["field"]
            if c["kind"] == "added":
                out.print(f"  + {escape(what)}: {escape(str(new))}")
            elif c["kind"] == "removed":
                out.print(f"  - {escape(what)}: {escape(str(old))}")
            else:
                out.print(f"  ~ {escape(what)}: {escape(str(old))} -> {escape(str(new))}")


def _names(model):
    def name(urn) -> str:
        s = model.schools.get(urn) if model else None
        return s.name if s else f"URN {urn}"

    return name
