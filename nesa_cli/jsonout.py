"""JSON for machines: dates as ISO text, money as exact decimal text."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any


def plain(obj: Any) -> Any:
    """Turn records into JSON-ready values (the same values --json prints)."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = [plain(v) for v in obj]
        return sorted(items) if isinstance(obj, (set, frozenset)) else items
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return plain(obj.as_dict() if hasattr(obj, "as_dict") else dataclasses.asdict(obj))
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(plain(obj), indent=2, ensure_ascii=False)
