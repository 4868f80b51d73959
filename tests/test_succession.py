"""Academy conversion (issue 20): a new URN succeeds an old one. The positive fixture
(tests/fixtures/succession/positive: Alpha First School 100001 converted to Alpha First
Academy 149001 on 1 September 2026, as nesa schools convert wrote it) validates clean;
each negative case fires its rule at the right line; nesa schools convert makes that state
and refuses what it cannot do; reports follow the succession."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, edit, git, line_of, make_repo
from nesa_cli.cli import app
from nesa_cli.store import WorkingTree
from nesa_cli.succession import formerly, latest_adoption, lineage, member_since
from nesa_cli.validate.catalogue import RULES
from nesa_cli.validate.run import load

POSITIVE = FIXTURES / "succession" / "positive"
OLD, NEW = "data/schools/100001.yaml", "data/schools/149001.yaml"
runner = CliRunner()


def run(repo: Path, *args: str):
    return runner.invoke(app, ["-C", str(repo), *args])


@pytest.fixture
def conv(tmp_path: Path) -> Path:
    """The base alliance with the positive succession files laid over it."""
    shutil.copytree(FIXTURES / "base" / "data", tmp_path / "src" / "data")
    shutil.copytree(POSITIVE / "data", tmp_path / "src" / "data", dirs_exist_ok=True)
    return make_repo(tmp_path / "alliance", tmp_path / "src")


def test_positive_fixture_validates_clean_and_the_model_links_both_ways(conv: Path):
    result = load(WorkingTree(conv))
    assert result.errors == 0 and result.warnings == 0, "\n".join(d.text() for d in result.diagnostics)
    m = result.model
    new, old = m.schools[149001], m.schools[100001]
    assert (new.predecessor.urn, new.predecessor.date, new.predecessor.reason) == (100001, date(2026, 9, 1), "academy-converter")
    assert old.successor.urn == 149001 and lineage(m, 149001) == 100001
    assert formerly(m, new) == "formerly Alpha First School (URN 100001), converted to an academy on 1 September 2026"
    assert member_since(m, new, date(2026, 11, 23)) == date(2024, 9, 1)  # across the conversion
    ad = latest_adoption(m, m.policies["safeguarding"], 149001)
    assert (ad.school, ad.version) == (100001, "2.0")


# (case id, [(file, old, new)], (file, text on the expected line, rule))
CASES = [
    ("unknown-predecessor", [(NEW, "  urn: 100001\n", "  urn: 100999\n")], (NEW, "urn: 100999", "succession-unknown")),
    ("cycle", [(OLD, "type: community\n", "type: community\npredecessor: {urn: 149001, date: 2026-09-01}\n")],
     (NEW, "  urn: 100001", "succession-cycle")),
    ("self", [(NEW, "  urn: 100001\n", "  urn: 149001\n")], (NEW, "  urn: 149001\n  date", "succession-cycle")),
    ("old-still-a-member", [(OLD, "  - state: withdrawn\n    date: 2026-09-01\n", "  - state: withdrawn\n    date: 2026-10-01\n")],
     (OLD, "  - state: member\n    date: 2024-09-01", "succession-dates")),
    ("before-the-predecessor-was-known", [(NEW, "  date: 2026-09-01\n  reason", "  date: 2023-01-01\n  reason")],
     (NEW, "date: 2023-01-01", "succession-dates")),
    ("successor-a-member-before-it-existed", [(NEW, "  - state: member\n    date: 2026-09-01", "  - state: member\n    date: 2026-08-01")],
     (NEW, "date: 2026-08-01", "succession-dates")),
    ("mirror-names-another-school", [(OLD, "successor:\n  urn: 149001", "successor:\n  urn: 100002")],
     (OLD, "urn: 100002", "succession-mismatch")),
    ("mirror-date-differs", [(OLD, "  date: 2026-09-01\n  reason: academy-converter", "  date: 2026-09-02\n  reason: academy-converter")],
     (OLD, "date: 2026-09-02", "succession-mismatch")),
    ("two-successors", [("data/schools/100002.yaml", "type: ", "predecessor: {urn: 100001, date: 2026-09-01}\ntype: ")],
     ("data/schools/100002.yaml", "predecessor: {urn: 100001", "succession-mismatch")),
    ("reason-unknown", [(NEW, "reason: academy-converter", "reason: conversion")], (NEW, "reason: conversion", "schema")),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_negative_case_fires_its_rule_at_the_right_line(conv: Path, case):
    _, edits, (path, marker, rule) = case
    for rel, old, new in edits:
        edit(conv, rel, old, new)
    line = line_of(conv, path, marker)
    result = load(WorkingTree(conv))
    got = [(d.path, d.line, d.rule) for d in result.diagnostics]
    assert any(p == path and r == rule and line <= ln <= line + 1 for p, ln, r in got), "\n".join(d.text() for d in result.diagnostics)
    assert all(d.severity == RULES[rule][0] for d in result.diagnostics if d.rule == rule)


def test_a_predecessor_known_only_from_gias_needs_its_name(conv: Path):
    edit(conv, NEW, "  urn: 100001\n", "  urn: 100999\n  name: Old Alpha School\n")
    edit(conv, OLD, "successor:\n  urn: 149001\n  date: 2026-09-01\n  reason: academy-converter\n", "")
    result = load(WorkingTree(conv))
    assert not [d for d in result.diagnostics if d.rule.startswith("succession")], [d.text() for d in result.diagnostics]
    assert formerly(result.model, result.model.schools[149001]).startswith("formerly Old Alpha School (URN 100999)")


# --- nesa schools convert -------------------------------------------------------


def test_convert_writes_the_positive_fixture_and_commits_it(repo: Path):
    r = run(repo, "schools", "convert", "Alpha First", "149001", "--on", "2026-09-01", "--name", "Alpha First Academy", "--commit")
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "SENCO Network: Sam Senco's place continues under URN 149001 from 1 September 2026" in out
    assert "1 adoption by URN 100001 (Child Protection and Safeguarding) stand for Alpha First Academy (149001)" in out
    for rel in (OLD, NEW, "data/networks/sencos.yaml"):
        assert (repo / rel).read_text(encoding="utf-8") == (POSITIVE / rel).read_text(encoding="utf-8"), rel
    assert git(repo, "log", "-1", "--format=%s").strip() == "Convert Alpha First School (100001) to URN 149001 on 2026-09-01"
    assert git(repo, "status", "--porcelain", "--", "data") == ""
    assert load(WorkingTree(repo)).errors == 0


def test_convert_dry_run_writes_nothing_and_the_trust_goes_on_the_link(repo: Path):
    r = run(repo, "schools", "convert", "100001", "149001", "--on", "2026-09-01", "--trust", "North Star Academy Trust", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "+  note: joins North Star Academy Trust" in r.output and "dry run: 3 files would change" in r.output
    assert not (repo / NEW).exists()


@pytest.mark.parametrize("args, message", [
    (["Alhpa Frist", "149001"], "Did you mean: Alpha First School"),
    (["100001", "100002"], "school 100002 already exists (Beta Primary School)"),
    (["100001", "14900"], "is not six digits"),
    (["100001", "100001"], "an academy gets a new URN"),
], ids=["unknown-school", "new-exists", "new-not-six-digits", "same-urn"])
def test_convert_refuses_with_a_clear_error(repo: Path, args, message):
    r = run(repo, "schools", "convert", *args, "--on", "2026-09-01")
    assert r.exit_code == 2
    assert message in " ".join(r.output.split()), r.output
    assert not (repo / NEW).exists()


def test_convert_refuses_a_date_before_the_school_joined_and_a_second_conversion(repo: Path):
    r = run(repo, "schools", "convert", "100001", "149001", "--on", "2022-09-01")
    assert r.exit_code == 2 and "before Alpha First School (100001) joined" in " ".join(r.output.split())
    assert run(repo, "schools", "convert", "100001", "149001", "--on", "2026-09-01").exit_code == 0
    r = run(repo, "schools", "convert", "100001", "149002", "--on", "2026-10-01")
    assert r.exit_code == 2 and "already has a successor" in r.output


def test_convert_on_a_fresh_nesa_init_repository(tmp_path: Path):
    root = tmp_path / "fresh"
    assert runner.invoke(app, ["init", str(root), "--name", "Test Alliance", "--short", "TA", "--la", "929"]).exit_code == 0
    r = run(root, "schools", "add", "123456", "--name", "Oak Primary School", "--phase", "primary", "--type", "community",
            "--town", "Morpeth", "--postcode", "NE61 1AA", "--laestab", "9291234", "--state", "member", "--date", "2024-09-01", "--commit")
    assert r.exit_code == 0, r.output
    r = run(root, "schools", "convert", "123456", "150001", "--on", "2026-09-01", "--commit")
    assert r.exit_code == 0, r.output
    assert run(root, "validate").exit_code == 0
    rec = json.loads(run(root, "schools", "show", "150001", "--json").stdout)
    assert rec["type"] == "academy-converter" and rec["member_since"] == "2024-09-01"
    assert rec["succession"].startswith("formerly Oak Primary School (URN 123456), converted to an academy on 1 September 2026")


# --- reports ----------------------------------------------------------------------


def test_membership_by_year_counts_a_conversion_as_continuing(conv: Path):
    rows = json.loads(run(conv, "membership", "report", "--by", "year", "--json").stdout)
    year = [r for r in rows if r["year"] == "2026/27" and r["by"] == "all"]
    assert year == [{"year": "2026/27", "by": "all", "group": "all", "joined": 0, "left": 0, "joiners": [], "leavers": [],
                     "converted": ["Alpha First Academy (was URN 100001)"]}]


def test_membership_by_term_does_not_lose_or_gain_a_member(conv: Path):
    rows = json.loads(run(conv, "membership", "report", "--json").stdout)
    autumn = next(r for r in rows if r["term"] == "Autumn 2026")
    summer = next(r for r in rows if r["term"] == "Summer 2026")
    assert (autumn["members"], autumn["joined"], autumn["left"]) == (summer["members"], 0, 0)


def test_schools_show_says_formerly_and_continues_as(conv: Path):
    new = " ".join(run(conv, "schools", "show", "149001").output.split())
    assert "formerly Alpha First School (URN 100001), converted to an academy on 1 September 2026" in new
    assert "Member since: 1 September 2024" in new
    old = " ".join(run(conv, "schools", "show", "100001").output.split())
    assert "converted to an academy: continues as Alpha First Academy (URN 149001) from 1 September 2026" in old


def test_policies_due_accepts_the_predecessors_adoption(conv: Path):
    rows = json.loads(run(conv, "policies", "due", "--json").stdout)
    assert not [r for r in rows if r.get("urn") == 149001 and r["policy"] == "safeguarding"], rows
    rec = json.loads(run(conv, "schools", "show", "149001", "--json").stdout)
    pol = next(p for p in rec["policies"] if p["policy"] == "safeguarding")
    assert (pol["adopted_version"], pol["adopted_as"], pol["up_to_date"]) == ("2.0", 100001, True)


# --- GIAS links -------------------------------------------------------------------

LINKS_HEADER = '"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\r\n'


def _links(tmp_path: Path, *rows: tuple) -> Path:
    p = tmp_path / "links_edubasealldata20261120.csv"
    body = "".join(",".join(f'"{c}"' for c in row) + "\r\n" for row in rows)
    p.write_bytes((LINKS_HEADER + body).encode("cp1252"))
    return p


GIAS_ROWS = [
    ("149001", "100001", "Alpha First School", "Predecessor", "01-09-2026"),
    ("100001", "149001", "Alpha First Academy", "Successor", "01-09-2026"),
    ("100002", "140077", "Beta Sixth Form Centre", "Sixth form centre link", "01-09-2020"),  # not a succession
    ("888888", "777777", "Elsewhere Café School", "Predecessor", "01-04-2025"),  # none of the alliance's schools
]


def test_import_gias_links_records_the_conversion_as_convert_would(repo: Path, tmp_path: Path):
    links = _links(tmp_path, *GIAS_ROWS)
    r = run(repo, "import", "gias", "--links", str(links), "--commit")
    assert r.exit_code == 0, r.output
    assert "succession: Alpha First Academy (149001) succeeds Alpha First School (100001) from 2026-09-01 (academy-converter)" in r.output
    assert "1 succession recorded, 0 already recorded" in r.output
    for rel in (OLD, NEW, "data/networks/sencos.yaml"):
        assert (repo / rel).read_text(encoding="utf-8") == (POSITIVE / rel).read_text(encoding="utf-8"), rel
    again = run(repo, "import", "gias", "--links", str(links))
    assert again.exit_code == 0 and "0 successions recorded, 1 already recorded" in again.output


def test_import_gias_links_joins_an_academy_file_the_establishment_import_made(repo: Path, tmp_path: Path):
    r = run(repo, "schools", "add", "149001", "--name", "Alpha First Academy", "--phase", "first", "--type", "academy-converter",
            "--town", "Alnwick", "--postcode", "NE66 1AA", "--laestab", "9292001", "--date", "2026-11-20", "--commit")
    assert r.exit_code == 0, r.output
    r = run(repo, "import", "gias", "--links", str(_links(tmp_path, *GIAS_ROWS[:2])), "--commit")
    assert r.exit_code == 0, r.output
    result = load(WorkingTree(repo))
    assert result.errors == 0, [d.text() for d in result.diagnostics]
    new = result.model.schools[149001]
    assert new.predecessor.urn == 100001 and new.status_on(date(2026, 11, 23)) == "member"
    assert {c.name for c in new.contacts} >= {"Ann Head", "Sam Senco"} and new.partnership == "north"
    assert result.model.schools[100001].status_on(date(2026, 9, 1)) == "withdrawn"


def test_import_gias_links_names_a_predecessor_the_alliance_never_had(repo: Path, tmp_path: Path):
    r = run(repo, "import", "gias", "--links", str(_links(tmp_path, ("100002", "111222", "Old Beta School", "Predecessor - amalgamated", "01-09-2019"))))
    assert r.exit_code == 0, r.output
    result = load(WorkingTree(repo))
    assert result.errors == 0, [d.text() for d in result.diagnostics]
    link = result.model.schools[100002].predecessor
    assert (link.urn, link.name, link.reason, link.date) == (111222, "Old Beta School", "amalgamation", date(2019, 9, 1))


def test_import_gias_links_refuses_a_file_that_is_not_one(repo: Path, tmp_path: Path):
    bad = tmp_path / "links.csv"
    bad.write_text('"URN","LinkURN","Type"\r\n"1","2","x"\r\n', encoding="cp1252")
    r = run(repo, "import", "gias", "--links", str(bad))
    assert r.exit_code == 2 and "is not a GIAS links file: missing columns LinkName, LinkType, LinkEstablishedDate" in " ".join(r.output.split())
    assert run(repo, "import", "gias").exit_code == 2


def test_diff_says_a_conversion_in_one_sentence(repo: Path):
    assert run(repo, "schools", "convert", "100001", "149001", "--on", "2026-09-01", "--name", "Alpha First Academy", "--commit").exit_code == 0
    rows = json.loads(run(repo, "diff", "HEAD~1..HEAD", "--json").stdout)
    texts = [r["text"] for r in (rows["changes"] if isinstance(rows, dict) else rows)]
    schools = [t for t in texts if "Alpha First" in t and "Network" not in t]
    assert schools == ["Alpha First School (URN 100001) converted to an academy on 1 September 2026 "
                       "and continues as Alpha First Academy (URN 149001)"]
    assert "SENCO Network: Sam Senco's place continues under Alpha First Academy's new URN from 2026-09-01" in texts
    assert not [t for t in texts if "withdrew" in t or "joined" in t]


def test_sample_equity_counts_the_converted_school_once_for_the_whole_year(sample: Path):
    rep = json.loads(run(sample, "equity", "--from", "2026-04-01", "--to", "2027-03-31", "--json").stdout)
    rows = rep["schools"] if isinstance(rep, dict) else rep
    mine = [r for r in rows if r["urn"] in (122339, 149993)]
    assert [(r["urn"], r["member"], r["formerly"]) for r in mine] == [(149993, 1.0, [122339])]
    assert "Newbiggin Sands Primary School (149993) counts with its former URN 122339: one school across a conversion." in rep["notes"]


def test_sample_history_of_the_academy_says_formerly(sample: Path):
    out = " ".join(run(sample, "history", "149993").output.split())
    assert "Formerly Newbiggin Sands Primary School (URN 122339), converted to an academy on 1 September 2026" in out


def test_sample_contribution_of_the_conversion_year_is_one_row_under_the_confirmed_urn(sample: Path):
    rep = json.loads(run(sample, "finance", "contributions", "2026-27", "--json").stdout)
    rows = rep["rows"] if isinstance(rep, dict) else rep
    mine = [r for r in rows if r["urn"] in (122339, 149993)]
    assert [(r["urn"], r["months"], r["confirmed"]) for r in mine] == [(122339, 12, True)]


def test_sample_status_lists_the_conversion_not_a_withdrawal(sample: Path):
    rep = json.loads(run(sample, "status", "--json").stdout)
    assert 122339 not in [w["urn"] for w in rep["withdrawn"]]
    assert [(c["urn"], c["successor"], c["date"]) for c in rep["converted"]] == [(122339, 149993, "2026-09-01")]
    assert 149993 in [s["urn"] for s in json.loads(run(sample, "schools", "list", "--status", "member", "--json").stdout)]


def test_sample_schools_list_says_converted_not_withdrawn(sample: Path):
    """The old file of a converted school (122339, continued by 149993) is listed as converted, with the
    URN that continues it (JSON: successor; the table: a line under it), and not as a withdrawal."""
    rows = {r["urn"]: r for r in json.loads(run(sample, "--today", "2026-11-23", "schools", "list", "--search", "Newbiggin", "--json").stdout)}
    assert (rows[122339]["status"], rows[122339]["successor"]) == ("converted", 149993)
    assert (rows[149993]["status"], rows[149993]["successor"]) == ("member", None)
    withdrawn = json.loads(run(sample, "--today", "2026-11-23", "schools", "list", "--status", "withdrawn", "--json").stdout)
    assert 122339 not in [r["urn"] for r in withdrawn] and withdrawn  # the real leavers are still there
    out = run(sample, "--today", "2026-11-23", "schools", "list", "--status", "converted").stdout
    assert "122339" in out and "converted" in out and "withdrawn" not in out
    assert "continues as Newbiggin Sands Primary School (URN 149993) from 1 September 2026" in " ".join(out.split())
    before = json.loads(run(sample, "--today", "2026-06-01", "schools", "list", "--search", "122339", "--json").stdout)
    assert before[0]["status"] == "member" and before[0]["successor"] is None  # before the day: still the school


def test_people_lists_a_carried_over_contact_once_under_the_school_as_it_is(conv: Path):
    """A contact on a converted school's old file who is also on the successor is one person, found under
    the successor from the conversion day (under the old URN before it); someone only on the old file stays."""
    from nesa_cli.reports.people import find_people

    model = load(WorkingTree(conv)).model
    after = [(r["name"], r["urn"]) for r in find_people(model, "Ann Head", date(2026, 11, 23)).rows]
    before = [(r["name"], r["urn"]) for r in find_people(model, "Ann Head", date(2026, 6, 1)).rows]
    assert (after, before) == ([("Ann Head", 149001)], [("Ann Head", 100001)])
    edit(conv, NEW, "    name: Sam Senco", "    name: Sam Newsenco")
    model = load(WorkingTree(conv)).model
    found = {(r["name"], r["urn"]) for r in find_people(model, "Sam", date(2026, 11, 23)).rows}
    assert {("Sam Senco", 100001), ("Sam Newsenco", 149001)} <= found and ("Sam Senco", 149001) not in found


def test_convert_on_the_sample_moves_places_and_later_meetings_but_not_adoptions_or_invoices(sample: Path):
    r = run(sample, "schools", "convert", "Bellingham", "149876", "--on", "2026-09-01", "--name", "Bellingham Primary Academy",
            "--dry-run", "--json")
    assert r.exit_code == 0, r.output
    done = json.loads(r.stdout)
    paths = done["paths"]
    assert "data/meetings/2026-10-14-strategic-board.yaml" in paths  # on or after the day: the new URN attends
    assert "data/meetings/2026-07-01-strategic-board.yaml" not in paths  # before it: the old URN attended
    assert "data/networks/headteachers.yaml" in paths and "data/schools/149876.yaml" in done["created"]
    assert not [p for p in paths if p.startswith(("data/policies/", "data/finance/"))]
    said = " ".join(done["changes"])
    assert "stand for Bellingham Primary Academy (149876)" in said and "invoices still open to Bellingham Primary School (122220): NESA-2026-0047" in said
    assert done["written"] is False and not (sample / "data/schools/149876.yaml").exists()


def test_sample_status_before_the_conversion_has_no_academy_yet(sample: Path):
    rep = json.loads(runner.invoke(app, ["-C", str(sample), "--today", "2026-06-01", "status", "--json"]).stdout)
    assert 149993 not in [j["urn"] for j in rep["joining"]] and rep["converted"] == []
