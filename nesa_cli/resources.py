"""Files the tool ships: JSON Schemas and Jinja templates.

In a source checkout (editable install) they sit at the top of the
repository; in a wheel they are bundled under ``nesa_cli/_bundled``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    bundled = _HERE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _HERE.parent / name


def schemas_dir() -> Path:
    return _folder("schemas")


def templates_dir() -> Path:
    return _folder("templates")


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """A schema by file name in the tool's schemas/, or by absolute path (a
    plug-in kind's own schema, see nesa_cli.kinds)."""
    path = Path(name)
    return json.loads((path if path.is_absolute() else schemas_dir() / name).read_text(encoding="utf-8"))
