"""nesa schools ..."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, edit_date, run_edit
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit, record

schools_app = typer.Typer(help="The schools: list and show them, add one, set fields, contacts and pupil numbers.", no_args_is_help=True)
app.add_typer(schools_app, name="schools")


@schools_app.command("list")
def list_(
    phase: Optional[List[str]] = typer.Option(None, "--phase", help="Only this phase (repeat for several), e.g. first, primary, middle-deemed-secondary, high."),
    type_: Optional[List[str]] = typer.Option(None, "--type", help="Only this type, e.g. community, voluntary-aided, academy-converter."),
    partnership: Optional[List[str]] = typer.Option(None, "--partnership", help="Only this partnership id, e.g. simonside."),
    status: Optional[List[str]] = typer.Option(None, "--status", help="prospective, consulting, signed-up, member, withdrawn or converted (on the day read; converted: closed by a conversion, a new URN continues it)."),
    network: Optional[str] = typer.Option(None, "--network", help="Only schools with an active member in this network (id)."),
    diocese: Optional[str] = typer.Option(None, "--diocese", help="Only schools whose diocese contains this text, e.g. Newcastle."),
    search: Optional[str] = typer.Option(None, "--search", "-s", help="Text in the name, town, URN, postcode or a contact's name."),
    trust: Optional[str] = typer.Option(None, "--trust", help="Only schools whose trust or federation name contains this text (or has this GIAS code)."),
    sort: str = typer.Option("name", "--sort", help="name, urn, phase, type, partnership, status, town or pupils (largest first)."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """List schools, filtered and sorted. Status is as of today, or as of --at."""
    from nesa_cli.cli import vocab
    from nesa_cli.reports.schools import SORTS, STATUSES, SchoolFilter, list_schools

    sort = vocab.choice(sort, SORTS, "--sort")
    status = vocab.choices(status, STATUSES, "--status")
    phase, type_ = vocab.choices(phase, vocab.phases(), "--phase"), vocab.choices(type_, vocab.types(), "--type")
    # networks only for --network: a region has a thousand network files
    result, day = common.loaded(at, kinds={"alliance", "school", "network"} if network else {"alliance", "school"})
    model = result.model
    partnership = vocab.partnerships(model, partnership)
    network = vocab.network(model, network)
    f = SchoolFilter(phase=phase, type=type_, partnership=partnership, status=status, network=network, diocese=diocese, search=search, trust=trust)
    emit(list_schools(model, day, f, sort), as_json, as_csv)


@schools_app.command("show")
def show(
    school: str = typer.Argument(..., help="URN, or the school's name or a unique part of it."),
    include_private: bool = typer.Option(False, "--include-private", help="Include contact details marked not for circulation."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
) -> None:
    """Show one school's whole record: partnership, membership history, contacts,
    networks, policies adopted and their versions, open actions."""
    from nesa_cli.cli import vocab
    from nesa_cli.reports.schools import school_record

    result, day = common.loaded(at)
    s = vocab.school(result.model, school)
    rec = school_record(result.model, s, day, include_private)
    record(rec, f"{s.name} (URN {s.urn})", as_json, skip=("name", "urn"), schema="school.schema.json")


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
    from nesa_cli.cli import vocab
    from nesa_cli.edit import operations as ops

    phase, type_ = vocab.choice(phase, vocab.phases(), "--phase"), vocab.choice(type_, vocab.types(), "--type")
    religious_character = vocab.choice(religious_character, vocab.schema_enum("school.schema.json", "properties", "religious_character"), "--religious-character")
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
    day = edit_date(on, "--date", common.today())
    run_edit("nesa schools add", lambda tx: ops.add_school(tx, urn, fields, state, day, note), commit, branch, dry_run, message, as_json)


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

    run_edit("nesa schools set", fn, commit, branch, dry_run, message, as_json)


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
    from nesa_cli.cli import vocab
    from nesa_cli.edit import operations as ops

    role = vocab.choice(role, vocab.contact_roles(), "--role")

    run_edit("nesa schools add-contact", lambda tx: ops.add_contact(tx, school, role, name, title, email, phone, mobile, private or []),
          commit, branch, dry_run, message, as_json)


@schools_app.command("remove-contact")
def schools_remove_contact(
    school: str = typer.Argument(..., help="URN or a unique part of the name."),
    name: str = typer.Argument(..., help="The contact's name."),
    role: Optional[str] = typer.Option(None, "--role", help="Which role, when the person has several."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Remove a contact (refused while a network or meeting still names them)."""
    from nesa_cli.cli import vocab
    from nesa_cli.edit import operations as ops

    role = vocab.choice(role, vocab.contact_roles(), "--role")
    run_edit("nesa schools remove-contact", lambda tx: ops.remove_contact(tx, school, name, role), commit, branch, dry_run, message, as_json)


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
        day = edit_date(census, "--census", tx.model.alliance.census_date if tx.model.alliance else None)
        ops.record_pupils(tx, school, count, day)

    run_edit("nesa schools pupils", fn, commit, branch, dry_run, message, as_json)


@schools_app.command("convert")
def schools_convert(
    old: str = typer.Argument(..., help="The converting school: URN or a unique part of its name."),
    new_urn: str = typer.Argument(..., help="The academy's new six-digit URN (GIAS)."),
    on: str = typer.Option(..., "--on", metavar="YYYY-MM-DD", help="The day the new URN takes over (the academy opens), e.g. 2025-09-01."),
    type_: str = typer.Option("academy-converter", "--type", help="academy-converter, academy-sponsor-led, free-school, amalgamation, merger, change-of-age-range or other."),
    name: Optional[str] = typer.Option(None, "--name", help="The academy's name, when it changes."),
    trust: Optional[str] = typer.Option(None, "--trust", metavar="NAME", help="The trust the academy joins."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """A school converts to an academy (a new URN succeeds the old one): the new
    file carries over contacts, strengths, needs and notes and continues the
    membership; the old one is closed; network places move to the new URN and
    policy adoptions stand for it."""
    from nesa_cli.cli import vocab
    from nesa_cli.edit import operations as ops
    from nesa_cli.succession import REASONS

    type_ = vocab.choice(type_, list(REASONS), "--type")
    day = edit_date(on, "--on")
    run_edit("nesa schools convert", lambda tx: ops.convert(tx, old, new_urn, day, type_, name, trust),
             commit, branch, dry_run, message, as_json)


def _verbs() -> None:
    from nesa_cli.cli.records import add_verbs

    add_verbs(schools_app, "school", "schools", "URN or a unique part of the name.", set_=False, delete=True)


_verbs()
