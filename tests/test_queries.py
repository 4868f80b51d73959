"""Queries: schools, networks, policies, people, membership; JSON/CSV shapes."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from conftest import edit
from nesa_cli.cli import app
from nesa_cli.jsonout import plain
from nesa_cli.reports.lookup import NotFound
from nesa_cli.reports.people import find_people
from nesa_cli.reports.policies import DueFilter, policies_due
from nesa_cli.reports.schools import SchoolFilter, find_school, list_schools, school_record
from nesa_cli.store import WorkingTree
from nesa_cli.tabular import Listing, safe_cell, to_csv
from nesa_cli.validate.run import load

runner = CliRunner()
DAY = date(2025, 11, 1)


def cli(repo, *args):
    r = runner.invoke(app, ["-C", str(repo), "--today", DAY.isoformat(), *args], catch_exceptions=False)
    return r


def model(repo):
    return load(WorkingTree(repo)).model


def test_filters_status_phase_partnership(repo):
    m = model(repo)
    urns = lambda f: [r["urn"] for r in list_schools(m, DAY, f).rows]  # noqa: E731
    assert urns(SchoolFilter(status=["member"])) == [100001, 100002]
    assert urns(SchoolFilter(status=["withdrawn"])) == [100003]
    assert urns(SchoolFilter(phase=["first", "high"])) == [100001, 100003]
    assert urns(SchoolFilter(partnership=["south"], status=["member"])) == [100002]
    assert urns(SchoolFilter(diocese="hexham")) == [100002]
    assert urns(SchoolFilter(network="sencos")) == [100001, 100002]  # 100003 left the network
    assert urns(SchoolFilter(search="NE61")) == [100002]
    assert urns(SchoolFilter(search="sam senco")) == [100001]
    assert urns(SchoolFilter(search="100003")) == [100003]


def test_sort_orders(repo):
    m = model(repo)
    assert [r["urn"] for r in list_schools(m, DAY, sort="pupils").rows] == [100003, 100002, 100001]
    assert [r["name"] for r in list_schools(m, DAY, sort="town").rows] == ["Alpha First School", "Gamma High School", "Beta Primary School"]
    assert [r["urn"] for r in list_schools(m, DAY, sort="urn").rows] == [100001, 100002, 100003]


def test_status_is_as_of_the_day(repo):
    m = model(repo)
    assert [r["urn"] for r in list_schools(m, date(2025, 6, 1), SchoolFilter(status=["member"])).rows] == [100001, 100002, 100003]
    assert [r["urn"] for r in list_schools(m, date(2024, 1, 1), SchoolFilter(status=["consulting"])).rows] == [100001]


def test_find_school_by_urn_name_part_and_close_matches(repo):
    m = model(repo)
    assert find_school(m, "100002").urn == 100002
    assert find_school(m, "beta").urn == 100002
    assert find_school(m, "Gamma High School").urn == 100003
    with pytest.raises(NotFound, match="matches 3 schools"):
        find_school(m, "school")
    with pytest.raises(NotFound, match="Did you mean: Beta Primary School"):
        find_school(m, "Betta Primary School")


def test_show_unknown_or_ambiguous_exits_two(repo):
    r = cli(repo, "schools", "show", "School")
    assert r.exit_code == 2 and "matches 3 schools" in r.output
    r = cli(repo, "schools", "show", "Alpah First School")
    assert r.exit_code == 2 and "Alpha First School" in r.output


def test_school_record_hides_private_fields_unless_asked(repo):
    m = model(repo)
    s = m.schools[100001]
    rec = school_record(m, s, DAY)
    senco = [c for c in rec["contacts"] if c["role"] == "senco"][0]
    assert "mobile" not in senco and senco["email"] == "senco@alpha.example.org"
    assert [c for c in school_record(m, s, DAY, include_private=True)["contacts"] if c["role"] == "senco"][0]["mobile"] == "07700 900123"
    r = cli(repo, "schools", "show", "100001", "--json")
    assert "07700 900123" not in r.output
    r = cli(repo, "schools", "show", "100001", "--include-private")
    assert "07700 900123" in r.output


def test_school_record_joins_other_files(repo):
    m = model(repo)
    rec = plain(school_record(m, m.schools[100002], DAY))
    assert rec["partnership"]["name"] == "South Partnership"
    assert rec["networks"][0]["name"] == "SENCO Network"
    assert rec["policies"] == [{"policy": "safeguarding", "title": "Child Protection and Safeguarding", "current_version": "2.0",
                                "adopted_version": "1.0", "adopted_on": "2024-10-01", "up_to_date": False}]


def test_cli_json_equals_library(repo):
    r = cli(repo, "schools", "list", "--status", "member", "--json")
    assert r.exit_code == 0, r.output
    m = model(repo)
    assert json.loads(r.output) == plain(list_schools(m, DAY, SchoolFilter(status=["member"])).rows)


def test_cli_network_filter_reads_the_networks(repo):
    """schools list reads network files only for --network; with it, the filter and its check work."""
    r = cli(repo, "schools", "list", "--network", "sencos", "--json")
    assert r.exit_code == 0, r.output
    assert [row["urn"] for row in json.loads(r.output)] == [100001, 100002]
    r = cli(repo, "schools", "list", "--network", "sencoes")
    assert r.exit_code == 2 and "did you mean" in r.output.lower() and "sencos" in r.output


def test_csv_has_stable_header_and_rows(repo):
    r = cli(repo, "schools", "list", "--csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert list(rows[0]) == ["urn", "name", "phase", "type", "partnership", "status", "town", "pupils", "head"]
    assert [x["urn"] for x in rows] == ["100001", "100002", "100003"]


def test_csv_cells_never_run_as_formulas():
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_cell("+44 1670") == "'+44 1670"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("-12.5") == "-12.5"
    assert safe_cell("- a") == "'- a"
    text = to_csv(Listing([("name", "Name")], [{"name": "=1+1"}]))
    assert text == "name\r\n'=1+1\r\n"


def test_school_named_like_a_formula_is_neutralised_in_csv(repo):
    edit(repo, "data/schools/100001.yaml", "name: Alpha First School", "name: \"=cmd|' /C calc'!A0\"")
    r = cli(repo, "schools", "list", "--csv")
    assert "'=cmd|" in r.output
    assert "\n=cmd" not in r.output


def test_unknown_filter_values_are_misuse(repo):
    assert cli(repo, "schools", "list", "--partnership", "nrth").exit_code == 2
    r = cli(repo, "schools", "list", "--status", "members")
    assert r.exit_code == 2 and "did you mean member?" in r.output
    assert cli(repo, "schools", "list", "--sort", "size").exit_code == 2
    assert cli(repo, "schools", "list", "--json", "--csv").exit_code == 2
    assert cli(repo, "policies", "due", "--within", "soon").exit_code == 2


def test_no_colour_codes_in_pipes(repo, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    r = cli(repo, "schools", "list")
    assert "\x1b[" not in r.output


def test_networks_list_and_show(repo):
    r = cli(repo, "networks", "list", "--json")
    rows = json.loads(r.output)
    assert rows[0]["id"] == "sencos" and rows[0]["members"] == 2 and rows[0]["central_link"] == "Bea Adviser"
    r = cli(repo, "networks", "show", "senco network", "--json")
    rec = json.loads(r.output)
    assert [m["person"] for m in rec["members"]] == ["Sam Senco", "Bo Senco"]
    r = cli(repo, "networks", "show", "sencos", "--all", "--json")
    assert len(json.loads(r.output)["members"]) == 3
    assert cli(repo, "networks", "show", "nothing").exit_code == 2


def test_policies_due_reviews_and_adoptions(repo):
    m = model(repo)
    rows = policies_due(m, date(2026, 8, 20), timedelta(days=60)).rows
    assert rows[0]["issue"] == "review due" and rows[0]["due"] == date(2026, 9, 1)
    behind = [(r["urn"], r["issue"], r["version"]) for r in rows if r["urn"]]
    assert behind == [(100002, "on an older version", "1.0")]
    assert [r["issue"] for r in policies_due(m, date(2026, 9, 2), timedelta(days=0)).rows][0] == "review overdue"
    assert not [r for r in policies_due(m, date(2025, 11, 1), timedelta(days=60)).rows if r["urn"] is None]
    only_first = policies_due(m, DAY, timedelta(days=60), DueFilter(phase=["first"])).rows
    assert [r for r in only_first if r["urn"]] == []


def test_policies_list_and_show(repo):
    rows = json.loads(cli(repo, "policies", "list", "--json").output)
    assert rows == [{"id": "safeguarding", "title": "Child Protection and Safeguarding", "area": "safeguarding", "statutory": True,
                     "version": "2.0", "approved": "2025-09-01", "review_due": "2026-09-01", "adopted_current": 1, "members": 2}]
    rec = json.loads(cli(repo, "policies", "show", "safeguarding", "--json").output)
    assert [(s["urn"], s["up_to_date"]) for s in rec["member_schools"]] == [(100001, True), (100002, False)]


def test_people_find_everywhere_they_appear(repo):
    m = model(repo)
    rows = find_people(m, "senco", DAY).rows
    sam = [r for r in rows if r["name"] == "Sam Senco"][0]
    assert sam["appears_in"] == ["lead of SENCO Network", "member of SENCO Network"]
    assert "phone" not in sam or sam["phone"] is None
    assert [r["where"] for r in find_people(m, "alex", DAY).rows] == ["central team"]
    r = cli(repo, "people", "find", "Sam", "--json")
    assert json.loads(r.output) == plain(find_people(m, "Sam", DAY).rows)


def test_membership_report_terms_and_years(repo):
    r = cli(repo, "membership", "report", "--json")
    terms = json.loads(r.output)
    by_term = {t["term"]: t["members"] for t in terms}
    assert by_term["Autumn 2024"] == 3 and by_term["Autumn 2025"] == 2
    autumn25 = [t for t in terms if t["term"] == "Autumn 2025"][0]
    assert autumn25["left"] == 1 and autumn25["by_phase"] == {"first": 1, "primary": 1}
    years = json.loads(cli(repo, "membership", "report", "--by", "year", "--json").output)
    overall = {(y["year"], y["by"], y["group"]): (y["joined"], y["left"]) for y in years}
    # Gamma High joined on 1 Sep 2024 and withdrew on 31 Aug 2025: both in 2024/25
    assert overall[("2024/25", "all", "all")] == (3, 1)
    assert overall[("2024/25", "phase", "high")] == (1, 1)
    assert overall[("2024/25", "partnership", "South Partnership")] == (2, 1)


@pytest.mark.shared_sample
def test_school_show_lists_open_actions_from_meetings(sample):
    from nesa_cli.reports.schools import open_actions_for

    m = load(WorkingTree(sample)).model
    found = {a["action"]: a for s in m.schools.values() for a in open_actions_for(m, s, DAY)}
    assert found, "the sample alliance has open actions owned by school staff"
    for meeting in m.other["meeting"].values():
        for action in meeting.actions:
            if action.id in found:
                assert action.status != "done" and action.owner.school is not None
