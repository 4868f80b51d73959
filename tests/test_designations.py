"""Designations, categories and activities led by a non-school party (issue 20): the positive
fixture (tests/fixtures/brokerage/positive) validates clean and shows in schools show, broker,
equity and impact; each negative case fires its rule at the right line."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, assert_fires, edit, line_of, make_repo
from nesa_cli.cli import app
from nesa_cli.collab.broker import competitor_setting
from nesa_cli.designations import academic_year, is_year_label
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

POSITIVE = FIXTURES / "brokerage" / "positive"
S1, S2 = "data/schools/100001.yaml", "data/schools/100002.yaml"
A = "data/alliance.yaml"
STUDY, CLINIC = "data/activities/lesson-study.yaml", "data/activities/la-attendance.yaml"
runner = CliRunner()


@pytest.fixture
def brk(tmp_path: Path) -> Path:
    """The base alliance with the positive brokerage files laid over it."""
    repo = tmp_path / "alliance"
    shutil.copytree(FIXTURES / "base" / "data", tmp_path / "src" / "data")
    shutil.copytree(POSITIVE / "data", tmp_path / "src" / "data", dirs_exist_ok=True)
    return make_repo(repo, tmp_path / "src")


def run(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), *args])


def test_positive_fixture_validates_clean(brk: Path):
    result = load(WorkingTree(brk))
    assert result.errors == 0 and result.warnings == 0, "\n".join(d.text() for d in result.diagnostics)
    s = result.model.schools[100001]
    assert [d.type for d in s.designations] == ["nle", "sle", "sle", "teaching-school-hub"]
    assert [d.status_on(date(2026, 11, 23)) for d in s.designations] == ["current", "current", "lapsed", "current"]
    assert [(c.year, c.category) for c in s.categories] == [("2025-26", "2"), ("2026-27", "1")]


# (case id, [(file, old, new)], (file, text on the expected line, rule))
CASES = [
    ("designation-dates", [(S1, "from: 2019-09-01, to: 2023-08-31", "from: 2019-09-01, to: 2018-08-31")],
     (S1, "to: 2018-08-31", "designation-dates")),
    ("designation-overlap", [(S1, "specialism: send, from: 2019-09-01, to: 2023-08-31", "specialism: maths-mastery, from: 2025-09-01")],
     (S1, "specialism: maths-mastery, from: 2025-09-01", "designation-overlap")),
    ("designation-person", [(S1, "{type: nle, person: Ann Head,", "{type: nle, person: Ann Nobody,")],
     (S1, "person: Ann Nobody", "ref-person")),
    ("designation-sle-needs-specialism", [(S1, "specialism: send, ", "")], (S1, "from: 2019-09-01, to: 2023-08-31", "designation-holder")),
    ("designation-nle-needs-person", [(S1, "{type: nle, person: Ann Head, ", "{type: nle, ")], (S1, "{type: nle, from", "designation-holder")),
    ("designation-type-unknown", [(S1, "{type: nle,", "{type: nlx,")], (S1, "{type: nlx,", "schema")),
    ("category-unknown", [(S2, 'category: "4"', 'category: "5"')], (S2, 'category: "5"', "category-unknown")),
    ("category-year-twice", [(S1, "{year: 2026-27, category: \"1\"", "{year: 2025-26, category: \"1\"")],
     (S1, "{year: 2025-26, category: \"1\"", "category-year")),
    ("category-year-form", [(S2, "{year: 2026-27,", "{year: 2026-28,")], (S2, "year: 2026-28", "category-year")),
    ("activity-lead-two", [(STUDY, "  organisation: Testshire University\n", "  organisation: Testshire University\n  school: 100001\n")],
     (STUDY, "lead:", "activity-lead")),
    ("activity-lead-team-person", [(CLINIC, "  team: alead\n", "  team: alead\n  person: Alex Lead\n")],
     (CLINIC, "person: Alex Lead", "activity-lead")),
    ("activity-lead-team-unknown", [(CLINIC, "team: alead", "team: nobody")], (CLINIC, "team: nobody", "ref-central-team")),
    ("activity-lead-empty", [(CLINIC, "lead:\n  team: alead\n", "lead: {}\n")], (CLINIC, "lead: {}", "schema")),
    ("category-id-twice", [(A, '- {id: "2", label: Secure}', '- {id: "1", label: Secure}')], (A, '- {id: "1", label: Secure}', "id-unique")),
    ("broker-setting", [(A, "competitors: {nearest: 2, within_km: 3}", "competitors: {nearest: 2, within: 3}")],
     (A, "competitors: {nearest: 2, within: 3}", "schema")),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_negative_case_fires_its_rule_at_the_right_line(brk: Path, case):
    _, edits, (path, marker, rule) = case
    for rel, old, new in edits:
        edit(brk, rel, old, new)
    assert_fires(brk, path, line_of(brk, path, marker), rule)


def test_categories_need_an_alliance_scale(brk: Path):
    text = (brk / A).read_text(encoding="utf-8")
    (brk / A).write_text(text[: text.index("categorisation:")], encoding="utf-8")
    diags = [d for d in load(WorkingTree(brk)).diagnostics if d.rule == "category-unknown"]
    assert len(diags) == 3 and "defines no categorisation" in diags[0].message


def test_schools_show_says_designations_and_category_in_words(brk: Path):
    r = run(brk, "schools", "show", "100001")
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Category: 1 (Leading) for 2026-27, set by Testshire County Council on 5 Oct 2026" in out
    assert "National Leader of Education, current since 1 Sep 2021" in out
    assert "Specialist Leader of Education (send), lapsed: 1 Sep 2019 to 31 Aug 2023" in out
    assert "Teaching school hub, current since 1 Sep 2021" in out
    rec = json.loads(run(brk, "schools", "show", "100001", "--json").stdout)
    assert [d["status"] for d in rec["designations"]] == ["current", "current", "lapsed", "current"]
    assert rec["designations"][0]["holder"] == "Ann Head" and rec["designations"][3]["holder"] == "the school"
    plain = json.loads(run(brk, "schools", "show", "100003", "--json").stdout)
    assert "designations" not in plain  # a school with none shows none


def test_broker_on_the_fixture_explains_designation_category_and_setting(brk: Path):
    r = run(brk, "broker", "maths-mastery", "--for", "100002", "--json")
    assert r.exit_code == 0, r.output
    row = json.loads(r.stdout)[0]
    assert row["urn"] == 100001
    assert "SLE in maths-mastery: Sam Senco (+3, x2: high-priority need and category 4)" in row["why"]
    assert "NLE Ann Head (+2, x2" in row["why"] and "teaching school hub (+1, x2" in row["why"]
    assert "category 1 (Leading) (+0.5)" in row["why"]
    text = run(brk, "broker", "maths-mastery", "--for", "100002").output
    assert "the 2 nearest within 3 km (data/alliance.yaml, broker: competitors)" in " ".join(text.split())


def test_equity_credits_no_school_for_outside_and_team_led_hours(brk: Path):
    r = run(brk, "equity", "--from", "2026-09-01", "--to", "2027-08-31", "--json")
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert rep["total_hours"] == 6  # Alpha's support only: not the university's 10 h, not the team's 3 h
    rows = {s["urn"]: s for s in rep["schools"]}
    assert rows[100001]["hours"] == 6 and rows[100002]["hours"] == 0
    assert rows[100002]["received"] == 6 + 5 + 3  # Alpha's 6, half the lesson study, the clinic
    assert {o["id"] for o in rep["outside"]} == {"lesson-study", "la-attendance"}
    assert any("credited to no school" in n and "Dr Una Versity (Testshire University)" in n for n in rep["notes"])


def test_impact_names_the_outside_lead(brk: Path):
    r = run(brk, "impact", "2026-27", "--json")
    assert r.exit_code == 0, r.output
    rows = {x["id"]: x for x in json.loads(r.stdout)}
    assert rows["lesson-study"]["lead"] == "Dr Una Versity (Testshire University)" and rows["lesson-study"]["lead_kind"] == "outside"
    assert rows["la-attendance"]["lead"] == "Alex Lead (central team)" and rows["la-attendance"]["lead_kind"] == "team"
    assert rows["beta-support"]["lead"] == "Alpha First School"


def test_activities_new_with_an_outside_or_team_lead(brk: Path):
    r = run(brk, "activities", "new", "la-safeguarding", "--title", "Safeguarding update", "--kind", "cpd",
            "--lead-organisation", "Testshire County Council:Pat Officer", "--start", "2026-12-01", "--school", "100001")
    assert r.exit_code == 0, r.output
    text = (brk / "data/activities/la-safeguarding.yaml").read_text(encoding="utf-8")
    assert "organisation: Testshire County Council" in text and "person: Pat Officer" in text
    r = run(brk, "activities", "new", "team-visit", "--title", "Visit", "--kind", "cpd", "--lead-team", "bsia", "--start", "2026-12-02")
    assert r.exit_code == 0, r.output
    assert "team: bsia" in (brk / "data/activities/team-visit.yaml").read_text(encoding="utf-8")
    r = run(brk, "activities", "new", "both", "--title", "X", "--kind", "cpd", "--lead", "100001", "--lead-team", "bsia", "--start", "2026-12-02")
    assert r.exit_code == 2 and "not --lead and --lead-team" in r.output
    assert load(WorkingTree(brk)).errors == 0


def test_year_labels():
    assert academic_year(date(2026, 8, 31)) == "2025-26" and academic_year(date(2026, 9, 1)) == "2026-27"
    assert academic_year(date(1999, 9, 1)) == "1999-00"
    assert is_year_label("2026-27") and is_year_label("1999-00")
    assert not is_year_label("2026-28") and not is_year_label("2026-2027") and not is_year_label("26-27")


def test_broker_setting_is_edited_from_the_terminal_and_true_is_refused(brk: Path):
    r = run(brk, "alliance", "set", "broker.competitors=false")
    assert r.exit_code == 0, r.output
    assert "competitors: false" in (brk / A).read_text(encoding="utf-8")
    text = " ".join(run(brk, "broker", "maths-mastery", "--for", "100002").output.split())
    assert "Competitors: none counted (data/alliance.yaml, broker: competitors: false)." in text
    assert run(brk, "alliance", "set", "--unset", "broker.competitors").exit_code == 0
    r = run(brk, "alliance", "set", "broker.competitors.nearest=4")
    assert r.exit_code == 0, r.output
    assert competitor_setting(load(WorkingTree(brk)).model.alliance)[:2] == (4, 5.0)
    text = (brk / A).read_text(encoding="utf-8")
    (brk / A).write_text(text[: text.index("broker:")] + "broker:\n  competitors: true\n", encoding="utf-8")
    assert any(d.rule == "schema" and d.path == A for d in load(WorkingTree(brk)).diagnostics)


def test_people_find_names_a_persons_current_designations(brk: Path):
    rows = json.loads(run(brk, "people", "find", "Sam Senco", "--json").stdout)
    assert "SLE (maths-mastery)" in rows[0]["appears_in"]
    assert "SLE (send)" not in rows[0]["appears_in"]  # lapsed in 2023
    assert "NLE" in json.loads(run(brk, "people", "find", "Ann Head", "--json").stdout)[0]["appears_in"]


def test_changes_in_words():
    from nesa_cli.designations import changes_in_words

    old = {"designations": [{"type": "sle", "person": "Ann Lee", "specialism": "send", "from": date(2024, 9, 1)},
                            {"type": "nle", "person": "Bo Head", "from": date(2020, 9, 1)}],
           "categories": [{"year": "2026-27", "category": "C"}]}
    new = {"designations": [{"type": "sle", "person": "Ann Lee", "specialism": "send", "from": date(2024, 9, 1), "to": date(2026, 12, 31)},
                            {"type": "teaching-school-hub", "from": date(2026, 9, 1)}],
           "categories": [{"year": "2026-27", "category": "B", "set_by": "the LA"}, {"year": "2027-28", "category": "A"}]}
    assert changes_in_words("Alpha", old, new) == [
        "Alpha: designation Ann Lee: SLE (send) now ends 2026-12-31",
        "Alpha: designation the school: teaching school hub from 2026-09-01",
        "Alpha: designation Bo Head: NLE removed",
        "Alpha: category for 2026-27 C -> B (set by the LA)",
        "Alpha: category A for 2027-28",
    ]
    assert changes_in_words("Alpha", new, new) == []


def test_diff_tells_a_designation_in_words(brk: Path):
    edit(brk, S1, "{type: nle, person: Ann Head, from: 2021-09-01}", "{type: nle, person: Ann Head, from: 2021-09-01, to: 2026-12-31}")
    out = " ".join(run(brk, "diff").output.split())
    assert "Alpha First School: designation Ann Head: NLE now ends 2026-12-31" in out
