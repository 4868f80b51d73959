"""Errors a user can fix share one base and become exit codes in one place."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from typer.testing import CliRunner

import nesa_cli
from nesa_cli.cli import app
from nesa_cli.errors import DataError, NesaError, UsageError

# Exceptions that never reach a user as such: turned into diagnostics, or into
# a RenderError by the renderer, inside the library.
INTERNAL = {"Unreadable", "TemplateLimit", "TemplateRefused", "Refused", "Unusual"}  # Unusual: store.gitlog hands over to store.git


def library_errors():
    for info in pkgutil.walk_packages(nesa_cli.__path__, "nesa_cli."):
        if info.name.startswith("nesa_cli.cli") or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__ == module.__name__:
                yield name, obj


def test_every_library_error_a_user_can_meet_derives_from_one_base():
    found = dict(library_errors())
    assert {"EditError", "NotFound", "UnsafePath", "FinanceError", "SendError", "RevisionError"} <= set(found)
    stray = sorted(n for n, cls in found.items() if n not in INTERNAL and not issubclass(cls, NesaError))
    assert stray == [], f"errors outside nesa_cli.errors.NesaError: {stray}"
    assert issubclass(found["FinanceError"], DataError) and issubclass(found["NotFound"], UsageError)


@pytest.mark.parametrize("error, code", [(UsageError("no school 999999"), 2), (DataError("the server said 554"), 1)])
def test_the_command_line_maps_any_nesa_error_to_its_exit_code(error, code, monkeypatch):

    @app.command("raise-for-test", hidden=True)
    def _raise() -> None:
        raise error

    try:
        r = CliRunner().invoke(app, ["raise-for-test"])
    finally:
        app.registered_commands[:] = [c for c in app.registered_commands if c.name != "raise-for-test"]
    assert r.exit_code == code
    assert f"nesa: error: {error}" in r.output and "Traceback" not in r.output
