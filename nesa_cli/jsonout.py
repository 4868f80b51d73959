"""JSON for machines: dates as ISO text, money as exact decimal text."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from nesa_cli.safetext import json_safe  # C1 and bidi characters as \uXXXX: the same data, safe on a terminal


def _iso(value: date | time) -> str:
    """ISO text; a time of day as HH:MM, as data files write it."""
    if isinstance(value, time) and not value.second and not value.microsecond:
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def plain(obj: Any) -> Any:
    """Turn records into JSON-ready values (the same values --json prints)."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = [plain(v) for v in obj]
        return sorted(items) if isinstance(obj, (set, frozenset)) else items
    if isinstance(obj, (date, time)):
        return _iso(obj)
    if isinstance(obj, Decimal):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return plain(obj.as_dict() if hasattr(obj, "as_dict") else dataclasses.asdict(obj))
    return obj


def _default(obj: Any) -> Any:
    """What json cannot write itself, turned into what :func:`plain` makes of it."""
    if isinstance(obj, (date, time)):
        return _iso(obj)
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, (set, frozenset)):
        return sorted(plain(v) for v in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return obj.as_dict() if hasattr(obj, "as_dict") else dataclasses.asdict(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


# Values a row may hold for the quick path of dumps(): json writes them itself,
# or _default turns them into text (never into a list or a mapping).
_FLAT = frozenset({str, int, float, bool, type(None), date, datetime, time, Decimal})


def _flat_rows(rows: list) -> str | None:
    """A list of flat rows (text keys, values in _FLAT) written as
    ``json.dumps(rows, indent=2)`` writes it, by json's C encoder: Python's
    own encoder, which indenting needs, takes 60 ms over 4,000 listing rows.
    None when a row is not flat."""
    keys: set[type] = set()
    values: set[type] = set()
    for row in rows:
        if type(row) is not dict:
            return None
        keys.update(map(type, row))
        values.update(map(type, row.values()))
    if not (keys <= {str} and values <= _FLAT):
        return None
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": "), default=_default).encode
    # Encoded text never holds a raw line break, so every break below is ours.
    if all(rows):
        # one call: [{"a": 1,\n    "b": 2},\n    {"a": 3,\n    "b": 4}]; rows are flat,
        # so a separator followed by "{" can only be one between rows
        text = encode(rows)
        return "[\n  {\n    " + text[2:-2].replace("},\n    {", "\n  },\n  {\n    ") + "\n  }\n]"
    parts = [("{\n    " + encode(row)[1:-1] + "\n  }") if row else "{}" for row in rows]
    return "[\n  " + ",\n  ".join(parts) + "\n]"


def dumps(obj: Any) -> str:
    """``json.dumps(plain(obj))``, without first copying every value (a 25,000-row listing)."""
    if type(obj) is list and obj:
        quick = _flat_rows(obj)
        if quick is not None:
            return json_safe(quick)
    try:
        return json_safe(json.dumps(obj, indent=2, ensure_ascii=False, default=_default))
    except (TypeError, ValueError):  # e.g. a dict keyed by dates: take the long way
        return json_safe(json.dumps(plain(obj), indent=2, ensure_ascii=False))
