"""nesa networks ..."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, edit_date, run_edit
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit, record

networks_app = typer.Typer(help="The staff networks: list, show, add and remove members, set fields.", no_args_is_help=True)
app.add_typer(networks_app, name="networks")


@networks_app.command("list")
def list_(
    kind: Optional[str] = typer.Option(None, "--kind", help="role, subject, phase or other."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """List the networks with their lead, central-team link and active members."""
    from nesa_cli.reports.networks import list_networks

    result, day = common.loaded(at, kinds={"alliance", "school", "network"})
    emit(list_networks(result.model, day, kind), as_json, as_csv)


@networks_app.command("show")
def show(
    network: str = typer.Argument(..., help="Network id (e.g. sencos) or name."),
    all_members: bool = typer.Option(False, "--all", help="Include former members."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
) -> None:
    """Show one network: purpose, lead, link, and its members."""
    from nesa_cli.reports.networks import find_network, network_record

    result, day = common.loaded(at, kinds={"alliance", "school", "network"})
    n = find_network(result.model, network)  # NotFound: nesa: error, exit 2 (nesa_cli.cli._Group)
    record(network_record(result.model, n, day, all_members), n.name, as_json, skip=("name",), schema="network.schema.json")


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

    day = edit_date(since, "--since", common.today())
    run_edit("nesa networks add-member", lambda tx: ops.network_add(tx, network, school, person, role, day), commit, branch, dry_run, message, as_json)


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

    day = edit_date(on, "--date", common.today())
    run_edit("nesa networks remove-member", lambda tx: ops.network_remove(tx, network, school, person, day), commit, branch, dry_run, message, as_json)


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

    run_edit("nesa networks set", fn, commit, branch, dry_run, message, as_json)


@networks_app.command("new")
def networks_new(
    ident: str = typer.Argument(..., metavar="ID", help="Short id, e.g. early-years (it becomes the file name)."),
    name: str = typer.Option(..., "--name", help="Name, e.g. Early Years Network."),
    kind: str = typer.Option(..., "--kind", help="role, subject, phase or other."),
    purpose: Optional[str] = typer.Option(None, "--purpose", help="What the network is for."),
    lead: Optional[str] = typer.Option(None, "--lead", metavar="URN:NAME", help="The lead: a contact at a school, e.g. 122262:Lewis Milburn."),
    central_link: Optional[str] = typer.Option(None, "--central-link", help="Central-team id, e.g. mpatel."),
    frequency: Optional[str] = typer.Option(None, "--frequency", help="weekly, fortnightly, monthly, half-termly, termly, ..."),
    channel: Optional[str] = typer.Option(None, "--channel", help="Where the network talks, e.g. 'Teams: NESA EYFS'."),
    items: Optional[List[str]] = typer.Argument(None, metavar="[FIELD=VALUE...]", help="Any other field."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Create a network: data/networks/<ID>.yaml (add members with nesa networks add-member)."""
    from nesa_cli.cli.records import assignments, person_at_school
    from nesa_cli.edit import records

    first = {"name": name, "kind": kind, "purpose": purpose, **person_at_school(lead, "lead", "--lead"),
             "central_link": central_link, "frequency": frequency, "channel": channel}
    run_edit("nesa networks new", lambda tx: records.new_record(tx, "network", ident, assignments(items), first=first),
             commit, branch, dry_run, message, as_json)


def _verbs() -> None:
    from nesa_cli.cli.records import add_verbs

    add_verbs(networks_app, "network", "networks", "The network's id, e.g. sencos.", set_=False, delete=True)


_verbs()
