"""Governance bodies as data (issue 20): membership by people and rules, terms of office,
attendance only for members, quorum from attendance, on the sample and on small repositories."""

from __future__ import annotations

import json
import re
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest
from typer.testing import CliRunner

from nesa_cli.cli import app
from nesa_cli.meetings.bodies import VOTING, Quorum, Seat
from nesa_cli.meetings.model import Attendance, Invitee, match_attendance
from tests.conftest import edit

runner = CliRunner()
HEADER = "# yaml-language-server: $schema=../../schemas/{}.schema.json\n"


def run(repo, *args):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args])


def write(repo, rel: str, text: str) -> None:
    p = repo / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    kind = "body" if rel.startswith("data/bodies/") else "meeting"
    p.write_text(HEADER.format(kind) + text, encoding="utf-8")


def meeting(repo, mid: str, body: str, extra: str = "") -> None:
    day = mid[:10]
    write(repo, f"data/meetings/{mid}.yaml",
          f'id: {mid}\nuid: {mid}@example.org\nbody: {body}\ndate: {day}\nstart: "10:00"\nend: "12:00"\n{extra}')


BOARD = """id: improvement-board
name: Testshire Education Improvement Board
purpose: Oversees school improvement across Testshire.
membership:
  - {name: Dr Jo Indie, organisation: Independent, role: chair, from: 2025-09-01, to: 2027-08-31}
  - {name: Pat Director, organisation: Testshire County Council, email: pat@testshire.example.org}
  - {name: Old Professor, organisation: Testshire University, to: 2026-08-31}
  - {name: New Professor, organisation: Testshire University, from: 2026-09-01}
  - {school: 100001, name: Ann Head, role: vice-chair}
  - {team: alead, role: clerk}
  - {name: Ofsted Observer, organisation: Ofsted, role: observer}
quorum: {count: 3}
"""


def board(repo, quorum: str = "quorum: {count: 3}\n"):
    write(repo, "data/bodies/improvement-board.yaml", BOARD.replace("quorum: {count: 3}\n", quorum))


def diagnostics(r) -> list[str]:
    return [line for line in r.output.splitlines() if re.search(r": (error|warning): ", line)]


# --- the sample: today's two bodies as data ------------------------------------------------------------------------


@pytest.mark.shared_sample
def test_sample_lists_its_bodies_and_validates(sample):
    r = run(sample, "list", "bodies", "--json")
    assert r.exit_code == 0, r.output
    ids = {row["id"] for row in json.loads(r.stdout)}
    assert {"strategic-board", "joint-annual"} <= ids
    r = run(sample, "validate")
    assert r.exit_code == 0 and "[meeting-" not in r.output and "[body-" not in r.output, r.output


def test_nothing_hard_coded_a_renamed_body_is_named_from_its_file(sample):
    edit(sample, "data/bodies/strategic-board.yaml", "name: Strategic Board", "name: Heads' Board")
    data = json.loads(run(sample, "meetings", "show", "2026-12-09-strategic-board", "--json").stdout)
    assert data["body"] == "Heads' Board" and data["title"] == "Heads' Board"
    # the policies due go on the agenda because the body says so, not because of its id
    assert data["policies"]
    edit(sample, "data/bodies/strategic-board.yaml", "policies_due: true", "policies_due: false")
    assert json.loads(run(sample, "meetings", "show", "2026-12-09-strategic-board", "--json").stdout)["policies"] == []


def test_joint_annual_invites_the_governor_each_school_names_not_its_chair(sample):
    p = "data/schools/122164.yaml"
    text = (sample / p).read_text(encoding="utf-8")
    chair = re.search(r"role: chair-of-governors\n(?:\s+title: .+\n)?\s+name: (.+)\n", text).group(1)
    edit(sample, p, "contacts:\n", "contacts:\n  - role: governor-representative\n    name: Gwen Named\n")
    data = json.loads(run(sample, "meetings", "show", "2026-07-08-joint-annual", "--json").stdout)
    school = [i for i in data["invited"] if i["role"] == "governor representative" and i["person"] in ("Gwen Named", chair)]
    assert [i["person"] for i in school] == ["Gwen Named"]
    assert run(sample, "validate").exit_code == 0


def test_strategic_board_attendance_of_someone_else_from_an_invited_school_is_an_error(sample):
    p = "data/meetings/2026-10-14-strategic-board.yaml"
    edit(sample, p, "{school: 122108, person: Emma Charlton, status: present}",
         "{school: 122108, person: Deputy Stand-In, status: present}")
    r = run(sample, "validate")
    assert r.exit_code == 1
    [line] = [d for d in diagnostics(r) if "[meeting-attendance]" in d]
    assert "Deputy Stand-In (122108) is not on the Strategic Board on 2026-10-14" in line
    assert "data/bodies/strategic-board.yaml" in line and "observers or guests" in line
    # as a guest it is fine; so is the chair recorded by central-team id
    edit(sample, p, "  - {school: 122108, person: Deputy Stand-In, status: present}\n", "  - {team: rhall, status: present}\n")
    edit(sample, p, "observers: [", "guests: [Deputy Stand-In]\nobservers: [")
    assert run(sample, "validate").exit_code == 0
    edit(sample, p, "{team: rhall, status: present}", "{team: jokafor, status: present}")
    assert "central-team member jokafor is not on the Strategic Board" in run(sample, "validate").output


# --- a fresh repository: no bodies --------------------------------------------------------------------------------


def test_fresh_init_meeting_of_an_undefined_body_names_the_file_to_create(tmp_path):
    target = tmp_path / "fresh"
    r = runner.invoke(app, ["init", str(target), "--name", "Fresh Alliance", "--short", "FA", "--la", "302", "--area", "Barnet"])
    assert r.exit_code == 0, r.output
    assert not (target / "data/bodies").exists() or not any((target / "data/bodies").iterdir())
    meeting(target, "2027-01-20-strategic-board", "strategic-board")
    r = run(target, "validate")
    assert r.exit_code == 1
    assert "no body 'strategic-board': create data/bodies/strategic-board.yaml" in r.output and "[meeting-body]" in r.output
    r = run(target, "meetings", "new", "--body", "heads-board", "--date", "2027-01-20", "--start", "10:00", "--end", "11:00")
    assert r.exit_code == 2 and "create data/bodies/heads-board.yaml" in r.output
    assert "Traceback" not in r.output


# --- a named board of outside members with terms of office --------------------------------------------------------


def test_named_board_invites_members_in_their_term(repo):
    board(repo)
    meeting(repo, "2026-06-10-improvement-board", "improvement-board")
    meeting(repo, "2026-11-25-improvement-board", "improvement-board", "chair: {person: Dr Jo Indie}\n")
    assert run(repo, "validate").exit_code == 0, run(repo, "validate").output
    june = {i["person"]: i for i in json.loads(run(repo, "meetings", "show", "2026-06-10-improvement-board", "--json").stdout)["invited"]}
    nov = json.loads(run(repo, "meetings", "show", "2026-11-25-improvement-board", "--json").stdout)
    names = {i["person"] for i in nov["invited"]}
    assert "Old Professor" in june and "New Professor" not in june
    assert "New Professor" in names and "Old Professor" not in names
    assert {"Dr Jo Indie", "Pat Director", "Ann Head", "Alex Lead", "Ofsted Observer"} <= names
    assert june["Dr Jo Indie"]["body_role"] == "chair" and june["Dr Jo Indie"]["school"] == "Independent"
    assert nov["chair"] == "Dr Jo Indie" and nov["purpose"].startswith("Oversees")
    r = run(repo, "list", "bodies")
    assert r.exit_code == 0 and "Testshire Education Improvement Board" in r.output and "7 named" in r.output


def test_attendance_outside_the_body_or_the_term_is_an_error_observers_and_guests_allowed(repo):
    board(repo)
    meeting(repo, "2026-11-25-improvement-board", "improvement-board",
            "attendance:\n  - {person: Dr Jo Indie, status: present}\n  - {person: Old Professor, status: present}\n"
            "  - {school: 100002, status: present}\n  - {school: 100001, person: Sam Senco, status: present}\n"
            "  - {team: bsia, status: present}\n  - {person: Ofsted Observer, status: present}\n"
            "observers: [A visitor]\nguests: [Someone presenting]\n")
    r = run(repo, "validate")
    assert r.exit_code == 1
    bad = [d for d in diagnostics(r) if "[meeting-attendance]" in d]
    assert len(bad) == 4, bad
    text = "\n".join(bad)
    for who in ("Old Professor", "school 100002", "Sam Senco (100001)", "central-team member bsia"):
        assert f"{who} is not on the Testshire Education Improvement Board on 2026-11-25" in text
    assert "Dr Jo Indie is not" not in text and "Ofsted Observer is not" not in text


def test_network_and_partnership_meetings_keep_working(repo):
    meeting(repo, "2026-11-25-partnership-north", "partnership:north",
            "attendance:\n  - {school: 100001, status: present}\n")
    meeting(repo, "2026-11-26-network-sencos", "network:sencos")
    assert run(repo, "validate").exit_code == 0, run(repo, "validate").output
    data = json.loads(run(repo, "meetings", "show", "2026-11-25-partnership-north", "--json").stdout)
    assert data["body"] == "North Partnership" and data["quorum"] is None
    edit(repo, "data/meetings/2026-11-25-partnership-north.yaml", "{school: 100001, status", "{school: 100002, status")
    assert "[meeting-attendance]" in run(repo, "validate").output


def test_body_member_rules(repo):
    board(repo)
    edit(repo, "data/bodies/improvement-board.yaml", "{school: 100001, name: Ann Head", "{school: 100001, name: Nobody Here")
    edit(repo, "data/bodies/improvement-board.yaml", "{team: alead", "{team: ghost")
    edit(repo, "data/bodies/improvement-board.yaml", "from: 2025-09-01, to: 2027-08-31", "from: 2027-09-01, to: 2027-08-31")
    r = run(repo, "validate")
    assert r.exit_code == 1
    text = "\n".join(diagnostics(r))
    assert "Nobody Here is not a contact at Alpha First School" in text and "[body-member]" in text
    assert "ghost is not a central-team id" in text and "[body-term]" in text
    assert re.search(r"data/bodies/improvement-board\.yaml:\d+:\d+: error", text)


def test_an_unknown_outside_chair_is_a_meeting_person_error(repo):
    board(repo)
    meeting(repo, "2026-11-25-improvement-board", "improvement-board", "chair: {person: Not On Board}\n")
    r = run(repo, "validate")
    assert r.exit_code == 1 and "Not On Board is not a central-team id" in r.output and "[meeting-person]" in r.output


# --- quorum -------------------------------------------------------------------------------------------------------


ATTEND = "attendance:\n" + "".join(f"  - {{person: {n}, status: {s}}}\n" for n, s in (
    ("Dr Jo Indie", "present"), ("Pat Director", "apologies-accepted"), ("New Professor", "absent")))


def test_an_inquorate_meeting_warns_and_flags_its_decisions(repo):
    board(repo)
    meeting(repo, "2026-11-18-improvement-board", "improvement-board",
            ATTEND + "  - {team: alead, status: present}\n  - {person: Ofsted Observer, status: present}\n"
            "decisions:\n  - Adopt the improvement plan.\n")
    r = run(repo, "validate")
    assert r.exit_code == 0, r.output  # a warning, not an error
    [w] = [d for d in diagnostics(r) if "[meeting-quorum]" in d]
    # the clerk and the observer were present but do not count: 1 of the 3 needed
    assert "warning: inquorate: 1 of the 3 needed present" in w and "its 1 decision were taken inquorate" in w
    data = json.loads(run(repo, "meetings", "show", "2026-11-18-improvement-board", "--json").stdout)
    assert data["decisions"] == [{"decision": "Adopt the improvement plan.", "inquorate": True}]
    assert data["quorum"]["quorate"] is False and data["quorum"]["counted"] == 4
    shown = run(repo, "meetings", "show", "2026-11-18-improvement-board").stdout
    assert "Adopt the improvement plan. (INQUORATE)" in shown and "INQUORATE" in shown
    # Ann Head comes too, and the quorum of 3 is not met yet; a fraction of 1/2 (2 of 4) is
    edit(repo, "data/meetings/2026-11-18-improvement-board.yaml", "decisions:", "  - {school: 100001, status: present}\ndecisions:")
    assert "[meeting-quorum]" in run(repo, "validate").output
    edit(repo, "data/bodies/improvement-board.yaml", "quorum: {count: 3}", 'quorum: {fraction: "1/2"}')
    assert "[meeting-quorum]" not in run(repo, "validate").output
    data = json.loads(run(repo, "meetings", "show", "2026-11-18-improvement-board", "--json").stdout)
    assert data["decisions"][0]["inquorate"] is False and data["quorum"]["quorate"] is True


def test_who_counts_is_the_bodys_choice(repo):
    board(repo, "quorum: {count: 2, counts: [chair, vice-chair, clerk]}\n")
    meeting(repo, "2026-11-18-improvement-board", "improvement-board",
            "attendance:\n  - {person: Dr Jo Indie, status: present}\n  - {team: alead, status: present}\n")
    assert "[meeting-quorum]" not in run(repo, "validate").output


def test_the_agenda_warns_when_apologies_already_make_it_inquorate(repo):
    board(repo)
    meeting(repo, "2026-12-16-improvement-board", "improvement-board",
            "attendance:\n  - {person: Pat Director, status: apologies-accepted}\n")
    r = run(repo, "agenda", "2026-12-16-improvement-board")
    assert r.exit_code == 0 and "inquorate" not in r.stderr  # 3 of 4 can still come
    edit(repo, "data/meetings/2026-12-16-improvement-board.yaml", "attendance:\n",
         "attendance:\n  - {person: New Professor, status: apologies-accepted}\n")
    r = run(repo, "agenda", "2026-12-16-improvement-board")
    assert r.exit_code == 0
    assert "nesa: warning: apologies from 2 of 4 counted members leave at most 2 able to attend" in r.stderr
    assert "the meeting will be inquorate" in r.stdout
    assert "[meeting-quorum]" not in run(repo, "validate").output  # nothing recorded as held yet


@settings(max_examples=200, deadline=None)
@given(seats=st.lists(st.sampled_from(("chair", "vice-chair", "clerk", "member", "co-opted", "observer")), min_size=1, max_size=30),
       num=st.integers(1, 9), den=st.integers(1, 9), count=st.none() | st.integers(1, 30))
def test_quorum_needed_is_the_rounded_up_share_of_counted_members(seats, num, den, count):
    people = [Seat(role, f"P{i}") for i, role in enumerate(seats)]
    q = Quorum(count=count) if count else Quorum(fraction=Fraction(num, den))
    voting = sum(r in VOTING for r in seats)
    if count:
        assert q.needed(people) == count
    elif voting:
        need = q.needed(people)  # the smallest whole number of people that is at least the fraction
        assert need >= 1 and need * den >= num * voting
        assert need == 1 or (need - 1) * den < num * voting
    else:
        assert q.needed(people) == 0


@settings(max_examples=200, deadline=None)
@given(names=st.lists(st.sampled_from(["Ann", "Ben", "Cy", "Di"]), min_size=0, max_size=6),
       asked=st.lists(st.sampled_from(["Ann", "ben", "Cy", "Eve", None]), min_size=0, max_size=6),
       school=st.sampled_from([1, 2]))
def test_attendance_matches_only_invitees(names, asked, school):
    invitees = [Invitee(1 if i % 2 else 2, n, "member") for i, n in enumerate(names)]
    entries = [Attendance("present", school if a is None else None, a) for a in asked]
    for a, hit in zip(entries, match_attendance(invitees, entries)):
        if a.person:
            assert (hit is not None) == (a.person.casefold() in {n.casefold() for n in names})
        else:
            assert (hit is not None) == any(i.school == a.school for i in invitees)
        if hit is not None and a.person:
            assert hit.person.casefold() == a.person.casefold()


def test_minutes_of_the_previous_meeting_skip_a_cancelled_one(repo):
    board(repo)
    meeting(repo, "2026-09-16-improvement-board", "improvement-board")
    meeting(repo, "2026-10-21-improvement-board", "improvement-board", "cancelled: true\n")
    meeting(repo, "2026-12-16-improvement-board", "improvement-board")
    data = json.loads(run(repo, "meetings", "show", "2026-12-16-improvement-board", "--json").stdout)
    # the minutes to approve are of the last meeting held, not the cancelled one
    assert data["items"][2]["title"] == "Minutes of the previous meeting (16 September 2026)"


def test_a_quorum_nobody_can_meet_is_warned_about(repo):
    board(repo, "quorum: {count: 9}\n")
    assert "the quorum needs 9 present but only 5 members are counted" in run(repo, "validate").output
    board(repo, "quorum: {count: 1, counts: [co-opted]}\n")
    r = run(repo, "validate")
    assert "nobody on the body has that role" in r.output and "[body-quorum]" in r.output


def test_sample_improvement_board_outside_members_terms_and_quorum(sample):
    r = run(sample, "list", "bodies")
    assert "Northumberland Education Improvement Board" in r.stdout and "11 named" in r.stdout
    held = json.loads(run(sample, "meetings", "show", "2026-09-23-improvement-board", "--json").stdout)
    names = {i["person"] for i in held["invited"]}
    assert "Dr Samir Khan" in names and "Prof. Anne Charlton" not in names  # terms of office
    assert held["chair"] == "Dr Helen Armstrong" and held["quorum"]["quorate"] is True
    assert held["decisions"][0]["inquorate"] is False
    later = json.loads(run(sample, "meetings", "show", "2027-01-20-improvement-board", "--json").stdout)
    assert "Peter Hume" not in {i["person"] for i in later["invited"]}  # co-opted for 2026 only
    assert later["quorum_warning"] and "inquorate" in later["quorum_warning"]
    # matters arising follow the body: the board's own open action, not the Strategic Board's
    assert [a["id"] for a in later["matters_arising"]] == ["2026-09-23-improvement-board#1"]
    # the board's meeting becomes inquorate when fewer come: validate warns
    p = "data/meetings/2026-09-23-improvement-board.yaml"
    for who in ("Graham Wilson", "Dr Samir Khan", "Dr Helen Armstrong"):
        edit(sample, p, f"{{person: {who}, status: present}}", f"{{person: {who}, status: absent}}")
    r = run(sample, "validate")
    assert "inquorate: 3 of the 4 needed present" in r.output and "were taken inquorate" in r.output


def test_a_bodys_changes_are_told_in_words(sample):
    from tests.conftest import git

    edit(sample, "data/bodies/improvement-board.yaml", 'quorum: {fraction: "1/2"}', "quorum: {count: 5}")
    (sample / "data/bodies/heads-group.yaml").write_text(HEADER.format("body") + "id: heads-group\nname: Headteacher Reference Group\n"
                                                          "membership:\n  - {rule: heads}\n", encoding="utf-8")
    git(sample, "add", "-A")
    r = run(sample, "diff")
    assert r.exit_code == 0, r.output
    assert "Northumberland Education Improvement Board: quorum number present set to 5" in r.stdout
    assert "Body added: Headteacher Reference Group" in r.stdout
