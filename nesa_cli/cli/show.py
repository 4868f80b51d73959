"""Rich rendering of reports for the terminal."""

from __future__ import annotations

import sys

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
    """The status report: rich tables on a terminal, aligned plain text
    (:func:`status_plain`) in a pipe or a file, as listings are."""
    if not sys.stdout.isatty():
        status_plain(report, validation_line)
        return
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
    if report.get("in_several_partnerships"):
        out.print(common.markup(_several(report["in_several_partnerships"])))
    out.print()
    if report["joining"]:
        out.print(_table("Joining", ["URN", "School", "Status"], [[j["urn"], j["name"], j["status"]] for j in report["joining"]]))
        out.print()
    if report["withdrawn"]:
        out.print(_table("Withdrawn", ["URN", "School", "Since", "Reason"],
                         [[w["urn"], w["name"], day(w["date"]), w["reason"] or ""] for w in report["withdrawn"]]))
        out.print()
    if report.get("converted"):
        out.print(_table("Converted (continuing under a new URN)", ["URN", "School", "On", "Now"],
                         [[c["urn"], c["name"], day(c["date"]), f"{c['successor_name']} ({c['successor']})"] for c in report["converted"]]))
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


_RIGHT = ("Schools", "Members", "Count")


def _plain(title: str, columns: list[str], rows: list[list]) -> list[str]:
    """A table as aligned lines (as nesa_cli.cli.output.plain_table): its
    title, the headings, a rule, the rows; counts right-aligned; never wider
    than the room to fit (tables.fit, cut with an ellipsis) unless --wide."""
    from nesa_cli.cli import tables
    from nesa_cli.safetext import visible

    cells = [[visible(str(x)) for x in r] for r in rows]
    shown, widths = tables.fit(columns, cells, tables.width(), common.OPTIONS.wide)

    def line(values) -> str:
        return "  ".join(tables.cut(values[i], w).rjust(w) if columns[i] in _RIGHT else tables.cut(values[i], w).ljust(w)
                         for i, w in zip(shown, widths))

    return [visible(title), line(columns), "  ".join("-" * w for w in widths)] + [line(r) for r in cells]


def _side_by_side(blocks: list[list[str]], gap: int = 4) -> list[str]:
    """Tables next to each other when they fit the room, else one after another."""
    from nesa_cli.cli import tables

    widths = [max(map(len, b)) for b in blocks]
    if sum(widths) + gap * (len(blocks) - 1) > tables.width() and not common.OPTIONS.wide:
        out: list[str] = []
        for b in blocks:
            out += (b + [""]) if b is not blocks[-1] else b
        return out
    height = max(map(len, blocks))
    return [(" " * gap).join(b[i].ljust(w) if i < len(b) else " " * w for b, w in zip(blocks, widths)).rstrip()
            for i in range(height)]


def status_plain(report: dict, validation_line: str) -> None:
    """The status report as plain text: what :func:`status_view` shows on a
    terminal, without colour, box drawing or rich (which costs more to import
    and lay out than the whole report takes to make)."""
    from nesa_cli.safetext import visible

    lines = []
    name, short = report["alliance"], report["short_name"]
    if name:
        lines.append(visible(name) + (f" ({visible(short)})" if short else "") + f" on {day(report['date'])}")
    else:
        lines.append(f"The alliance (no data/alliance.yaml, or it could not be read) on {day(report['date'])}")
    lines += [f"{plural(report['members'], 'member school')} of {report['schools']:,} known; "
              f"{plural(report['pupils_in_members'], 'pupil')} in member schools", ""]
    lines += _side_by_side([
        _plain("By phase", ["Phase", "Members"], [[k, v] for k, v in report["members_by_phase"].items()]),
        _plain("By type", ["Type", "Members"], [[k, v] for k, v in report["members_by_type"].items()]),
        _plain("By partnership", ["Partnership", "Members"], [[k, v] for k, v in report["members_by_partnership"].items()]),
    ])
    if report.get("in_several_partnerships"):
        import textwrap

        from nesa_cli.cli import tables

        lines += textwrap.wrap(visible(_several(report["in_several_partnerships"])), max(40, tables.width()))
    lines.append("")
    if report["joining"]:
        lines += _plain("Joining", ["URN", "School", "Status"], [[j["urn"], j["name"], j["status"]] for j in report["joining"]]) + [""]
    if report["withdrawn"]:
        lines += _plain("Withdrawn", ["URN", "School", "Since", "Reason"],
                        [[w["urn"], w["name"], day(w["date"]), w["reason"] or ""] for w in report["withdrawn"]]) + [""]
    if report.get("converted"):
        lines += _plain("Converted (continuing under a new URN)", ["URN", "School", "On", "Now"],
                        [[c["urn"], c["name"], day(c["date"]), f"{c['successor_name']} ({c['successor']})"] for c in report["converted"]]) + [""]
    lines += _plain("Networks", ["Network", "Members"], [[n["name"], n["members"]] for n in report["networks"]]) + [""]
    due = report["policies_due"]
    if due:
        lines += _plain(f"Policies due for review within {plural(report['within_days'], 'day')} ({len(due)} of {report['policies']})",
                        ["Policy", "Version", "Review due"],
                        [[p["title"], p["version"], day(p["review_due"]) + (" (overdue)" if p["overdue"] else "")] for p in due])
    else:
        lines.append(f"No policy reviews due within {plural(report['within_days'], 'day')} ({plural(report['policies'], 'policy', 'policies')}).")
    lines.append("")
    if report.get("records"):
        lines += ["Also recorded: " + ", ".join(f"{r['count']} {visible(r['title'])}" for r in report["records"]), ""]
    lines.append(f"Validation: {visible(validation_line)}")
    sys.stdout.write("\n".join(line.rstrip() for line in lines) + "\n")


def _several(names: list[str]) -> str:
    """issue 20: why the partnership column adds up to more than the members."""
    n = len(names)
    return (f"{', '.join(names)} {'is' if n == 1 else 'are'} in more than one partnership and "
            f"count{'s' if n == 1 else ''} in each (once in the total).")
