"""nesa status reads only the kinds it prints, takes the verdict from the
validation run cache, and prints plain text (no rich) off a terminal: the
same report as a full load gives."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from typer.testing import CliRunner

from conftest import edit
from nesa_cli.cli import app
from nesa_cli.store import WorkingTree

runner = CliRunner()


def nesa(repo, *args, env=None):
    return runner.invoke(app, ["-C", str(repo), "--today", "2026-11-23", *args], catch_exceptions=False, env=env)


def _full(repo) -> dict:
    """The report from a full load (every kind built, cross-file rules run)."""
    from nesa_cli.diagnostics import counts
    from nesa_cli.jsonout import dumps
    from nesa_cli.reports.status import status
    from nesa_cli.validate.run import load
    from datetime import date

    result = load(WorkingTree(repo))
    report = status(result.model, date(2026, 11, 23), 60)
    errors, warnings = counts(result.diagnostics)
    report["validation"] = {"files": result.files, "errors": errors, "warnings": warnings}
    return json.loads(dumps(report))


def test_counts_and_verdict_equal_a_full_load_cold_and_warm(sample):
    # a meeting whose date cannot be a record, and an invoice that is no YAML: counts and errors move
    meeting = sorted((sample / "data/meetings").glob("*.yaml"))[0]
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(re.sub(r"(?m)^date: .*$", "date: 2026-02-30", text, count=1), encoding="utf-8")
    invoice = sorted((sample / "data/finance/invoices").glob("*.yaml"))[0]
    invoice.write_text(invoice.read_text(encoding="utf-8") + "bogus: [\n", encoding="utf-8")
    want = _full(sample)
    assert {r["kind"]: r["count"] for r in want["records"]}["meeting"] == len(list((sample / "data/meetings").glob("*.yaml"))) - 1
    for _ in range(3):  # cold (full load), warm (verdict cached, counts kept), warm again
        r = nesa(sample, "status", "--json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout) == want
    nesa(sample, "validate")  # a verdict written by validate alone: status counts once, then keeps it
    edit(sample, "data/schools/122101.yaml", "name: ", "name: Renamed ")
    assert nesa(sample, "validate").exit_code in (0, 1)
    want = _full(sample)
    for _ in range(2):
        assert json.loads(nesa(sample, "status", "--json").stdout) == want


def test_warm_status_builds_only_the_kinds_it_reads(sample, monkeypatch):
    from nesa_cli.reports.status import READS
    from nesa_cli.validate import checked, run

    assert nesa(sample, "status").exit_code == 0  # verdict and counts kept
    built = []
    from nesa_cli.loader import stages

    real = stages.add_record
    monkeypatch.setattr(stages, "add_record", lambda model, kind, data, path: built.append(kind.name) or real(model, kind, data, path))
    result = checked.load_checked(WorkingTree(sample), kinds=set(READS))
    assert built and set(built) <= READS
    assert result.counts["meeting"] == len(list((sample / "data/meetings").glob("*.yaml")))
    assert result.counts["invoice"] > 0 and not result.model.records("meeting")


@pytest.mark.shared_sample
def test_status_in_a_pipe_is_plain_text(sample):
    r = nesa(sample, "status")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert not re.search(r"[\u2500-\u257f]", out)  # no box drawing
    assert "\x1b[" not in out
    lines = out.splitlines()
    heads = next(ln for ln in lines if ln.startswith("By phase"))
    assert "By type" in heads and "By partnership" in heads  # side by side at the pipe's 160 columns
    assert re.search(r"(?m)^Network\s+Members$", out)
    assert re.search(r"(?m)^Headteachers' Network\s+\d+$", out)  # counts right-aligned under their heading
    assert "Also recorded: " in out and out.rstrip().splitlines()[-1].startswith("Validation: ")


@pytest.mark.shared_sample
def test_status_plain_stacks_tables_in_a_narrow_pipe(sample):
    out = nesa(sample, "status", env={"COLUMNS": "60"}).stdout
    sentences = ("Northumberland", "Also recorded", "Validation", "40 member schools")  # prose lines, not tables
    assert all(len(ln) <= 60 for ln in out.splitlines() if not ln.startswith(sentences))
    assert not any("By type" in ln for ln in out.splitlines() if ln.startswith("By phase"))


@pytest.mark.shared_sample
def test_status_on_a_terminal_is_rich(sample, monkeypatch):
    from nesa_cli.cli import show

    buf = io.StringIO()
    buf.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdout", buf)
    report = {"alliance": "A", "short_name": "A", "date": __import__("datetime").date(2026, 11, 23), "schools": 1, "members": 1,
              "pupils_in_members": 10, "members_by_phase": {"first": 1}, "members_by_type": {"community": 1},
              "members_by_partnership": {"(none)": 1}, "joining": [], "withdrawn": [], "networks": [],
              "policies": 0, "policies_due": [], "within_days": 60, "records": []}
    show.status_view(report, "1 file checked: 0 errors, 0 warnings")
    assert re.search(r"[\u2500-\u257f]", buf.getvalue())  # rich's table rules
