"""nesa meetings list/show, nesa agenda, nesa calendar."""

from __future__ import annotations

import sys
from typing import List, Optional

import typer

from nesa_cli.cli import app, common, files
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, edit_date, run_edit
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit
from nesa_cli.cli.formats import FORMAT

meetings_app = typer.Typer(help="Meetings of the Strategic Board, the joint annual meeting, networks and partnerships.", no_args_is_help=True)
app.add_typer(meetings_app, name="meetings")

KINDS = {"alliance", "school", "network", "policy", "body", "meeting"}


def _date(text: str | None, option: str):
    from datetime import date

    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise common.Misuse(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def _find(model, mid: str):
    from nesa_cli.cli import vocab

    return vocab.meeting(model, mid)


@meetings_app.command("list")
def list_(
    body: Optional[str] = typer.Option(None, "--body", help="A body (data/bodies/<id>.yaml, e.g. strategic-board), network:<slug> or partnership:<id>."),
    from_: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD", help="On or after this date."),
    to: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD", help="On or before this date."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """List meetings by date."""
    from nesa_cli.meetings.agenda import list_meetings

    from nesa_cli.cli import vocab

    start, end = _date(from_, "--from"), _date(to, "--to")
    result, _ = common.loaded(at, kinds=KINDS)
    emit(list_meetings(result.model, vocab.body(result.model, body), start, end), as_json, as_csv)


@meetings_app.command("show")
def show(meeting: str = typer.Argument(..., help="Meeting id, e.g. 2026-12-09-strategic-board."), at: Optional[str] = AT,
         as_json: bool = JSON) -> None:
    """Show one meeting with its agenda data (confidential items included)."""
    from nesa_cli.jsonout import dumps
    from nesa_cli.meetings.agenda import agenda

    result, day = common.loaded(at, kinds=KINDS)
    data = agenda(result.model, _find(result.model, meeting), day, confidential=True)
    if as_json:
        common.echo(dumps(data))
        return
    from nesa_cli.render import render

    common.echo(render(common.root(), "agenda", "md", data).rstrip())


@app.command("agenda")
def agenda_cmd(
    meeting: str = typer.Argument(..., help="Meeting id."),
    fmt: str = FORMAT("md", "html", "pdf"),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write to this file (required for pdf)."),
    confidential: bool = typer.Option(False, "--confidential", help="Include confidential items."),
    at: Optional[str] = AT,
) -> None:
    """The agenda pack: standing items, timed running order, invited list, policies due."""
    from nesa_cli.cli.documents import check_form, deliver
    from nesa_cli.meetings.agenda import agenda
    from nesa_cli.wording import day as uk_day

    fmt = check_form(fmt, output)
    result, day = common.loaded(at, kinds=KINDS)
    data = agenda(result.model, _find(result.model, meeting), day, confidential)
    for warning in (data["notice_warning"], data["quorum_warning"]):
        if warning:
            common.echo(f"nesa: warning: {warning}", err=True)
    deliver(result.model, day, "agenda", fmt, data, None, output, f"the agenda of {data['title']} on {uk_day(data['date'])}")


@app.command("calendar")
def calendar_cmd(
    body: Optional[str] = typer.Option(None, "--body", help="Only this body."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write the .ics here (default: stdout)."),
    at: Optional[str] = AT,
) -> None:
    """iCalendar (RFC 5545) of the meetings: stable UIDs, Europe/London, SEQUENCE from the history."""
    from nesa_cli.meetings.calendar import to_ics
    from nesa_cli.meetings.model import meetings
    from nesa_cli.meetings.sequence import from_history

    from nesa_cli.cli import vocab

    target = files.output_file(output)
    stamp = common.now()
    result, day = common.loaded(at, kinds=KINDS)
    body = vocab.body(result.model, body)
    items = [m for m in meetings(result.model) if not body or m.body == body]
    revision = "HEAD"
    if at:
        from nesa_cli.store.git import resolve

        revision = resolve(common.root(), at).hexsha
    history = from_history(common.root(), revision)
    if history.why == "shallow":
        common.echo("nesa: warning: a shallow clone: SEQUENCE is each file's own 'sequence', not counted from the history "
                    "(git fetch --unshallow)", err=True)
    text = to_ics(result.model, items, stamp, lambda m: history.of(m, working=not at))
    if target:
        files.write(target, text)
        files.announce(target, f"the calendar of {len(items)} meeting{'s' if len(items) != 1 else ''}", text)
    else:
        common.write_document(text)


@app.command("contacts")
def contacts_cmd(
    network: Optional[str] = typer.Option(None, "--network", help="Only this network's active members."),
    partnership: Optional[str] = typer.Option(None, "--partnership", help="Only this partnership's schools."),
    school: Optional[str] = typer.Option(None, "--school", metavar="SCHOOL", help="Only this school (URN or a unique part of its name)."),
    role: Optional[str] = typer.Option(None, "--role", help="Only this role, e.g. dsl, senco, headteacher."),
    fmt: str = FORMAT("html", "pdf", "csv", "vcf", help="csv: a spreadsheet; vcf: address-book cards"),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write to this file (required for pdf)."),
    include_private: bool = typer.Option(False, "--include-private", help="Include fields marked not for circulation."),
    at: Optional[str] = AT,
) -> None:
    """Contact sheets: alliance-wide, per network, partnership, school or role."""
    from nesa_cli.cli import vocab
    from nesa_cli.reports.contacts import ContactsError, contact_sheet, sheet_document
    from nesa_cli.render import RenderError
    from nesa_cli.render.documents import render_document
    from nesa_cli.tabular import to_csv

    fmt = vocab.choice(fmt, ("html", "pdf", "csv", "vcf"), "--format")
    role = vocab.choice(role, vocab.contact_roles(), "--role")
    if fmt == "pdf" and not output:
        raise common.Misuse("--format pdf needs -o FILE")
    target = files.output_file(output)
    result, day = common.loaded(at, kinds=KINDS)
    network = vocab.network(result.model, network)
    partnership = vocab.partnership(result.model, partnership)
    school = vocab.school_urn(result.model, school, "--school")
    try:
        sheet = contact_sheet(result.model, day, network, partnership, school, role, include_private)
    except ContactsError as exc:
        raise common.Misuse(str(exc)) from None
    if fmt == "csv":
        from nesa_cli.cli.output import csv_bom

        payload = to_csv(sheet, bom=csv_bom(target)).encode("utf-8")
    elif fmt == "vcf":
        from nesa_cli.reports.vcard import to_vcf

        payload = to_vcf(result.model, sheet).encode("utf-8")
    else:
        try:
            payload = render_document(common.root(), result.model, "contacts", fmt,
                                      sheet_document(result.model, sheet, day, include_private), day, files.pdf_warning)
        except RenderError as exc:
            raise common.Misuse(str(exc)) from None
    if target:
        files.write(target, payload)
        files.announce(target, "the contact sheet", payload)
    else:
        common.write_document(payload.decode("utf-8"))


@app.command("engagement")
def engagement_cmd(
    network: Optional[str] = typer.Option(None, "--network", help="Only this network."),
    from_: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD", help="Meetings on or after this date."),
    to: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD", help="Meetings on or before this date."),
    threshold: str = typer.Option("75", "--threshold", metavar="PERCENT", help="Flag schools attending less than this percentage (0 to 100)."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """Attendance rate per school per network, flagging schools below a threshold."""
    from nesa_cli.cli import vocab
    from nesa_cli.meetings.engagement import engagement

    start, end = _date(from_, "--from"), _date(to, "--to")
    threshold = vocab.percent(threshold, "--threshold")
    result, _ = common.loaded(at, kinds=KINDS)
    network = vocab.network(result.model, network)
    emit(engagement(result.model, network, start, end, threshold), as_json, as_csv)


@meetings_app.command("new")
def meetings_new(
    body: str = typer.Option(..., "--body", help="A body (data/bodies/<id>.yaml, e.g. strategic-board), network:<id> or partnership:<id>."),
    on: str = typer.Option(..., "--date", metavar="YYYY-MM-DD", help="Date of the meeting."),
    start: str = typer.Option(..., "--start", metavar="HH:MM", help="Start time (Europe/London)."),
    end: str = typer.Option(..., "--end", metavar="HH:MM", help="End time."),
    venue: Optional[str] = typer.Option(None, "--venue"),
    online: Optional[str] = typer.Option(None, "--online", help="Online meeting link (https://...)."),
    chair: Optional[str] = typer.Option(None, "--chair", help="A central-team id (rhall) or URN:Name of a school contact."),
    minute_taker: Optional[str] = typer.Option(None, "--minute-taker", help="As --chair."),
    title: Optional[str] = typer.Option(None, "--title"),
    items: Optional[List[str]] = typer.Option(None, "--item", help="Agenda item (repeat); prefix decision:, discussion: or information:."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Create a meeting file (data/meetings/<date>-<body>.yaml) with a stable calendar uid."""
    from nesa_cli.edit import operations as ops

    day = edit_date(on, "--date")
    run_edit("nesa meetings new", lambda tx: ops.new_meeting(tx, body, day, start, end, venue, online, chair, minute_taker, title, items or []),
          commit, branch, dry_run, message, as_json)


@meetings_app.command("attend")
def meetings_attend(
    meeting: str = typer.Argument(..., help="Meeting id, e.g. 2026-10-14-strategic-board (see nesa meetings list)."),
    who: str = typer.Argument(..., metavar="SCHOOL|PERSON", help="A school's URN, URN:Name for a person at a school, or a person's name."),
    status: str = typer.Argument(..., metavar="STATUS", help="present, apologies (accepted), apologies-not-accepted or absent."),
    school: Optional[str] = typer.Option(None, "--school", help="The person's school (URN or name), when WHO is a name."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record attendance at a meeting (again for the same school or person: changes their entry)."""
    from nesa_cli.edit.verbs_meeting import attend

    run_edit("nesa meetings attend", lambda tx: attend(tx, meeting, who, status, school), commit, branch, dry_run, message, as_json)


@meetings_app.command("decide")
def meetings_decide(
    meeting: str = typer.Argument(..., help="Meeting id."),
    text: str = typer.Argument(..., metavar="TEXT", help="The decision, as the minutes record it."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record a decision taken at a meeting."""
    from nesa_cli.edit.verbs_meeting import decide

    run_edit("nesa meetings decide", lambda tx: decide(tx, meeting, text), commit, branch, dry_run, message, as_json)


def _verbs() -> None:
    from nesa_cli.cli.records import add_verbs

    add_verbs(meetings_app, "meeting", "meetings", "Meeting id, e.g. 2026-10-14-strategic-board.", delete=True,
              example="nesa meetings set 2026-12-09-strategic-board venue='County Hall' 'observers+=Diocesan adviser'")


_verbs()
