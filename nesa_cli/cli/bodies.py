"""nesa bodies ...: governance bodies (data/bodies/): list, show, new, add-member, end-term, set, delete."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, edit_date, run_edit
from nesa_cli.cli.output import AT, CSV, JSON, NO_PAGER, WIDE, emit, record

bodies_app = typer.Typer(help="Governance bodies (boards, joint meetings, reference groups): list, show, create, "
                              "add members with terms of office, end terms, set fields.", no_args_is_help=True)
app.add_typer(bodies_app, name="bodies")

KINDS = {"alliance", "school", "body"}
WHO = typer.Argument(None, metavar="[WHO]", help="URN:Name (a school contact), team:ID (a central-team member), "
                                                "or a name with --organisation (an outside member).")


@bodies_app.command("list")
def list_(at: Optional[str] = AT, as_json: bool = JSON, as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER) -> None:
    """List the bodies with how many are on each on the day, the chair and the quorum."""
    from nesa_cli.reports.bodies import list_bodies

    result, day = common.loaded(at, kinds=KINDS)
    emit(list_bodies(result.model, day), as_json, as_csv)


@bodies_app.command("show")
def show(
    body: str = typer.Argument(..., help="Body id (e.g. improvement-board) or part of its name."),
    all_terms: bool = typer.Option(False, "--all", help="Also every membership entry as written, with past and future terms."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
) -> None:
    """Show one body: purpose, quorum, and who is on it on the day (rules expanded)."""
    from nesa_cli.reports.bodies import body_record, find_body

    result, day = common.loaded(at, kinds=KINDS)
    b = find_body(result.model, body)  # NotFound: nesa: error, exit 2 (nesa_cli.cli._Group)
    record(body_record(result.model, b, day, all_terms), b.name, as_json, skip=("name",), schema="body.schema.json")


@bodies_app.command("new")
def bodies_new(
    ident: str = typer.Argument(..., metavar="ID", help="Short id, e.g. reference-group (it becomes the file name)."),
    name: str = typer.Option(..., "--name", help="Name as written on agendas, e.g. Headteacher Reference Group."),
    purpose: Optional[str] = typer.Option(None, "--purpose", help="What the body is for."),
    quorum: Optional[str] = typer.Option(None, "--quorum", help="A number present (4) or a fraction of the voting members (1/2)."),
    rules: Optional[List[str]] = typer.Option(None, "--rule", help="heads (the head of every member school) or governors (one named governor per school); repeat."),
    items: Optional[List[str]] = typer.Argument(None, metavar="[FIELD=VALUE...]", help="Any other field."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Create a body: data/bodies/<ID>.yaml (add named members with nesa bodies add-member)."""
    from nesa_cli.cli.records import assignments
    from nesa_cli.edit.verbs_body import new_body

    run_edit("nesa bodies new", lambda tx: new_body(tx, ident, name, purpose, quorum, rules or [], assignments(items)),
             commit, branch, dry_run, message, as_json)


@bodies_app.command("add-member")
def bodies_add_member(
    body: str = typer.Argument(..., help="Body id, e.g. improvement-board."),
    who: Optional[str] = WHO,
    role: str = typer.Option("member", "--role", help="chair, vice-chair, clerk, member, co-opted or observer."),
    start: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD", help="First day of the term of office (none: open)."),
    end: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD", help="Last day of the term of office (none: open)."),
    organisation: Optional[str] = typer.Option(None, "--organisation", help="An outside member's organisation, e.g. Newcastle University."),
    email: Optional[str] = typer.Option(None, "--email", help="An outside member's work email."),
    rule: Optional[str] = typer.Option(None, "--rule", help="Instead of a person: heads or governors."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Add a member (a school contact, a central-team member or an outside member) with a role and a term of office."""
    from nesa_cli.edit.verbs_body import add_member

    first = edit_date(start, "--from") if start else None
    last = edit_date(end, "--to") if end else None
    run_edit("nesa bodies add-member", lambda tx: add_member(tx, body, who, role, first, last, organisation, email, rule),
             commit, branch, dry_run, message, as_json)


@bodies_app.command("end-term")
def bodies_end_term(
    body: str = typer.Argument(..., help="Body id."),
    who: Optional[str] = WHO,
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Their last day on the body (default today)."),
    role: Optional[str] = typer.Option(None, "--role", help="Which place, when they hold several."),
    organisation: Optional[str] = typer.Option(None, "--organisation", help="An outside member's organisation, when two share a name."),
    rule: Optional[str] = typer.Option(None, "--rule", help="End a rule's entry (heads or governors) instead of a person's."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """End a member's term of office (sets its to: date; the history of who served when stays)."""
    from nesa_cli.edit.verbs_body import end_term

    day = edit_date(on, "--date", common.today())
    run_edit("nesa bodies end-term", lambda tx: end_term(tx, body, who, day, organisation, rule, role),
             commit, branch, dry_run, message, as_json)


def _verbs() -> None:
    from nesa_cli.cli.records import add_verbs

    add_verbs(bodies_app, "body", "bodies", "The body's id, e.g. strategic-board.", delete=True,
              example="nesa bodies set improvement-board quorum.count=5 --unset quorum.fraction")


_verbs()
