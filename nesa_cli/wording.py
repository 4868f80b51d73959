"""Words for people, shared by the library and the command line: plurals and
one date style (UK: 9 December 2026). No Typer or rich here."""

from __future__ import annotations

from datetime import date


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 school``, ``2 schools``; ``many`` when the plural is not word + s."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def day(d: date | None) -> str:
    """One date style for people: ``9 December 2026``."""
    return "" if d is None else f"{d.day} {d:%B %Y}"


def short_day(d: date | None) -> str:
    """The same style with the month shortened, for table cells: ``9 Dec 2026``."""
    return "" if d is None else f"{d.day} {d:%b %Y}"
