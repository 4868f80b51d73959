"""Rich rendering of reports for the terminal."""

from __future__ import annotations

from nesa_cli.cli import common
from nesa_cli.cli.words import day, plural


def _table(title: str, columns: list[str], rows: list[list]) -> "object":
    from rich.table import Table

    t = Table(title=common.markup(title), title_justify="left", show_edge=False, pad_edge=False)
    for c in columns:
        t.add_column(c, justify="right" if c in ("Schools", "Members", "Count") else "left")
    for r in rows:
        t.add_row(*[common.markup(x) for x in r])
    return t


def status_view(report: dict, validation_line: str) -> None:
    from rich.columns import Columns

    out = common.console()
    name, short = report["alliance"], report["short_name"]
    if name:
        out.print(f"[bold]{common.markup(name)}[/bold]" + (f" ({common.markup(short)})" if short else "") + f" on {day(report['date'])}")
    else:
        out.print(f"[bold]The alliance[/bold] (no data/alliance.yaml, or it could not be read) on {day(report['date'])}")
    out.print(f"{plural(report['members'], 'member school')} of {report['schools']:,} known; "
              f"{plural(report['pupils_in_members'], 'pupil')} in member schools")
    out.print()
    out.print(Columns([
        _table("By phase", ["Phase", "Members"], [[k, v] for k, v in report["members_by_phase"].items()]),
        _table("By type", ["Type", "Members"], [[k, v] for k, v in report["members_by_type"].items()]),
        _table("By partnership", ["Partnership", "Members"], [[k, v] for k, v in report["members_by_partnership"].items()]),
    ], padding=(0, 4)))
    out.print()
    if report["joining"]:
        out.print(_table("Joining", ["URN", "School", "Status"], [[j["urn"], j["name"], j["status"]] for j in report["joining"]]))
        out.print()
    if report["withdrawn"]:
        out.print(_table("Withdrawn", ["URN", "School", "Since", "Reason"],
                         [[w["urn"], w["name"], day(w["date"]), w["reason"] or ""] for w in report["withdrawn"]]))
        out.print()
    out.print(_table("Networks", ["Network", "Members"], [[n["name"], n["members"]] for n in report["networks"]]))
    out.print()
    due = report["policies_due"]
    if due:
        out.print(_table(f"Policies due for review within {plural(report['within_days'], 'day')} ({len(due)} of {report['policies']})",
                         ["Policy", "Version", "Review due"],
                         [[p["title"], p["version"], day(p["review_due"]) + (" (overdue)" if p["overdue"] else "")] for p in due]))
    else:
        out.print(f"No policy reviews due within {plural(report['within_days'], 'day')} ({plural(report['policies'], 'policy', 'policies')}).")
    out.print()
    if report.get("records"):
        out.print("Also recorded: " + ", ".join(f"{r['count']} {common.markup(r['title'])}" for r in report["records"]))
        out.print()
    out.print(f"Validation: {common.markup(validation_line)}")
