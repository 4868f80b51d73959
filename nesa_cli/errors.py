"""One base for the errors a user can fix, mapped to exit codes in one place.

Every library error whose message tells a user what to do derives from
:class:`NesaError` and carries its exit code: 2 when the command was used
wrongly (an unknown school, a bad option value, a path nesa refuses, a git
state that forbids a commit), 1 when the data or an outside party is the
problem (finance figures that cannot be worked out, a digest that could not
be sent). The command-line layer turns any NesaError into
``nesa: error: <message>`` and that exit code (nesa_cli.cli._Group), so a
user's mistake never becomes a traceback even where a command has no
handler of its own. The library never imports Typer.
"""

from __future__ import annotations

MISUSE = 2
DATA_ERRORS = 1


class NesaError(Exception):
    """A problem the user can fix; the message says what to do."""

    exit_code = MISUSE


class UsageError(NesaError):
    """The command was used wrongly (exit 2)."""

    exit_code = MISUSE


class DataError(NesaError):
    """The data, or a party outside nesa (the mail server), stops the command (exit 1)."""

    exit_code = DATA_ERRORS
