"""Printing listings: a rich table, --json or --csv."""

from __future__ import annotations

import sys

import typer

from nesa_cli.cli import common

JSON = typer.Option(False, "--json", help="Print JSON (the library's result, stable keys).")
CSV = typer.Option(False, "--csv", help="Print CSV (UTF-8, header row, formula-safe cells).")
def _set(name: str):
    def callback(value: bool) -> bool:
        if value:
            setattr(common.OPTIONS, name, True)
        return value

    return callback


WIDE = typer.Option(False, "--wide", callback=_set("wide"), help="Show every column at full width (default: fit the terminal).")
NO_PAGER = typer.Option(False, "--no-pager", callback=_set("no_pager"), help="Print straight out; never page through $PAGER.")
AT = typer.Option(
    None, "--at", metavar="DATE|REV",
    help="Read the data as of the last commit on or before DATE (YYYY-MM-DD), or at a git revision, without touching the working tree.",
)


def emit(listing, as_json: bool = False, as_csv: bool = False) -> None:
    if as_json and as_csv:
        raise common.Misuse("choose one of --json and --csv")
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(listing.rows))  # the same text as json_rows(), without the copy
        return
    if as_csv:
        from nesa_cli.tabular import to_csv

        from nesa_cli.safetext import visible_records

        sys.stdout.write(visible_records(to_csv(_dicts_as_text(listing), bom=csv_bom())))
        return
    table(listing)


def csv_bom(target=None) -> bool:
    """Whether a CSV gets a UTF-8 byte-order mark: yes when it goes to a file
    (``-o FILE``, or standard output redirected to a new or emptied file, as
    in ``> schools.csv``), for the spreadsheet a person opens it in; no to a
    pipe or a terminal, where a program reads it. NESA_CSV_BOM=1 or 0 decides
    instead."""
    import os

    forced = os.environ.get("NESA_CSV_BOM", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    if target is not None:
        return True
    return _stdout_is_empty_file()


def _stdout_is_empty_file() -> bool:
    import os
    import stat

    try:
        fd = sys.stdout.fileno()
        info = os.fstat(fd)
        return stat.S_ISREG(info.st_mode) and os.lseek(fd, 0, os.SEEK_CUR) == 0 and info.st_size == 0
    except (AttributeError, OSError, ValueError):  # no real file behind it (a test runner's buffer)
        return False


def _dicts_as_text(listing):
    """The listing with mapping cells (members by phase, ...) as "key: value; ..."
    text, so a CSV cell never holds a Python repr."""
    if not any(isinstance(v, dict) for row in listing.rows for v in row.values()):
        return listing
    import dataclasses

    def text(value):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items()) if isinstance(value, dict) else value

    return dataclasses.replace(listing, rows=[{k: text(v) for k, v in row.items()} for row in listing.rows])


def plain_table(listing) -> None:
    """Aligned plain text for pipes and files: no colour codes, no box drawing,
    fitted to COLUMNS (160 when unset) unless --wide, and fast (rich's layout
    costs more than the query on a long listing)."""
    from nesa_cli.cli import tables
    from nesa_cli.safetext import visible

    headings = [h for _, h in listing.columns]
    keys = listing.table_keys()
    cells = [[visible(_cell(row.get(k))) for k in keys] for row in listing.rows]
    room = tables.width()
    shown, widths = tables.fit(headings, cells, room, common.OPTIONS.wide)
    lines = []
    if listing.title:
        lines.append(visible(listing.title))
    lines.append("  ".join(tables.cut(headings[i], w).ljust(w) for i, w in zip(shown, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(tables.cut(r[i], w).ljust(w) for i, w in zip(shown, widths)).rstrip() for r in cells]
    lines += [tables.wrap(visible(n), room, common.OPTIONS.wide) for n in listing.notes]
    note = tables.hidden_note(headings, shown, room)
    if note:
        lines.append(note)
    if not listing.rows:
        lines.append("(nothing matched)")
    sys.stdout.write("\n".join(lines) + "\n")


def _cell(value) -> str:
    from nesa_cli.jsonout import plain

    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):  # e.g. members by phase: "first: 9, primary: 15", not a Python repr
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(plain(value))


def _is_tty() -> bool:
    return sys.stdout.isatty()


# Cell words worth a colour: a person scanning a long table looks for these.
MARKS = {"overdue": "bold red", "withdrawn": "yellow", "not adopted": "yellow", "error": "red", "warning": "yellow"}


def table(listing) -> None:
    """A table on a terminal: fitted to its width (tables.fit), cells cut with
    an ellipsis rather than wrapped, what matters coloured (NO_COLOR honoured),
    and paged through $PAGER when longer than the screen (nesa_cli.cli.pager)."""
    if not _is_tty():
        plain_table(listing)
        return
    from rich import box
    from rich.table import Table

    from nesa_cli.cli import pager, tables
    from nesa_cli.cli.common import markup as escape
    from nesa_cli.safetext import visible

    headings = [h for _, h in listing.columns]
    keys = listing.table_keys()
    cells = [[visible(_human(row.get(k), short=True)) for k in keys] for row in listing.rows]
    room = tables.width()
    shown, widths = tables.fit(headings, cells, room, common.OPTIONS.wide)
    t = Table(title=escape(listing.title) if listing.title else None, title_justify="left", show_edge=False,
              pad_edge=False, box=box.SIMPLE_HEAD, padding=(0, 1), collapse_padding=True)
    for i, w in zip(shown, widths):
        t.add_column(escape(headings[i]), no_wrap=True, overflow="ellipsis", width=w)
    for r in cells:
        t.add_row(*[_marked(tables.cut(r[i], w), escape) for i, w in zip(shown, widths)])
    extra = [escape(n) for n in listing.notes]
    note = tables.hidden_note(headings, shown, room)
    if note:
        extra.append(f"[dim]{escape(note)}[/dim]")
    if not listing.rows:
        extra.append("(nothing matched)")
    pager.show([t, *extra], sum(widths) + 2 * max(0, len(widths) - 1) if common.OPTIONS.wide else room)


def _marked(text: str, escape) -> str:
    style = MARKS.get(text.lower()) or next((MARKS[w] for w in ("overdue", "withdrawn") if w in text.lower()), None)
    return f"[{style}]{escape(text)}[/{style}]" if style else escape(text)


def record(rec: dict, title: str, as_json: bool = False, skip: tuple[str, ...] = (), schema: str | None = None) -> None:
    """One whole record: JSON, or scalar fields as lines and lists as tables,
    labelled with the schema's titles (nesa_cli.cli.words), dates in one style."""
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(rec))
        return
    from nesa_cli.cli.common import markup as escape
    from nesa_cli.cli.words import label
    from rich.table import Table

    out = common.console()
    out.print(f"[bold]{escape(title)}[/bold]")
    lists = []
    for key, value in rec.items():
        if key in skip:
            continue
        if isinstance(value, list):
            lists.append((key, value))
            continue
        text = _inline(key, value, schema) if isinstance(value, dict) else _human(value)
        if text:
            out.print(f"  {escape(label(key, schema))}: {escape(text)}")
    for key, items in lists:
        out.print()
        heading = label(key, schema)
        if not items:
            out.print(f"[bold]{escape(heading)}[/bold]: none")
            continue
        if all(isinstance(i, dict) for i in items):
            cols: list[str] = []
            for i in items:
                cols += [k for k in i if k not in cols]
            cols = [c for c in cols if any(i.get(c) not in (None, "", []) for i in items)]
            t = Table(title=escape(heading), title_justify="left", show_edge=False, pad_edge=False)
            for c in cols:
                t.add_column(escape(label(c, schema, parent=key)), overflow="fold")
            for i in items:
                t.add_row(*[escape(_human(i.get(c), short=True)) for c in cols])
            out.print(t)
        else:
            out.print(f"[bold]{escape(heading)}[/bold]: " + escape(", ".join(_human(i) for i in items)))


_ADDRESS = {"street", "locality", "town", "county", "postcode"}
_ID_KEYS = {"id", "school", "urn", "network", "policy"}


def _human(value, short: bool = False) -> str:
    """A value as a person reads it: dates in the UK style, yes/no, no None."""
    from datetime import date, datetime

    from nesa_cli.cli.words import day, short_day

    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, date) and not isinstance(value, datetime):
        return short_day(value) if short else day(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_human(v, short) for v in value)
    return _cell(value)


def _inline(key: str, value: dict, schema: str | None) -> str:
    """A nested record on one line: an address as its lines, a named thing by
    its name (its id left out), anything else as "label value; ..." pairs."""
    from nesa_cli.cli.words import label

    present = {k: v for k, v in value.items() if v not in (None, "", [], {})}
    if present and set(present) <= _ADDRESS:
        return ", ".join(_human(v) for v in present.values())
    parts = []
    if "name" in present:
        parts.append(_human(present.pop("name")))
        for k in _ID_KEYS:
            present.pop(k, None)
    for k, v in present.items():
        words = label(k, schema, parent=key)
        unit = ""
        if words.endswith(" (%)"):
            words, unit = words[:-4], "%"
        if not words[:2].isupper():
            words = words[0].lower() + words[1:]
        text = _inline(k, v, schema) if isinstance(v, dict) else _human(v)
        parts.append(f"{words} {text}{unit}")
    return "; ".join(parts)
