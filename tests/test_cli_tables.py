"""Tables at 80 columns (issue 23): columns chosen by width, cells cut with an
ellipsis and never wrapped, --wide for all, a pager only on a terminal, colour
that honours NO_COLOR."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PROJECT, make_repo
from nesa_cli.cli import app, common, tables
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
LISTINGS = [("schools", "list"), ("policies", "due"), ("invoices", "list"), ("membership", "report", "--by", "year"),
            ("people", "find", "a"), ("networks", "list"), ("meetings", "list"), ("engagement",)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("tables") / "sample", PROJECT)


@pytest.fixture(autouse=True)
def _reset():
    yield
    common.OPTIONS.wide = common.OPTIONS.no_pager = False


def nesa(root, *args, columns=80, env=None):
    import os

    full = dict(os.environ, COLUMNS=str(columns), NESA_TODAY="2026-11-23", **(env or {}))
    return subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(root), *args], capture_output=True, text=True, env=full)


def _names(sample):
    return sorted(s.name for s in load(WorkingTree(sample)).model.schools.values())


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
@pytest.mark.shared_sample
def test_80_columns_no_line_wider_and_no_name_wrapped(sample, command):
    r = nesa(sample, *command)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert all(len(ln) <= 80 for ln in lines), max(lines, key=len)
    names = _names(sample)
    for ln in lines:
        for name in names:
            words = name.split()
            # a wrapped name shows its tail alone at the start of a cell: "School" on a line of its own
            if len(words) > 2:
                tail = " ".join(words[-2:])
                assert not ln.strip().startswith(tail) or name in ln, ln


@pytest.mark.shared_sample
def test_schools_list_shows_whole_names_at_80(sample):
    r = nesa(sample, "schools", "list")
    for name in _names(sample):
        assert name in r.stdout or (name[:30] in r.stdout and "…" in r.stdout)


@pytest.mark.shared_sample
def test_wide_shows_every_column(sample):
    narrow, wide = nesa(sample, "schools", "list"), nesa(sample, "schools", "list", "--wide")
    assert "left out to fit" in narrow.stdout and "--wide" in narrow.stdout
    assert "left out" not in wide.stdout and "Headteacher" in wide.stdout.splitlines()[1]
    assert "…" not in wide.stdout


@settings(max_examples=200, deadline=None)
@given(headings=st.lists(st.text("abcdefgh", min_size=1, max_size=12), min_size=1, max_size=8),
       data=st.data(), room=st.integers(min_value=20, max_value=200))
def test_fit_never_exceeds_the_room(headings, data, room):
    rows = data.draw(st.lists(st.lists(st.text("xyz ", max_size=60), min_size=len(headings), max_size=len(headings)), max_size=6))
    shown, widths = tables.fit(headings, rows, room)
    assert shown and shown == sorted(shown)
    natural0 = max([len(headings[shown[0]])] + [len(r[shown[0]]) for r in rows])
    if len(shown) > 1 or natural0 <= room:
        assert sum(widths) + 2 * (len(widths) - 1) <= room
    for i, w in zip(shown, widths):
        for r in rows:
            cell = tables.cut(r[i], w)
            assert len(cell) <= w and (cell == r[i] or cell.endswith("…"))


def _tty_table(monkeypatch, listing, env):
    from nesa_cli.cli import output

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    buf = io.StringIO()
    buf.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdout", buf)
    monkeypatch.setattr(output, "_is_tty", lambda: True)
    output.table(listing)
    return buf.getvalue()


def _long_listing():
    from nesa_cli.tabular import Listing

    rows = [{"urn": 100000 + i, "name": "Long Name Church of England Voluntary Aided First School", "status": "withdrawn" if i % 2 else "overdue"} for i in range(60)]
    return Listing(columns=[("urn", "URN"), ("name", "School"), ("status", "Status")], rows=rows, title="t")


def test_terminal_table_fits_colours_and_no_color(monkeypatch):
    text = _tty_table(monkeypatch, _long_listing(), {"COLUMNS": "60", "NESA_PAGER": "cat", "TERM": "xterm-256color"})
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert all(len(ln) <= 60 for ln in plain.splitlines())
    assert "\x1b[" in text  # overdue and withdrawn marked
    monkeypatch.setenv("NO_COLOR", "1")
    text = _tty_table(monkeypatch, _long_listing(), {"COLUMNS": "60", "NESA_PAGER": "cat"})
    assert not re.search(r"\x1b\[(3[0-9]|9[0-9])", text)  # no colour


def test_pager_on_a_terminal_only(monkeypatch, tmp_path):
    from nesa_cli.cli import pager

    seen = tmp_path / "paged.txt"
    script = tmp_path / "pager.sh"
    script.write_text(f"#!/bin/sh\ncat > {seen}\n")
    script.chmod(0o755)
    monkeypatch.delenv("CI", raising=False)
    _tty_table(monkeypatch, _long_listing(), {"COLUMNS": "80", "NESA_PAGER": str(script), "LINES": "20"})
    assert seen.exists() and "Long Name" in seen.read_text()
    seen.unlink()
    monkeypatch.setenv("CI", "true")
    _tty_table(monkeypatch, _long_listing(), {"COLUMNS": "80", "NESA_PAGER": str(script), "LINES": "20"})
    assert not seen.exists()
    monkeypatch.delenv("CI")
    common.OPTIONS.no_pager = True
    _tty_table(monkeypatch, _long_listing(), {"COLUMNS": "80", "NESA_PAGER": str(script), "LINES": "20"})
    assert not seen.exists()
    assert pager.command() is None


@pytest.mark.shared_sample
def test_no_pager_in_a_pipe(sample, tmp_path):
    script = tmp_path / "pager.sh"
    script.write_text(f"#!/bin/sh\ntouch {tmp_path / 'ran'}\ncat\n")
    script.chmod(0o755)
    r = nesa(sample, "policies", "due", env={"PAGER": str(script)})
    assert r.returncode == 0 and not (tmp_path / "ran").exists()


def test_diagnostics_coloured_on_a_terminal_only(monkeypatch):
    from nesa_cli.diagnostics import Diagnostic

    diags = [Diagnostic("data/x.yaml", 1, 1, "error", "r", "bad \x1b[2J"), Diagnostic("data/x.yaml", 2, 1, "warning", "r", "hm")]
    buf = io.StringIO()
    buf.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdout", buf)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    common.print_diagnostics(diags, "text")
    out = buf.getvalue()
    assert "\x1b[31merror\x1b[0m" in out and "\x1b[33mwarning\x1b[0m" in out
    assert "\x1b[2J" not in out  # data's own control characters still shown as escapes
    buf.seek(0), buf.truncate()
    monkeypatch.setenv("NO_COLOR", "")
    common.print_diagnostics(diags, "text")
    assert "\x1b[3" not in buf.getvalue()
