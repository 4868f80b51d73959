"""Every finance and invoice rule fires on broken data, at the right file and line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import assert_fires, edit, line_of
from nesa_cli.store import WorkingTree
from nesa_cli.validate.catalogue import RULES
from nesa_cli.validate.run import load
from test_finance import FY, add_finance

S3 = "data/schools/100003.yaml"
INV1 = "data/finance/invoices/TSA-2025-0001.yaml"

# (case id, [(file, old, new)], (file, text on the expected line, rule))
CASES = [
    ("finance-scheme", [(FY, 'floor: "750.00"', 'floor: "6000.00"')], (FY, 'floor: "6000.00"', "finance-scheme")),
    ("finance-pupils", [(FY, 'cap: "5000.00"', 'cap: "5000.00"\n  census_date: 2020-01-01')], (FY, "contributions:", "finance-pupils")),
    ("finance-split", [(FY, "      - school: 100003\n        hours: 1.5\n", "      - school: 100003\n")], (FY, "      - school: 100003\n    invoice_on", "finance-split")),
    ("finance-ref-stream", [(FY, "    stream: cpd\n    amount: \"1250.00\"", "    stream: cdp\n    amount: \"1250.00\"")], (FY, "stream: cdp", "finance-ref")),
    ("finance-ref-match", [(FY, "match_for: contributions", "match_for: contribution")], (FY, "match_for: contribution", "finance-ref")),
    ("finance-confirmation", [(S3, "date: 2025-08-31", "date: 2025-03-31")], (FY, "  - school: 100003\n    date: 2025-05-20", "finance-confirmation")),
    ("finance-spend-date", [(FY, "date: 2025-06-12", "date: 2026-06-12")], (FY, "date: 2026-06-12", "finance-spend-date")),
    ("finance-overspend", [(FY, 'amount: "1250.00"', 'amount: "1950.00"')], (FY, 'budget: "2000.00"', "finance-overspend")),
    ("ref-school-confirmation", [(FY, "  - school: 100001\n    date: 2025-05-14", "  - school: 100009\n    date: 2025-05-14")], (FY, "school: 100009", "ref-school")),
    ("id-unique-stream", [(FY, "streams:\n  - id: cpd\n    name: CPD and networks\n    budget: \"2000.00\"\n",
                           "streams:\n  - id: cpd\n    name: CPD and networks\n    budget: \"2000.00\"\n  - id: cpd\n    name: Again\n    budget: \"1.00\"\n")],
     (FY, "  - id: cpd\n    name: Again", "id-unique")),
    ("schema-money-float", [(FY, 'amount: "1250.00"', "amount: 1250.00")], (FY, "amount: 1250.00", "schema")),
    ("schema-money-pence", [(FY, 'budget: "2000.00"', 'budget: "2000.5"')], (FY, 'budget: "2000.5"', "schema")),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_finance_rule_fires_at_the_right_line(repo: Path, case):
    _, edits, (path, marker, rule) = case
    add_finance(repo, commit=False)
    for rel, old, new in edits:
        edit(repo, rel, old, new)
    assert_fires(repo, path, line_of(repo, path, marker), rule)


def test_finance_year_label_must_be_consecutive_years(repo: Path):
    add_finance(repo, commit=False)
    p = repo / FY
    text = p.read_text(encoding="utf-8").replace("year: 2025-26", "year: 2025-27")
    p.unlink()
    (repo / "data/finance/2025-27.yaml").write_text(text, encoding="utf-8")
    got = [(d.path, d.line, d.rule) for d in load(WorkingTree(repo)).diagnostics]
    assert ("data/finance/2025-27.yaml", 2, "finance-year") in got


def test_activity_stream_must_exist_in_its_year(sample: Path):
    path = "data/activities/cpd-adaptive-teaching.yaml"
    edit(sample, path, "stream: networks-and-cpd", "stream: networks-and-cdp")
    result = load(WorkingTree(sample))
    assert any(d.path == path and d.rule == "finance-ref" for d in result.diagnostics)


@pytest.mark.shared_sample
def test_sample_alliance_finance_is_clean(sample: Path):
    result = load(WorkingTree(sample))
    finance = [d for d in result.diagnostics if d.path.startswith("data/finance/") or d.rule.startswith(("finance-", "invoice-"))]
    assert finance == []
    assert len(result.model.other["invoice"]) > 50 and set(result.model.other["finance-year"]) == {"2025-26", "2026-27"}


# --- invoices --------------------------------------------------------------------------------


@pytest.fixture
def issued(repo: Path) -> Path:
    from nesa_cli.finance.issue import issue

    add_finance(repo)
    out = issue(repo, "2025-26", date(2025, 11, 1))
    assert [i.number for i in out.issued] == ["TSA-2025-0001", "TSA-2025-0002", "TSA-2025-0003", "TSA-2025-0004"]
    return repo


INVOICE_CASES = [
    ("invoice-totals", [(INV1, 'amount: "441.00"', 'amount: "442.00"')], 'amount: "442.00"', "invoice-totals"),
    ("invoice-totals-total", [(INV1, 'total: "941.00"', 'total: "942.00"')], 'total: "942.00"', "invoice-totals"),
    ("invoice-number", [(INV1, 'year: "2025-26"', 'year: "2026-27"')], "number: TSA-2025-0001", "invoice-number"),
    ("invoice-status", [(INV1, "status: issued", "status: paid")], "status: paid", "invoice-status"),
    ("invoice-status-void", [(INV1, "status: issued", "status: void")], "status: void", "invoice-status"),
    ("invoice-dates", [(INV1, "due: 2025-12-01", "due: 2025-10-01")], "due: 2025-10-01", "invoice-dates"),
    ("ref-school-invoice", [(INV1, "  school: 100001", "  school: 100007")], "school: 100007", "ref-school"),
]


@pytest.mark.parametrize("case", INVOICE_CASES, ids=[c[0] for c in INVOICE_CASES])
def test_invoice_rule_fires_at_the_right_line(issued: Path, case):
    _, edits, marker, rule = case
    for rel, old, new in edits:
        edit(issued, rel, old, new)
    result = assert_fires(issued, INV1, line_of(issued, INV1, marker), rule)
    assert all(d.severity == RULES[rule][0] for d in result.diagnostics if d.rule == rule)


def test_two_live_invoices_for_one_source(issued: Path):
    text = (issued / INV1).read_text(encoding="utf-8").replace("number: TSA-2025-0001", "number: TSA-2025-0009")
    (issued / "data/finance/invoices/TSA-2025-0009.yaml").write_text(text, encoding="utf-8")
    got = [(d.path, d.rule) for d in load(WorkingTree(issued)).diagnostics]
    assert ("data/finance/invoices/TSA-2025-0009.yaml", "invoice-source") in got


def test_credit_note_and_void_invoice_point_at_each_other(issued: Path):
    from nesa_cli.finance.issue import void

    out = void(issued, "TSA-2025-0002", "wrong pupil number", date(2025, 11, 5))
    assert out["credit_note"] == "TSA-2025-0005"
    assert load(WorkingTree(issued)).errors == 0
    note = "data/finance/invoices/TSA-2025-0005.yaml"
    edit(issued, note, "credits: TSA-2025-0002", "credits: TSA-2025-0001")
    got = [(d.path, d.rule) for d in load(WorkingTree(issued)).diagnostics]
    assert (note, "invoice-credit") in got
    assert ("data/finance/invoices/TSA-2025-0002.yaml", "invoice-credit") in got


def test_every_finance_rule_is_catalogued_and_documented():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    src = (Path(__file__).resolve().parent.parent / "nesa_cli/validate/rules_finance.py").read_text(encoding="utf-8")
    import re

    used = set(re.findall(r'"((?:finance|invoice)-[a-z-]+)"', src))
    assert used and used <= set(RULES)
    assert all(f"`{r}`" in readme for r in used)
    assert json.dumps(sorted(used))  # the list is plain data


def test_check_jsonschema_agrees_on_finance_files(tmp_path):
    """Money as quoted text means the same to a standard tool as to nesa: the
    shipped files pass, and a float amount fails in both."""
    import shutil
    import subprocess
    import sys

    project = Path(__file__).resolve().parent.parent
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    years = sorted(str(p) for p in (project / "data/finance").glob("*.yaml"))
    invoices = sorted(str(p) for p in (project / "data/finance/invoices").glob("*.yaml"))
    for schema, files in (("finance-year", years), ("invoice", invoices)):
        p = subprocess.run([exe, "--schemafile", str(project / f"schemas/{schema}.schema.json"), *files], capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
    bad = tmp_path / "NESA-2025-0001.yaml"
    bad.write_text((project / "data/finance/invoices/NESA-2025-0001.yaml").read_text(encoding="utf-8")
                   .replace('total: "750.00"', "total: 750.00"), encoding="utf-8")
    assert "total: 750.00" in bad.read_text(encoding="utf-8")
    p = subprocess.run([exe, "--schemafile", str(project / "schemas/invoice.schema.json"), str(bad)], capture_output=True, text=True)
    assert p.returncode == 1
