"""Finding the data repository."""

from __future__ import annotations

import os
from pathlib import Path
from nesa_cli.errors import UsageError

DATA_DIR = "data"
MARKER = "data/alliance.yaml"


class RepositoryNotFound(UsageError):
    """No alliance data repository where one was expected."""


def find_root(start: Path | None = None, explicit: str | os.PathLike | None = None) -> Path:
    """The repository root: ``explicit`` (``--data-dir``), else ``$NESA_DATA_DIR``,
    else the nearest folder at or above ``start`` holding ``data/alliance.yaml``.

    ``explicit`` may name the repository root or its ``data/`` folder.
    """
    if explicit is None:
        explicit = os.environ.get("NESA_DATA_DIR") or None
    if explicit is not None:
        root = Path(explicit).expanduser().resolve()
        if (root / MARKER).is_file():
            return root
        if root.name == DATA_DIR and (root / "alliance.yaml").is_file():
            return root.parent
        raise RepositoryNotFound(f"{root} is not an alliance data repository (no {MARKER} there)")
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise RepositoryNotFound(
        f"no alliance data repository at or above {here} (looked for {MARKER}); "
        "run nesa inside one, or pass --data-dir / set NESA_DATA_DIR"
    )
