"""nesa equity / broker / impact / partnerships ... (school-to-school collaboration)."""

from __future__ import annotations

from datetime import date
from typing import List, Optional

import typer

from nesa_cli.cli import app, common, files
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit

KINDS = {"alliance", "school", "activity"}


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise common.Misuse(f"{option} wants a date YYYY-MM-DD, not {text!r}") from None


@app.command("equity")
def equity_cmd(
    from_: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD", help="Count activities running on or after this day."),
    to: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD", help="Count activities starting on or before this day."),
    by: str = typer.Option("pupils", "--by", help="Fair share by pupils, or by staff (contacts on the school file stand in for staff)."),
    high: float = typer.Option(1.5, "--high", help="Flag schools giving more than this multiple of their fair share."),
    low: float = typer.Option(0.5, "--low", help="Flag schools giving less than this multiple of their fair share."),
    plot: Optional[str] = typer.Option(None, "--plot", metavar="FILE.svg", help="Also write a bar chart (SVG) to this file."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """Equity of workload: activities led and time given by each member school against its fair share."""
    from nesa_cli.collab.equity import equity, equity_listing, equity_svg

    if by not in ("pupils", "staff"):
        raise common.Misuse("--by is pupils or staff")
    if low < 0 or high <= low:
        raise common.Misuse("--low must be at least 0 and below --high")
    start, end = _date(from_, "--from"), _date(to, "--to")
    if start and end and end < start:
        raise common.Misuse("--to is before --from")
    plot_file = files.output_file(plot, "--plot")
    result, day = common.loaded(at, kinds=KINDS)
    report = equity(result.model, day, start, end, by, high, low)
    if plot:
        from nesa_cli.render import RenderError

        try:
            svg = equity_svg(report, common.root())
        except RenderError as exc:
            raise common.Misuse(str(exc)) from None
        files.write(plot_file, svg, atomic=True)
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(report))
        return
    emit(equity_listing(report), False, as_csv)
    if plot and not as_csv:
        common.echo(f"chart written to {plot}")


@app.command("broker")
def broker_cmd(
    need: str = typer.Argument(..., help="Area of need (a strength area, e.g. maths-mastery, send, early-reading)."),
    for_school: Optional[str] = typer.Option(None, "--for", metavar="SCHOOL", help="The school that needs support (URN or a unique part of its name)."),
    limit: int = typer.Option(10, "--limit", min=1, help="Show at most this many schools."),
    competitor_km: Optional[float] = typer.Option(None, "--competitor-km", min=0, help="Competitors are within this distance (0: none; default as data/alliance.yaml says under broker: competitors, else 5)."),
    competitor_nearest: Optional[int] = typer.Option(None, "--competitor-nearest", min=0, help="Competitors: this many nearest schools of the same phase (0: none; default from data/alliance.yaml, else 3)."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """Rank member schools that offer matching expertise; every rank explained in one line.

    Ranks by phase, distance, competition, load, partnership, designations (a current SLE in the
    need, an NLE or LLE, a teaching school) and categories (the target's and the supporter's this
    academic year, and the priority of the target's need)."""
    from nesa_cli.collab.broker import broker

    from nesa_cli.cli import vocab

    result, day = common.loaded(at, kinds=KINDS)
    for_urn = vocab.school_urn(result.model, for_school, "--for")
    listing = broker(result.model, day, need, for_urn, limit, competitor_km, competitor_nearest)
    if not listing.rows:
        areas = sorted({st.get("area") for s in result.model.members_on(day) for st in s.strengths if st.get("area")})
        listing.notes.append(f"No member school offers {need}. Areas offered: {', '.join(areas) or 'none'}")
    emit(listing, as_json, as_csv)


@app.command("impact")
def impact_cmd(
    year: Optional[str] = typer.Argument(None, metavar="[YEAR]", help="Financial year, e.g. 2025-26 (or 2025); default the one holding today."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """Activities of a financial year with their time, spend, outcome measures and evidence."""
    from nesa_cli.collab.impact import impact
    from nesa_cli.finance.model import FinanceYearUnreadable

    result, day = common.loaded(at)
    try:
        listing = impact(result.model, day, year, result)
    except FinanceYearUnreadable as exc:
        from nesa_cli.cli.finance import unreadable

        unreadable(exc)
    except ValueError as exc:
        raise common.Misuse(str(exc)) from None
    emit(listing, as_json, as_csv)


partnerships_app = typer.Typer(help="Partnership proposal rounds from the schools' stated preferences.", no_args_is_help=True)
app.add_typer(partnerships_app, name="partnerships")


def _size(text: str) -> tuple[int, int]:
    lo, sep, hi = text.partition("..")
    try:
        return (int(lo), int(hi)) if sep else (int(lo), int(lo))
    except ValueError:
        raise common.Misuse(f"--size wants MIN..MAX, e.g. 3..6, not {text!r}") from None


@partnerships_app.command("propose")
def propose_cmd(
    size: str = typer.Option("3..6", "--size", metavar="MIN..MAX", help="Allowed group sizes."),
    phase: Optional[str] = typer.Option(None, "--phase", metavar="PHASE[,PHASE]", help="Only schools of these phases (e.g. primary, which takes in first schools; secondary; special)."),
    type_: Optional[str] = typer.Option(None, "--type", help="A round for this partnership type (hard, structured, loose): schools that asked for it or stated none."),
    write: bool = typer.Option(False, "--write", help="Record the proposal as data/proposals/<id>.yaml for review."),
    pid: Optional[str] = typer.Option(None, "--id", help="Id of the written proposal (default proposal-<today>)."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
) -> None:
    """Propose partnerships meeting as many stated preferences as possible; every member school gets a place."""
    import re

    from nesa_cli.collab.propose import ProposalError, proposal_yaml, propose_for_model

    lo, hi = _size(size)
    if type_ is not None and type_ not in ("hard", "structured", "loose"):
        raise common.Misuse(f"--type is hard, structured or loose, not {type_!r}")
    phases = tuple(p.strip() for p in (phase or "").split(",") if p.strip())
    kinds = {"alliance", "school", "proposal"}
    result, day = common.loaded(at, kinds=kinds)
    from nesa_cli.collab.broker import PHASE_GROUP

    known = set(PHASE_GROUP) | set(PHASE_GROUP.values()) | {s.phase for s in result.model.schools.values()}
    for p in phases:
        if p not in known:
            raise common.Misuse(f"--phase {p!r} is not a phase (known: {', '.join(sorted(known))})")
    try:
        proposal = propose_for_model(result.model, result, day, lo, hi, phases, type_)
    except ProposalError as exc:
        raise common.Misuse(str(exc)) from None
    if write:
        if at:
            raise common.Misuse("--write cannot be used with --at")
        pid = pid or f"proposal-{day.isoformat()}"
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", pid):
            raise common.Misuse(f"--id {pid!r}: use lower-case letters, digits and hyphens")
        from nesa_cli.store.write import safe_path, write_in

        rel = f"data/proposals/{pid}.yaml"
        if safe_path(common.root(), rel, under="data").exists():  # a link on the way: UnsafePath, exit 2
            raise common.Misuse(f"{rel} exists; choose another --id")
        with files.writing(rel):
            write_in(common.root(), rel, proposal_yaml(proposal, pid).encode("utf-8"), under="data")
        proposal["written"] = rel
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(proposal))
        return
    from nesa_cli.wording import plural

    common.echo(f"Proposed partnerships for {plural(proposal['schools'], 'member school')} (sizes {lo} to {hi})")
    common.echo(f"Score {proposal['score']}; preferences met {proposal['preferences_met']} of {proposal['preferences_total']}")
    for g in proposal["groups"]:
        types = f" (asked for: {', '.join(g['partnership_types'])})" if g["partnership_types"] else ""
        kind = f" {g['type']}" if g.get("type") else ""
        common.echo(f"\n{g['id']}{kind}{types}")
        for urn, name in zip(g["schools"], g["names"]):
            common.echo(f"  {urn}  {name}")
    if proposal["unmet"]:
        common.echo("\nPreferences not met:")
        for u in proposal["unmet"]:
            common.echo(f"  {u['school']} wanted {u['prefers']}: {u['reason']}")
    for t in proposal.get("ties_broken") or ():
        common.echo(f"\nCould not keep together: {', '.join(str(u) for u in t['schools'])} ({t['reason']})")
    if proposal.get("written"):
        common.echo(f"\nwritten to {proposal['written']}")


@partnerships_app.command("list")
def list_cmd(at: Optional[str] = AT, as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """List the recorded partnership proposals."""
    from nesa_cli.collab.propose import list_proposals

    result, _ = common.loaded(at, kinds={"alliance", "school", "proposal"})
    emit(list_proposals(result.model), as_json, as_csv)


@partnerships_app.command("show")
def show_cmd(proposal_id: str = typer.Argument(..., metavar="ID"), at: Optional[str] = AT, as_json: bool = JSON) -> None:
    """Show one recorded proposal with its groups."""
    from nesa_cli.collab.propose import show_proposal

    result, _ = common.loaded(at, kinds={"alliance", "school", "proposal"})
    rec = show_proposal(result.model, proposal_id)
    if rec is None:
        known = ", ".join(sorted(result.model.other.get("proposal") or {})) or "none"
        raise common.Misuse(f"no proposal {proposal_id} (known: {known})")
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(rec))
        return
    common.echo(f"{rec['id']} ({rec['date']}, {rec['status']}): score {rec['score']}")
    for g in rec["groups"]:
        common.echo(f"\n{g['id']}")
        for s in g["schools"]:
            common.echo(f"  {s['urn']}  {s['name']}")


from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, run_edit  # noqa: E402  (the edit commands below)


@partnerships_app.command("add")
def partnerships_add(
    ident: str = typer.Argument(..., metavar="ID", help="Short id that school files name, e.g. cheviot."),
    name: str = typer.Option(..., "--name", help="Name, e.g. Cheviot Partnership."),
    type_: str = typer.Option(..., "--type", help="hard (shared leadership), structured (agreed programme) or loose (informal)."),
    link: Optional[str] = typer.Option(None, "--link", help="Central-team id named for it, e.g. jokafor."),
    description: Optional[str] = typer.Option(None, "--description", help="What the partnership is."),
    lead: Optional[List[str]] = typer.Option(None, "--lead", metavar="URN:NAME", help="A lead head: the school's URN and the head's name, e.g. 122101:'Maria Fenwick' (repeat)."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Add a partnership to the alliance (data/alliance.yaml); schools join it with partnership=ID."""
    from nesa_cli.edit.verbs_alliance import partnership_add

    run_edit("nesa partnerships add", lambda tx: partnership_add(tx, ident, name, type_, link, description, lead or []),
             commit, branch, dry_run, message, as_json)
