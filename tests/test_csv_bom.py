"""CSV for spreadsheets: a UTF-8 byte-order mark when the CSV goes to a file
(-o, or standard output redirected to a file), none to a pipe, so that
"Siân Ó Briain-Żółć" opens intact where Excel would otherwise read Windows-1252."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from nesa_cli.cli import app

runner = CliRunner()
SIAN = "Siân Ó Briain-Żółć"
BOM = b"\xef\xbb\xbf"


def nesa(sample, *args, stdout=subprocess.PIPE, env=None):
    full = dict(os.environ, NESA_TODAY="2026-11-23", **(env or {}))
    return subprocess.run([sys.executable, "-m", "nesa_cli", "-C", str(sample), *args], stdout=stdout,
                          stderr=subprocess.PIPE, env=full, check=True)


def excel_reads(raw: bytes) -> str:
    """How Excel decodes a CSV it opens by double-click: UTF-8 when the file
    starts with a byte-order mark, else the Windows code page (1252 in the UK)."""
    return raw[3:].decode("utf-8") if raw.startswith(BOM) else raw.decode("cp1252", "replace")


@pytest.mark.shared_sample
def test_contacts_csv_to_a_file_has_a_bom(sample, tmp_path):
    out = tmp_path / "contacts.csv"
    r = runner.invoke(app, ["-C", str(sample), "--today", "2026-11-23", "contacts", "--format", "csv", "-o", str(out)])
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(BOM) and not raw[3:].startswith(BOM)
    assert SIAN in excel_reads(raw) and "SiÃ¢n" not in excel_reads(raw)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[0] == "school"  # the mark is not part of the first heading
    assert sum(r["name"] == SIAN for r in rows) == 3  # three roles at two schools: one row each on the sheet


@pytest.mark.slow
@pytest.mark.shared_sample
def test_listing_redirected_to_a_file_has_a_bom_a_pipe_none(sample, tmp_path):
    target = tmp_path / "people.csv"
    with open(target, "wb") as fh:
        nesa(sample, "people", "find", "Siân", "--csv", stdout=fh)
    raw = target.read_bytes()
    assert raw.startswith(BOM) and SIAN in excel_reads(raw)
    piped = nesa(sample, "people", "find", "Siân", "--csv").stdout
    assert not piped.startswith(BOM) and SIAN in piped.decode("utf-8")
    assert piped == raw[3:]
    # appended to a file that has text already: no mark in the middle
    with open(target, "ab") as fh:
        nesa(sample, "people", "find", "Siân", "--csv", stdout=fh)
    assert target.read_bytes().count(BOM) == 1
    # NESA_CSV_BOM decides when set
    assert nesa(sample, "people", "find", "Siân", "--csv", env={"NESA_CSV_BOM": "1"}).stdout.startswith(BOM)
    with open(tmp_path / "plain.csv", "wb") as fh:
        nesa(sample, "people", "find", "Siân", "--csv", stdout=fh, env={"NESA_CSV_BOM": "0"})
    assert not (tmp_path / "plain.csv").read_bytes().startswith(BOM)


@pytest.mark.shared_sample
def test_contacts_csv_to_stdout_has_no_bom(sample):
    r = runner.invoke(app, ["-C", str(sample), "--today", "2026-11-23", "contacts", "--format", "csv"])
    assert r.exit_code == 0 and not r.stdout.startswith("\ufeff") and SIAN in r.stdout
