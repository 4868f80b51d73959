"""The board's finance papers (issue 21): budget monitoring, contributions, aged debtors, statement, reminder.

Figures are checked by hand against the sample on 23 November 2026 (the suite's today); every
total is checked to be the sum of its rows, to the penny.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROJECT, assert_golden
from nesa_cli.cli import app
from nesa_cli.finance import accounts, papers
from nesa_cli.finance.model import finance_years
from nesa_cli.jsonout import dumps
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load

runner = CliRunner()
TODAY = date(2026, 11, 23)
D = Decimal


@pytest.fixture(scope="module")
def model():
    result = load(WorkingTree(PROJECT))
    assert result.errors == 0
    return result.model


@pytest.fixture(scope="module")
def fy(model):
    return finance_years(model)["2026-27"]


def nesa(*args: str, root: Path = PROJECT, today: str = "2026-11-23"):
    return runner.invoke(app, ["-C", str(root), "--today", today, *args])


def same(cli_stdout: str, data) -> bool:
    return json.loads(cli_stdout) == json.loads(dumps(data))


# --- budget monitoring -------------------------------------------------------------------


def test_budget_figures_by_hand(model, fy):
    d = papers.budget_paper(model, fy, TODAY)
    contributions, match = d["income"]
    assert (contributions["expected"], contributions["confirmed"], contributions["invoiced"], contributions["received"]) == (
        D("68582.25"), D("61742.00"), D("61742.00"), D("58399.00"))
    assert (match["expected"], match["received"], match["confirmed"]) == (D("68582.25"), D("35000.00"), None)
    assert d["income_total"] == {"expected": D("137164.50"), "received": D("93399.00"), "outstanding": D("43765.50")}
    cpd = d["streams"][0]
    assert (cpd["name"], cpd["budget"], cpd["committed"], cpd["spent"], cpd["remaining"], cpd["used_percent"]) == (
        "Networks and CPD", D("44000.00"), D("4300.00"), D("9500.00"), D("30200.00"), D("31.4"))  # 13,800 / 44,000
    assert d["stream_total"] == {"budget": D("139200.00"), "committed": D("5500.00"), "spent": D("41200.00"),
                                 "remaining": D("92500.00"), "used_percent": D("33.5")}
    assert d["year_elapsed"] == {"days": 237, "of": 365, "percent": D("64.9")}  # 1 April to 23 November
    c = d["carry"]
    assert c["brought_forward"] == D("22182.08") and c["brought_forward_from"] == "2025-26"
    assert c["balance"] == D("74381.08")  # 22,182.08 + 93,399.00 - 41,200.00
    assert c["after_commitments"] == D("68881.08")
    assert c["projected"] == D("20146.58")  # what nesa finance budget calls unallocated
    assert d["run"] == {"from": "2025-26", "to": "2027-28", "year": 2, "of": 3}
    assert any("not yet confirmed" in n and "£6,840.25" in n for n in d["notes"])
    assert any(n.startswith("Behind the year") and "School-to-school support 6.1%" in n for n in d["notes"])


def test_budget_totals_add_up(model):
    for fy in finance_years(model).values():
        d = papers.budget_paper(model, fy, TODAY)
        for key in ("expected", "received", "outstanding"):
            assert d["income_total"][key] == sum(r[key] for r in d["income"])
        for key in ("budget", "committed", "spent", "remaining"):
            assert d["stream_total"][key] == sum(s[key] for s in d["streams"])
        for s in d["streams"]:
            assert s["remaining"] == s["budget"] - s["committed"] - s["spent"]
        c = d["carry"]
        assert c["balance"] == c["brought_forward"] + c["received"] - c["spent"]
        assert c["projected"] == c["balance"] - c["committed"] + c["still_to_receive"] - c["still_to_spend"]
        assert all(v.as_tuple().exponent == -2 for v in d["income_total"].values())  # pence exact


# --- the contribution statement ---------------------------------------------------------------


def test_contribution_statement(model, fy):
    d = papers.contributions_paper(model, fy, TODAY)
    t = d["totals"]
    assert (t["schools"], t["due"], t["confirmed"], t["invoiced"], t["paid"], t["outstanding"]) == (
        40, D("68582.25"), D("61742.00"), D("61742.00"), D("58399.00"), D("10183.25"))
    for key in ("due", "invoiced", "paid", "outstanding"):
        assert t[key] == sum(r[key] for r in d["rows"])
    by = {r["urn"]: r for r in d["rows"]}
    assert by[122171]["state"] == "110 days overdue" and by[122171]["outstanding"] == D("918.00")  # due 5 August
    assert by[122220]["state"] == "not confirmed" and by[122220]["invoice"] is None
    assert by[122101]["state"] == "paid" and by[122101]["paid_on"] == date(2026, 7, 30)


# --- aged debtors --------------------------------------------------------------------------------


def test_aged_debtors_by_hand(model):
    d = accounts.aged_debtors(model, TODAY)
    # 31-60 days: NESA-2026-0055 £2,600.00 and the £1,300.00 Choppington still owes on NESA-2026-0063 (part paid)
    assert d["totals"] == {"not_due": D("0.00"), "d1_30": D("2600.00"), "d31_60": D("3900.00"), "d61_90": D("7890.08"),
                           "over_90": D("5368.57"), "total": D("19758.65")}
    assert d["overdue"] == D("19758.65")
    for key in ("not_due", "d1_30", "d31_60", "d61_90", "over_90", "total"):
        assert d["totals"][key] == sum(r[key] for r in d["rows"])
    for r in d["rows"]:
        assert r["total"] == sum(i["amount"] for i in r["invoices"])
    numbers = {i["number"] for r in d["rows"] for i in r["invoices"]}
    assert "NESA-2026-0059" not in numbers and "NESA-2026-0064" not in numbers  # void, and its credit note
    assert "NESA-2026-0065" in numbers  # the re-issue: 12 days overdue
    assert {i["number"] for i in d["shared"]} == {"NESA-2025-0069", "NESA-2026-0038"}  # owed to schools, not the fund
    assert "NESA-2025-0069" not in numbers


def test_aged_debtors_as_of_an_earlier_day(model):
    """On 1 October the payroll invoice later voided was an open debt, not yet due; one paid on
    8 November was then unpaid; the re-issue of 12 October did not exist."""
    d = accounts.aged_debtors(model, date(2026, 10, 1))
    items = {i["number"]: i for r in d["rows"] for i in r["invoices"]}
    assert items["NESA-2026-0059"]["band"] == "not_due"
    assert items["NESA-2026-0042"]["band"] == "d1_30"  # due 23 September, paid 8 November
    assert "NESA-2026-0065" not in items


def test_bands_have_no_gap():
    assert [accounts.band_of(n) for n in (-5, 0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        "not_due", "not_due", "d1_30", "d1_30", "d31_60", "d31_60", "d61_90", "d61_90", "over_90", "over_90"]


# --- statement and reminder ------------------------------------------------------------------------


def test_statement_with_a_void_and_re_issue(model, fy):
    d = accounts.statement(model, model.schools[122325], fy, TODAY)
    got = [(x["date"], x["kind"], x["reference"], x["debit"], x["credit"], x["balance"]) for x in d["lines"]]
    assert got == [
        (date(2026, 7, 6), "invoice", "NESA-2026-0030", D("2172.00"), None, D("2172.00")),
        (date(2026, 7, 17), "payment", "NESA-2026-0030", None, D("2172.00"), D("0.00")),
        (date(2026, 9, 7), "invoice", "NESA-2026-0059", D("2600.00"), None, D("2600.00")),
        (date(2026, 10, 12), "credit", "NESA-2026-0064", None, D("2600.00"), D("0.00")),
        (date(2026, 10, 12), "invoice", "NESA-2026-0065", D("2600.00"), None, D("2600.00")),
    ]
    assert d["opening"] == D("0.00") and d["closing"] == D("2600.00") == d["due_now"]
    assert d["closing"] == d["opening"] + d["totals"]["debits"] - d["totals"]["credits"]
    assert d["closing"] == sum(i["amount"] for i in d["open_items"])


def test_statement_opening_balance_and_shared_invoices(model, fy):
    seahouses = accounts.statement(model, model.schools[122388], fy, TODAY)
    assert seahouses["opening"] == D("981.50") and seahouses["closing"] == D("981.50")  # NESA-2025-0036, unpaid
    choppington = accounts.statement(model, model.schools[122353], fy, TODAY)
    assert choppington["closing"] == D("1300.00") == choppington["due_now"]
    part = [x for x in choppington["lines"] if x["description"].startswith("Part payment")]
    assert [(x["date"], x["credit"], x["balance"]) for x in part] == [(date(2026, 10, 30), D("1300.00"), D("1300.00"))]
    assert [i["number"] for i in choppington["shared"]] == ["NESA-2025-0069"]  # owed to Hirst Park, not in the balance
    assert choppington["school"]["finance"]["name"] == "Joanne Thompson"


def test_reminder(model):
    d = accounts.reminder(model, model.schools[122353], TODAY)
    assert [(i["number"], i["days_overdue"], i["total"], i["part_paid"], i["amount"]) for i in d["invoices"]] == [
        ("NESA-2026-0063", 47, D("2600.00"), D("1300.00"), D("1300.00"))]
    assert d["total"] == D("1300.00") and d["invoices"][0]["part_note"] == "£1,300.00 of £2,600.00 received"
    assert d["salutation"] == "Dear Joanne Thompson" and d["copy_to"]["name"] == "Harry Carr" and not d["firm"]
    assert accounts.reminder(model, model.schools[122339], TODAY)["firm"]  # 110 days overdue
    with pytest.raises(accounts.NothingOverdue, match="Rothbury First School"):
        accounts.reminder(model, model.schools[122101], TODAY)


# --- the commands ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args,build", [
    (["budget", "2026-27"], lambda m, fy: papers.budget_paper(m, fy, TODAY)),
    (["contributions", "2026-27"], lambda m, fy: papers.contributions_paper(m, fy, TODAY)),
    (["debtors"], lambda m, fy: accounts.aged_debtors(m, TODAY)),
    (["statement", "bothal", "2026-27"], lambda m, fy: accounts.statement(m, m.schools[122325], fy, TODAY)),
    (["reminder", "122353"], lambda m, fy: accounts.reminder(m, m.schools[122353], TODAY)),
], ids=lambda x: x[0] if isinstance(x, list) else "")
def test_json_is_the_library(model, fy, args, build):
    r = nesa("finance", "papers", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    assert same(r.stdout, build(model, fy))


def test_debtors_as_of_option(model):
    r = nesa("finance", "papers", "debtors", "--as-of", "2026-10-01", "--json")
    assert r.exit_code == 0 and same(r.stdout, accounts.aged_debtors(model, date(2026, 10, 1)))
    assert nesa("finance", "papers", "debtors", "--as-of", "1 Oct").exit_code == 2


def test_csv(tmp_path):
    out = tmp_path / "debtors.csv"
    r = nesa("finance", "papers", "debtors", "--format", "csv", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeffurn,school,not_due,d1_30,d31_60,d61_90,over_90,total,invoices")  # a file: a BOM
    assert text.rstrip().splitlines()[-1] == ",Total,0.00,2600.00,3900.00,7890.08,5368.57,19758.65,"
    r = nesa("finance", "papers", "budget", "--csv")
    assert "expenditure total,Total expenditure,139200.00" in r.stdout
    assert nesa("finance", "papers", "reminder", "122353", "--format", "csv").exit_code == 2  # a letter has no table


HTML = {
    "budget": ["budget", "2026-27"],
    "contributions": ["contributions", "2026-27"],
    "debtors": ["debtors"],
    "statement-choppington": ["statement", "122353"],
    "reminder-choppington": ["reminder", "choppington"],
}


@pytest.mark.parametrize("name", sorted(HTML))
def test_html_golden(name):
    r = nesa("finance", "papers", *HTML[name])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("<!DOCTYPE html>") and "Northumberland Education Schools&#39; Alliance" in r.stdout
    assert_golden(f"finance-papers/{name}.html", r.stdout)


def test_letterhead_and_legal_identity():
    for args in (["statement", "122353"], ["reminder", "122353"]):
        text = nesa("finance", "papers", *args).stdout
        assert "held by Morpeth Chantry Middle School (URN 122150)" in text and "County Hall, Loansdean" in text
    letter = nesa("finance", "papers", "reminder", "122353").stdout
    assert "NESA-2026-0063" in letter and "7 September 2026" in letter and ">47<" in letter
    assert "Thank you for the £1,300.00 already received against NESA-2026-0063" in letter
    assert "sort code <strong>00-00-00</strong>" in letter and "fund@nesa.example.org" in letter
    assert "Siobhan Brennan" in letter  # who signs, and whom to contact


def test_errors_are_clean():
    r = nesa("finance", "papers", "statement", "choppingtn")
    assert r.exit_code == 2 and "Did you mean: Choppington Church of England Primary School?" in r.stderr
    r = nesa("finance", "papers", "budget", "2030-31")
    assert r.exit_code == 2 and "no finance data for 2030-31" in r.stderr and "years: 2025-26, 2026-27" in r.stderr
    r = nesa("finance", "papers", "contributions", "2026-28")
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = nesa("finance", "papers", "budget", "--format", "pdf")
    assert r.exit_code == 2 and "-o FILE" in r.stderr


def test_nothing_overdue_is_exit_1_and_writes_no_letter(tmp_path):
    out = tmp_path / "r.pdf"
    r = nesa("finance", "papers", "reminder", "rothbury", "--format", "pdf", "-o", str(out))
    assert r.exit_code == 1 and "has no overdue invoices from the fund on 23 November 2026" in r.stderr
    assert not out.exists()


def test_private_contact_fields_never_shown(sample):
    path = sample / "data/schools/122353.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    email: j.thompson@choppingtonprimary.example.org\n",
        "    email: j.thompson@choppingtonprimary.example.org\n    mobile: \"07700 900999\"\n    private: [email, mobile]\n")
    path.write_text(text, encoding="utf-8")
    for args in (["statement", "122353"], ["reminder", "122353"]):
        for fmt in ("html", "json"):
            r = nesa("finance", "papers", *args, "--format", fmt, root=sample)
            assert r.exit_code == 0, r.output
            assert "Joanne Thompson" in r.stdout  # by name
            for secret in ("j.thompson@", "07700 900999", "07700 900353"):  # hers, and the head's private mobile
                assert secret not in r.stdout


def test_fresh_repository(tmp_path):
    target = tmp_path / "fresh"
    r = runner.invoke(app, ["init", str(target), "--name", "Tyne Valley Schools Alliance", "--short", "TVSA", "--la", "929"])
    assert r.exit_code == 0, r.output
    r = nesa("finance", "papers", "debtors", "--format", "json", root=target)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["notes"] == ["No school owes the fund anything."]
    r = nesa("finance", "papers", "debtors", root=target)
    assert r.exit_code == 0 and "No school owes the fund anything." in r.stdout
    for args in (["budget"], ["contributions", "2026-27"]):
        r = nesa("finance", "papers", *args, root=target)
        assert r.exit_code == 2 and "no finance data for 2026-27" in r.stderr and "Traceback" not in r.output
    r = nesa("finance", "papers", "statement", "anything", root=target)
    assert r.exit_code == 2 and "no school matches" in r.stderr


# --- part payments ------------------------------------------------------------------------------------------


def test_part_payment_before_the_day_only(model):
    """Aged on 29 October, before Choppington's part payment of 30 October, the whole £2,600.00 was owed."""
    d = accounts.aged_debtors(model, date(2026, 10, 29))
    items = {i["number"]: i for r in d["rows"] for i in r["invoices"]}
    assert items["NESA-2026-0063"]["amount"] == D("2600.00") and items["NESA-2026-0063"]["part_note"] is None


def test_pay_an_amount_then_the_rest(sample):
    r = nesa("invoices", "pay", "NESA-2026-0055", "--date", "2026-11-20", "--amount", "£1,000.00", root=sample)
    assert r.exit_code == 0 and "£1,000.00 received on 2026-11-20; £1,600.00 still owed" in r.stdout
    d = json.loads(nesa("finance", "papers", "debtors", "--json", root=sample).stdout)
    wilfrid = next(x for x in d["rows"] if x["urn"] == 122276)
    assert wilfrid["total"] == "1600.00"
    assert nesa("invoices", "pay", "NESA-2026-0055", "--date", "2026-11-21", "--amount", "2000", root=sample).exit_code == 2
    assert nesa("invoices", "pay", "NESA-2026-0055", "--date", "2026-11-19", root=sample).exit_code == 2  # before the part
    r = nesa("invoices", "pay", "NESA-2026-0055", "--date", "2026-11-22", root=sample)
    assert r.exit_code == 0 and "paid on 2026-11-22" in r.stdout
    assert nesa("validate", root=sample).exit_code == 0
    s = json.loads(nesa("finance", "papers", "statement", "122276", "--json", root=sample).stdout)
    assert [(x["date"], x["credit"]) for x in s["lines"] if x["reference"] == "NESA-2026-0055" and x["credit"]] == [
        ("2026-11-20", "1000.00"), ("2026-11-22", "1600.00")]


def test_part_paid_contribution_counts_as_received(sample):
    """A part payment of a contribution is money received: in the budget, the balance and the statement."""
    before = json.loads(nesa("finance", "papers", "budget", "2026-27", "--json", root=sample).stdout)
    assert nesa("invoices", "pay", "NESA-2026-0010", "--date", "2026-11-02", "--amount", "400", root=sample).exit_code == 0
    after = json.loads(nesa("finance", "papers", "budget", "2026-27", "--json", root=sample).stdout)
    assert D(after["income"][0]["received"]) - D(before["income"][0]["received"]) == D("400.00")
    assert D(after["carry"]["balance"]) - D(before["carry"]["balance"]) == D("400.00")
    c = json.loads(nesa("finance", "papers", "contributions", "2026-27", "--json", root=sample).stdout)
    row = next(r for r in c["rows"] if r["urn"] == 122171)
    assert (row["paid"], row["outstanding"], row["state"]) == ("400.00", "518.00", "110 days overdue, part paid")


def test_part_payments_that_contradict_the_status_are_errors(sample):
    path = sample / "data/finance/invoices/NESA-2026-0063.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('amount: "1300.00"', 'amount: "2600.00"'), encoding="utf-8")
    r = nesa("validate", root=sample)
    assert r.exit_code == 1 and "invoice-status" in r.stdout and "add up to £2,600.00, the whole" in r.stdout
    path.write_text(text.replace("date: 2026-10-30", "date: 2026-09-01"), encoding="utf-8")
    r = nesa("validate", root=sample)
    assert r.exit_code == 1 and "invoice-dates" in r.stdout and "before the invoice date 2026-09-07" in r.stdout


def test_a_part_paid_invoice_shows_the_balance_due(tmp_path):
    r = nesa("invoices", "render", "NESA-2026-0063", "-o", str(tmp_path))
    assert r.exit_code == 0, r.output
    html = (tmp_path / "NESA-2026-0063.html").read_text(encoding="utf-8")
    assert "Received with thanks</td><td class=\"num\">£1,300.00" in html
    assert "Balance due</td><td class=\"num\">£1,300.00" in html and "Total due" not in html


def test_an_unreadable_invoice_is_never_left_out_silently(sample):
    path = sample / "data/finance/invoices/NESA-2026-0010.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: issued\n", "status: [oops\n"), encoding="utf-8")
    r = nesa("finance", "papers", "debtors", "--csv", root=sample)
    assert r.exit_code == 0
    assert "data/finance/invoices/NESA-2026-0010.yaml" in r.stderr and "left out of these figures" in r.stderr
