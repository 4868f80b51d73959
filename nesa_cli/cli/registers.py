"""nesa registers interests / attendance: the registers a governance body publishes; declare: record a declaration."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, edit_date, run_edit
from nesa_cli.cli.formats import FORMAT
from nesa_cli.cli.output import AT

registers_app = typer.Typer(help="The registers a body publishes: business interests, and attendance per member per year; record a declaration of interests.",
                            no_args_is_help=True)
app.add_typer(registers_app, name="registers")

KINDS = {"alliance", "school", "network", "body", "meeting"}
YEAR = typer.Option(None, "--year", metavar="YYYY-YY", help="The academic year (1 September to 31 August), e.g. 2025-26; default: the one holding today.")
OUTPUT = typer.Option(None, "-o", "--output", help="Write to this file (required for pdf).")
FORM_HELP = "html: a web page; pdf: tagged A4; csv: the table for a spreadsheet; json: the data"


def governing_body(model, text: str):
    """A body of data/bodies/ by id or a unique part of its id or name (did you mean, otherwise)."""
    from nesa_cli.cli import vocab
    from nesa_cli.meetings.bodies import bodies

    known = bodies(model)
    kind, sep, _ = text.partition(":")
    if sep and kind.strip().lower() in ("network", "partnership"):
        raise common.Misuse(f"{text!r}: a {kind.strip().lower()} keeps no register of interests; give a body of "
                            "data/bodies/ (" + (", ".join(sorted(known)) or "none yet") + ")")
    if not known:
        raise common.Misuse(f"no body {text!r}: this repository has no bodies yet; create one with nesa bodies new "
                            "(data/bodies/<id>.yaml, see schemas/body.schema.json)")
    return vocab.lookup(text, known.values(), lambda b: b.id, lambda b: b.name, "body")


def _failing(fn):
    from nesa_cli.reports.registers import RegisterError

    try:
        return fn()
    except RegisterError as exc:
        raise common.Misuse(str(exc)) from None


@registers_app.command("interests")
def interests_cmd(
    body: str = typer.Argument(..., help="Body id (e.g. improvement-board) or part of its name."),
    year: Optional[str] = YEAR,
    fmt: str = FORMAT("html", "pdf", "csv", "json", help=FORM_HELP),
    output: Optional[str] = OUTPUT,
    at: Optional[str] = AT,
) -> None:
    """The register of business interests of a body: each member's declared interests, with the interests declared at its meetings.

    Each current member (name, role, how they are on the body, term of office)
    with their standing declaration from the body's interests: list, or "none
    declared" with its date, or "no declaration received"; then the interests
    declared at the body's meetings in the academic year (those on confidential
    items are in the Part 2 minutes only)."""
    from nesa_cli.cli.documents import check_form, deliver
    from nesa_cli.reports.registers import interests_register, interests_rows

    fmt = check_form(fmt, output)
    result, day = common.loaded(at, kinds=KINDS)
    b = governing_body(result.model, body)
    data = _failing(lambda: interests_register(result.model, b, day, year))
    deliver(result.model, day, "register-interests", fmt, data, interests_rows, output,
            f"the register of business interests of the {data['body']} ({data['year']})")


@registers_app.command("attendance")
def attendance_cmd(
    body: str = typer.Argument(..., help="Body id (e.g. strategic-board), network:<id> or partnership:<id>."),
    year: Optional[str] = YEAR,
    fmt: str = FORMAT("html", "pdf", "csv", "json", help=FORM_HELP),
    output: Optional[str] = OUTPUT,
    at: Optional[str] = AT,
) -> None:
    """The attendance record of a body's members for an academic year: meetings expected, present, apologies, absent, percentage.

    A member is expected at the meetings held in the year while they were on the
    body (within their term of office); apologies are accepted or not as the
    meeting's attendance says; the percentage is of the meetings whose attendance
    was recorded."""
    from nesa_cli.cli import vocab
    from nesa_cli.cli.documents import check_form, deliver
    from nesa_cli.reports.registers import attendance_register, attendance_rows

    fmt = check_form(fmt, output)
    result, day = common.loaded(at, kinds=KINDS)
    ref = vocab.body(result.model, body, "BODY") if ":" in body else governing_body(result.model, body).id
    data = _failing(lambda: attendance_register(result.model, ref, day, year))
    deliver(result.model, day, "register-attendance", fmt, data, attendance_rows, output,
            f"the attendance record of the {data['body']} ({data['year']})")


@registers_app.command("declare")
def declare_cmd(
    body: str = typer.Argument(..., help="Body id (e.g. improvement-board) or part of its name."),
    person: str = typer.Argument(..., help="The member: their name or a unique part of it, URN:Name (a school contact) or team:ID (the central team)."),
    interest: Optional[List[str]] = typer.Option(None, "--interest", metavar="TEXT", help="One interest, in the register's words (repeat for several). None given: a declaration of no interests."),
    nature: str = typer.Option("business", "--nature", help="Which list the interests go in: business (directorships, employment, ownership, contracts with the alliance or its schools), governance (governing other schools or trusts) or relationships (with staff of the alliance or its schools, or other members)."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The date of the declaration (default today)."),
    replace: bool = typer.Option(False, "--replace", help="A fresh declaration (e.g. the annual one): it replaces the member's earlier declaration, whose interests go."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record a member's declaration of interests in the body's register (its interests: list).

    The member must be on the body on the day (as nesa registers interests lists
    them: not the clerk or observers). A member who has declared before gets the
    interests added to their declaration, dated afresh; --replace starts a new
    declaration instead. With no --interest the declaration says they have none.
    Interests declared at a meeting, on an item, are minuted with the meeting
    (its declarations), not here."""
    from nesa_cli.cli import vocab
    from nesa_cli.edit.verbs_body import NATURES, declare

    nature = vocab.choice(nature, list(NATURES), "--nature")
    day = edit_date(on, "--date", common.today())
    run_edit("nesa registers declare", lambda tx: declare(tx, body, person, interest or [], nature, day, replace),
             commit, branch, dry_run, message, as_json)
