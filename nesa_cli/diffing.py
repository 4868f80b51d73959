"""Kept for older imports: see :mod:`nesa_cli.changes`."""

from nesa_cli.changes.render import markdown, text  # noqa: F401
from nesa_cli.changes.summarise import area_title  # noqa: F401
from nesa_cli.changes.walk import Unreadable, commit_changes, diff, grouped  # noqa: F401
from nesa_cli.changes.describe import Change, FileChange  # noqa: F401
