"""The `nesa` script imports only the command modules its command line names.

Every top-level command and group must come out the same as with everything
registered; a command line the map does not know loads everything, so Typer's
help and "did you mean" still see every command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.main import get_command

import nesa_cli.cli as cli

TREE = """
import json, sys
import nesa_cli
nesa_cli.LAZY_CLI = True
import nesa_cli.cli as cli
from typer.main import get_command
cli.register(cli.modules_for(sys.argv[1:]))
cmd = get_command(cli.app).commands.get(sys.argv[-1])
print(json.dumps(None if cmd is None else sorted(getattr(cmd, "commands", {}) or [])))
print(json.dumps(sorted(m for m in sys.modules if m.startswith("nesa_cli.cli."))))
"""


def full_tree() -> dict[str, list[str]]:
    return {name: sorted(getattr(c, "commands", {}) or []) for name, c in get_command(cli.app).commands.items()}


def test_the_map_names_every_command():
    assert set(cli.BY_NAME) == set(full_tree())
    assert {m for mods in cli.BY_NAME.values() for m in mods} == set(cli.MODULES)


@pytest.mark.parametrize("name", sorted(cli.BY_NAME))
def test_a_lazy_run_registers_the_whole_command(name):
    out = subprocess.run([sys.executable, "-c", TREE, "--today", "2026-11-23", name],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert json.loads(out[0]) == full_tree()[name]
    loaded = {m.rsplit(".", 1)[1] for m in json.loads(out[1])}
    assert set(cli.BY_NAME[name]) <= loaded
    if name == "status":
        assert not loaded & {"schools", "actions", "invoices", "finance", "meetings", "collab"}


@pytest.mark.parametrize("argv,expected", [
    (["schools", "list"], ("schools",)),
    (["-C", "/tmp/x", "--today", "2026-11-23", "status"], ("status",)),
    (["--data-dir=/tmp/x", "invoices", "list"], ("invoices",)),
    (["--help"], cli.MODULES),
    (["--version"], cli.MODULES),
    ([], cli.MODULES),
    (["schoolz", "list"], cli.MODULES),  # Typer suggests 'schools' only if it knows it
])
def test_modules_for(argv, expected):
    assert cli.modules_for(argv) == expected


def test_the_script_suggests_a_close_command():
    r = subprocess.run([sys.executable, "-m", "nesa_cli", "schoolz", "list"], capture_output=True, text=True)
    assert r.returncode == 2 and "schools" in r.stderr


def test_the_script_ends_with_the_commands_exit_code_and_all_its_output(sample):
    """The console script ends the process as soon as the command is done
    (nesa_cli.entry): the exit code is the command's, and all output arrives."""
    import json

    def nesa(*args, **kw):
        return subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(sample), "--today", "2026-11-23", *args],
                              capture_output=True, text=True, **kw)

    listing = nesa("schools", "list", "--json")
    assert listing.returncode == 0 and len(json.loads(listing.stdout)) >= 30  # the whole text, flushed
    r = nesa("schools", "list", "--sort", "size")
    assert r.returncode == 2 and "--sort" in r.stderr and "name, urn" in r.stderr
    (sample / "data/schools/122101.yaml").write_text("urn: [oops\n", encoding="utf-8")
    r = nesa("validate")
    assert r.returncode == 1 and "122101.yaml" in r.stdout + r.stderr
    # a reader that stops early is no error, and no traceback
    script = f"{sys.executable} -m nesa_cli -C {sample} schools list --json | head -c 10"
    r = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, text=True)
    assert r.returncode == 0 and "Traceback" not in r.stderr
