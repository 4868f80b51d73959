"""nesa calendar as calendar clients read it: VTIMEZONE, SEQUENCE from the
history, DTSTAMP, DESCRIPTION, ORGANIZER; parsed by icalendar and by a second,
independent parser."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from conftest import assert_golden, commit_at, edit, git
from nesa_cli.cli import app

runner = CliRunner()
NOW = "2026-11-23T09:15:00Z"
SB = "data/meetings/2026-12-09-strategic-board.yaml"
UID = "sb-2026-12-09@nesa.example.org"


def run(repo, *args, now=NOW):
    env = {"NESA_NOW": now} if now else {}
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], env=env)


def ics(repo, *args, now=NOW) -> str:
    r = run(repo, "calendar", *args, now=now)
    assert r.exit_code == 0, r.output
    return r.stdout


def calendar(repo, *args):
    from icalendar import Calendar

    return Calendar.from_ical(ics(repo, *args))


def event(repo, uid=UID, *args):
    return next(e for e in calendar(repo, *args).walk("VEVENT") if str(e["UID"]) == uid)


@pytest.mark.shared_sample
def test_vtimezone_present_for_every_tzid(sample):
    cal = calendar(sample)
    assert cal.get_missing_tzids() == set()
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    starts = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    assert starts and all(str(s.tzinfo) == "Europe/London" for s in starts)


def test_vtimezone_matches_the_tz_database_1996_to_2060():
    """The VTIMEZONE written from the rule gives the same UTC offset as
    zoneinfo's Europe/London at every hour around each change and at noon of every day."""
    from nesa_cli.meetings.calendar import london_vtimezone

    mine = london_vtimezone().to_tz()
    real = ZoneInfo("Europe/London")
    day = datetime(1996, 1, 1)
    while day.year <= 2060:
        hours = (0, 1, 2, 3, 12) if day.month in (3, 10) and day.day >= 25 and day.weekday() == 6 else (12,)
        for h in hours:
            local = day.replace(hour=h, minute=30)
            assert local.replace(tzinfo=mine).utcoffset() == local.replace(tzinfo=real).utcoffset(), local
        day += timedelta(days=1)


@pytest.mark.shared_sample
def test_summer_and_winter_meetings_in_utc(sample):
    """13:30 on 9 December is 13:30 UTC (GMT); 18 June 2026 16:00 is 15:00 UTC (BST)."""
    cal = calendar(sample)
    by_uid = {str(e["UID"]): e.decoded("DTSTART").astimezone(timezone.utc) for e in cal.walk("VEVENT")}
    assert by_uid[UID] == datetime(2026, 12, 9, 13, 30, tzinfo=timezone.utc)
    summer = [e for e in cal.walk("VEVENT") if e.decoded("DTSTART").month == 6]
    assert summer and all(e.decoded("DTSTART").utcoffset() == timedelta(hours=1) for e in summer)


def test_sequence_counts_moves_in_the_history(sample):
    edit(sample, SB, "sequence: 1\n", "")  # no hand-kept number: the history alone
    commit_at(sample, "2026-11-01", "No hand-kept sequence")
    assert event(sample)["SEQUENCE"] == 0
    # moved: the file renamed to the new date, the uid kept
    git(sample, "mv", SB, "data/meetings/2026-12-10-strategic-board.yaml")
    moved = "data/meetings/2026-12-10-strategic-board.yaml"
    edit(sample, moved, "date: 2026-12-09", "date: 2026-12-10")
    edit(sample, moved, "id: 2026-12-09-strategic-board", "id: 2026-12-10-strategic-board")
    assert event(sample)["SEQUENCE"] == 1  # not yet committed: counts already
    commit_at(sample, "2026-11-02", "Move the December board")
    assert event(sample)["SEQUENCE"] == 1  # committing it does not count twice
    edit(sample, moved, "venue: Morpeth Town Hall, Committee Room 2", "venue: County Hall, Morpeth")
    commit_at(sample, "2026-11-03", "New venue")
    edit(sample, moved, "title: Bulk-buying update", "title: Bulk buying update")
    commit_at(sample, "2026-11-04", "An agenda title: not a change of time or place")
    edit(sample, moved, 'start: "13:30"', 'start: "14:00"')
    commit_at(sample, "2026-11-05", "Later start")
    ev = event(sample)
    assert ev["SEQUENCE"] == 3
    assert ev.decoded("DTSTART") == datetime(2026, 12, 10, 14, 0, tzinfo=ZoneInfo("Europe/London"))
    # as committed on an earlier day: the count then
    assert event(sample, UID, "--at", "2026-11-03")["SEQUENCE"] == 2
    # a cancellation is a change too
    edit(sample, moved, "venue: County Hall, Morpeth", "venue: County Hall, Morpeth\ncancelled: true")
    ev = event(sample)
    assert ev["SEQUENCE"] == 4 and ev["STATUS"] == "CANCELLED"


def test_hand_set_sequence_is_a_floor(sample):
    edit(sample, SB, "sequence: 1", "sequence: 7")
    assert event(sample)["SEQUENCE"] == 7


def test_shallow_clone_warns_and_keeps_the_hand_set_number(sample, tmp_path):
    edit(sample, SB, "date: 2026-12-09", "date: 2026-12-10")
    commit_at(sample, "2026-11-02", "Move")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{sample}", str(clone))
    r = run(clone, "calendar")
    assert r.exit_code == 0
    assert "shallow clone" in r.stderr
    assert re.search(r"UID:sb-2026-12-09@nesa.example.org\r?\nSEQUENCE:1\r?\n", r.stdout)  # the file's own number


@pytest.mark.shared_sample
def test_dtstamp_is_the_time_of_making(sample):
    assert event(sample).decoded("DTSTAMP") == datetime(2026, 11, 23, 9, 15, tzinfo=timezone.utc)
    assert "DTSTAMP:20261124T080000Z" in ics(sample, now="2026-11-24T08:00:00+00:00")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    text = ics(sample, now=None)
    stamp = datetime.strptime(re.search(r"DTSTAMP:(\d{8}T\d{6})Z", text).group(1), "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    assert before <= stamp <= datetime.now(timezone.utc)
    r = run(sample, "calendar", now="yesterday")
    assert r.exit_code == 2 and "NESA_NOW" in r.stderr and "yesterday" not in r.stderr


@pytest.mark.shared_sample
def test_description_has_the_agenda_without_confidential_items(sample):
    text = str(event(sample)["DESCRIPTION"])
    assert text.splitlines()[0] == "Agenda:"
    assert "1. Alliance improvement priorities 2027 - for discussion (Rachel Hall)" in text
    assert "Model policy approvals (SEND, attendance)" in text
    assert "causing concern" not in text


@pytest.mark.shared_sample
def test_organizer_is_the_clerk_or_the_central_team(sample):
    org = event(sample)["ORGANIZER"]
    assert str(org) == "mailto:siobhan.brennan@nesa.example.org" and org.params["CN"] == "Siobhan Brennan"
    sencos = next(e for e in calendar(sample).walk("VEVENT") if "SENCO" in str(e["SUMMARY"]))
    assert str(sencos["ORGANIZER"]) == "mailto:nesa@example.org"
    assert sencos["ORGANIZER"].params["CN"] == "NESA central team"


def test_uid_stable_across_runs_and_days(sample):
    a = [str(e["UID"]) for e in calendar(sample).walk("VEVENT")]
    edit(sample, SB, "date: 2026-12-09", "date: 2026-12-11")
    b = [str(e["UID"]) for e in calendar(sample).walk("VEVENT")]
    assert sorted(a) == sorted(b) and UID in b and len(set(b)) == len(b)


@pytest.mark.shared_sample
def test_second_parser_ics(sample):
    """The ``ics`` package (its own grammar, not icalendar) reads every event with the right times."""
    ics_lib = pytest.importorskip("ics")
    cal = ics_lib.Calendar(ics(sample))
    events = {e.uid: e for e in cal.events}
    assert len(events) == len(calendar(sample).walk("VEVENT"))
    e = events[UID]
    assert e.begin.datetime.astimezone(timezone.utc) == datetime(2026, 12, 9, 13, 30, tzinfo=timezone.utc)
    assert "Alliance improvement priorities 2027" in e.description
    assert e.location == "Morpeth Town Hall, Committee Room 2"
    assert "siobhan.brennan@nesa.example.org" in str(e.organizer)


@pytest.mark.shared_sample
def test_second_parser_vobject(sample):
    vobject = pytest.importorskip("vobject")
    cal = vobject.readOne(ics(sample))
    events = {ev.uid.value: ev for ev in cal.vevent_list}
    e = events[UID]
    assert e.dtstart.value.astimezone(timezone.utc) == datetime(2026, 12, 9, 13, 30, tzinfo=timezone.utc)
    assert int(e.sequence.value) == 1
    assert e.organizer.value == "mailto:siobhan.brennan@nesa.example.org"


@pytest.mark.shared_sample
def test_golden_calendar(sample):
    assert_golden("meetings/calendar.ics", ics(sample, "--body", "strategic-board").replace("\r\n", "\n"))
