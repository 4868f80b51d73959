"""Invoices: issuing (idempotent, numbered once), paying, voiding, listing, documents."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import assert_golden

import pytest

from conftest import edit, git
from nesa_cli.finance.issue import dump, issue, used_numbers
from nesa_cli.store import WorkingTree
from nesa_cli.validate.run import load
from test_finance import FY, add_finance, run

INV = "data/finance/invoices"


def golden(name: str, text: str) -> None:
    assert_golden(f"finance/{name}", text)


@pytest.fixture
def fin(repo: Path) -> Path:
    return add_finance(repo)


def numbers(repo: Path) -> list[str]:
    folder = repo / INV
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def records(repo: Path) -> dict[str, dict]:
    from nesa_cli.load import load_bytes

    out = {}
    for p in sorted((repo / INV).glob("*.yaml")):
        doc = load_bytes(p.name, p.read_bytes())
        out[p.stem] = doc.data
    return out


# --- issue -------------------------------------------------------------------------------


def test_issue_confirmed_contributions_and_due_recharges_then_nothing(fin):
    r = run(fin, "invoices", "issue", "2025-26")
    assert r.exit_code == 0, r.output
    assert numbers(fin) == ["TSA-2025-0001", "TSA-2025-0002", "TSA-2025-0003", "TSA-2025-0004"]
    recs = records(fin)
    assert {x["source"] for x in recs.values()} == {
        "contribution:2025-26:100001", "contribution:2025-26:100003",  # Beta has not confirmed
        "recharge:2025-26:shared-senco:100001", "recharge:2025-26:shared-senco:100003"}  # Beta is the provider
    one = recs["TSA-2025-0001"]
    assert one["po_reference"] == "PO 4471" and one["to"]["name"] == "Alpha First School"
    assert one["issued"] == "2025-11-01" and one["due"] == "2025-12-01" and one["totals"]["total"] == "941.00"
    assert one["from"]["address"] == ["Morpeth", "NE61 2BB"]  # the account holder's school address
    assert recs["TSA-2025-0003"]["from"]["name"] == "Beta Primary School"
    assert load(WorkingTree(fin)).errors == 0
    again = run(fin, "invoices", "issue", "2025-26")
    assert again.exit_code == 0 and "issued 0 invoices" in again.stdout and "4 already invoiced" in again.stdout
    assert numbers(fin) == ["TSA-2025-0001", "TSA-2025-0002", "TSA-2025-0003", "TSA-2025-0004"]
    # the contract's invoice date comes; a new confirmation arrives
    edit(fin, FY, "confirmations:\n", "confirmations:\n  - school: 100002\n    date: 2025-12-10\n    minute: FGB 40/25\n")
    r = run(fin, "invoices", "issue", "2025-26", today="2026-01-20")
    assert r.exit_code == 0, r.output
    assert numbers(fin)[4:] == ["TSA-2025-0005", "TSA-2025-0006", "TSA-2025-0007", "TSA-2025-0008"]
    assert {x["source"] for n, x in records(fin).items() if n >= "TSA-2025-0005"} == {
        "contribution:2025-26:100002", "contract:2025-26:broadband:100001", "contract:2025-26:broadband:100002",
        "contract:2025-26:broadband:100003"}


def test_dry_run_writes_nothing_and_json_is_the_library_result(fin):
    r = run(fin, "invoices", "issue", "2025-26", "--dry-run", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["dry_run"] is True and [i["number"] for i in data["issued"]][0] == "TSA-2025-0001"
    assert data["total"] == "7870.48"
    assert numbers(fin) == []
    from nesa_cli.jsonout import plain

    assert data == plain(issue(fin, "2025-26", date(2025, 11, 1), dry_run=True).as_dict())


def test_issue_refuses_invalid_data(fin):
    edit(fin, "data/schools/100001.yaml", "phase: first", "phase: frist")
    r = run(fin, "invoices", "issue", "2025-26")
    assert r.exit_code == 1
    assert "schema" in r.stdout and "refused" in r.output
    assert numbers(fin) == []


def test_issue_unknown_year_is_misuse(fin):
    assert run(fin, "invoices", "issue", "2024-25").exit_code == 2
    assert run(fin, "invoices", "issue", "banana").exit_code == 2


def test_interrupted_run_resumes_without_duplicates(fin, monkeypatch):
    import nesa_cli.finance.issue as issuing

    real = issuing.atomic_write
    calls = {"n": 0}

    def flaky(path, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(issuing, "atomic_write", flaky)
    with pytest.raises(OSError):
        issue(fin, "2025-26", date(2025, 11, 1))
    assert numbers(fin) == ["TSA-2025-0001", "TSA-2025-0002"]
    monkeypatch.setattr(issuing, "atomic_write", real)
    out = issue(fin, "2025-26", date(2025, 11, 1))
    assert [i.number for i in out.issued] == ["TSA-2025-0003", "TSA-2025-0004"]
    sources = [x["source"] for x in records(fin).values()]
    assert len(sources) == len(set(sources)) == 4


def test_numbers_in_git_history_are_never_reused(fin):
    issue(fin, "2025-26", date(2025, 11, 1))
    git(fin, "add", "-A")
    git(fin, "commit", "-q", "-m", "Invoices")
    # someone deletes the last invoice (they should not) and commits that
    (fin / INV / "TSA-2025-0004.yaml").unlink()
    git(fin, "commit", "-q", "-am", "Oops")
    assert "TSA-2025-0004" in used_numbers(fin)
    out = issue(fin, "2025-26", date(2025, 11, 1))
    assert [i.number for i in out.issued] == ["TSA-2025-0005"]  # the source is billed again, under a fresh number


def test_two_issuers_at_once_take_each_number_once(fin):
    code = ("import sys\nfrom datetime import date\nfrom pathlib import Path\nfrom nesa_cli.finance.issue import issue\n"
            "out = issue(Path(sys.argv[1]), '2025-26', date(2025, 11, 1))\nprint(len(out.issued))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(fin)], stdout=subprocess.PIPE, text=True) for _ in range(3)]
    counts = [int(p.communicate()[0].strip()) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(counts) == [0, 0, 4]
    assert numbers(fin) == ["TSA-2025-0001", "TSA-2025-0002", "TSA-2025-0003", "TSA-2025-0004"]


def test_killed_issuer_then_rerun_never_duplicates(fin):
    """A real command killed at random moments, then run to the end: every
    source billed once, every number used once, every file whole."""
    import random
    import signal
    import time

    # more to issue: every school confirms and every charge is due
    edit(fin, FY, "confirmations:\n", "confirmations:\n  - school: 100002\n    date: 2025-06-10\n    minute: FGB 40/25\n")
    rng = random.Random(5)
    env = {**os.environ, "NESA_TODAY": "2026-02-01"}
    cmd = [sys.executable, "-m", "nesa_cli", "-C", str(fin), "invoices", "issue", "2025-26"]
    killed_mid_run = 0
    for _ in range(6):
        before = len(numbers(fin))
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # kill as soon as this run has written a file (or at a random moment), so runs die half way
        deadline = time.monotonic() + rng.uniform(0.3, 3.0)
        while time.monotonic() < deadline and p.poll() is None and len(numbers(fin)) == before:
            time.sleep(0.002)
        p.send_signal(signal.SIGKILL)
        p.wait()
        killed_mid_run += p.returncode == -signal.SIGKILL and before < len(numbers(fin)) < 8
    assert killed_mid_run  # at least one run really died between two files
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    recs = records(fin)
    assert all(isinstance(x, dict) for x in recs.values())  # whole files only
    sources = [x["source"] for x in recs.values()]
    assert len(sources) == len(set(sources)) == 8
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in recs)
    assert seqs == list(range(1, 9))
    assert load(WorkingTree(fin)).errors == 0


# --- pay, void, list, show -----------------------------------------------------------------


@pytest.fixture
def issued(fin: Path) -> Path:
    issue(fin, "2025-26", date(2025, 11, 1))
    return fin


def test_pay_then_list_and_show(issued):
    r = run(issued, "invoices", "pay", "TSA-2025-0001", "--date", "2025-11-20", "--reference", "BACS 4471")
    assert r.exit_code == 0, r.output
    rec = records(issued)["TSA-2025-0001"]
    assert rec["status"] == "paid" and rec["paid_on"] == "2025-11-20" and rec["payment_reference"] == "BACS 4471"
    assert load(WorkingTree(issued)).errors == 0
    assert run(issued, "invoices", "pay", "TSA-2025-0001", "--date", "2025-11-21").exit_code == 2  # already paid
    assert run(issued, "invoices", "pay", "TSA-2025-0002", "--date", "2025-10-01").exit_code == 2  # before issue
    assert run(issued, "invoices", "pay", "TSA-2099-0001", "--date", "2025-11-21").exit_code == 2
    assert run(issued, "invoices", "pay", "TSA-2025-0002", "--date", "2025-13-01").exit_code == 2
    r = run(issued, "invoices", "list", "--json", today="2026-01-10")
    rows = {x["number"]: x for x in json.loads(r.stdout)}
    assert rows["TSA-2025-0001"]["status"] == "paid" and rows["TSA-2025-0002"]["status"] == "overdue"
    assert rows["TSA-2025-0002"]["days_overdue"] == 40
    r = run(issued, "invoices", "list", "--overdue", "--json", today="2026-01-10")
    assert [x["number"] for x in json.loads(r.stdout)] == ["TSA-2025-0002", "TSA-2025-0003", "TSA-2025-0004"]
    r = run(issued, "invoices", "list", "--status", "paid", "--csv")
    assert r.stdout.splitlines()[0].startswith("number,") and len(r.stdout.splitlines()) == 2
    assert run(issued, "invoices", "list", "--status", "late").exit_code == 2
    r = run(issued, "invoices", "show", "TSA-2025-0001", "--json")
    shown = json.loads(r.stdout)
    assert shown["totals"] == {"subtotal": "941.00", "vat": "0.00", "total": "941.00"} and shown["status"] == "paid"
    r = run(issued, "invoices", "show", "TSA-2025-0001")
    assert r.exit_code == 0 and "TSA-2025-0001" in r.stdout
    assert run(issued, "invoices", "show", "NOPE-2025-0001").exit_code == 2


def test_list_json_is_the_library_result(issued):
    from nesa_cli.finance.invoices import listing
    from nesa_cli.jsonout import plain

    r = run(issued, "invoices", "list", "--json", "--year", "2025-26", today="2026-01-10")
    result = load(WorkingTree(issued))
    assert json.loads(r.stdout) == plain(listing(result.model, date(2026, 1, 10), year="2025-26").json_rows())


def test_void_issues_a_credit_note_and_never_deletes(issued):
    r = run(issued, "invoices", "void", "TSA-2025-0002", "--reason", "Pupil number corrected", today="2025-11-05")
    assert r.exit_code == 0, r.output
    recs = records(issued)
    assert recs["TSA-2025-0002"]["status"] == "void" and recs["TSA-2025-0002"]["credit_note"] == "TSA-2025-0005"
    note = recs["TSA-2025-0005"]
    assert note["type"] == "credit-note" and note["credits"] == "TSA-2025-0002"
    assert note["totals"] == recs["TSA-2025-0002"]["totals"]
    assert load(WorkingTree(issued)).errors == 0
    # a void source is not re-issued by issue ...
    out = issue(issued, "2025-26", date(2025, 11, 6))
    assert out.issued == []
    # ... nor twice voided, nor a credit note voided
    assert run(issued, "invoices", "void", "TSA-2025-0002", "--reason", "again").exit_code == 2
    assert run(issued, "invoices", "void", "TSA-2025-0005", "--reason", "x").exit_code == 2
    assert run(issued, "invoices", "pay", "TSA-2025-0002", "--date", "2025-11-20").exit_code == 2


def test_void_with_reissue_bills_the_corrected_data(issued):
    edit(issued, FY, "    minute: FGB 9/25\n", "    minute: FGB 9/25\n    po: GHS-PO-77\n")
    r = run(issued, "invoices", "void", "TSA-2025-0002", "--reason", "No purchase-order reference", "--reissue", today="2025-11-05")
    assert r.exit_code == 0, r.output
    assert "re-issued as TSA-2025-0006" in r.stdout
    new = records(issued)["TSA-2025-0006"]
    assert new["replaces"] == "TSA-2025-0002" and new["po_reference"] == "GHS-PO-77"
    assert new["source"] == "contribution:2025-26:100003"
    assert load(WorkingTree(issued)).errors == 0


def test_paid_invoice_is_not_voided(issued):
    run(issued, "invoices", "pay", "TSA-2025-0001", "--date", "2025-11-20")
    r = run(issued, "invoices", "void", "TSA-2025-0001", "--reason", "x")
    assert r.exit_code == 2 and "refund" in r.output


def test_written_yaml_round_trips_and_is_stable(issued):
    from nesa_cli.finance.issue import _ordered
    from nesa_cli.load import load_bytes

    raw = (issued / INV / "TSA-2025-0001.yaml").read_bytes()
    data = load_bytes("x", raw).data
    assert dump(_ordered(data)) == raw  # rewriting an untouched file changes nothing
    assert raw.startswith(b"# yaml-language-server: $schema=../../../schemas/invoice.schema.json\n")
    assert b"1e" not in raw and "941.00" in raw.decode()


def test_yaml_writer_quotes_what_would_change_type():
    text = dump({"number": "TSA-2025-0001", "notes": "no", "terms": "yes: and # not a comment", "amount": Decimal("5.00"),
                 "quantity": Decimal("7.50"), "lines": [{"description": "a\nb"}]}).decode()
    assert 'notes: "no"' in text and 'terms: "yes: and # not a comment"' in text
    assert 'amount: "5.00"' in text and "quantity: 7.5" in text and '"a\\nb"' in text


# --- documents ---------------------------------------------------------------------------------


def test_invoice_html_golden(issued, tmp_path):
    r = run(issued, "invoices", "render", "TSA-2025-0001", "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    html = (tmp_path / "out" / "TSA-2025-0001.html").read_text(encoding="utf-8")
    for text in ("Alpha First School", "FAO Ann Head, Headteacher", "PO 4471", "£941.00", "Due date", "1 December 2025",
                 "sort code <strong>00-00-00</strong>", "Payment due within 30 days", "@page { size: A4"):
        assert text in html, text
    golden("invoice-TSA-2025-0001.html", html)


def test_credit_note_html_golden(issued, tmp_path):
    run(issued, "invoices", "void", "TSA-2025-0002", "--reason", "Pupil number corrected", today="2025-11-05")
    r = run(issued, "invoices", "render", "--all", "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"TSA-2025-000{i}.html" for i in range(1, 6)]
    note = (tmp_path / "out" / "TSA-2025-0005.html").read_text(encoding="utf-8")
    assert "Credit note" in note and "Credits invoice" in note and "nothing is payable" in note
    assert "VOID" in (tmp_path / "out" / "TSA-2025-0002.html").read_text(encoding="utf-8")
    golden("credit-note-TSA-2025-0005.html", note)


def test_render_escapes_data(issued, tmp_path):
    path = issued / INV / "TSA-2025-0001.yaml"
    assert "name: Alpha First School\n" in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace('name: Alpha First School\n', 'name: "<script>alert(1)</script> {{ 7*7 }}"\n'), encoding="utf-8")
    run(issued, "invoices", "render", "TSA-2025-0001", "-o", str(tmp_path / "out"))
    html = (tmp_path / "out" / "TSA-2025-0001.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html and "{{ 7*7 }}" in html


def test_render_misuse(issued, tmp_path):
    assert run(issued, "invoices", "render", "-o", str(tmp_path / "out")).exit_code == 2
    assert run(issued, "invoices", "render", "TSA-2025-0001", "--all", "-o", str(tmp_path / "out")).exit_code == 2
    assert run(issued, "invoices", "render", "TSA-2025-0001", "--format", "docx", "-o", str(tmp_path / "out")).exit_code == 2


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.mark.pdf
def test_pdf_totals_equal_the_record(issued, tmp_path):
    pytest.importorskip("typst")
    r = run(issued, "invoices", "render", "--all", "--format", "pdf", "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    for number, rec in records(issued).items():
        text = _pdf_text(tmp_path / "out" / f"{number}.pdf")
        assert number in text
        found = re.search(r"Total due\s*£([0-9,]+\.[0-9]{2})", text)
        assert found, text
        assert Decimal(found.group(1).replace(",", "")) == Decimal(rec["totals"]["total"])
        sub = re.search(r"Subtotal\s*£([0-9,]+\.[0-9]{2})", text)
        assert Decimal(sub.group(1).replace(",", "")) == sum(Decimal(x["amount"]) for x in rec["lines"])
        for line in rec["lines"]:
            assert f"£{Decimal(line['amount']):,.2f}" in text


@pytest.mark.shared_sample
def test_sample_invoices_list_overdue_as_of_today(sample):
    r = run(sample, "invoices", "list", "--overdue", "--json", today="2026-11-23")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows and all(x["status"] == "overdue" and x["days_overdue"] > 0 for x in rows)
    r = run(sample, "invoices", "list", "--status", "void", "--json", today="2026-11-23")
    void = json.loads(r.stdout)
    assert [x["number"] for x in void] == ["NESA-2025-0014", "NESA-2026-0059"]  # each re-issued with its order number
    note = run(sample, "invoices", "list", "--json", today="2026-11-23")
    assert any(x["type"] == "credit-note" for x in json.loads(note.stdout))
    # nothing more is due for 2025-26: issuing again issues nothing
    r = run(sample, "invoices", "issue", "2025-26", "--dry-run", today="2026-11-23")
    assert r.exit_code == 0 and "would issue 0 invoices" in r.stdout


def test_interrupted_void_is_finished_by_running_it_again(issued, monkeypatch):
    import nesa_cli.finance.issue as issuing
    from nesa_cli.finance.issue import WriteRefused, void

    real = issuing.atomic_write
    calls = {"n": 0}

    def dies_after_credit_note(path, data):
        if calls["n"] >= 1:
            raise OSError("killed")
        calls["n"] += 1
        real(path, data)

    monkeypatch.setattr(issuing, "atomic_write", dies_after_credit_note)
    with pytest.raises(OSError):
        void(issued, "TSA-2025-0002", "wrong pupils", date(2025, 11, 5), reissue=True)
    monkeypatch.setattr(issuing, "atomic_write", real)
    assert numbers(issued)[-1] == "TSA-2025-0005" and records(issued)["TSA-2025-0002"]["status"] == "issued"
    assert any(d.rule == "invoice-credit" for d in load(WorkingTree(issued)).diagnostics)
    with pytest.raises(WriteRefused):  # nothing else is issued while the void is unfinished
        issue(issued, "2025-26", date(2025, 11, 6))
    out = void(issued, "TSA-2025-0002", "wrong pupils", date(2025, 11, 6), reissue=True)
    assert out["credit_note"] == "TSA-2025-0005" and out["reissued"] == "TSA-2025-0006"  # no second credit note
    assert load(WorkingTree(issued)).errors == 0
    # a later void killed after its credit note; run again in two steps
    monkeypatch.setattr(issuing, "atomic_write", dies_after_credit_note)
    calls["n"] = 0
    with pytest.raises(OSError):
        void(issued, "TSA-2025-0003", "wrong hours", date(2025, 11, 6), reissue=True)
    monkeypatch.setattr(issuing, "atomic_write", real)
    # credit note TSA-2025-0007 written, the invoice not yet void: finish the void, then re-issue
    out = void(issued, "TSA-2025-0003", "wrong hours", date(2025, 11, 6))
    assert out["credit_note"] == "TSA-2025-0007"
    out = void(issued, "TSA-2025-0003", "wrong hours", date(2025, 11, 6), reissue=True)
    assert out["reissued"] == "TSA-2025-0008"
    with pytest.raises(WriteRefused):
        void(issued, "TSA-2025-0003", "wrong hours", date(2025, 11, 6), reissue=True)
    assert load(WorkingTree(issued)).errors == 0


def test_vat_when_configured(fin, tmp_path):
    edit(fin, FY, "payment_terms_days: 30\n", 'payment_terms_days: 14\nvat:\n  treatment: standard\n  rate: 20\n  number: "GB 123 4567 89"\n')
    out = issue(fin, "2025-26", date(2025, 11, 1))
    rec = records(fin)[out.issued[0].number]
    assert rec["totals"] == {"subtotal": "941.00", "vat": "188.20", "total": "1129.20"}
    assert rec["due"] == "2025-11-15"
    assert load(WorkingTree(fin)).errors == 0
    run(fin, "invoices", "render", out.issued[0].number, "-o", str(tmp_path / "out"))
    html = (tmp_path / "out" / f"{out.issued[0].number}.html").read_text(encoding="utf-8")
    assert "VAT at 20%" in html and "£188.20" in html and "GB 123 4567 89" in html and "£1,129.20" in html
