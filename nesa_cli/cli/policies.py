"""nesa policies ..."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app, common
from nesa_cli.cli.output import AT, CSV, JSON, emit, record

policies_app = typer.Typer(help="The model policies: list, show, reviews due, publish a version, record adoptions, set fields.", no_args_is_help=True)
app.add_typer(policies_app, name="policies")


@policies_app.command("list")
def list_(
    area: Optional[str] = typer.Option(None, "--area", help="Only this area, e.g. safeguarding, send."),
    statutory: Optional[bool] = typer.Option(None, "--statutory/--non-statutory", help="Only statutory (or only non-statutory) policies."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV,
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
    from nesa_cli.reports.lookup import NotFound
    from nesa_cli.reports.policies import find_policy, policy_record

    result, day = common.loaded(at, kinds={"alliance", "school", "policy"})
    try:
        p = find_policy(result.model, policy)
    except NotFound as exc:
        raise common.Misuse(str(exc)) from None
    record(policy_record(result.model, p, day), p.title, as_json, skip=("title",))


@policies_app.command("due")
def due(
    within: str = typer.Option("60d", "--within", help="Window ahead: e.g. 60d, 8w, 3m, 1y."),
    policy: Optional[str] = typer.Option(None, "--policy", help="Only this policy (id or title)."),
    phase: Optional[List[str]] = typer.Option(None, "--phase", help="Only schools of this phase."),
    partnership: Optional[List[str]] = typer.Option(None, "--partnership", help="Only schools in this partnership."),
    type_: Optional[List[str]] = typer.Option(None, "--type", help="Only schools of this type."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """Reviews due in the window (or overdue), and member schools not on the current version of a policy."""
    from nesa_cli.dates import parse_duration
    from nesa_cli.reports.lookup import NotFound
    from nesa_cli.reports.policies import DueFilter, find_policy, policies_due

    try:
        window = parse_duration(within)
    except ValueError as exc:
        raise common.Misuse(f"--within: {exc}") from None
    result, day = common.loaded(at, kinds={"alliance", "school", "policy"})
    pid = None
    if policy:
        try:
            pid = find_policy(result.model, policy).id
        except NotFound as exc:
            raise common.Misuse(str(exc)) from None
    f = DueFilter(policy=pid, phase=phase, partnership=partnership, type=type_)
    emit(policies_due(result.model, day, window, f), as_json, as_csv)
