"""Finance: pence-exact money, contributions, recharges, the budget and their commands."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nesa_cli.cli import app
from nesa_cli.finance import money as m
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
FY = "data/finance/2025-26.yaml"

# A finance year for the small base alliance (tests/fixtures/base): Alpha (98
# pupils, member all year), Beta (210, member all year, holds the fund's
# account), Gamma (1,100, withdrew on 31 August 2025: five months).
FINANCE_YAML = """\
# yaml-language-server: $schema=../../schemas/finance-year.schema.json
year: 2025-26
fund:
  name: TSA Partnership Fund
  account_holder:
    name: Testshire Schools Alliance
    school: 100002
  email: fund@example.org
  payment:
    bank: Example Bank plc
    account_name: TSA Partnership Fund
    sort_code: "00-00-00"
    account_number: "00012345"
payment_terms_days: 30
contributions:
  method: per-pupil
  base: "500.00"
  per_pupil: "4.50"
  floor: "750.00"
  cap: "5000.00"
confirmations:
  - school: 100001
    date: 2025-05-14
    minute: FGB 12/25
    po: PO 4471
  - school: 100003
    date: 2025-05-20
    minute: FGB 9/25
recharges:
  - id: shared-senco
    description: Shared SENCO employed by Beta Primary School
    provider: 100002
    amount: "9000.00"
    split: hours
    schools:
      - school: 100001
        hours: 2
      - school: 100002
        hours: 3
      - school: 100003
        hours: 1.5
    invoice_on: 2025-07-01
contracts:
  - id: broadband
    description: Schools broadband
    supplier: Example Networks Ltd
    cost: "1000.00"
    split: equal
    schools:
      - school: 100001
      - school: 100002
      - school: 100003
    invoice_on: 2026-01-15
sources:
  - id: contributions
    kind: contributions
    name: School contributions
  - id: la-match
    kind: match
    name: Testshire County Council match funding
    match_for: contributions
    received:
      - date: 2025-09-30
        amount: "1000.00"
streams:
  - id: cpd
    name: CPD and networks
    budget: "2000.00"
spend:
  - date: 2025-06-12
    stream: cpd
    amount: "1250.00"
    description: Network lead cover
  - date: 2025-11-12
    stream: cpd
    amount: "300.00"
    description: Venue hire
    status: committed
"""


def add_finance(repo: Path, text: str = FINANCE_YAML, commit: bool = True) -> Path:
    from conftest import git

    p = repo / FY
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    if commit:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "Finance 2025-26")
    return repo


@pytest.fixture
def fin(repo: Path) -> Path:
    return add_finance(repo)


def run(repo: Path, *args: str, today: str = "2025-11-01"):
    return runner.invoke(app, ["-C", str(repo), "--today", today, *args])


def model_of(repo: Path):
    result = load(WorkingTree(repo))
    assert result.errors == 0, "\n".join(d.text() for d in result.diagnostics)
    return result.model


# --- money ------------------------------------------------------------------------


def test_money_parses_exact_values_and_refuses_floats():
    assert m.money("1250.00") == Decimal("1250.00")
    assert m.money(Decimal("3.5")) == Decimal("3.50")
    with pytest.raises(m.MoneyError):
        m.money(0.1)
    with pytest.raises(m.MoneyError):
        m.money("1.005")
    assert m.round_pence(Decimal("0.005")) == Decimal("0.01")  # half up, not banker's
    assert m.round_pence(Fraction(1, 3)) == Decimal("0.33")


def test_allocate_largest_remainder_and_tie_break():
    assert m.allocate(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    assert m.allocate(100, {"c": 1, "b": 1, "a": 1}, order=["c", "b", "a"]) == {"c": 34, "b": 33, "a": 33}
    assert m.allocate(1000, {1: Decimal("2"), 2: Decimal("3"), 3: Decimal("1.5")}) == {1: 308, 2: 461, 3: 231}
    assert m.allocate(0, {1: 0, 2: 0}) == {1: 0, 2: 0}
    with pytest.raises(m.MoneyError):
        m.allocate(5, {1: 0})


def test_share_with_limits_reshares_what_caps_release():
    # 10,000p by weights 1:1:8 with a 4,000p cap: the big one is capped and
    # the 2,000p it would have paid over the cap is shared by the other two.
    out = m.share_with_limits(10000, {"a": 1, "b": 1, "c": 8}, caps={"a": 4000, "b": 4000, "c": 4000})
    assert out == {"a": 3000, "b": 3000, "c": 4000}
    out = m.share_with_limits(10000, {"a": 1, "b": 9}, floors={"a": 2000, "b": 0})
    assert out == {"a": 2000, "b": 8000}
    with pytest.raises(m.MoneyError):
        m.share_with_limits(100, {"a": 1}, caps={"a": 50})
    with pytest.raises(m.MoneyError):
        m.share_with_limits(100, {"a": 1, "b": 1}, floors={"a": 60, "b": 60})


# --- contributions ------------------------------------------------------------------


def test_contributions_per_pupil_floor_cap_and_pro_rata(fin):
    from nesa_cli.finance.contributions import calculate

    model = model_of(fin)
    fy = model.other["finance-year"]["2025-26"]
    rows = {r.urn: r for r in calculate(model, fy).rows}
    assert rows[100001].amount == Decimal("941.00") and rows[100001].months == 12
    assert rows[100002].amount == Decimal("1445.00")
    # Gamma: 500 + 1100 x 4.50 = 5,450 capped at 5,000, for 5 of 12 months
    assert rows[100003].months == 5 and rows[100003].amount == Decimal("2083.33")
    assert "cap" in rows[100003].calculation and "5/12" in rows[100003].calculation
    assert rows[100001].confirmed == date(2025, 5, 14) and rows[100002].confirmed is None


def test_contributions_command_lists_schools_total_and_confirmation(fin):
    r = run(fin, "finance", "contributions", "2025-26")
    assert r.exit_code == 0, r.output
    assert "Alpha First School" in r.stdout and "Total £4,469.33 from 3 schools" in r.stdout
    assert "1 not yet confirmed" in r.stdout


def test_contributions_json_is_the_library_result(fin):
    from nesa_cli.finance.contributions import listing
    from nesa_cli.jsonout import plain

    r = run(fin, "finance", "contributions", "2025", "--json")
    assert r.exit_code == 0, r.output
    model = model_of(fin)
    assert json.loads(r.stdout) == plain(listing(model, model.other["finance-year"]["2025-26"]).json_rows())
    assert sum(Decimal(row["amount"]) for row in json.loads(r.stdout)) == Decimal("4469.33")


def test_share_of_total_adds_up_to_the_penny(fin):
    from nesa_cli.finance.contributions import calculate
    from conftest import edit

    edit(fin, FY, 'method: per-pupil\n  base: "500.00"\n  per_pupil: "4.50"', 'method: share-of-total\n  total: "10000.00"')
    model = model_of(fin)
    rows = calculate(model, model.other["finance-year"]["2025-26"]).rows
    assert sum(r.amount for r in rows) == Decimal("10000.00")
    assert all(r.amount >= 0 for r in rows)
    capped = {r.urn: r.amount for r in rows}[100003]
    assert capped == Decimal("2083.33")  # 5,000 cap pro rata for 5 months


def test_bands_method(fin):
    from nesa_cli.finance.contributions import calculate
    from conftest import edit

    edit(fin, FY, 'method: per-pupil\n  base: "500.00"\n  per_pupil: "4.50"',
         'method: bands\n  bands:\n    - up_to: 100\n      amount: "800.00"\n    - up_to: 400\n      amount: "1500.00"\n    - amount: "3000.00"')
    model = model_of(fin)
    rows = {r.urn: r.amount for r in calculate(model, model.other["finance-year"]["2025-26"]).rows}
    assert rows == {100001: Decimal("800.00"), 100002: Decimal("1500.00"), 100003: Decimal("1250.00")}


def test_unknown_year_is_misuse_and_bad_year_too(fin):
    assert run(fin, "finance", "contributions", "2030-31").exit_code == 2
    assert run(fin, "finance", "contributions", "2025-27").exit_code == 2


def test_default_year_is_the_one_holding_today(fin):
    r = run(fin, "finance", "contributions", today="2026-03-31")
    assert r.exit_code == 0 and "2025-26" in r.stdout
    assert run(fin, "finance", "contributions", today="2026-04-01").exit_code == 2


# --- recharges ------------------------------------------------------------------------


def test_recharge_split_by_hours_adds_up(fin):
    from nesa_cli.finance.recharges import shares

    model = model_of(fin)
    fy = model.other["finance-year"]["2025-26"]
    parts = shares(model, fy, fy.recharges[0])
    assert [(s.urn, s.amount, s.invoiced) for s in parts] == [
        (100001, Decimal("2769.23"), True), (100002, Decimal("4153.85"), False), (100003, Decimal("2076.92"), True)]
    assert sum(s.amount for s in parts) == Decimal("9000.00")
    broadband = shares(model, fy, fy.contracts[0])
    assert [s.amount for s in broadband] == [Decimal("333.34"), Decimal("333.33"), Decimal("333.33")]


def test_recharges_command_json(fin):
    r = run(fin, "finance", "recharges", "2025-26", "--json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {row["id"] for row in rows} == {"shared-senco", "broadband"}
    assert sum(Decimal(x["amount"]) for x in rows if x["id"] == "shared-senco") == Decimal("9000.00")


# --- budget -------------------------------------------------------------------------------


def test_budget_sources_streams_and_match_balance(fin):
    from nesa_cli.finance.budget import budget
    from nesa_cli.jsonout import plain

    r = run(fin, "finance", "budget", "2025-26", "--json")
    assert r.exit_code == 0, r.output
    rows = {row["id"]: row for row in json.loads(r.stdout)}
    model = model_of(fin)
    assert json.loads(r.stdout) == plain(budget(model, model.other["finance-year"]["2025-26"]).json_rows())
    assert rows["cpd"]["actual"] == "1250.00" and rows["cpd"]["committed"] == "300.00" and rows["cpd"]["remaining"] == "450.00"
    assert rows["la-match"]["match_due"] == "4469.33" and rows["la-match"]["match_balance"] == "-3469.33"
    assert rows["contributions"]["budget"] == "4469.33"
    r = run(fin, "finance", "budget", "2025-26")
    assert "Match funding Testshire County Council match funding: due £4,469.33" in r.stdout
    assert "owed to the fund" in r.stdout


@pytest.mark.shared_sample
def test_sample_alliance_finance_commands(sample):
    for args in (["finance", "contributions", "2025-26"], ["finance", "budget"], ["finance", "recharges", "2025-26"]):
        r = run(sample, *args, today="2026-11-23")
        assert r.exit_code == 0, r.output
    r = run(sample, "finance", "contributions", "2025-26", "--json", today="2026-11-23")
    rows = json.loads(r.stdout)
    assert len(rows) > 40 and any(not x["confirmed"] for x in rows) and all(Decimal(x["amount"]) > 0 for x in rows)


@pytest.mark.shared_sample
def test_digest_lists_unconfirmed_contributions_and_overdue_invoices(sample):
    from nesa_cli.digest.build import overdue_invoices, unconfirmed_contributions

    model = model_of(sample)
    unconfirmed = unconfirmed_contributions(model, date(2026, 11, 23))
    assert unconfirmed and all(u["amount"] > 0 for u in unconfirmed)
    overdue = overdue_invoices(model, date(2026, 11, 23))
    assert overdue and all(o["due"] < date(2026, 11, 23) for o in overdue)
