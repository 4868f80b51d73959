"""Meetings: validation rules, listings, agenda pack, calendar."""

from __future__ import annotations

import pytest

import json
import os
import re

from conftest import assert_golden

from typer.testing import CliRunner

from nesa_cli.cli import app
from tests.conftest import edit

runner = CliRunner()


def run(repo, *args):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args])


def golden(name: str, text: str) -> None:
    assert_golden(f"meetings/{name}", text)


@pytest.mark.shared_sample
def test_sample_meetings_validate(sample):
    r = run(sample, "validate")
    assert r.exit_code == 0, r.output
    assert "meeting" not in r.output


@pytest.mark.shared_sample
def test_list_json_matches_library(sample):
    r = run(sample, "meetings", "list", "--json", "--from", "2026-11-23", "--to", "2026-12-07")
    assert r.exit_code == 0, r.output
    ids = [row["id"] for row in json.loads(r.stdout)]
    assert ids == ["2026-11-26-network-sencos", "2026-12-03-partnership-simonside"]


@pytest.mark.shared_sample
def test_unknown_meeting_is_misuse(sample):
    r = run(sample, "agenda", "nope")
    assert r.exit_code == 2


@pytest.mark.shared_sample
def test_agenda_md_golden_and_confidential(sample):
    r = run(sample, "agenda", "2026-12-09-strategic-board")
    assert r.exit_code == 0, r.output
    assert "school causing concern" not in r.stdout
    assert "Matters arising" in r.stdout and "Circulate contribution letters" in r.stdout
    assert "2026-10-14-strategic-board#1" not in r.stdout  # action ids are not for readers
    assert "Declarations of interest" in r.stdout and "Any other business" in r.stdout
    golden("agenda-2026-12-09.md", r.stdout)
    r = run(sample, "agenda", "2026-12-09-strategic-board", "--confidential")
    assert "school causing concern" in r.stdout and "CONFIDENTIAL" in r.stdout


def test_agenda_html_golden_and_escaping(sample):
    edit(sample, "data/meetings/2026-12-09-strategic-board.yaml", "Alliance improvement priorities 2027", "<script>{{ 7*7 }}</script>")
    r = run(sample, "agenda", "2026-12-09-strategic-board", "--format", "html")
    assert r.exit_code == 0, r.output
    assert "&lt;script&gt;{{ 7*7 }}&lt;/script&gt;" in r.stdout and "<script>" not in r.stdout
    assert "size: A4" in r.stdout
    golden("agenda-2026-12-09.html", r.stdout)


@pytest.mark.shared_sample
def test_notice_warning(sample):
    r = run(sample, "agenda", "2026-11-26-network-sencos")
    assert r.exit_code == 0
    assert "7 clear days" in r.stderr
    r = run(sample, "agenda", "2026-12-09-strategic-board")
    assert "clear days" not in r.stderr


@pytest.mark.pdf
@pytest.mark.shared_sample
def test_agenda_pdf_text(sample, tmp_path):
    out = tmp_path / "a.pdf"
    r = run(sample, "agenda", "2026-12-09-strategic-board", "--format", "pdf", "-o", str(out))
    assert r.exit_code == 0, r.output
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Strategic Board" in text and "Any other business" in text
    assert "causing concern" not in text


def _unfold(text: str) -> list[dict]:
    """A tiny independent RFC 5545 reader: unfold lines, collect VEVENT properties."""
    lines = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
    events, cur = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            cur = {}
        elif line == "END:VEVENT":
            events.append(cur)
            cur = None
        elif cur is not None and ":" in line:
            name, _, value = line.partition(":")
            cur[name.split(";")[0]] = (name, value)
    return events


def test_calendar_uid_stable_sequence_and_tz(sample, tmp_path):
    out = tmp_path / "m.ics"
    r = run(sample, "calendar", "-o", str(out))
    assert r.exit_code == 0, r.output
    raw = out.read_bytes().decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\n")
    events = {e["UID"][1]: e for e in _unfold(raw)}
    e = events["sb-2026-12-09@nesa.example.org"]
    assert e["DTSTART"] == ("DTSTART;TZID=Europe/London", "20261209T133000")
    assert e["SEQUENCE"][1] == "1"
    # the meeting moves: same uid, sequence raised by the team
    edit(sample, "data/meetings/2026-12-09-strategic-board.yaml", "sequence: 1", "sequence: 2")
    edit(sample, "data/meetings/2026-12-09-strategic-board.yaml", "date: 2026-12-09", "date: 2026-12-10")
    r = run(sample, "calendar")
    e2 = {e["UID"][1]: e for e in _unfold(r.stdout.replace("\n", "\r\n").replace("\r\r\n", "\r\n"))}["sb-2026-12-09@nesa.example.org"]
    assert e2["SEQUENCE"][1] == "2" and e2["DTSTART"][1] == "20261210T133000"


def test_rules_attendance_people_body(sample):
    p = "data/meetings/2026-10-14-strategic-board.yaml"
    edit(sample, p, "school: 122101, status", "school: 999999, status")
    edit(sample, p, "owner: {team: mpatel}", "owner: {team: nobody}")
    r = run(sample, "validate")
    assert r.exit_code == 1
    assert "[meeting-attendance]" in r.output and "[meeting-person]" in r.output
    edit(sample, "data/meetings/2026-11-26-network-sencos.yaml", "network:sencos", "network:nothing")
    assert "[meeting-body]" in run(sample, "validate").output


def test_templates_list_and_override(sample):
    r = run(sample, "templates", "list", "--json")
    rows = {t["name"]: t for t in json.loads(r.stdout)}
    assert rows["agenda.md.j2"]["source"] == "built-in"
    (sample / "templates").mkdir()
    (sample / "templates" / "agenda.md.j2").write_text("OVERRIDE {{ title }}\n", encoding="utf-8")
    rows = {t["name"]: t for t in json.loads(run(sample, "templates", "list", "--json").stdout)}
    assert rows["agenda.md.j2"]["source"] == "repository" and rows["agenda.md.j2"]["overrides_builtin"]
    assert run(sample, "agenda", "2026-12-09-strategic-board").stdout == "OVERRIDE Strategic Board\n"


def test_templates_copy_then_override_the_pdf(sample, tmp_path):
    """`nesa templates copy` puts the built-in Typst template in the repository,
    where a change to it shows in the next PDF; copying twice or a misspelt
    name is a clear error."""
    pytest.importorskip("typst")
    pypdf = pytest.importorskip("pypdf")
    r = run(sample, "templates", "copy", "agenda.typ")
    assert r.exit_code == 0, r.output
    copied = sample / "templates" / "agenda.typ"
    rows = {t["name"]: t for t in json.loads(run(sample, "templates", "list", "--json").stdout)}
    assert rows["agenda.typ"]["source"] == "repository" and rows["nesa.typ"]["source"] == "built-in"
    copied.write_text(copied.read_text(encoding="utf-8").replace("== Running order", "== Order of business"), encoding="utf-8")
    out = tmp_path / "a.pdf"
    r = run(sample, "agenda", "2026-12-09-strategic-board", "--format", "pdf", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages)
    assert "Order of business" in text and "Running order" not in text
    again = run(sample, "templates", "copy", "agenda.typ")
    assert again.exit_code == 2 and "exists already" in again.stderr
    typo = run(sample, "templates", "copy", "agnda.typ")
    assert typo.exit_code == 2 and "did you mean agenda.typ" in typo.stderr
