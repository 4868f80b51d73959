"""Progress (issue 23): the library reports steps through a plain callback; the
command line draws them with rich on a terminal only, never in pipes or CI."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from conftest import PROJECT, Memory, snapshot
from nesa_cli import progress
from nesa_cli.cli.progress import AFTER, Display, wanted
from nesa_cli.store.cache import Cache
from nesa_cli.validate.run import CHECKING, READING, load



def test_a_load_reports_every_file_and_the_rules():
    steps = []
    with progress.use(lambda stage, done, total: steps.append((stage, done, total))):
        result = load(Memory(snapshot(PROJECT, "*.yaml")), cache=Cache(None))
    reading = [s for s in steps if s[0] == READING]
    n = len(result.documents)
    assert reading[0] == (READING, 0, n) and reading[-1] == (READING, n, n)
    dones = [d for _, d, _ in reading]
    assert dones == sorted(dones)  # never backwards
    assert (CHECKING, 1, 1) in steps
    assert progress._sink is None  # removed afterwards


def test_no_callback_no_cost():
    assert progress._sink is None
    progress.step(READING, 1, 2)  # nothing installed: nothing happens


class Tty(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("stream,env,expected", [
    (Tty(), {}, True),
    (Tty(), {"CI": "true"}, False),
    (Tty(), {"CI": ""}, False),  # set at all
    (Tty(), {"TERM": "dumb"}, False),
    (io.StringIO(), {}, False),  # a pipe or a file
])
def test_shown_only_on_a_terminal_outside_ci(stream, env, expected):
    assert wanted(stream, env) is expected


def _console(out):
    from rich.console import Console

    return Console(file=out, force_terminal=True, width=80)


def test_nothing_is_drawn_for_short_work():
    out, now = io.StringIO(), [0.0]
    d = Display(console=_console(out), clock=lambda: now[0])
    for i in range(100):
        now[0] = i * (AFTER / 200)
        d(READING, i, 100)
    d(READING, 100, 100)
    assert out.getvalue() == "" and d.bar is None


def test_long_work_is_drawn_then_cleared():
    out, now = io.StringIO(), [0.0]
    d = Display(console=_console(out), clock=lambda: now[0])
    for i in range(0, 5001, 50):
        now[0] = i / 1000
        d(READING, i, 5000)
        if 0 < i < 5000 and now[0] > AFTER + 0.2:
            assert d.bar is not None
    assert "Reading files" in out.getvalue()
    assert d.bar is None  # done: removed before the command prints


def test_the_library_imports_no_rich():
    code = "import sys, nesa_cli.progress, nesa_cli.validate.run; print(any(m.split('.')[0] in ('rich', 'typer') for m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "False", r.stderr


def test_a_piped_run_prints_no_progress(tmp_path):
    r = subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(PROJECT), "validate"], capture_output=True, text=True)
    assert "Reading files" not in r.stderr and "\x1b[" not in r.stderr


def test_the_gias_reader_reports_its_rows(tmp_path):
    """A GIAS file of 50,000 rows takes seconds to read: its rows are steps too."""
    from nesa_cli.gias import COLUMNS, read

    lines = [",".join(f'"{c}"' for c in COLUMNS)]
    for i in range(5000):
        row = {c: "" for c in COLUMNS}
        row.update({"URN": str(100000 + i), "LA (code)": "929", "EstablishmentName": f"School {i}"})
        lines.append(",".join(f'"{row[c]}"' for c in COLUMNS))
    path = tmp_path / "edubasealldata.csv"
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    steps = []
    with progress.use(lambda stage, done, total: steps.append((stage, done, total))):
        extract = read(path, keep=lambda urn, la: False)
    assert extract.rows == 5000
    rows = [s for s in steps if s[0] == "Reading GIAS rows"]
    assert len(rows) == 2 and all(total == 5001 for _, _, total in rows)
    assert [d for _, d, _ in rows] == sorted(d for _, d, _ in rows)
