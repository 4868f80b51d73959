"""nesa networks ..."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT, CSV, JSON, emit, record

networks_app = typer.Typer(help="The staff networks: list, show, add and remove members, set fields.", no_args_is_help=True)
app.add_typer(networks_app, name="networks")


@networks_app.command("list")
def list_(
    kind: Optional[str] = typer.Option(None, "--kind", help="role, subject, phase or other."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV,
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
    from nesa_cli.reports.lookup import NotFound
    from nesa_cli.reports.networks import find_network, network_record

    result, day = common.loaded(at, kinds={"alliance", "school", "network"})
    try:
        n = find_network(result.model, network)
    except NotFound as exc:
        raise common.Misuse(str(exc)) from None
    record(network_record(result.model, n, day, all_members), n.name, as_json, skip=("name",))
