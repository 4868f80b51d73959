"""nesa digest."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from nesa_cli.cli import app, common, files


@app.command()
def digest(
    since: str = typer.Option("7d", "--since", help="The period: changes committed in the last N days (e.g. 7d, 2w)."),
    from_rev: Optional[str] = typer.Option(None, "--from", metavar="REV", help="Instead of --since: changes after this revision..."),
    to_rev: str = typer.Option("HEAD", "--to", metavar="REV", help="...up to this revision."),
    html: Optional[Path] = typer.Option(None, "--html", metavar="FILE", help="Also write the HTML version to FILE."),
    send: bool = typer.Option(False, "--send", help="Email it to the recipients in data/alliance.yaml (SMTP settings from NESA_SMTP_* variables)."),
    as_json: bool = typer.Option(False, "--json", help="Print the digest as JSON instead of text."),
    school: Optional[str] = typer.Option(None, "--school", metavar="URN|NAME", help="One school's own digest: only what concerns that school. With --send, send only that school's."),
) -> None:
    """The weekly digest: what changed and who changed it, meetings coming up,
    what is due, and the validation status. Prints the text version; --send
    emails it (once per week: a second run sends nothing), and each member
    school its own digest when digest: per_school: is enabled."""
    from nesa_cli.dates import parse_duration
    from nesa_cli.digest.build import SECTIONS, collect, for_sections, load_checked, start_git
    from nesa_cli.render import RenderError, render
    from nesa_cli.store.git import RevisionError

    try:
        days = parse_duration(since).days
    except ValueError as exc:
        raise common.Misuse(f"--since: {exc}") from None
    target = files.output_file(html, "--html")
    root = common.root()
    today = common.today()
    pending = start_git(root, today, days, base=from_rev, target=to_rev)  # git works while the data loads
    try:
        result = load_checked(common.source())
        common._KEPT.append(result)  # freed only when the process ends (see common.loaded)
        one = None
        if school is not None:
            from nesa_cli.reports.lookup import NotFound
            from nesa_cli.reports.schools import find_school

            try:
                one = find_school(result.model, school)
            except NotFound as exc:
                raise common.Misuse(f"--school: {exc}") from None
        try:
            d, changes = collect(root, result, today, days, base=from_rev, target=to_rev, pending=pending)
        except RevisionError as exc:
            raise common.Misuse(str(exc)) from None
    finally:
        if pending is not None:
            pending.close()

    def once(fn):
        # fit() renders a view to measure it, and the view that fits is printed or
        # sent: the same view object is rendered once (its last render kept)
        last: list = []

        def rendered(view):
            if not (last and last[0] is view):
                last[:] = [view, fn(view)]
            return last[1]

        return rendered

    @once
    def text(view):
        # the text part (printed, and the email's plain-text body): names, commit
        # authors and messages come from data, so control characters become escapes
        from nesa_cli.safetext import visible_lines

        return visible_lines(render(root, "digest", "txt", view))

    @once
    def page(view):
        return render(root, "digest", "html", view)

    if d.get("history_note"):
        common.echo(f"nesa: note: {d['history_note']}", err=True)
    from nesa_cli.digest.fit import fit

    try:
        if one is not None and not send:
            from nesa_cli.digest.schools import for_school

            view = for_school(d, changes, result.model, one, today)
            full = fit(view, text, page)
            d = view
        else:
            full = fit(for_sections(d, SECTIONS), text, page)
        if target:
            files.write(target, page(full))
        if not send:
            if as_json:
                from nesa_cli.jsonout import dumps

                common.echo(dumps(d))
            else:
                common.echo(text(full).rstrip("\n"))
            return
        with files.writing(root):
            _send(root, result, d, changes, today, text, page, one)
    except RenderError as exc:
        common.fail(str(exc), common.DATA_ERRORS)


def _send(root, result, d, changes, today, text, page, one=None) -> None:
    from nesa_cli.digest.schools import Config, for_school, recipient, recipients as school_recipients
    from nesa_cli.digest.send import ConfigError, SendError, build_messages, school_messages, send_all, settings_from_env

    model = result.model
    alliance = model.alliance
    recipients = alliance.recipients if alliance else ()
    config = Config.of(alliance)
    if one is not None:
        if not config.enabled:
            raise common.Misuse("--school with --send: per-school digests are not enabled (digest: per_school: enabled: true)")
        found, problem = recipient(one, config)
        people, problems, recipients = ([found] if found else []), ([problem] if problem else []), ()
    else:
        people, problems = school_recipients(model, today)
    if not recipients and not config.enabled:
        raise common.Misuse("data/alliance.yaml lists no digest recipients (digest: recipients:)")
    try:
        settings = settings_from_env(default_sender=alliance.email)
        outgoing = build_messages(d, recipients, settings, text, page) if recipients else []
        views = [(p, for_school(d, changes, model, model.schools[p.urn], today)) for p in people]
        outgoing += school_messages(d, views, settings, text, page)
        results = send_all(root, outgoing, settings)
    except ConfigError as exc:
        common.fail(str(exc), common.MISUSE)
    except SendError as exc:
        common.fail(f"digest not sent: {exc}", common.DATA_ERRORS)
    for r in results:
        whose = f" (the digest of {r['label']})" if r.get("label") else ""
        common.echo(f"{r['status']}: week {d['week']} to {', '.join(r['recipients'])}{whose}")
    for problem in problems:
        common.echo(f"nesa: error: per-school digest not sent: {problem}", err=True)
    if problems:
        raise typer.Exit(common.DATA_ERRORS)  # everything else was sent; the schools above need their contacts fixed
