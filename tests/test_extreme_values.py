"""Extreme values never end in a traceback (hardening class 6).

A property test puts extreme values (integers past Python's 4,300-digit
limit, huge decimals, long text, line breaks, control and unusual Unicode
characters) into the numeric and text fields of the sample alliance and runs
validate and the main read and render commands: each exits 0, 1 or 2 with a
message, never a Python traceback. Explicit tests follow for every case
found: schema maxima, over-long numbers in YAML, dates at the calendar's
ends, non-ASCII SMTP logins, a read-only checkout, ``-o`` into a missing
folder or onto a folder, templates that loop or grow without end.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nesa_cli.cli import app

MEETING = "data/meetings/2026-12-09-strategic-board.yaml"
SCHOOL = "data/schools/122136.yaml"
INVOICE = "data/finance/invoices/NESA-2025-0001.yaml"
YEAR = "data/finance/2025-26.yaml"
# (file, key as it opens its line): numeric and text fields the commands read
NUMERIC = [
    (SCHOOL, "capacity"), (SCHOOL, "    count"), (MEETING, "sequence"), (MEETING, "    minutes"),
    (INVOICE, "    quantity"), (YEAR, "payment_terms_days"), ("data/alliance.yaml", "financial_year_start_month"),
]
TEXT = [
    ("data/alliance.yaml", "name"), (SCHOOL, "name"), (SCHOOL, "phone"), (MEETING, "venue"),
    (INVOICE, "  name"), (YEAR, "  base"), (INVOICE, "    unit_price"), (YEAR, "  per_pupil"),
]
COMMANDS = [
    ["validate"], ["calendar"], ["contacts", "--format", "csv"], ["agenda", "2026-12-09-strategic-board"],
    ["agenda", "2026-12-09-strategic-board", "--format", "html"], ["invoices", "list"], ["invoices", "show", "NESA-2025-0001"],
    ["finance", "contributions", "2025-26"], ["status"], ["schools", "show", "122136"], ["meetings", "list", "--json"],
    ["policies", "due"], ["digest"],
]


def cli(repo: Path, *args: str, today: str = "2026-11-23", **kw):
    return CliRunner().invoke(app, ["-C", str(repo), "--today", today, *args], **kw)


def no_traceback(r) -> None:
    assert r.exit_code in (0, 1, 2), (r.exit_code, r.output)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output


def set_value(repo: Path, rel: str, key: str, text: str) -> str:
    """Replace the first ``key: ...`` line's value; returns the old file text."""
    p = repo / rel
    old = p.read_text(encoding="utf-8")
    new, n = re.subn(rf"^({re.escape(key)}|{re.escape(key[:-2])}- {re.escape(key.strip())}): .*$",
                     lambda m: f"{m.group(1)}: {text}", old, count=1, flags=re.M)
    assert n == 1, (rel, key)
    p.write_text(new, encoding="utf-8")
    return old


@pytest.fixture(scope="module")
def alliance(tmp_path_factory):
    from tests.conftest import PROJECT, make_repo

    return make_repo(tmp_path_factory.mktemp("extreme") / "sample", PROJECT)


huge_ints = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from([str(2**31), str(2**63), "1" + "0" * 26, "1" + "0" * 4300, "9" * 5000, "-" + "1" * 4302]),
)
huge_decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["1" * 200 + ".5", "0." + "0" * 400 + "1", "9" * 99 + ".9"]),
)
odd_text = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["A\nX-INJECT: yes", "A\r\nB", "\x1b[31mred", "\u202eevil", "\u2028line", "\U0001F3EB school",
                     "x" * 20000, "{{ 7*7 }}", "=cmd|' /C calc'!A0", "'", "\x00"]),
).map(json.dumps)  # a JSON string is a YAML double-quoted scalar
value = st.one_of(huge_ints, huge_decimals, odd_text)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(NUMERIC + TEXT), text=value, command=st.sampled_from(COMMANDS))
def test_extreme_value_in_any_field_is_no_traceback(alliance, field, text, command):
    rel, key = field
    old = set_value(alliance, rel, key, text)
    try:
        no_traceback(cli(alliance, "validate"))
        no_traceback(cli(alliance, *command))
    finally:
        (alliance / rel).write_text(old, encoding="utf-8")


# --- explicit cases ---------------------------------------------------------------------------


def test_overlong_integer_refused_at_its_place():
    from nesa_cli.load import load_bytes

    doc = load_bytes("data/x.yaml", b"kind: x\nn:\n  - " + b"7" * 4301 + b"\n")
    assert doc.data is None
    [p] = doc.problems
    assert (p.line, p.col, p.rule) == (3, 5, "yaml-number-too-long")


@pytest.mark.parametrize("field,text", [
    ((SCHOOL, "    count"), "100000000000000000000000000"),
    ((SCHOOL, "    count"), "9" * 5000),
    ((SCHOOL, "capacity"), "20001"),
    ((INVOICE, "    quantity"), "1" + "0" * 30),
    ((INVOICE, "    quantity"), "1000000.5"),
    ((MEETING, "sequence"), str(2**31 + 1)),
])
def test_schema_maxima(alliance, field, text):
    rel, key = field
    old = set_value(alliance, rel, key, text)
    try:
        r = cli(alliance, "validate")
        assert r.exit_code == 1 and re.search(r"at most|may have at most", r.output), r.output
        for command in (["finance", "contributions", "2025-26"], ["invoices", "render", "NESA-2025-0001", "-o", str(alliance / "out")],
                        ["calendar"], ["invoices", "list"]):
            no_traceback(cli(alliance, *command))
    finally:
        (alliance / rel).write_text(old, encoding="utf-8")


def test_line_break_in_alliance_name_stays_in_one_calendar_line(alliance):
    old = set_value(alliance, "data/alliance.yaml", "name", json.dumps("Alliance\nX-INJECT: yes\r\nBEGIN:VEVENT"))
    try:
        r = cli(alliance, "calendar")
        no_traceback(r)
        assert not any(line.startswith(("X-INJECT", "BEGIN:VEVENT\r")) and "X-INJECT" in line for line in r.output.split("\r\n"))
        assert "\r\nX-INJECT" not in r.output
    finally:
        (alliance / "data/alliance.yaml").write_text(old, encoding="utf-8")


@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("command", [["status"], ["policies", "due"], ["digest"], ["invoices", "list"], ["calendar"],
                                     ["agenda", "2026-12-09-strategic-board"], ["finance", "contributions", "2025-26"]])
def test_today_at_the_calendars_ends(alliance, today, command):
    no_traceback(cli(alliance, *command, today=today))


@pytest.mark.parametrize("args", [
    ["digest", "--since", "99999999d"], ["digest", "--since", "9" * 30 + "y"], ["status", "--within", "999999999"],
    ["policies", "due", "--within", "99999999y"], ["policies", "due", "--within", "9" * 5000 + "d"],
])
def test_windows_past_the_calendars_ends_are_clamped(alliance, args):
    r = cli(alliance, *args)
    no_traceback(r)
    assert r.exit_code == 0, r.output


def test_date_shift_saturates():
    from datetime import date, timedelta

    from nesa_cli.dates import add_months, parse_duration, shift

    assert shift(date(9999, 12, 1), 60) == date.max and shift(date(1, 1, 5), -60) == date.min
    assert shift(date.max, timedelta(days=999999999)) == date.max and shift(date(2025, 1, 1), 10**30) == date.max
    assert add_months(date(9999, 11, 30), 60) == date.max and add_months(date(1, 2, 1), -60) == date.min
    assert parse_duration("9" * 40 + "y") == timedelta(days=(date.max - date.min).days)


@pytest.mark.parametrize("var,value", [("NESA_SMTP_USER", "bénédicte"), ("NESA_SMTP_PASSWORD", "pässwörd-SECRET"),
                                       ("NESA_SMTP_PASSWORD", "line\nbreak-SECRET"), ("NESA_SMTP_HOST", "smtp.exämple.org")])
def test_non_ascii_smtp_login_is_a_clear_error(alliance, var, value):
    env = {"NESA_SMTP_HOST": "127.0.0.1", "NESA_SMTP_PORT": "1", "NESA_SMTP_SECURITY": "none", "NESA_SMTP_FROM": "a@b.example.org",
           "NESA_SMTP_USER": "bot", "NESA_SMTP_PASSWORD": "pw", var: value}
    r = cli(alliance, "digest", "--send", env=env)
    no_traceback(r)
    assert r.exit_code == 2 and var in r.stderr
    assert "SECRET" not in r.output and "pässwörd" not in r.output


@pytest.fixture
def read_only(monkeypatch):
    """Make every folder under ``root`` behave as a read-only file system (EROFS)."""
    roots: list[str] = []
    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir

    def refuse(path):
        full = os.path.abspath(os.fspath(path))
        if any(full == r or full.startswith(r + os.sep) for r in roots):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    def fake_open(file, mode="r", *a, **kw):
        if isinstance(file, (str, bytes, os.PathLike)) and any(c in mode for c in "wax+"):
            refuse(file)
        return real_open(file, mode, *a, **kw)

    def fake_os_open(path, flags, *a, **kw):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_os_open(path, flags, *a, **kw)

    def fake_mkdir(path, *a, **kw):
        refuse(path)
        return real_mkdir(path, *a, **kw)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)
    return lambda root: roots.append(os.path.abspath(root))


@pytest.mark.parametrize("args", [
    ["meetings", "new", "--body", "strategic-board", "--date", "2027-06-09", "--start", "13:30", "--end", "15:00"],
    ["invoices", "pay", "NESA-2025-0001", "--date", "2025-08-01"],
    ["invoices", "issue", "2026-27"],
    ["partnerships", "propose", "--write", "--id", "ro-test"],
])
def test_read_only_checkout_is_a_clear_error(repo_copy, read_only, args):
    read_only(repo_copy)
    r = cli(repo_copy, *args)
    no_traceback(r)
    assert r.exit_code == 2 and "cannot write" in r.stderr and "Read-only file system" in r.stderr, r.output


@pytest.mark.parametrize("args", [
    ["agenda", "2026-12-09-strategic-board", "-o", "{out}"], ["agenda", "2026-12-09-strategic-board", "--format", "html", "-o", "{out}"],
    ["contacts", "--format", "csv", "-o", "{out}"], ["calendar", "-o", "{out}"], ["digest", "--html", "{out}"],
    ["equity", "--plot", "{out}"],
])
@pytest.mark.parametrize("where", ["missing", "folder", "read-only"])
def test_output_file_checks(alliance, tmp_path, read_only, args, where):
    out = {"missing": tmp_path / "no" / "such" / "x.out", "folder": tmp_path, "read-only": tmp_path / "ro" / "x.out"}[where]
    if where == "read-only":
        out.parent.mkdir()
        read_only(out.parent)
    r = cli(alliance, *[a.format(out=out) for a in args])
    no_traceback(r)
    assert r.exit_code == 2, r.output
    assert str(out if where != "missing" else out.parent) in r.stderr


@pytest.mark.parametrize("where", ["file", "read-only"])
def test_invoice_folder_checks(alliance, tmp_path, read_only, where):
    out = tmp_path / "x"
    if where == "file":
        out.write_text("")
    else:
        read_only(tmp_path)
    r = cli(alliance, "invoices", "render", "--all", "-o", str(out))
    no_traceback(r)
    assert r.exit_code == 2 and str(out) in r.stderr, r.output


@pytest.fixture
def repo_copy(tmp_path):
    from tests.conftest import PROJECT, make_repo

    return make_repo(tmp_path / "sample", PROJECT)


LOOPS = {
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested output": "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
    "macro calls itself": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "macro tree": "{% macro f(n) %}{% if n < 40 %}{{ f(n+1) }}{{ f(n+1) }}{% endif %}{% endmacro %}{{ f(0) }}",
    "recursive loop": "{% for x in [1] recursive %}{{ loop([1, 2]) }}{% endfor %}",
    "deep recursive loop": "{% for x in range(10) recursive %}{% if loop.depth < 12 %}{{ loop(range(10)) }}{% endif %}{% endfor %}",
    "includes itself": "{% include 'agenda.md.j2' %}",
    "string repeat": "{{ 'x' * 1000000000 }}",
    "list repeat": "{{ ([1] * 1000000000)|length }}",
    "power": "{{ 2 ** 1000000000 }}",
    "squaring": "{% set ns = namespace(n=7) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n }}",
    "percent width": "{{ '%999999999d' % 1 }}",
    "format width": "{{ '{:>999999999}'.format(1) }}",
    "format filter": "{{ '%999999999s'|format('x') }}",
    "center filter": "{{ 'x'|center(1000000000) }}",
    "center method": "{{ 'x'.center(1000000000) }}",
    "doubling ~": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "doubling +": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "set block": "{% set x %}{% for i in range(100000) %}{% for j in range(1000) %}{{ 'y' * 1000 }}{% endfor %}{% endfor %}{% endset %}",
    "join in loop": "{% for i in range(100000) %}{{ range(100000)|join }}{% endfor %}",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LOOPS))
def test_template_that_loops_or_grows_is_stopped(repo_copy, monkeypatch, name):
    from nesa_cli.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_STEPS", 2_000_000)  # the default is five times this; the test only needs it to end
    (repo_copy / "templates").mkdir(exist_ok=True)
    (repo_copy / "templates" / "agenda.md.j2").write_text(LOOPS[name], encoding="utf-8")
    r = cli(repo_copy, "agenda", "2026-12-09-strategic-board")
    no_traceback(r)
    assert r.exit_code == 2 and "template agenda.md.j2" in r.stderr and re.search(r"too large|loops", r.stderr), r.stderr
    assert len(r.stdout) < 1000


def test_bounds_leave_real_documents_alone(alliance):
    """The sample's documents stay far inside the bounds (steps measured, not time)."""
    from nesa_cli import render
    from nesa_cli.render import sandbox

    envs = []
    original = render.environment

    def counting(root=None):
        envs.append(original(root))
        return envs[-1]

    import unittest.mock as mock

    with mock.patch.object(render, "environment", counting):
        for args in (["contacts"], ["agenda", "2026-12-09-strategic-board", "--format", "html"], ["digest"]):
            assert cli(alliance, *args).exit_code == 0
    assert max(e.steps for e in envs) * 1000 < sandbox.MAX_STEPS
    assert max(e.emitted for e in envs) * 100 < sandbox.MAX_OUTPUT


@pytest.mark.parametrize("target", ["/dev/null/alliance", "/proc/nesa-cannot-be-made"])
def test_init_where_nothing_can_be_written(target):
    r = CliRunner().invoke(app, ["init", target, "--name", "Test Schools Alliance", "--short", "TSA", "--la", "929"])
    no_traceback(r)
    assert r.exit_code == 2 and f"cannot write {target}" in r.stderr, r.output
