"""A fund over three years with carry-forward (issue 20; Nottingham's fund runs three years):
each year brings forward the previous year's closing balance, to the penny, and says so."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import git
from nesa_cli.finance.carry import balance
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load
from test_finance import run

HEAD = """\
# yaml-language-server: $schema=../../schemas/finance-year.schema.json
year: {year}
fund:
  name: City Alliance Fund
  runs: {{from: 2025-26, to: 2027-28}}
  account_holder:
    name: Testshire Schools Alliance
    school: 100002
{brought}sources:
  - id: council
    kind: grant
    name: Testshire City Council
    amount: "{income}"
    received:
      - {{date: {received_on}, amount: "{income}"}}
streams:
  - id: maths
    name: Maths improvement
    budget: "600000.00"
spend:
  - {{date: {spent_on}, stream: maths, amount: "{spent}", description: Maths hub release time}}
  - {{date: {spent_on}, stream: maths, amount: "100.00", description: Conference deposit, status: committed}}
"""

# year, brought forward, received, spent (paid): closing 2025-26 = 400000.00 - 250000.10 = 149999.90;
# 2026-27: 149999.90 + 400000.00 - 480000.45 = 69999.45; 2027-28: 69999.45 + 400000.00 - 469999.45 = 0.00
YEARS = [("2025-26", None, "400000.00", "250000.10"), ("2026-27", "149999.90", "400000.00", "480000.45"),
         ("2027-28", "69999.45", "400000.00", "469999.45")]


def write_years(repo: Path, years=YEARS) -> None:
    for year, brought, income, spent in years:
        first = int(year[:4])
        text = HEAD.format(year=year, brought=f'brought_forward: "{brought}"\n' if brought else "", income=income,
                           spent=spent, received_on=f"{first}-06-01", spent_on=f"{first + 1}-01-15")
        p = repo / "data" / "finance" / f"{year}.yaml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


@pytest.fixture
def fund(repo: Path) -> Path:
    write_years(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A three-year fund")
    return repo


def diagnostics(repo: Path):
    return load(WorkingTree(repo)).diagnostics


def test_three_year_fund_validates_and_balances_to_the_penny(fund: Path):
    result = load(WorkingTree(fund))
    assert result.errors == 0 and result.warnings == 0, "\n".join(d.text() for d in result.diagnostics)
    years = result.model.other["finance-year"]
    closing = [balance(result.model, years[y]).closing for y, *_ in YEARS]
    assert closing == [Decimal("149999.90"), Decimal("69999.45"), Decimal("0.00")]
    assert all(isinstance(c, Decimal) for c in closing)


def test_balances_command_shows_each_year_brought_forward(fund: Path):
    r = run(fund, "finance", "balances", "--json", today="2026-11-23")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(x["year"], x["of_fund"], x["brought_forward"], x["closing"], x["check"]) for x in rows] == [
        ("2025-26", "1 of 3", "0.00", "149999.90", ""),
        ("2026-27", "2 of 3", "149999.90", "69999.45", "matches"),
        ("2027-28", "3 of 3", "69999.45", "0.00", "matches"),
    ]
    assert rows[1]["committed"] == "100.00"


def test_budget_says_year_of_fund_brought_forward_and_closing(fund: Path):
    r = run(fund, "finance", "budget", "2026-27", today="2026-11-23")
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Year 2 of 3 of the fund (2025-26 to 2027-28)." in out
    assert "Brought forward from 2025-26: £149,999.90 (its closing balance £149,999.90)." in out
    assert ("Closing balance £69,999.45 = brought forward £149,999.90 + received £400,000.00 - spent £480,000.45; "
            "carried forward to 2027-28 (committed, not yet spent: £100.00).") in out
    assert "Income expected £400,000.00 and £149,999.90 brought forward" in out
    last = " ".join(run(fund, "finance", "budget", "2027-28", today="2027-11-23").output.split())
    assert "Year 3 of 3" in last and "the last year of the fund" in last


def test_carry_forward_that_differs_by_a_penny_is_an_error(repo: Path):
    write_years(repo, [YEARS[0], ("2026-27", "149999.91", "400000.00", "480000.45")])
    bad = [d for d in diagnostics(repo) if d.rule == "finance-carry-forward"]
    assert len(bad) == 1 and bad[0].severity == "error" and bad[0].path == "data/finance/2026-27.yaml"
    assert "brought forward £149,999.91, but 2025-26 closed at £149,999.90" in bad[0].message
    text = (repo / "data/finance/2026-27.yaml").read_text(encoding="utf-8")
    assert bad[0].line == text[: text.index("brought_forward")].count("\n") + 1


def test_a_balance_not_brought_forward_is_warned_about(repo: Path):
    write_years(repo, [YEARS[0], ("2026-27", None, "400000.00", "480000.45")])
    warn = [d for d in diagnostics(repo) if d.rule == "finance-carry-missing"]
    assert len(warn) == 1 and warn[0].severity == "warning"
    assert 'add brought_forward: "149999.90"' in warn[0].message


def test_no_carry_forward_expected_after_the_funds_last_year(repo: Path):
    years = [("2027-28", None, "400000.00", "300000.00"), ("2028-29", None, "100.00", "0.00")]
    write_years(repo, years)
    p = repo / "data/finance/2028-29.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("runs: {from: 2025-26, to: 2027-28}", "runs: {from: 2028-29, to: 2030-31}"),
                 encoding="utf-8")
    diags = diagnostics(repo)
    assert not [d for d in diags if d.rule.startswith("finance-carry")], "\n".join(d.text() for d in diags)


def test_fund_years_must_hold_the_file_year_and_be_in_order(repo: Path):
    write_years(repo, [("2028-29", None, "1.00", "0.00")])
    assert [d.rule for d in diagnostics(repo) if d.rule == "finance-fund-years"] == ["finance-fund-years"]
    p = repo / "data/finance/2028-29.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("runs: {from: 2025-26, to: 2027-28}", "runs: {from: 2029-30, to: 2027-28}"),
                 encoding="utf-8")
    assert any("backwards" in d.message for d in diagnostics(repo) if d.rule == "finance-fund-years")


def test_brought_forward_must_be_quoted_money(repo: Path):
    write_years(repo, [YEARS[0], ("2026-27", "149999.9", "400000.00", "480000.45")])
    assert any(d.rule == "schema" and d.path == "data/finance/2026-27.yaml" for d in diagnostics(repo))
