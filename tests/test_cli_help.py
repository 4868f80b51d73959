"""Help (issue 23): no raw type names, commands in panels by task, an example in every command's help."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from nesa_cli.cli import app
from nesa_cli.cli.helptext import EXAMPLES, PANELS

runner = CliRunner()
# what Typer shows of Python types: <bool>, <list[int]>, <int range> [x>=0], {MEETING}
RAW = re.compile(r"<(bool|int|str|float|text|path|datetime|uuid|list\[[^>]*\]|\w+ range)>|\[x[<>]=?|\{[A-Z_]+\}|\[x>=")


def _paths():
    out = []

    def walk(group, words):
        for name, cmd in sorted(group.commands.items()):
            out.append(words + [name])
            if getattr(cmd, "commands", None):
                walk(cmd, words + [name])

    walk(typer.main.get_command(app), [])
    return out


PATHS = _paths()
LEAVES = [p for p in PATHS if " ".join(p) in EXAMPLES or not any(q[:len(p)] == p and q != p for q in PATHS)]


def _help(words):
    r = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    return r.output


@pytest.mark.parametrize("words", [[]] + PATHS, ids=lambda w: " ".join(w) or "nesa")
def test_help_shows_no_raw_type_names(words):
    text = _help(words)
    assert not RAW.search(text), RAW.search(text).group(0)


@pytest.mark.parametrize("words", LEAVES, ids=" ".join)
def test_every_command_has_an_example(words):
    text = _help(words)
    assert "Example" in text
    line = next(l for l in text.splitlines() if "Example" in l)
    assert "nesa " + " ".join(words) in " ".join(text.split()), line  # the example runs this very command


def test_every_command_has_an_example_listed():
    leaves = {" ".join(p) for p in PATHS if not any(q[:len(p)] == p and q != p for q in PATHS)}
    assert leaves <= set(EXAMPLES), sorted(leaves - set(EXAMPLES))
    assert set(EXAMPLES) <= leaves, sorted(set(EXAMPLES) - leaves)  # no example for a command that is gone


def test_top_level_commands_are_in_panels_by_task():
    text = _help([])
    for panel in PANELS:
        assert f"─ {panel} " in text
    top = {p[0] for p in PATHS}
    placed = {name for names in PANELS.values() for name in names}
    assert top <= placed, sorted(top - placed)
    assert "╭─ Commands " not in text  # nothing left in one flat list


def test_flags_and_ranges_show_no_types():
    text = _help(["schools", "list"])
    assert "<bool>" not in text and "--json" in text
