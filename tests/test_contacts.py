"""Contact sheets: scopes, private fields only with the flag, CSV and vCard."""

from __future__ import annotations

import pytest

import csv
import io

from typer.testing import CliRunner

from nesa_cli.cli import app

runner = CliRunner()


def run(repo, *args):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", "contacts", *args])


@pytest.mark.shared_sample
def test_private_fields_only_with_flag(sample):
    for fmt in ("html", "csv", "vcf"):
        r = run(sample, "--school", "122101", "--format", fmt)
        assert r.exit_code == 0, r.output
        assert "07700 913955" not in r.stdout and "z.pattinson@" not in r.stdout
        if fmt == "html":
            assert "Circulation copy: private details removed" in r.stdout
        r = run(sample, "--school", "122101", "--format", fmt, "--include-private")
        assert "07700 913955" in r.stdout and "z.pattinson@" in r.stdout
    assert "Includes details not for circulation" in run(sample, "--school", "122101", "--include-private").stdout


@pytest.mark.shared_sample
def test_role_csv_and_vcf(sample):
    r = run(sample, "--role", "chair-of-governors", "--partnership", "simonside", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(row["role"] == "chair-of-governors" for row in rows)
    v = run(sample, "--role", "chair-of-governors", "--partnership", "simonside", "--format", "vcf").stdout
    assert v.count("BEGIN:VCARD") == len(rows) and "VERSION:3.0" in v


@pytest.mark.shared_sample
def test_network_scope_and_misuse(sample):
    r = run(sample, "--network", "sencos", "--format", "csv")
    assert "Karen Blackett" in r.stdout
    assert run(sample, "--network", "nope").exit_code == 2
    assert run(sample, "--format", "doc").exit_code == 2


@pytest.mark.pdf
@pytest.mark.shared_sample
def test_pdf(sample, tmp_path):
    out = tmp_path / "c.pdf"
    assert run(sample, "--partnership", "simonside", "--format", "pdf", "-o", str(out)).exit_code == 0
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Circulation copy" in text and "07700 913955" not in text
