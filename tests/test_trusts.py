"""issue 20: trusts and federations on the school (from GIAS), eligibility by governance,
a school in several partnerships, partnership lead heads; on the sample and a fresh repository."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from conftest import PROJECT, make_repo
from nesa_cli.cli import app
from nesa_cli.model import MembershipEvent, Model, School
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load
from test_gias import row, to_bytes

runner = CliRunner()
TODAY = "2026-11-23"


def nesa(*args: str):
    return runner.invoke(app, ["--today", TODAY, *args], catch_exceptions=False)


def diags(root: Path, rule: str) -> list[str]:
    return [d.text() for d in load(WorkingTree(root)).diagnostics if d.rule == rule]


def fresh(tmp_path: Path, monkeypatch) -> Path:
    for v, x in (("GIT_AUTHOR_NAME", "Ada"), ("GIT_AUTHOR_EMAIL", "ada@example.org"), ("GIT_COMMITTER_NAME", "Ada"),
                 ("GIT_COMMITTER_EMAIL", "ada@example.org")):
        monkeypatch.setenv(v, x)
    root = tmp_path / "sat"
    r = nesa("init", str(root), "--name", "Stronger Together Alliance", "--short", "STA", "--la", "929")
    assert r.exit_code == 0, r.output
    return root


def gias_file(tmp_path: Path) -> Path:
    rows = [
        row(900301, "Hill Academy", number=4101, type_="Academy converter", TrustsCode="16001", TrustsName="Hill Academy Trust",
            TrustSchoolFlagName="Supported by a single-academy trust", Town="Alnwick", Postcode="NE66 1AB"),
        row(900302, "Vale Academy", number=4102, type_="Academy converter", TrustsCode="17000", TrustsName="Vale Learning Trust",
            TrustSchoolFlagName="Supported by a multi-academy trust~Supported by an umbrella trust", Town="Alnwick", Postcode="NE66 1AC"),
        # no flag: two open academies share code 18000, so a MAT
        row(900303, "Moor Academy", number=4103, type_="Academy sponsor led", TrustsCode="18000", TrustsName="Moor Trust",
            Town="Morpeth", Postcode="NE61 1AA"),
        row(900304, "Fell Academy", number=4104, type_="Academy sponsor led", TrustsCode="18000", TrustsName="Moor Trust",
            Town="Morpeth", Postcode="NE61 1AB"),
        row(900305, "Burn First School", number=2105, FederationsCode="F77", FederationsName="Burn and Beck Federation",
            Town="Hexham", Postcode="NE46 1AA"),
        row(900306, "Beck First School", number=2106, FederationsCode="F77", FederationsName="Burn and Beck Federation",
            Town="Hexham", Postcode="NE46 1AB"),
    ]
    path = tmp_path / "edubasealldata20261201.csv"
    path.write_bytes(to_bytes(rows))
    return path


# --- 1. trusts and federations from GIAS ---------------------------------------------------------


def test_import_keeps_trust_kind_and_federation_and_shows_and_filters_them(tmp_path, monkeypatch):
    root = fresh(tmp_path, monkeypatch)
    r = nesa("-C", str(root), "import", "gias", str(gias_file(tmp_path)))
    assert r.exit_code == 0, r.output
    m = load(WorkingTree(root)).model
    assert m.schools[900301].trust == {"name": "Hill Academy Trust", "code": "16001", "type": "sat"}
    assert m.schools[900302].trust["type"] == "mat"  # the flag's first part
    assert m.schools[900303].trust["type"] == m.schools[900304].trust["type"] == "mat"  # by count, no flag
    assert m.schools[900305].federation == {"name": "Burn and Beck Federation", "code": "F77"}
    listed = json.loads(nesa("-C", str(root), "schools", "list", "--trust", "moor", "--json").output)
    assert sorted(x["urn"] for x in listed) == [900303, 900304]
    listed = json.loads(nesa("-C", str(root), "schools", "list", "--trust", "F77", "--json").output)
    assert sorted(x["urn"] for x in listed) == [900305, 900306]
    shown = json.loads(nesa("-C", str(root), "schools", "show", "900305", "--json").output)
    assert shown["federation"]["schools_with_it"] == ["Beck First School"]
    shown = json.loads(nesa("-C", str(root), "schools", "show", "900303", "--json").output)
    assert shown["trust"]["kind"] == "multi-academy trust" and shown["governance"] == "an academy in a multi-academy trust"
    # a second run changes nothing; a federation GIAS no longer lists is removed, and said
    again = nesa("-C", str(root), "import", "gias", str(gias_file(tmp_path)))
    assert "0 new, 0 changed" in again.output, again.output
    path = tmp_path / "later.csv"
    path.write_bytes(to_bytes([row(900305, "Burn First School", number=2105, Town="Hexham", Postcode="NE46 1AA")]))
    r = nesa("-C", str(root), "import", "gias", str(path), "--urn", "900305")
    assert "federation Burn and Beck Federation removed (GIAS lists none)" in r.output, r.output
    assert load(WorkingTree(root)).model.schools[900305].federation is None


# --- 2. eligibility by governance ------------------------------------------------------------------


def _set_governance(root: Path, kinds: str) -> None:
    p = root / "data/alliance.yaml"
    text = p.read_text()
    assert "  la_codes: [929]\n" in text
    p.write_text(text.replace("  la_codes: [929]\n", f"  la_codes: [929]\n  governance: [{kinds}]\n", 1))


def test_import_honours_governance_and_validate_flags_a_mat_member(tmp_path, monkeypatch):
    root = fresh(tmp_path, monkeypatch)
    _set_governance(root, "sat")  # "single-academy trusts only"
    r = nesa("-C", str(root), "import", "gias", str(gias_file(tmp_path)))
    assert r.exit_code == 0, r.output
    assert sorted(p.stem for p in (root / "data/schools").glob("*.yaml")) == ["900301"]
    assert "of other governance" in r.output
    # a MAT academy made a member by hand: an error naming the rule
    r = nesa("-C", str(root), "import", "gias", str(gias_file(tmp_path)), "--urn", "900302", "--all-types")
    p = root / "data/schools/900302.yaml"
    p.write_text(p.read_text().replace("state: prospective", "state: member"))
    found = diags(root, "eligibility-governance")
    assert len(found) == 1 and "Vale Academy cannot be member: it is an academy in a multi-academy trust, " \
        "Vale Learning Trust (multi-academy trust); the alliance admits: standalone academy" in found[0], found
    # the same school is fine where MATs are admitted; a SAT member is fine under "sat"
    q = root / "data/schools/900301.yaml"
    q.write_text(q.read_text().replace("state: prospective", "state: member"))
    assert len(diags(root, "eligibility-governance")) == 1
    p.write_text(p.read_text().replace("type: mat", "type: sat"))
    assert diags(root, "eligibility-governance") == []


def test_an_academy_of_unknown_trust_kind_is_a_warning(tmp_path, monkeypatch):
    root = fresh(tmp_path, monkeypatch)
    _set_governance(root, "maintained, sat")
    path = tmp_path / "g.csv"
    path.write_bytes(to_bytes([row(900309, "Lone Academy", number=4109, type_="Academy converter", TrustsName="Lone Trust",
                                   TrustsCode="19000", Town="Alnwick", Postcode="NE66 1AD")]))
    assert nesa("-C", str(root), "import", "gias", str(path)).exit_code == 0
    p = root / "data/schools/900309.yaml"
    p.write_text(p.read_text().replace("state: prospective", "state: member"))
    found = diags(root, "governance-unknown")
    assert len(found) == 1 and "not known to be single- or multi-academy" in found[0]


def test_the_sample_says_maintained_and_standalone_academies_and_flags_its_mat_school(tmp_path):
    sample = make_repo(tmp_path / "s", PROJECT)
    result = load(WorkingTree(sample))
    assert result.errors == 0, [d.text() for d in result.diagnostics if d.severity == "error"]
    assert result.model.alliance.eligible_governance == ("maintained", "sat")
    p = sample / "data/schools/122423.yaml"
    p.write_text(p.read_text().replace("  - state: prospective\n    date: 2025-03-14\n",
                                       "  - state: prospective\n    date: 2025-03-14\n  - state: member\n    date: 2025-09-01\n"))
    found = diags(sample, "eligibility-governance")
    assert len(found) == 1 and "Coast and Castles Learning Trust (multi-academy trust)" in found[0]


# --- 3. several partnerships ----------------------------------------------------------------------


def _school(urn, partnership=None, others=(), e=400000, n=600000, phase="primary"):
    return School(urn=urn, name=f"S{urn}", phase=phase, type="community", partnership=partnership,
                  other_partnerships=tuple(others), easting=e, northing=n, laestab=9290000 + urn % 10000,
                  membership=(MembershipEvent("member", date(2024, 9, 1)),),
                  strengths=({"area": "maths-mastery"},))


def _model(*schools):
    from nesa_cli.model import Alliance, Partnership

    a = Alliance(name="A", short_name="A", la_codes=(929,), eligible_types=("community",), financial_year_start_month=4,
                 census_date=date(2025, 10, 2), partnerships=(Partnership("north", "North", "hard"),
                                                              Partnership("south", "South", "loose")))
    return Model(alliance=a, schools={s.urn: s for s in schools})


def test_reports_count_a_school_in_each_of_its_partnerships_and_once_in_totals():
    from nesa_cli.reports.membership import membership_by_term, membership_by_year
    from nesa_cli.reports.schools import SchoolFilter, list_schools
    from nesa_cli.reports.status import status

    m = _model(_school(100001, "north", ["south"]), _school(100002, "north"), _school(100003, "south"))
    day = date(2026, 1, 5)
    st = status(m, day)
    assert st["members"] == 3 and st["members_by_partnership"] == {"North": 2, "South": 2}
    term = membership_by_term(m, day).rows[-1]
    assert term["members"] == 3 and term["by_partnership"] == {"North": 2, "South": 2}
    year = {r["group"]: r["joined"] for r in membership_by_year(m, day).rows if r["by"] == "partnership"}
    assert year == {"North": 2, "South": 2}
    south = list_schools(m, day, SchoolFilter(partnership=["south"])).rows
    assert sorted(r["urn"] for r in south) == [100001, 100003]
    assert next(r for r in south if r["urn"] == 100001)["partnerships"] == ["north", "south"]


def test_the_schools_table_shows_every_partnership_primary_first(capsys):
    """The table of ``schools list`` names all of a school's partnerships, not only the primary; the CSV
    keeps its stable header and cells (the primary partnership), the JSON has every one under partnerships."""
    from nesa_cli.cli.output import plain_table
    from nesa_cli.reports.schools import list_schools
    from nesa_cli.tabular import to_csv

    listing = list_schools(_model(_school(100001, "north", ["south"]), _school(100002, "south")), date(2026, 1, 5))
    plain_table(listing)
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("100001"))
    assert "north, south" in line
    csv_rows = to_csv(listing).splitlines()
    assert csv_rows[0].split(",")[4] == "partnership" and csv_rows[1].split(",")[4] == "north"


def test_the_broker_counts_any_shared_partnership():
    from nesa_cli.collab.broker import broker

    target = _school(100001, "north", ["south"])
    helper = _school(100003, "south", e=401000)
    m = _model(target, helper)
    rows = broker(m, date(2026, 1, 5), "maths-mastery", for_urn=100001).rows
    assert "same partnership south (+1)" in rows[0]["why"]


def test_contacts_by_partnership_include_other_partnerships_and_mark_lead_heads(tmp_path):
    sample = make_repo(tmp_path / "s", PROJECT)
    from nesa_cli.reports.contacts import contact_sheet

    rows = contact_sheet(load(WorkingTree(sample)).model, date(2026, 11, 23), partnership="simonside", role="headteacher").rows
    assert "Coquet Valley High School" in {x["school"] for x in rows}  # in simonside as its other partnership
    assert [x["name"] for x in rows if x["partnership_lead"]] == ["Maria Fenwick"]


def test_partnership_rules(tmp_path):
    sample = make_repo(tmp_path / "s", PROJECT)
    p = sample / "data/schools/122206.yaml"
    p.write_text(p.read_text().replace("other_partnerships: [simonside]", "other_partnerships: [coquet-valley, nowhere]"))
    found = diags(sample, "partnership-primary") + [d for d in diags(sample, "ref-partnership") if "nowhere" in d]
    assert len(found) == 2, found
    a = sample / "data/alliance.yaml"
    a.write_text(a.read_text().replace("{school: 122101, person: Maria Fenwick}", "{school: 122101, person: Emma Thompson}"))
    found = diags(sample, "partnership-lead")
    assert len(found) == 1 and "not its head" in found[0]


def test_the_sample_shows_each_feature():
    result = load(WorkingTree(PROJECT))
    m = result.model
    assert result.errors == 0
    assert m.schools[122206].partnerships == ("coquet-valley", "simonside")
    assert m.schools[122220].federation["name"] == m.schools[122241].federation["name"]
    assert m.schools[122423].trust["type"] == "mat"
    assert sum(1 for s in m.schools.values() if s.trust and s.trust.get("type") == "sat") >= 2
    assert m.alliance.partnership("simonside").leads == ((122101, "Maria Fenwick"),)


def test_editing_verbs_handle_the_new_fields(tmp_path):
    sample = make_repo(tmp_path / "s", PROJECT)
    r = runner.invoke(app, ["-C", str(sample), "--today", TODAY, "schools", "set", "122101", "other_partnerships+=coquet-valley",
                            "federation.name=Rothbury and Thropton Federation"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    s = load(WorkingTree(sample)).model.schools[122101]
    assert s.partnerships == ("simonside", "coquet-valley") and s.federation == {"name": "Rothbury and Thropton Federation"}
    r = runner.invoke(app, ["-C", str(sample), "--today", TODAY, "partnerships", "add", "cheviot", "--name", "Cheviot",
                            "--type", "loose", "--lead", "122101:Maria Fenwick"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    a = load(WorkingTree(sample)).model.alliance
    assert a.partnership("cheviot").leads == ((122101, "Maria Fenwick"),)


def test_change_reports_say_partnerships_trusts_and_federations_in_words():
    from nesa_cli.governance import changes_in_words

    old = {"partnership": "north", "trust": {"name": "Hill Trust", "type": "sat"}}
    new = {"partnership": "north", "other_partnerships": ["south"], "trust": {"name": "Vale Trust", "type": "mat"},
           "federation": {"name": "Burn Federation"}}
    assert changes_in_words("Hill", old, new) == [
        "Hill joins partnership south", "Hill moves from trust Hill Trust to Vale Trust (multi-academy trust)",
        "Hill joins federation Burn Federation"]
    assert changes_in_words("Hill", new, {"partnership": "south", "other_partnerships": ["north"]}) == [
        "Hill's primary partnership is now south (was north)", "Hill leaves trust Vale Trust", "Hill leaves federation Burn Federation"]


def test_nesa_diff_says_a_second_partnership_in_words(tmp_path):
    from conftest import git

    sample = make_repo(tmp_path / "s", PROJECT)
    p = sample / "data/schools/122101.yaml"
    p.write_text(p.read_text().replace("partnership: simonside\n", "partnership: simonside\nother_partnerships: [coquet-valley]\n"))
    git(sample, "commit", "-qam", "Rothbury joins Coquet Valley too")
    r = runner.invoke(app, ["-C", str(sample), "--today", TODAY, "diff", "HEAD~1"], catch_exceptions=False)
    assert "Rothbury First School joins Coquet Valley Partnership" in r.output, r.output  # by its name, not its id


def test_the_proposer_keeps_a_federation_and_a_mat_whole():
    from nesa_cli.collab.propose import propose_for_model

    far = [_school(100001 + i, e=400000 + i * 30000, n=600000) for i in range(6)]
    far[0].federation = far[5].federation = {"name": "Ends Federation"}
    far[1].trust = far[4].trust = {"name": "Wide Trust", "type": "mat"}
    m = _model(*far)

    class NoPreferences:  # the schools' stated preferences are read from their files: none here
        documents: dict = {}
        kinds: dict = {}

    out = propose_for_model(m, NoPreferences(), date(2026, 1, 5), lo=3, hi=3)
    groups = [set(g["schools"]) for g in out["groups"]]
    assert any({100001, 100006} <= g for g in groups) and any({100002, 100005} <= g for g in groups), groups
