"""Edit commands, added to the existing command groups (schools, membership,
networks, policies, meetings) and a new ``actions`` group.

Every edit validates the whole resulting state first and writes nothing if
the data would become invalid (exit 1); keeps the file's comments and layout;
writes atomically under the repository lock; and with ``--commit`` (or
``--branch NAME``) commits exactly the files it changed.
"""

from __future__ import annotations

from datetime import date
from typing import Callable, List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.membership import membership_app
from nesa_cli.cli.meetings import meetings_app
from nesa_cli.cli.networks import networks_app
from nesa_cli.cli.output import AT, CSV, JSON, emit
from nesa_cli.cli.policies import policies_app
from nesa_cli.cli.schools import schools_app

COMMIT = typer.Option(False, "--commit", help="Commit the change (only the files it touched) with a generated message.")
BRANCH = typer.Option(None, "--branch", metavar="NAME", help="Create this branch first and commit there, ready for a pull request (implies --commit).")
DRY_RUN = typer.Option(False, "--dry-run", "-n", help="Validate and show the diff; write nothing.")
MESSAGE = typer.Option(None, "--message", "-m", help="Use this commit message instead of the generated one.")
EDIT_JSON = typer.Option(False, "--json", help="Print what was done as JSON.")

actions_app = typer.Typer(help="Actions agreed at meetings: list them, mark them done.", no_args_is_help=True)
app.add_typer(actions_app, name="actions")


def _date(text: Optional[str], option: str, default: Optional[date] = None) -> date:
    if not text:
        if default is None:
            raise common.Misuse(f"{option} is required (YYYY-MM-DD)")
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise common.Misuse(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def _edit(command: str, fn: Callable, commit: bool, branch: Optional[str], dry_run: bool, message: Optional[str],
          as_json: bool = False) -> None:
    """Run one edit through the library and print what happened."""
    from nesa_cli.edit.transaction import EditError, run

    root = common.root()
    try:
        result = run(root, fn, today=common.today(), commit=commit, branch=branch, dry_run=dry_run,
                     message=message, command=command)
    except EditError as exc:
        raise common.Misuse(str(exc)) from None
    _report(result, dry_run, as_json)


def _report(result, dry_run: bool, as_json: bool) -> None:
    from nesa_cli.diagnostics import visible

    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(result.as_dict()))
        if not result.ok:
            raise typer.Exit(common.DATA_ERRORS)
        return
    if not result.ok and not result.written:
        common.echo("nesa: refused: the edit would leave the data invalid; nothing was written.", err=True)
        for d in result.diagnostics:
            common.echo("  " + d.text(), err=True)
        common.echo("(line numbers are those of the file as the edit would have written it)", err=True)
        raise typer.Exit(common.DATA_ERRORS)
    for change in result.changes:
        common.echo(visible(change))
    if not result.paths:
        return
    if dry_run:
        for line in result.diff.splitlines():
            common.echo(visible(line))
        common.echo(f"dry run: {len(result.paths)} file{'s' if len(result.paths) != 1 else ''} would change; nothing written")
    else:
        for path in result.paths:
            common.echo(f"{'created' if path in result.created else 'updated'} {path}")
    for d in result.diagnostics:
        common.echo(d.text())
    if result.existing_errors:
        common.echo(f"note: {result.existing_errors} error{'s' if result.existing_errors != 1 else ''} already in other files "
                    "(not caused by this edit); see nesa validate")
    if result.branch:
        common.echo(f"on new branch {result.branch}")
    if result.commit:
        common.echo(f"committed {result.commit[:10]}: {result.message.splitlines()[0]}")
    if not result.ok:
        raise typer.Exit(common.DATA_ERRORS)


# --- schools --------------------------------------------------------------------------


@schools_app.command("add")
def schools_add(
    urn: str = typer.Argument(..., help="The school's six-digit URN (it becomes the file name)."),
    name: str = typer.Option(..., "--name", help="The school's name as in GIAS."),
    phase: str = typer.Option(..., "--phase", help="first, primary, middle-deemed-primary, high, secondary, special, ..."),
    type_: str = typer.Option(..., "--type", help="community, voluntary-aided, academy-converter, ..."),
    town: str = typer.Option(..., "--town", help="Post town."),
    postcode: str = typer.Option(..., "--postcode", help="Postcode, e.g. NE61 1AA."),
    laestab: Optional[str] = typer.Option(None, "--laestab", help="LA code and establishment number, e.g. 9292001."),
    street: Optional[str] = typer.Option(None, "--street"),
    locality: Optional[str] = typer.Option(None, "--locality"),
    county: Optional[str] = typer.Option(None, "--county"),
    low_age: Optional[str] = typer.Option(None, "--low-age", help="Statutory low age."),
    high_age: Optional[str] = typer.Option(None, "--high-age", help="Statutory high age."),
    religious_character: Optional[str] = typer.Option(None, "--religious-character", help="none, church-of-england, roman-catholic, ..."),
    diocese: Optional[str] = typer.Option(None, "--diocese"),
    website: Optional[str] = typer.Option(None, "--website"),
    phone: Optional[str] = typer.Option(None, "--phone"),
    email: Optional[str] = typer.Option(None, "--email"),
    capacity: Optional[str] = typer.Option(None, "--capacity"),
    partnership: Optional[str] = typer.Option(None, "--partnership", help="Partnership id from data/alliance.yaml."),
    state: str = typer.Option("prospective", "--state", help="First membership state: prospective, consulting, signed-up or member."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date of that state (default today)."),
    note: Optional[str] = typer.Option(None, "--note", help="Note on the membership entry."),
    extra: Optional[List[str]] = typer.Option(None, "--set", metavar="FIELD=VALUE", help="Any other field (repeat), e.g. --set location.easting=412345."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Add a school: data/schools/<URN>.yaml, in the shipped files' layout."""
    from nesa_cli.edit import operations as ops

    fields = {"laestab": laestab, "name": name, "phase": phase, "type": type_, "age_range.low": low_age,
              "age_range.high": high_age, "religious_character": religious_character, "diocese": diocese,
              "address.street": street, "address.locality": locality, "address.town": town, "address.county": county,
              "address.postcode": postcode, "website": website, "phone": phone, "email": email, "capacity": capacity,
              "partnership": partnership}
    try:
        for field, value in ops.parse_assignments(extra or []):
            fields[field] = value
    except ops.EditError as exc:
        raise common.Misuse(str(exc)) from None
    day = _date(on, "--date", common.today())
    _edit("nesa schools add", lambda tx: ops.add_school(tx, urn, fields, state, day, note), commit, branch, dry_run, message, as_json)


@schools_app.command("set")
def schools_set(
    school: str = typer.Argument(..., help="URN, or a unique part of the school's name."),
    assignments: Optional[List[str]] = typer.Argument(None, metavar="FIELD=VALUE...", help="e.g. phone='01670 555111' address.postcode='NE61 1AB' capacity=210 contacts.2.email=x@example.org"),
    unset: Optional[List[str]] = typer.Option(None, "--unset", metavar="FIELD", help="Remove a field (repeat)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Set fields of a school. FIELD is a dotted path into the record; the value
    is read as the schema says (number, true/false, date, comma-separated list)."""
    from nesa_cli.edit import operations as ops

    def fn(tx):
        urn, path = ops.find_school(tx, school)
        ops.set_fields(tx, "school", path, urn, ops.parse_assignments(assignments or []), unset or [])

    _edit("nesa schools set", fn, commit, branch, dry_run, message, as_json)


@schools_app.command("add-contact")
def schools_add_contact(
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    role: str = typer.Option(..., "--role", help="headteacher, school-business-manager, senco, dsl, office-manager, ..."),
    name: str = typer.Option(..., "--name", help="Full name."),
    title: Optional[str] = typer.Option(None, "--title", help="Job title as the school uses it."),
    email: Optional[str] = typer.Option(None, "--email"),
    phone: Optional[str] = typer.Option(None, "--phone"),
    mobile: Optional[str] = typer.Option(None, "--mobile"),
    private: Optional[List[str]] = typer.Option(None, "--private", help="email, phone or mobile: not for circulation (repeat)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Add a named contact to a school."""
    from nesa_cli.edit import operations as ops

    _edit("nesa schools add-contact", lambda tx: ops.add_contact(tx, school, role, name, title, email, phone, mobile, private or []),
          commit, branch, dry_run, message, as_json)


@schools_app.command("remove-contact")
def schools_remove_contact(
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    name: str = typer.Argument(..., help="The contact's name."),
    role: Optional[str] = typer.Option(None, "--role", help="Which role, when the person has several."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Remove a contact (refused while a network or meeting still names them)."""
    from nesa_cli.edit import operations as ops

    _edit("nesa schools remove-contact", lambda tx: ops.remove_contact(tx, school, name, role), commit, branch, dry_run, message, as_json)


@schools_app.command("pupils")
def schools_pupils(
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    count: int = typer.Argument(..., help="Pupils on roll."),
    census: Optional[str] = typer.Option(None, "--census", metavar="YYYY-MM-DD", help="Census date (default: the alliance's census_date)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record a school's pupil number for a census."""
    from nesa_cli.edit import operations as ops

    def fn(tx):
        day = _date(census, "--census", tx.model.alliance.census_date if tx.model.alliance else None)
        ops.record_pupils(tx, school, count, day)

    _edit("nesa schools pupils", fn, commit, branch, dry_run, message, as_json)


# --- membership ---------------------------------------------------------------------------


@membership_app.command("join")
def membership_join(
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date of the new state (default today)."),
    state: str = typer.Option("member", "--state", help="member (default), signed-up or consulting."),
    note: Optional[str] = typer.Option(None, "--note", help="e.g. the governing body minute."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record a school joining (or signing up, or starting to consult). Refused
    if the school is not eligible."""
    from nesa_cli.edit import operations as ops

    day = _date(on, "--date", common.today())
    _edit("nesa membership join", lambda tx: ops.join(tx, school, day, state, note), commit, branch, dry_run, message, as_json)


@membership_app.command("withdraw")
def membership_withdraw(
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date of the withdrawal (default today)."),
    reason: str = typer.Option(..., "--reason", help="Why the school withdraws."),
    note: Optional[str] = typer.Option(None, "--note"),
    keep_networks: bool = typer.Option(False, "--keep-networks", help="Do not end the school's network memberships (the validator will then object)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Record a withdrawal; the school's active network memberships end on the same day."""
    from nesa_cli.edit import operations as ops

    day = _date(on, "--date", common.today())
    _edit("nesa membership withdraw", lambda tx: ops.withdraw(tx, school, day, reason, note, not keep_networks),
          commit, branch, dry_run, message, as_json)


# --- networks -------------------------------------------------------------------------------


@networks_app.command("add-member")
def networks_add_member(
    network: str = typer.Argument(..., help="Network id, e.g. sencos."),
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    person: str = typer.Option(..., "--person", help="Name, as in the school's contacts."),
    role: str = typer.Option("member", "--role", help="Role in the network, e.g. member, deputy lead."),
    since: Optional[str] = typer.Option(None, "--since", metavar="YYYY-MM-DD", help="Date they join (default today)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Add a school's person to a network."""
    from nesa_cli.edit import operations as ops

    day = _date(since, "--since", common.today())
    _edit("nesa networks add-member", lambda tx: ops.network_add(tx, network, school, person, role, day), commit, branch, dry_run, message, as_json)


@networks_app.command("remove-member")
def networks_remove_member(
    network: str = typer.Argument(..., help="Network id."),
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    person: Optional[str] = typer.Option(None, "--person", help="Which person, when the school has several in the network."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date they leave (default today)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """End a school's membership of a network (the history is kept: until: DATE)."""
    from nesa_cli.edit import operations as ops

    day = _date(on, "--date", common.today())
    _edit("nesa networks remove-member", lambda tx: ops.network_remove(tx, network, school, person, day), commit, branch, dry_run, message, as_json)


@networks_app.command("set")
def networks_set(
    network: str = typer.Argument(..., help="Network id."),
    assignments: Optional[List[str]] = typer.Argument(None, metavar="FIELD=VALUE...", help="e.g. frequency=termly lead.person='Ann Lee'"),
    unset: Optional[List[str]] = typer.Option(None, "--unset", metavar="FIELD"),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Set fields of a network (lead, frequency, channel, central link, ...)."""
    from nesa_cli.edit import operations as ops

    def fn(tx):
        ops.set_fields(tx, "network", ops.network_path(tx, network), network, ops.parse_assignments(assignments or []), unset or [])

    _edit("nesa networks set", fn, commit, branch, dry_run, message, as_json)


# --- policies ----------------------------------------------------------------------------------


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

    day = _date(on, "--date", common.today())
    _edit("nesa policies publish", lambda tx: ops.publish(tx, policy, version, day, summary, document), commit, branch, dry_run, message, as_json)


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

    day = _date(on, "--date", common.today())
    _edit("nesa policies adopt", lambda tx: ops.adopt(tx, policy, schools, day, version, body, local_changes), commit, branch, dry_run, message, as_json)


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

    _edit("nesa policies set", fn, commit, branch, dry_run, message, as_json)


# --- meetings and actions -------------------------------------------------------------------------


@meetings_app.command("new")
def meetings_new(
    body: str = typer.Option(..., "--body", help="strategic-board, joint-annual, network:<id> or partnership:<id>."),
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

    day = _date(on, "--date")
    _edit("nesa meetings new", lambda tx: ops.new_meeting(tx, body, day, start, end, venue, online, chair, minute_taker, title, items or []),
          commit, branch, dry_run, message, as_json)


@actions_app.command("list")
def actions_list(
    owner: Optional[str] = typer.Option(None, "--owner", help="Only actions of this owner (central-team id or part of a name)."),
    all_: bool = typer.Option(False, "--all", help="Include actions already done."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """Actions agreed at meetings, open ones by due date."""
    from nesa_cli.edit.operations import open_actions

    result, _ = common.loaded(at, kinds={"alliance", "school", "network", "meeting"})
    emit(open_actions(result.model, owner, all_), as_json, as_csv)


@actions_app.command("done")
def actions_done(
    action: str = typer.Argument(..., help="Action id: <meeting-id>#<n>, e.g. 2026-10-14-strategic-board#2 (see nesa actions list)."),
    reopen: bool = typer.Option(False, "--reopen", help="Mark it open again instead."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Mark a meeting action done."""
    from nesa_cli.edit import operations as ops

    _edit("nesa actions done", lambda tx: ops.action_done(tx, action, reopen), commit, branch, dry_run, message, as_json)
