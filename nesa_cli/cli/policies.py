"""nesa policies ..."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, edit_date, run_edit
from nesa_cli.cli.formats import FORMAT
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit, record

policies_app = typer.Typer(help="The model policies: list, show, reviews due, publish a version, record adoptions, set fields.", no_args_is_help=True)
app.add_typer(policies_app, name="policies")


@policies_app.command("list")
def list_(
    area: Optional[str] = typer.Option(None, "--area", help="Only this area, e.g. safeguarding, send."),
    statutory: Optional[bool] = typer.Option(None, "--statutory/--non-statutory", help="Only statutory (or only non-statutory) policies."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """List model policies with current version, review date and how many member schools are on it."""
    from nesa_cli.reports.policies import list_policies

    result, day = common.loaded(at, kinds={"alliance", "school", "policy"})
    emit(list_policies(result.model, day, area, statutory), as_json, as_csv)


@policies_app.command("show")
def show(
    policy: str = typer.Argument(..., help="Policy id (e.g. safeguarding) or title."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
) -> None:
    """Show one policy: statutory status, versions, and each member school's adoption."""
    from nesa_cli.reports.policies import find_policy, policy_record

    result, day = common.loaded(at, kinds={"alliance", "school", "policy"})
    p = find_policy(result.model, policy)  # NotFound: nesa: error, exit 2 (nesa_cli.cli._Group)
    rec = policy_record(result.model, p, day)
    if not as_json:
        from nesa_cli.cli.words import team_name

        rec["owner"] = team_name(result.model, rec.get("owner"))
    record(rec, p.title, as_json, skip=("title",), schema="policy.schema.json")


@policies_app.command("due")
def due(
    within: str = typer.Option("60", "--within", metavar="DAYS", help="Window ahead: 60, 60d, 8w, 3m or 1y."),
    policy: Optional[str] = typer.Option(None, "--policy", help="Only this policy (id or title)."),
    phase: Optional[List[str]] = typer.Option(None, "--phase", help="Only schools of this phase."),
    partnership: Optional[List[str]] = typer.Option(None, "--partnership", help="Only schools in this partnership."),
    type_: Optional[List[str]] = typer.Option(None, "--type", help="Only schools of this type."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """Reviews due in the window (or overdue), and member schools not on the current version of a policy."""
    from datetime import timedelta

    from nesa_cli.cli import vocab
    from nesa_cli.reports.policies import DueFilter, find_policy, policies_due

    window = timedelta(days=vocab.days(within))
    phase, type_ = vocab.choices(phase, vocab.phases(), "--phase"), vocab.choices(type_, vocab.types(), "--type")
    result, day = common.loaded(at, kinds={"alliance", "school", "policy"})
    partnership = vocab.partnerships(result.model, partnership)
    pid = find_policy(result.model, policy).id if policy else None
    f = DueFilter(policy=pid, phase=phase, partnership=partnership, type=type_)
    emit(policies_due(result.model, day, window, f), as_json, as_csv)


@policies_app.command("schedule")
def schedule(
    fmt: str = FORMAT("html", "pdf", "csv", "json", help="html: a web page; pdf: tagged A4 landscape; csv: for a spreadsheet; json: the data"),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write to this file (required for pdf)."),
    at: Optional[str] = AT,
) -> None:
    """The policy review schedule as a document: each policy's owner, review due (overdue marked), version, and schools' adoption.

    Adoption is each member school's latest: on the current version, on an older
    one, or not adopted; the schools behind are named under the table."""
    from nesa_cli.cli.documents import check_form, deliver
    from nesa_cli.reports.trackers import policy_schedule, schedule_rows

    fmt = check_form(fmt, output)
    result, day = common.loaded(at, kinds={"alliance", "school", "policy"})
    data = policy_schedule(result.model, day)
    deliver(result.model, day, "review-schedule", fmt, data, schedule_rows, output,
            f"the policy review schedule ({data['counts']['policies']} policies)")


@policies_app.command("publish")
def policies_publish(
    policy: str = typer.Argument(..., help="Policy id, e.g. child-protection-safeguarding."),
    version: str = typer.Option(..., "--version", help="The new version number, e.g. 3.0."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date approved (default today)."),
    summary: Optional[str] = typer.Option(None, "--summary", help="What changed."),
    document: Optional[str] = typer.Option(None, "--document", help="Link to the document."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Publish a new version of a model policy."""
    from nesa_cli.edit import operations as ops

    day = edit_date(on, "--date", common.today())
    run_edit("nesa policies publish", lambda tx: ops.publish(tx, policy, version, day, summary, document), commit, branch, dry_run, message, as_json)


@policies_app.command("adopt")
def policies_adopt(
    policy: str = typer.Argument(..., help="Policy id."),
    schools: List[str] = typer.Argument(..., help="URNs (or unique parts of names) of the adopting schools."),
    version: Optional[str] = typer.Option(None, "--version", help="Version adopted (default: the current one)."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date adopted (default today)."),
    body: Optional[str] = typer.Option(None, "--body", help="Who adopted it, e.g. Full governing body."),
    local_changes: Optional[str] = typer.Option(None, "--local-changes", help="Any local changes made."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record that schools' governing bodies adopted a policy version."""
    from nesa_cli.edit import operations as ops

    day = edit_date(on, "--date", common.today())
    run_edit("nesa policies adopt", lambda tx: ops.adopt(tx, policy, schools, day, version, body, local_changes), commit, branch, dry_run, message, as_json)


@policies_app.command("set")
def policies_set(
    policy: str = typer.Argument(..., help="Policy id."),
    assignments: Optional[List[str]] = typer.Argument(None, metavar="FIELD=VALUE...", help="e.g. owner=mpatel review_cycle_months=24"),
    unset: Optional[List[str]] = typer.Option(None, "--unset", metavar="FIELD"),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Set fields of a policy (owner, review cycle, statutory facts, ...)."""
    from nesa_cli.edit import operations as ops

    def fn(tx):
        ops.set_fields(tx, "policy", ops.policy_path(tx, policy), policy, ops.parse_assignments(assignments or []), unset or [])

    run_edit("nesa policies set", fn, commit, branch, dry_run, message, as_json)


@policies_app.command("new")
def policies_new(
    ident: str = typer.Argument(..., metavar="ID", help="Short id, e.g. online-safety (it becomes the file name)."),
    title: str = typer.Option(..., "--title", help="Title of the model policy."),
    area: str = typer.Option(..., "--area", help="safeguarding, send, health-and-safety, behaviour, attendance, curriculum, ..."),
    version: str = typer.Option("1.0", "--version", help="Its first version."),
    approved: str = typer.Option(..., "--approved", metavar="YYYY-MM-DD", help="When that version was approved."),
    review: str = typer.Option("12", "--review-cycle-months", help="Months between reviews."),
    owner: Optional[str] = typer.Option(None, "--owner", help="Central-team id who owns it, e.g. rhall."),
    approval_level: Optional[str] = typer.Option(None, "--approval-level", help="full-governing-body, governors-committee, headteacher or trust-board."),
    summary: Optional[str] = typer.Option(None, "--summary", help="What the first version says."),
    document: Optional[str] = typer.Option(None, "--document", help="Link to the document (https://...)."),
    items: Optional[List[str]] = typer.Argument(None, metavar="[FIELD=VALUE...]", help="Any other field, e.g. statutory.required=true."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Create a model policy with its first version: data/policies/<ID>.yaml."""
    from nesa_cli.cli.records import assignments
    from nesa_cli.edit import records

    first = {"title": title, "area": area, "owner": owner, "approval_level": approval_level, "review_cycle_months": review,
             "versions.0.version": version, "versions.0.approved": approved, "versions.0.summary": summary,
             "versions.0.document": document}
    run_edit("nesa policies new", lambda tx: records.new_record(tx, "policy", ident, assignments(items), first=first),
             commit, branch, dry_run, message, as_json)


def _verbs() -> None:
    from nesa_cli.cli.records import add_verbs

    add_verbs(policies_app, "policy", "policies", "The policy's id, e.g. send.", set_=False, delete=True)


_verbs()
