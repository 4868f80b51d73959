"""nesa actions list/done: the actions agreed at meetings."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, run_edit
from nesa_cli.cli.formats import FORMAT
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit

CONFIDENTIAL = typer.Option(False, "--confidential", help="Show the text of actions from confidential (Part 2) items: not for publication.")

actions_app = typer.Typer(help="Actions agreed at meetings: list them, mark them done.", no_args_is_help=True)
app.add_typer(actions_app, name="actions")


@actions_app.command("list")
def actions_list(
    owner: Optional[str] = typer.Option(None, "--owner", help="Only actions of this owner (central-team id or part of a name)."),
    all_: bool = typer.Option(False, "--all", help="Include actions already done."),
    confidential: bool = CONFIDENTIAL,
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """Actions agreed at meetings, open ones by due date.

    An action under a confidential (Part 2) item shows its owner and due date (so
    it can be chased) but not its text, as in the digest and the actions log, unless
    --confidential."""
    from nesa_cli.edit.operations import open_actions

    result, _ = common.loaded(at, kinds={"alliance", "school", "network", "body", "meeting"})
    emit(open_actions(result.model, owner, all_, confidential), as_json, as_csv)


@actions_app.command("log")
def actions_log_cmd(
    body: Optional[str] = typer.Option(None, "--body", help="Only actions of this body's meetings: a body's id, network:<id> or partnership:<id>."),
    owner: Optional[str] = typer.Option(None, "--owner", help="Only actions of this owner (central-team id or part of a name)."),
    open_only: bool = typer.Option(False, "--open", help="Only open actions (default: open ones, then those done)."),
    confidential: bool = CONFIDENTIAL,
    fmt: str = FORMAT("html", "pdf", "csv", "json", help="html: a web page; pdf: tagged A4; csv: for a spreadsheet; json: the data"),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write to this file (required for pdf)."),
    at: Optional[str] = AT,
) -> None:
    """The actions log as a document: every action agreed at meetings, its owner, due date and status, overdue marked.

    Open actions first, by due date, then those done; each with the meeting it was
    agreed at (body and date). An action under a confidential (Part 2) item shows
    its owner, due date and meeting but not its text, unless --confidential (then
    the log says it is not for publication)."""
    from nesa_cli.cli import vocab
    from nesa_cli.cli.documents import check_form, deliver
    from nesa_cli.reports.trackers import actions_log, actions_rows

    fmt = check_form(fmt, output)
    result, day = common.loaded(at, kinds={"alliance", "school", "network", "body", "meeting"})
    ref = vocab.body(result.model, body)
    data = actions_log(result.model, day, ref, owner, open_only, confidential)
    deliver(result.model, day, "actions-log", fmt, data, actions_rows, output,
            f"the actions log ({data['counts']['actions']} action{'s' if data['counts']['actions'] != 1 else ''})")


@actions_app.command("done")
def actions_done(
    action: str = typer.Argument(..., help="Action id: <meeting-id>#<n>, e.g. 2026-10-14-strategic-board#2 (see nesa actions list)."),
    reopen: bool = typer.Option(False, "--reopen", help="Mark it open again instead."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Mark a meeting action done."""
    from nesa_cli.edit import operations as ops

    run_edit("nesa actions done", lambda tx: ops.action_done(tx, action, reopen), commit, branch, dry_run, message, as_json)


@actions_app.command("add")
def actions_add(
    meeting: str = typer.Argument(..., help="The meeting that agreed it, e.g. 2026-10-14-strategic-board."),
    text: str = typer.Argument(..., metavar="TEXT", help="What is to be done."),
    owner: str = typer.Option(..., "--owner", help="A central-team id (rhall) or URN:Name of a school contact."),
    due: Optional[str] = typer.Option(None, "--due", metavar="YYYY-MM-DD", help="Due date."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Add an open action to a meeting; its id is <meeting id>#<n>."""
    from nesa_cli.cli.editing import edit_date
    from nesa_cli.edit.verbs_meeting import action_add

    day = edit_date(due, "--due") if due else None
    run_edit("nesa actions add", lambda tx: action_add(tx, meeting, text, owner, day), commit, branch, dry_run, message, as_json)
