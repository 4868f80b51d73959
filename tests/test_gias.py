"""GIAS CSV rows in the real format, for the GIAS tests and the benchmark.

The header is the real "edubasealldata" column list (a realistic subset of
its ~140 columns, in GIAS's order, with every column the import reads);
files are written the way GIAS writes them: every field quoted, CRLF line
ends, Windows-1252 text.

Regenerate the committed fixture with:
    .venv/bin/python tests/gias_rows.py
"""

from __future__ import annotations

import csv
import io
import time
from datetime import date
from pathlib import Path

import pytest

HEADER = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)", "EstablishmentTypeGroup (code)", "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)", "EstablishmentStatus (name)", "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)", "OpenDate", "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)",
    "CloseDate", "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)", "OfficialSixthForm (code)", "OfficialSixthForm (name)",
    "Gender (code)", "Gender (name)", "ReligiousCharacter (code)", "ReligiousCharacter (name)", "ReligiousEthos (name)",
    "Diocese (code)", "Diocese (name)", "AdmissionsPolicy (code)", "AdmissionsPolicy (name)", "SchoolCapacity",
    "SpecialClasses (code)", "SpecialClasses (name)", "CensusDate", "NumberOfPupils", "NumberOfBoys", "NumberOfGirls",
    "PercentageFSM", "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)", "Trusts (name)",
    "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)", "Federations (code)", "Federations (name)",
    "UKPRN", "FEHEIdentifier", "FurtherEducationType (name)", "OfstedLastInsp", "LastChangedDate", "Street", "Locality",
    "Address3", "Town", "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum", "HeadTitle (name)", "HeadFirstName",
    "HeadLastName", "HeadPreferredJobTitle", "GOR (code)", "GOR (name)", "DistrictAdministrative (code)",
    "DistrictAdministrative (name)", "ParliamentaryConstituency (name)", "UrbanRural (code)", "UrbanRural (name)",
    "Easting", "Northing", "OfstedRating (name)", "Country (name)", "UPRN",
]

LA_NAMES = {929: "Northumberland", 390: "Gateshead", 391: "Newcastle upon Tyne", 302: "Barnet"}


def row(urn: int, name: str, la: int = 929, number: int | None = None, type_: str = "Community school",
        status: str = "Open", phase: str = "Primary", low: int | str = 4, high: int | str = 11, **extra) -> dict:
    """One establishment as GIAS writes it; ``extra`` sets any other column
    by its GIAS name with spaces and brackets dropped (e.g. Town="Morpeth")."""
    r = {c: "" for c in HEADER}
    r.update({
        "URN": str(urn), "LA (code)": str(la), "LA (name)": LA_NAMES.get(la, "Somewhere"),
        "EstablishmentNumber": str(number if number is not None else urn % 10000), "EstablishmentName": name,
        "TypeOfEstablishment (name)": type_, "EstablishmentStatus (name)": status,
        "EstablishmentStatus (code)": {"Open": "1", "Closed": "2"}.get(status, "4"),
        "PhaseOfEducation (name)": phase, "StatutoryLowAge": str(low), "StatutoryHighAge": str(high),
        "Boarders (name)": "No boarders", "Gender (name)": "Mixed", "ReligiousCharacter (name)": "Does not apply",
        "Diocese (name)": "Not applicable", "Diocese (code)": "0000", "AdmissionsPolicy (name)": "Not applicable",
        "GOR (name)": "North East", "Country (name)": "", "UrbanRural (name)": "(England/Wales) Rural village",
        "Trusts (name)": "", "OfstedRating (name)": "Good", "OfstedLastInsp": "14-03-2023",
        "LastChangedDate": "12-11-2026", "OpenDate": "", "County (name)": "",
    })
    names = {c.replace(" ", "").replace("(", "").replace(")", "").lower(): c for c in HEADER}
    for key, value in extra.items():
        r[names[key.lower()]] = "" if value is None else str(value)
    return r


def to_bytes(rows: list[dict], header: list[str] = HEADER, encoding: str = "cp1252") -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(c, "") for c in header])
    return buf.getvalue().encode(encoding)


def fixture_rows() -> list[dict]:
    """Rows for tests/fixtures/base (the Testshire alliance, LA 929), plus new
    schools, closed ones and other LAs' rows."""
    return [
        # 100001: exactly what the alliance holds (GIAS says Primary; the file's 'first' stays)
        row(100001, "Alpha First School", number=1001, low=4, high=9, Street="1 School Lane", Town="Alnwick",
            Postcode="NE66 1AA", CensusDate="02-10-2025", NumberOfPupils=98, HeadTitleName="Mrs", HeadFirstName="Ann",
            HeadLastName="Head", HeadPreferredJobTitle="Headteacher", Easting=418000, Northing=613000),
        # 100002: a January census, telephone, website, capacity, a grid reference and a new head
        row(100002, "Beta Primary School", number=1002, type_="Voluntary aided school", ReligiousCharacterName="Roman Catholic",
            DioceseName="Diocese of Hexham and Newcastle", Town="Morpeth", Postcode="NE61 2BB", CensusDate="15-01-2026",
            NumberOfPupils=214, SchoolCapacity=210, TelephoneNum="01670512345", SchoolWebsite="www.beta.example.org",
            HeadTitleName="Mr", HeadFirstName="Bram", HeadLastName="Newhead", HeadPreferredJobTitle="Headteacher",
            Easting=420100, Northing=585900),
        # 100003: closed in GIAS: flagged, never deleted
        row(100003, "Gamma High School", number=1003, type_="Academy converter", status="Closed", phase="Secondary",
            low=13, high=18, CloseDate="31-08-2025", ReasonEstablishmentClosedName="Academy converter",
            Town="Hexham", Postcode="NE46 3CC", CensusDate="02-10-2025", NumberOfPupils=1100,
            HeadFirstName="Gail", HeadLastName="Head"),
        # new schools of the alliance's LA: a Windows-1252 apostrophe and accents in the text
        row(900101, "St Mary\u2019s Catholic First School", number=3301, type_="Voluntary aided school", low=4, high=9,
            ReligiousCharacterName="Roman Catholic", DioceseName="Diocese of Hexham and Newcastle", Street="Church Lane",
            Locality="Longframlington", Town="Morpeth", CountyName="Northumberland", Postcode="ne65 8ab",
            SchoolWebsite="http://www.stmarys-first.example.org/", TelephoneNum="01665 570123", SchoolCapacity=75,
            CensusDate="15-01-2026", NumberOfPupils=68, HeadTitleName="Mrs", HeadFirstName="Siobh\u00e1n",
            HeadLastName="O\u2019Neill", HeadPreferredJobTitle="Headteacher", Easting=413200, Northing=600900),
        row(900102, "Ryton Community Primary School", number=2102, low=3, high=11, Street="Station Road", Town="Bedlington",
            Postcode="NE22 5XY", TelephoneNum="01670822001", SchoolCapacity=420, CensusDate="15-01-2026",
            NumberOfPupils=401, HeadFirstName="Chris", HeadLastName="Dodd", HeadPreferredJobTitle="Executive Headteacher",
            Easting=426100, Northing=581700),
        row(900103, "Coquet Valley Academy", number=4001, type_="Academy converter", phase="Secondary", low=11, high=18,
            TrustsName="", Street="Academy Way", Town="Amble", Postcode="NE65 0AA", SchoolCapacity=900, CensusDate="15-01-2026",
            NumberOfPupils=842, HeadFirstName="Dana", HeadLastName="Reed", HeadPreferredJobTitle="Principal"),
        # special school: not a type this alliance admits (skipped unless --all-types)
        row(900104, "Hillcrest School", number=7001, type_="Community special school", phase="Not applicable", low=2, high=19,
            Town="Cramlington", Postcode="NE23 6AA", CensusDate="15-01-2026", NumberOfPupils=120),
        # closed and unknown to the alliance: not created
        row(900105, "Old Mill First School", number=2199, status="Closed", CloseDate="31-08-2019", low=4, high=9,
            Town="Alnwick", Postcode="NE66 2ZZ"),
        # independent: skipped by type
        row(900106, "Abbey Independent School", number=6001, type_="Other independent school", phase="Not applicable",
            low=3, high=18, Town="Hexham", Postcode="NE46 1AB"),
        # open but proposed to close: created, and flagged
        row(900107, "Riverside Primary School", number=2107, status="Open, but proposed to close", CloseDate="31-08-2027",
            Town="Ashington", Postcode="NE63 9AA", CensusDate="15-01-2026", NumberOfPupils=96),
        # other local authorities' rows
        row(900201, "Felling Primary School", la=390, number=2001, Town="Gateshead", Postcode="NE10 0AA"),
        row(900202, "Jesmond Caf\u00e9 Academy", la=391, number=4002, type_="Academy sponsor led", phase="Secondary",
            low=11, high=16, Town="Newcastle upon Tyne", Postcode="NE2 1AA"),
    ]


def write_fixture(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_bytes(fixture_rows()))


def national(n: int = 50_000, la: int = 929, ours: int = 160) -> bytes:
    """A synthetic national file: ``n`` rows, ``ours`` of them in LA ``la``."""
    types = ["Community school", "Voluntary aided school", "Academy converter", "Foundation school", "Free schools"]
    rows = []
    step = max(1, n // ours)
    for i in range(n):
        mine = i % step == 0 and i // step < ours
        code = la if mine else 200 + (i % 150 if i % 150 + 200 != la else 151)
        rows.append(row(
            500000 + i, f"School Number {i} Primary School", la=code, number=2000 + (i % 7000),
            type_=types[i % len(types)], Street=f"{i} High Street", Town="Sometown", Postcode=f"NE{1 + i % 60} {i % 10}AB",
            TelephoneNum=f"0167{i % 10}{100000 + i % 900000}", SchoolWebsite=f"www.school{i}.example.org",
            CensusDate="15-01-2026", NumberOfPupils=100 + i % 400, SchoolCapacity=420, HeadFirstName="Pat",
            HeadLastName=f"Head{i}", Easting=400000 + i % 50000, Northing=500000 + i % 90000,
        ))
    return to_bytes(rows)



# --- tests -------------------------------------------------------------------------------------

FIXTURE = Path(__file__).parent / "fixtures" / "gias" / "edubasealldata20261120.csv"


def _nesa(repo: Path, *args: str):
    from typer.testing import CliRunner

    from nesa_cli.cli import app

    return CliRunner().invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], catch_exceptions=False)


def _snapshot(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def test_the_fixture_is_in_the_real_format():
    raw = FIXTURE.read_bytes()
    assert raw.startswith(b'"URN","LA (code)","LA (name)","EstablishmentNumber","EstablishmentName"')
    assert b"\r\n" in raw
    assert b"St Mary\x92s Catholic First School" in raw  # Windows-1252 right single quotation mark
    try:
        raw.decode("utf-8")
        raise AssertionError("the fixture must not be UTF-8")
    except UnicodeDecodeError:
        pass
    regenerated = to_bytes(fixture_rows())
    assert regenerated == raw, "regenerate with: .venv/bin/python tests/test_gias.py"


def test_import_creates_new_schools_and_updates_existing(repo):
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate.run import load

    before = _snapshot(repo)
    r = _nesa(repo, "import", "gias", str(FIXTURE))
    assert r.exit_code == 0, r.output
    after = _snapshot(repo)
    created = sorted(set(after) - set(before))
    assert created == [f"data/schools/{u}.yaml" for u in (900101, 900102, 900103, 900107)]
    assert after["data/schools/100001.yaml"] == before["data/schools/100001.yaml"]  # GIAS agrees: untouched
    result = load(WorkingTree(repo))
    assert result.errors == 0, [d.text() for d in result.diagnostics]
    m = result.model
    mary = m.schools[900101]
    assert mary.name == "St Mary\u2019s Catholic First School"
    assert (mary.phase, mary.type, mary.religious_character) == ("primary", "voluntary-aided", "roman-catholic")
    assert mary.postcode == "NE65 8AB" and mary.address["locality"] == "Longframlington"
    assert mary.laestab == 9293301 and (mary.age_low, mary.age_high) == (4, 9)
    assert mary.head.name == "Siobh\u00e1n O\u2019Neill"
    assert [(p.census_date.isoformat(), p.count) for p in mary.pupils] == [("2026-01-15", 68)]
    assert mary.status_on(date(2026, 11, 23)) == "prospective"
    ryton = m.schools[900102]
    assert ryton.phone == "01670 822001" and ryton.head.role == "executive-headteacher"
    beta = m.schools[100002]
    assert beta.phone == "01670 512345" and beta.website == "https://www.beta.example.org" and beta.capacity == 210
    assert [p.count for p in beta.pupils] == [210, 214]
    assert beta.head.name == "Bram Newhead"
    assert beta.partnership == "south" and beta.contact_named("Bo Senco")  # the alliance's own fields stay
    gamma = (repo / "data/schools/100003.yaml").read_text()
    assert "gias:\n  status: closed\n  close_date: 2025-08-31\n" in gamma  # flagged, not deleted
    assert "phase: high" in gamma  # GIAS says Secondary; the alliance's three-tier name stays
    river = (repo / "data/schools/900107.yaml").read_text()
    assert "gias:\n  status: open-proposed-to-close\n  close_date: 2027-08-31\n" in river
    for urn in (900104, 900105, 900106, 900201, 900202):  # other type, closed, independent, other LAs
        assert not (repo / f"data/schools/{urn}.yaml").exists()
    assert "new: St Mary\u2019s Catholic First School (900101), primary, voluntary-aided, prospective" in r.output
    assert "changed: Beta Primary School (100002): pupils 214 (census 2026-01-15)" in r.output
    assert "flagged: Gamma High School (100003) is closed in GIAS on 2025-08-31" in r.output
    assert "4 new, 2 changed, 1 unchanged; not imported: 1 closed, 2 of other types" in r.output


def test_a_second_run_with_the_same_file_changes_nothing(repo):
    assert _nesa(repo, "import", "gias", str(FIXTURE)).exit_code == 0
    before = _snapshot(repo)
    r = _nesa(repo, "import", "gias", str(FIXTURE))
    assert r.exit_code == 0, r.output
    assert "0 new, 0 changed, 7 unchanged" in r.output
    assert _snapshot(repo) == before


def test_comments_and_the_alliance_fields_are_kept(repo):
    from conftest import edit

    edit(repo, "data/schools/100002.yaml", "partnership: south\n", "partnership: south  # agreed at the board, May 2025\n")
    edit(repo, "data/schools/100002.yaml", "pupils:\n", "# numbers from the census\npupils:\n")
    assert _nesa(repo, "import", "gias", str(FIXTURE)).exit_code == 0
    text = (repo / "data/schools/100002.yaml").read_text()
    assert "partnership: south  # agreed at the board, May 2025\n" in text
    assert "# numbers from the census\npupils:\n" in text


def test_dry_run_and_commit(repo):
    from conftest import git

    before = _snapshot(repo)
    r = _nesa(repo, "import", "gias", str(FIXTURE), "--dry-run")
    assert r.exit_code == 0 and "nothing written" in r.output and "4 new, 2 changed" in r.output
    assert _snapshot(repo) == before
    r = _nesa(repo, "import", "gias", str(FIXTURE), "--branch", "gias-2026-11")
    assert r.exit_code == 0, r.output
    assert git(repo, "log", "-1", "--format=%s").strip() == "GIAS import (edubasealldata20261120.csv): 4 new, 2 changed"
    assert len(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == 6


def test_filters(repo):
    r = _nesa(repo, "import", "gias", str(FIXTURE), "--phase", "secondary")
    assert r.exit_code == 0, r.output
    assert "new: Coquet Valley Academy (900103)" in r.output and "1 new" in r.output
    r = _nesa(repo, "import", "gias", str(FIXTURE), "--urn", "900202")  # another LA's school, asked for by URN
    assert r.exit_code == 0, r.output
    assert (repo / "data/schools/900202.yaml").exists() and not (repo / "data/schools/900101.yaml").exists()
    assert "Jesmond Caf\u00e9 Academy" in (repo / "data/schools/900202.yaml").read_text(encoding="utf-8")


def test_all_types(repo):
    r = _nesa(repo, "import", "gias", str(FIXTURE), "--all-types")
    assert r.exit_code == 0, r.output
    assert "phase: special\ntype: community-special\n" in (repo / "data/schools/900104.yaml").read_text()
    assert "skipped: Abbey Independent School (900106): phase 'Not applicable'" in r.output
    assert not (repo / "data/schools/900106.yaml").exists()


def test_no_heads_leaves_head_contacts_alone(repo):
    r = _nesa(repo, "import", "gias", str(FIXTURE), "--no-heads")
    assert r.exit_code == 0, r.output
    assert "name: Ben Head" in (repo / "data/schools/100002.yaml").read_text()
    assert "contacts" not in (repo / "data/schools/900101.yaml").read_text()


def test_a_member_school_closed_in_gias_is_warned_about(repo, tmp_path):
    rows = fixture_rows()
    rows[1]["EstablishmentStatus (name)"] = "Closed"
    rows[1]["CloseDate"] = "31-12-2026"
    f = tmp_path / "edubasealldata20261201.csv"
    f.write_bytes(to_bytes(rows))
    r = _nesa(repo, "import", "gias", str(f))
    assert r.exit_code == 0, r.output
    assert "[gias-closed]" in r.output and "record the withdrawal" in r.output
    v = _nesa(repo, "validate")
    assert "GIAS lists Beta Primary School as closed on 2026-12-31" in v.output


def test_json_report(repo):
    import json

    r = _nesa(repo, "import", "gias", str(FIXTURE), "--json")
    out = json.loads(r.stdout)
    assert [c["urn"] for c in out["created"]] == [900101, 900102, 900103, 900107]
    assert out["skipped"] == {"closed": 1, "of other types": 2} and out["result"]["written"]


@pytest.mark.parametrize("content,message", [
    (lambda: to_bytes(fixture_rows(), header=[c for c in HEADER if c not in ("Postcode", "TelephoneNum")]), "missing columns 'Postcode', 'TelephoneNum'"),
    (lambda: to_bytes(fixture_rows(), header=[c.replace("LA (code)", "LA code") for c in HEADER]), "'LA (code)' (the file has 'LA code')"),
    (lambda: b'"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\r\n"100001","1","x","y","z"\r\n', "is not a GIAS establishment file"),
    (lambda: to_bytes(fixture_rows(), encoding="utf-16"), "UTF-16"),
    (lambda: b"PK\x03\x04" + b"\x00" * 50, "spreadsheet workbook"),
    (lambda: ";".join(HEADER).encode() + b"\r\n", "semicolons"),
    (lambda: to_bytes(fixture_rows()).replace(b"Gamma", b"G\x81mma"), "byte 0x81 at line 4"),
    (lambda: b"", "empty"),
])
def test_a_wrong_file_gets_a_clear_error_and_nothing_is_written(repo, tmp_path, content, message):
    f = tmp_path / "edubasealldata.csv"
    f.write_bytes(content())
    before = _snapshot(repo)
    r = _nesa(repo, "import", "gias", str(f))
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert "Traceback" not in r.output
    assert _snapshot(repo) == before


def test_a_utf8_resave_is_read_as_utf8(repo, tmp_path):
    f = tmp_path / "resaved.csv"
    f.write_bytes(b"\xef\xbb\xbf" + to_bytes(fixture_rows(), encoding="utf-8"))
    r = _nesa(repo, "import", "gias", str(f))
    assert r.exit_code == 0 and "(UTF-8)" in r.output
    assert "St Mary\u2019s" in (repo / "data/schools/900101.yaml").read_text(encoding="utf-8")


def test_mappings():
    from nesa_cli.gias import PHASES, TYPES, phone, postcode, website

    assert TYPES["academy 16 to 19 sponsor led"] == "academy-16-19"
    assert PHASES["middle deemed secondary"] == "middle-deemed-secondary"
    assert phone("02079460000") == "020 7946 0000" and phone("01670512345") == "01670 512345"
    assert phone("03001234567") == "0300 123 4567"
    assert postcode(" ne61  1aa") == "NE61 1AA" and website("www.x.org") == "https://www.x.org"


@pytest.mark.slow
def test_the_national_file_filtered_to_one_la(repo, tmp_path):
    """50,000 rows, 160 in LA 929. Timing is printed (see the README), never asserted."""
    f = tmp_path / "edubasealldata20261120.csv"
    f.write_bytes(national())
    started = time.perf_counter()
    r = _nesa(repo, "import", "gias", str(f))
    elapsed = time.perf_counter() - started
    assert r.exit_code == 0, r.output[-2000:]
    created = len(list((repo / "data/schools").glob("5*.yaml")))
    assert created == 96  # 160 rows in the LA; 3 of the 5 types are eligible in the base alliance
    print(f"\nGIAS import: 50,000 rows, {created} schools created in {elapsed:.2f} s")

if __name__ == "__main__":
    target = Path(__file__).parent / "fixtures" / "gias" / "edubasealldata20261120.csv"
    write_fixture(target)
    print(f"wrote {target}")
