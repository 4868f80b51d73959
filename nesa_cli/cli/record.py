"""nesa minutes, nesa pack: the governance record of a meeting as documents."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common, files
from nesa_cli.cli.formats import FORMAT
from nesa_cli.cli.output import AT

KINDS = {"alliance", "school", "network", "policy", "body", "meeting"}


@app.command("minutes")
def minutes_cmd(
    meeting: str = typer.Argument(..., help="Meeting id, e.g. 2026-10-14-strategic-board (or its date)."),
    part2: bool = typer.Option(False, "--part2", help="The confidential (Part 2) minutes instead: only the confidential items."),
    fmt: str = FORMAT("md", "html", "pdf"),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write to this file (required for pdf)."),
    at: Optional[str] = AT,
) -> None:
    """The minutes of a meeting: attendance, quorum, declarations, one minute per item, actions.

    A DRAFT until a later meeting of the same body approves them (minutes_approved:
    in its file); then signed by its chair. Confidential items are never in these:
    they are in the separate Part 2 minutes (--part2)."""
    from nesa_cli.cli import vocab
    from nesa_cli.cli.documents import check_form, deliver
    from nesa_cli.meetings.minutes import minutes
    from nesa_cli.wording import day as uk_day

    fmt = check_form(fmt, output)
    result, day = common.loaded(at, kinds=KINDS)
    m = vocab.meeting(result.model, meeting)
    data = minutes(result.model, m, day, part2)
    what = "the Part 2 minutes" if part2 else "the minutes"
    deliver(result.model, day, "minutes", fmt, data, None, output, f"{what} of {data['title']} on {uk_day(m.date)} ({data['status']})")


@app.command("pack")
def pack_cmd(
    meeting: str = typer.Argument(..., help="Meeting id, e.g. 2026-12-09-strategic-board (or its date)."),
    output: str = typer.Option(..., "-o", "--output", help="The PDF to write."),
    confidential: bool = typer.Option(False, "--confidential", help="Include the confidential items (a Part 2 section at the end) and their papers."),
    at: Optional[str] = AT,
) -> None:
    """The agenda pack as one PDF: a cover, the agenda, each paper as a numbered appendix, pages numbered throughout.

    Papers are the items' paper: files (PDFs in the repository, merged in) with a cover
    line each: purpose, recommendation, author."""
    from nesa_cli.cli import vocab
    from nesa_cli.meetings.pack import pack
    from nesa_cli.wording import day as uk_day

    target = files.output_file(output)
    result, day = common.loaded(at, kinds=KINDS)
    m = vocab.meeting(result.model, meeting)
    made = pack(common.root(), result, m, day, confidential, files.pdf_warning)
    for warning in made.warnings:
        common.echo(f"nesa: warning: {warning}", err=True)
    files.write(target, made.pdf)
    files.announce(target, f"the agenda pack of {made.title} on {uk_day(m.date)} ({made.pages} pages, "
                           f"{made.appendices} {'appendix' if made.appendices == 1 else 'appendices'})", made.pdf)
