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


def add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year = d.year + month0 // 12
    month = month0 % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def parse_duration(text: str) -> timedelta:
    """'60d', '8w', '3m' (30-day months), '1y' -> timedelta. ValueError when malformed."""
    m = _DURATION.match(text or "")
    if not m:
        raise ValueError(f"{text!r} is not a duration such as 60d, 8w, 3m or 1y")
    n, unit = int(m.group(1)), m.group(2)
    return timedelta(days=n * {"d": 1, "w": 7, "m": 30, "y": 365}[unit])


def uk_long(d: date) -> str:
    """'Tuesday 14 January 2025'."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def uk_short(d: date) -> str:
    """'14 Jan 2025'."""
    return f"{d.day} {d:%b %Y}"
