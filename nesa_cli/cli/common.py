"""What every command shares: finding the data, exit codes, output."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import typer

from nesa_cli.errors import DATA_ERRORS, MISUSE

OK = 0


@dataclass
class Options:
    data_dir: str | None = None
    today: date | None = None
    wide: bool = False  # --wide: tables at full width
    no_pager: bool = False  # --no-pager


OPTIONS = Options()


class Misuse(typer.Exit):
    """The command was used wrongly (or pointed at no data): says why, exits 2."""

    def __init__(self, message: str):
        echo(f"nesa: error: {message}", err=True)
        self.message = message
        super().__init__(MISUSE)


def today() -> date:
    if OPTIONS.today:
        return OPTIONS.today
    env = os.environ.get("NESA_TODAY")
    if env:
        try:
            return date.fromisoformat(env)
        except ValueError:
            raise Misuse("NESA_TODAY is not a date (YYYY-MM-DD); its value is not shown") from None
    return date.today()


def now():
    """The moment of this run, in UTC: the one reading of the real clock for
    what a document must stamp with its time of making (a calendar's
    DTSTAMP). NESA_NOW (ISO 8601, e.g. 2026-11-23T09:00:00Z) fixes it for tests."""
    from datetime import datetime, timezone

    env = os.environ.get("NESA_NOW")
    if env:
        try:
            moment = datetime.fromisoformat(env.strip().replace("Z", "+00:00"))
        except ValueError:
            raise Misuse("NESA_NOW is not a date and time (e.g. 2026-11-23T09:00:00Z); its value is not shown") from None
        if moment.tzinfo is None:
            raise Misuse("NESA_NOW needs a time zone (Z or +00:00)")
        return moment.astimezone(timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def root() -> Path:
    from nesa_cli.store import RepositoryNotFound, find_root

    try:
        return find_root(explicit=OPTIONS.data_dir)
    except RepositoryNotFound as exc:
        raise Misuse(str(exc)) from None


def source(at: str | None = None):
    """The working tree, or the committed data as of ``at`` (a date or revision)."""
    from nesa_cli.store import WorkingTree

    if not at:
        return WorkingTree(root())
    from nesa_cli.store.git import RevisionError, at as at_revision

    try:
        return at_revision(root(), at)
    except RevisionError as exc:
        raise Misuse(str(exc)) from None


def loaded(at: str | None = None, kinds: set[str] | None = None, checked: bool = False):
    """Load the data (the one library call every read command starts from).
    ``kinds`` limits the read to what the command needs (no validation then).
    ``checked``: the validation verdict of the whole data besides, from the
    cache when it knows this state; then ``kinds`` limits only the model, and
    ``result.counts`` has the records of every kind (nesa_cli.validate.checked).

    Returns the load result and the day the data speaks for: today, or the
    date given to ``--at`` (a revision's commit date)."""
    if checked:
        from nesa_cli.validate.checked import load_checked as load
    else:
        from nesa_cli.loader import load

    src = source(at)
    if at:
        from datetime import date as _date

        try:
            day = _date.fromisoformat(at.strip())
        except ValueError:
            day = src.day
    else:
        day = today()
    result = load(src, kinds=kinds)
    if getattr(sys.modules.get("nesa_cli"), "KEEP_LOADED", False):
        _KEPT.append(result)  # the console script ends without freeing it (nesa_cli.entry)
    return result, day


_KEPT: list = []


def console(stderr: bool = False):
    """A rich console; honours NO_COLOR, and writes no colour codes to a pipe.
    Off a terminal, tables get room (COLUMNS, default 160) instead of 80 columns."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty():
        try:
            width = int(os.environ.get("COLUMNS", "160"))
        except ValueError:
            width = 160
    return Console(file=stream, highlight=False, soft_wrap=False, width=width)


def echo(text: str = "", err: bool = False) -> None:
    """Print text; control and bidirectional characters from data (or from the
    user's own arguments echoed back) are shown as escapes (nesa_cli.safetext)."""
    from nesa_cli.safetext import visible_lines

    stream = sys.stderr if err else sys.stdout
    stream.write(visible_lines(text) + "\n")


def write_document(text: str) -> None:
    """A rendered document (Markdown, HTML, iCalendar) to stdout, its line
    ends kept and control characters from data shown as escapes."""
    from nesa_cli.safetext import visible_records

    sys.stdout.write(visible_records(text))


def markup(text) -> str:
    """Data for a rich markup string: control characters shown as escapes,
    markup brackets escaped. Every value given to rich goes through this."""
    from rich.markup import escape

    from nesa_cli.safetext import visible

    return escape(visible(str(text)))


def fail(message: str, code: int = MISUSE) -> None:
    echo(f"nesa: error: {message}", err=True)
    raise typer.Exit(code)


def print_diagnostics(diags, fmt: str) -> None:
    from nesa_cli.diagnostics import to_json

    if fmt == "json":
        echo(to_json(diags))
    elif fmt == "github":
        for d in diags:
            echo(d.github())
    else:
        paint = _painter()
        for d in diags:
            sys.stdout.write(paint(d.text(), d.severity) + "\n")  # paint shows control characters as escapes first


def colour_wanted(stream=None) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (any value) or TERM=dumb."""
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _painter():
    """Errors red, warnings yellow (the severity word only), on a terminal."""
    from nesa_cli.safetext import visible_lines

    if not colour_wanted():
        return lambda text, severity: visible_lines(text)
    codes = {"error": "\x1b[31m", "warning": "\x1b[33m"}

    def paint(text: str, severity: str) -> str:
        code = codes.get(severity)
        word = f": {severity}: "
        text = visible_lines(text)
        if not code or word not in text:
            return text
        head, tail = text.split(word, 1)
        return f"{head}: {code}{severity}\x1b[0m: {tail}"

    return paint
