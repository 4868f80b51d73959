"""Registers and trackers (issue 21): the register of business interests and the attendance record
of a body, the actions log and the policy review schedule, as documents."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from conftest import PROJECT, assert_golden, edit
from nesa_cli.cli import app

runner = CliRunner()
TODAY = date(2026, 11, 23)
OCT = "data/meetings/2026-10-14-strategic-board.yaml"


def run(repo, *args, today="2026-11-23"):
    return runner.invoke(app, ["-C", str(repo), "--today", today, *args])


@pytest.fixture(scope="module")
def model():
    from nesa_cli.loader import load
    from nesa_cli.store import WorkingTree

    return load(WorkingTree(PROJECT)).model


def _plain(data):
    from nesa_cli.jsonout import plain

    return json.loads(json.dumps(plain(data)))


# -- the register of business interests ------------------------------------------------

def test_interests_register_of_named_members(model):
    from nesa_cli.meetings.bodies import bodies
    from nesa_cli.reports.registers import interests_register

    reg = interests_register(model, bodies(model)["improvement-board"], TODAY)
    by_name = {m["name"]: m for m in reg["members"]}
    assert reg["year"] == "2026-27" and reg["members"][0]["name"] == "Dr Helen Armstrong"  # the chair first
    assert "Prof. Anne Charlton" not in by_name  # her term ended on 31 August 2026
    assert "Regional Director's office" not in by_name and "Siobhan Brennan" not in by_name  # observer, clerk
    armstrong = by_name["Dr Helen Armstrong"]
    assert armstrong["term"] == "1 September 2025 to 31 August 2028" and armstrong["category"] == "Independent"
    assert [i["kind"] for i in armstrong["interests"]] == ["Business", "Governance elsewhere"]
    assert by_name["Graham Wilson"]["status"] == "none declared" and by_name["Graham Wilson"]["declared"] == date(2026, 9, 23)
    assert by_name["Lesley Pringle"]["status"] == "not declared" and by_name["Lesley Pringle"]["declared"] is None
    assert by_name["Rachel Hall"]["category"] == "Central team: Alliance Lead"
    assert reg["counts"] == {"members": 8, "with_interests": 5, "none_declared": 2, "not_declared": 1}


def test_interests_register_of_a_body_by_rule_and_its_meetings(model):
    from nesa_cli.meetings.bodies import bodies
    from nesa_cli.reports.registers import interests_register

    reg = interests_register(model, bodies(model)["strategic-board"], TODAY)
    by_name = {m["name"]: m for m in reg["members"]}
    assert reg["members"][0]["name"] == "Rachel Hall" and reg["members"][0]["role"] == "Chair"
    assert by_name["Maria Fenwick"]["category"] == "Headteacher, Rothbury First School (ex officio)"
    assert by_name["Maria Fenwick"]["term"] == "While headteacher"
    assert by_name["Beth Urwin"]["status"] == "not declared"
    # declared at the 14 October meeting: Joanne Robson's is shown; Ian Reay's was on a Part 2 item
    assert [(x["name"], x["item"]) for x in reg["at_meetings"]] == [
        ("Joanne Robson (Simonside High School)", "Partnership Fund contributions 2027-28")]
    assert reg["counts"]["not_declared"] == 2


def test_interests_cli_json_is_the_library_result(model):
    from nesa_cli.meetings.bodies import bodies
    from nesa_cli.reports.registers import interests_register

    r = run(PROJECT, "registers", "interests", "improvement-board", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == _plain(interests_register(model, bodies(model)["improvement-board"], TODAY))


def test_interests_html_golden():
    r = run(PROJECT, "registers", "interests", "improvement-board", "--format", "html")
    assert r.exit_code == 0, r.output
    assert '<html lang="en-GB">' in r.stdout and "No declaration received" in r.stdout and "None declared" in r.stdout
    assert "improvement-board" not in r.stdout and "data/" not in r.stdout
    assert_golden("registers/interests-improvement-board.html", r.stdout)


# -- the attendance record ----------------------------------------------------------------

def test_attendance_record_of_a_year(model):
    from nesa_cli.reports.registers import attendance_register

    reg = attendance_register(model, "strategic-board", TODAY, "2025-26")
    assert [c["date"] for c in reg["meetings"]] == [date(2025, 10, 8), date(2025, 12, 10), date(2026, 2, 11),
                                                    date(2026, 3, 25), date(2026, 5, 20), date(2026, 7, 1)]
    by_name = {m["name"]: m for m in reg["members"]}
    urwin = by_name["Beth Urwin"]
    assert (urwin["expected"], urwin["present"], urwin["apologies_not_accepted"], urwin["absent"], urwin["percent"]) == (6, 2, 1, 3, 33)
    assert by_name["Lewis Bell"]["apologies_accepted"] == 3
    assert "Siobhan Brennan" not in by_name  # the clerk is not a member
    assert reg["year_over"] and reg["to_come"] == 0
    # a school that joined or left during the year: expected only at the meetings while on the body
    assert any(m["expected"] < 6 and "not a member" in m["marks"] for m in reg["members"])


def test_attendance_default_year_is_the_current_one(model):
    from nesa_cli.reports.registers import attendance_register

    reg = attendance_register(model, "improvement-board", TODAY)
    assert reg["year"] == "2026-27" and reg["to_come"] == 1 and len(reg["meetings"]) == 1
    r = run(PROJECT, "registers", "attendance", "improvement-board", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == _plain(reg)
    r = run(PROJECT, "registers", "attendance", "improvement-board", "--format", "json", today="2027-09-02")
    assert json.loads(r.stdout)["year"] == "2027-28"


def test_attendance_golden_and_csv():
    r = run(PROJECT, "registers", "attendance", "strategic-board", "--year", "2025-26", "--format", "html")
    assert r.exit_code == 0, r.output
    assert_golden("registers/attendance-strategic-board-2025-26.html", r.stdout)
    r = run(PROJECT, "registers", "attendance", "strategic-board", "--year", "2025-26", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == "name,role,school,expected,present,apologies_accepted,apologies_not_accepted,absent,not_recorded,percent"
    assert "Beth Urwin,Member,Bedlington Station Primary School,6,2,0,1,3,0,33" in r.stdout


@pytest.mark.parametrize("year, said", [("2025-27", "write it as 2025-26"), ("last", "is not an academic year")])
def test_a_year_that_is_not_one(year, said):
    r = run(PROJECT, "registers", "attendance", "strategic-board", "--year", year)
    assert r.exit_code == 2 and said in r.output


@pytest.mark.parametrize("command", ["interests", "attendance"])
def test_unknown_body_says_did_you_mean(command):
    r = run(PROJECT, "registers", command, "improvment-board")
    assert r.exit_code == 2
    assert "no body matches 'improvment-board'. Did you mean: improvement-board?" in r.output
    assert "Traceback" not in r.output


# -- the actions log ----------------------------------------------------------------------

def test_actions_log(model):
    from nesa_cli.reports.trackers import actions_log

    log = actions_log(model, TODAY)
    # the sample minutes one Part 2 action: listed as such (owner, due date, meeting), its text left out
    assert log["counts"] == {"actions": 8, "open": 5, "overdue": 3, "done": 3, "confidential_left_out": 1}
    from nesa_cli.meetings.model import CONFIDENTIAL_ACTION

    secret = next(a for a in log["actions"] if a["confidential"])
    assert (secret["action"], secret["owner"], secret["due"], secret["item"]) == (CONFIDENTIAL_ACTION, "James Okafor", date(2026, 11, 20), None)
    first = log["actions"][0]
    assert (first["action"], first["owner"], first["overdue"], first["body"], first["meeting"]) == (
        "Circulate contribution letters to governing bodies", "Siobhan Brennan", True, "Strategic Board", date(2026, 10, 14))
    assert [a["status"] for a in log["actions"]] == ["open"] * 5 + ["done"] * 3
    only = actions_log(model, TODAY, body="strategic-board", owner="rhall")
    assert [a["action"] for a in only["actions"]] == ["Book the summer conference venue"]
    assert all(a["status"] == "open" for a in actions_log(model, TODAY, open_only=True)["actions"])
    r = run(PROJECT, "actions", "log", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == _plain(log)


def test_actions_log_golden_has_no_ids_or_paths():
    r = run(PROJECT, "actions", "log", "--format", "html")
    assert r.exit_code == 0, r.output
    assert "#1<" not in r.stdout and "board#" not in r.stdout and "2026-10-14-strategic-board" not in r.stdout and "data/meetings" not in r.stdout
    assert "6 November 2026 (overdue)" in r.stdout
    assert_golden("registers/actions-log.html", r.stdout)


def test_confidential_actions_only_when_asked(sample):
    edit(sample, OCT, "    status: done\n    item: 3\n",
         "    status: done\n    item: 3\n  - action: Confirm the secondment letter\n    owner: {team: jokafor}\n"
         "    due: 2026-10-21\n    status: open\n    item: 4\n")
    assert run(sample, "validate").exit_code == 0
    for fmt in ("html", "csv", "json"):
        r = run(sample, "actions", "log", "--format", fmt)
        assert r.exit_code == 0 and "secondment letter" not in r.stdout, fmt
    r = run(sample, "actions", "log", "--confidential")
    assert "Confirm the secondment letter" in r.stdout and "Not for publication" in r.stdout and "(Part 2)" in r.stdout


# -- the policy review schedule -----------------------------------------------------------

def test_policy_schedule(model):
    from nesa_cli.reports.trackers import policy_schedule

    s = policy_schedule(model, TODAY)
    assert s["members"] == 40 and s["counts"]["policies"] == 14
    first = s["policies"][0]
    assert (first["policy"], first["owner"], first["overdue"], first["version"]) == ("Attendance Policy", "Meera Patel", True, "2.0")
    assert first["current"] + first["older"] + first["not_adopted"] == 40
    assert [x["school"] for x in first["not_adopted_schools"]] == ["Bedlington Station Primary School"]
    assert {p["area"] for p in s["policies"]} >= {"SEND", "HR", "Health and safety"}
    r = run(PROJECT, "policies", "schedule", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == _plain(s)


def test_policy_schedule_golden():
    r = run(PROJECT, "policies", "schedule", "--format", "html")
    assert r.exit_code == 0, r.output
    assert "8 September 2026</td>" not in r.stdout and "8 September 2026 (overdue)" in r.stdout
    assert "mpatel" not in r.stdout
    assert_golden("registers/policy-schedule.html", r.stdout)
    r = run(PROJECT, "policies", "schedule", "--format", "csv")
    assert r.stdout.splitlines()[1].startswith("Attendance Policy,Meera Patel,2026-09-08,overdue,2.0,")


# -- a new repository, and the rules ------------------------------------------------------

def test_a_fresh_repository(tmp_path):
    target = tmp_path / "fresh"
    r = runner.invoke(app, ["init", str(target), "--name", "Tyne Valley Schools Alliance", "--short", "TVSA", "--la", "929"])
    assert r.exit_code == 0, r.output
    r = run(target, "registers", "interests", "board")
    assert r.exit_code == 2 and "no bodies yet; create one with nesa bodies new" in r.output
    r = run(target, "registers", "attendance", "board")
    assert r.exit_code == 2 and "no bodies yet" in r.output
    r = run(target, "actions", "log")
    assert r.exit_code == 0 and "No actions match" in r.stdout
    r = run(target, "policies", "schedule")
    assert r.exit_code == 0 and "No model policies are recorded yet" in r.stdout
    (target / "data/bodies").mkdir(exist_ok=True)
    (target / "data/bodies/board.yaml").write_text(
        "id: board\nname: Tyne Valley Partnership Board\nmembership:\n"
        "  - {name: Dr Asha Rahman, organisation: Independent, role: chair}\n"
        "  - {name: Tom Elliott, organisation: Tyne Valley Council}\n"
        "interests:\n  - {name: Dr Asha Rahman, declared: 2026-09-10, business: [\"Director, Rahman Associates\"]}\n",
        encoding="utf-8")
    assert run(target, "validate").exit_code == 0
    text = run(target, "registers", "interests", "board").stdout
    assert "Director, Rahman Associates" in text and "No declaration received" in text
    r = run(target, "registers", "attendance", "board")
    assert r.exit_code == 0 and "No meeting of the Tyne Valley Partnership Board has been held in 2026-27 yet." in r.stdout
    for args in (["registers", "attendance", "board"], ["actions", "log"], ["policies", "schedule"], ["registers", "interests", "board"]):
        r = run(target, *args, "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
        assert r.exit_code == 0, (args, r.output)


def _warnings(r, rule):
    return [line for line in r.output.splitlines() if f"[{rule}]" in line]


def test_a_declaration_by_someone_not_on_the_body_is_a_warning(sample):
    assert not _warnings(run(sample, "validate"), "declaration-not-member")
    edit(sample, OCT, "{school: 122206, person: Ian Reay, item: 4,", "{person: Tom Stranger, item: 4,")
    r = run(sample, "validate")
    assert r.exit_code == 0  # a warning
    [line] = _warnings(r, "declaration-not-member")
    assert line.startswith(f"{OCT}:106:") and "Tom Stranger declared an interest but is not on the body" in line
    edit(sample, OCT, "observers: [Local authority school improvement partner]",
         "observers: [Local authority school improvement partner]\nguests: [Tom Stranger (diocesan adviser)]")
    assert not _warnings(run(sample, "validate"), "declaration-not-member")


def test_a_standing_declaration_of_a_non_member_is_a_warning(sample):
    with open(sample / "data/bodies/improvement-board.yaml", "a", encoding="utf-8") as fh:
        fh.write("  - {name: Nobody Here, declared: 2026-09-01}\n")
    [line] = _warnings(run(sample, "validate"), "body-interests")
    assert "Nobody Here is not a member of the Northumberland Education Improvement Board" in line


def test_one_style_override_reaches_every_register_and_tracker(sample):
    """The registers', trackers' and minutes' HTML share templates/document-style.html.j2:
    an alliance that overrides it (its own font, say) changes them all at once."""
    (sample / "templates").mkdir(exist_ok=True)
    (sample / "templates" / "document-style.html.j2").write_text(
        'body { font-family: "Alliance Sans"; max-width: {{ width }}; } h1 { color: {{ accent }}; }\n', encoding="utf-8")
    for args in (["registers", "interests", "improvement-board"], ["registers", "attendance", "strategic-board"],
                 ["actions", "log"], ["policies", "schedule"], ["minutes", "2026-10-14-strategic-board"]):
        r = run(sample, *args, "--format", "html")
        assert r.exit_code == 0, (args, r.output)
        assert 'font-family: "Alliance Sans"' in r.output and "DejaVu Sans" not in r.output, args
