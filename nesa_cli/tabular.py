"""Listings: rows with stable column names, as JSON or spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from nesa_cli.jsonout import plain

# A cell starting with one of these is run as a formula by Excel, LibreOffice
# and Google Sheets (CSV injection); a leading apostrophe makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass
class Listing:
    """What a list command returns: ``columns`` are (key, heading) pairs;
    each row is a dict keyed by column key (values may be nested for JSON)."""

    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)
    # column key -> the row key whose value a table on screen shows in that column instead
    # (e.g. every partnership where the CSV keeps the primary one: its header and cells stay stable)
    shown: dict[str, str] = field(default_factory=dict)

    def table_keys(self) -> list[str]:
        """The row key each column of a table on screen shows (see ``shown``)."""
        return [self.shown.get(k, k) for k, _ in self.columns]

    def json_rows(self) -> list[dict[str, Any]]:
        """The rows as --json prints them (dates and money as text)."""
        return plain(self.rows)


def safe_cell(value: Any) -> str:
    """Text for one CSV cell, never runnable as a spreadsheet formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(plain(v)) for v in value)
    text = str(plain(value))
    if text.startswith(_FORMULA_START):
        # Negative numbers stay numbers; everything else that could run is quoted.
        if not _is_number(text):
            return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text


BOM = "\ufeff"


def to_csv(listing: Listing, bom: bool = False) -> str:
    """CSV text with a header row, CRLF line ends, formula-safe cells. ``bom``:
    begin with a byte-order mark, so that a spreadsheet opening the file
    (Excel's double-click) reads it as UTF-8, not as Windows-1252 ("SiÃ¢n")."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([key for key, _ in listing.columns])
    for row in listing.rows:
        writer.writerow([safe_cell(row.get(key)) for key, _ in listing.columns])
    return buf.getvalue()
