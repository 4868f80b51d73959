"""Date helpers: parsing, month arithmetic, terms and UK formatting."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

_DURATION = re.compile(r"\s*(\d+)\s*([dwmy])\s*\Z")


def parse(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return from_text(value)


@lru_cache(maxsize=4096)
def from_text(text: str) -> date:
    """A schema-valid YYYY-MM-DD text as a date (ValueError for a day that does not exist)."""
    # A repository names the same few hundred dates a million times over
    # (adoptions, census dates, membership): parse each once.
    return date.fromisoformat(text)


# Date arithmetic saturates at the ends of the calendar (1 January of year 1,
# 31 December 9999): "today + 60 days" for --today 9999-12-31, or a review
# cycle from a date in 9999, is the last day there is, not an OverflowError.
SPAN = timedelta(days=(date.max - date.min).days)


def shift(d: date, delta: timedelta | int) -> date:
    """``d + delta`` (days when an int), clamped to the calendar's ends."""
    if not isinstance(delta, timedelta):
        delta = timedelta(days=max(-SPAN.days, min(SPAN.days, delta)))
    try:
        return d + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min


def add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year = d.year + month0 // 12
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    month = month0 % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def parse_duration(text: str) -> timedelta:
    """'60d', '8w', '3m' (30-day months), '1y' -> timedelta. ValueError when
    malformed; a longer span than the calendar holds is the whole calendar."""
    m = _DURATION.match(text or "")
    if not m:
        raise ValueError(f"{text!r} is not a duration such as 60d, 8w, 3m or 1y")
    digits, unit = m.group(1).lstrip("0") or "0", m.group(2)
    if len(digits) > 8:
        return SPAN
    return timedelta(days=min(SPAN.days, int(digits) * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]))


def uk_long(d: date) -> str:
    """'Tuesday 14 January 2025'."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def uk_text(d: date) -> str:
    """'14 January 2025': the one date style of documents."""
    return f"{d.day} {d:%B %Y}"


def uk_short(d: date) -> str:
    """'14 Jan 2025'."""
    return f"{d.day} {d:%b %Y}"
