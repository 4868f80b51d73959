"""Property tests: splits add up to the penny and are never negative, whatever
the scheme and the school sizes; invoice numbers never repeat, however runs
are repeated or interrupted."""

from __future__ import annotations

import pytest

import shutil
import subprocess
import tempfile
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nesa_cli.finance import money as m
from nesa_cli.finance.contributions import FinanceError, calculate
from nesa_cli.finance.model import Band, Confirmation, FinanceYear, Scheme
from nesa_cli.model import Alliance, MembershipEvent, Model, PupilCount, School

pence = st.integers(min_value=0, max_value=10**9)
weights = st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=40)


@given(total=pence, ws=weights)
def test_allocate_adds_up_never_negative_and_is_fair(total, ws):
    assume(any(ws) or total == 0)
    out = m.allocate(total, dict(enumerate(ws)))
    assert sum(out.values()) == total
    assert all(v >= 0 for v in out.values())
    tw = sum(ws)
    for k, w in enumerate(ws):
        exact = Fraction(total * w, tw) if tw else Fraction(0)
        assert exact - 1 < out[k] < exact + 1  # within a penny of the exact share


@given(total=pence, ws=weights, data=st.data())
def test_share_with_limits_respects_floors_and_caps(total, ws, data):
    n = len(ws)
    floors = data.draw(st.lists(st.integers(0, 200000), min_size=n, max_size=n))
    extra = data.draw(st.lists(st.one_of(st.none(), st.integers(0, 500000)), min_size=n, max_size=n))
    caps = [None if e is None else f + e for f, e in zip(floors, extra)]
    try:
        out = m.share_with_limits(total, dict(enumerate(ws)), dict(enumerate(floors)), dict(enumerate(caps)))
    except m.MoneyError:
        # only when it is really impossible: a part with no weight stays at its
        # floor, a part with weight can grow to its cap (or without end)
        most = [(c if c is not None else None) if w > 0 else f for w, f, c in zip(ws, floors, caps)]
        assert sum(floors) > total or (None not in most and sum(most) < total)
        return
    assert sum(out.values()) == total
    for k in range(n):
        assert out[k] >= floors[k] >= 0
        if caps[k] is not None:
            assert out[k] <= caps[k]


def _model(sizes, joins, start_month=4):
    schools = {}
    for i, (pupils, join) in enumerate(zip(sizes, joins)):
        urn = 100001 + i
        events = (MembershipEvent("member", join),)
        schools[urn] = School(urn, f"School {i}", "primary", "community", pupils=(PupilCount(date(2024, 10, 3), pupils),), membership=events)
    alliance = Alliance("A", "TSA", (929,), ("community",), start_month, date(2024, 10, 3))
    return Model(alliance=alliance, schools=schools)


money_amounts = st.integers(min_value=0, max_value=10**7).map(lambda p: Decimal(p) / 100)


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=30),
    data=st.data(),
    method=st.sampled_from(["per-pupil", "bands", "share-of-total"]),
)
def test_contributions_add_up_and_are_never_negative(sizes, data, method):
    joins = data.draw(st.lists(st.sampled_from([date(2024, 9, 1), date(2025, 4, 1), date(2025, 9, 1), date(2025, 9, 15), date(2026, 3, 1)]),
                               min_size=len(sizes), max_size=len(sizes)))
    floor = data.draw(st.one_of(st.none(), money_amounts))
    cap = data.draw(st.one_of(st.none(), money_amounts))
    if floor is not None and cap is not None and floor > cap:
        floor, cap = cap, floor
    base = data.draw(money_amounts)
    rate = data.draw(st.integers(0, 100000).map(lambda x: Decimal(x) / 10000))  # up to 4 places
    total = data.draw(money_amounts)
    bands = (Band(100, data.draw(money_amounts)), Band(None, data.draw(money_amounts)))
    scheme = Scheme(method, base=base, per_pupil=rate, total=total, bands=bands, floor=floor, cap=cap)
    model = _model(sizes, joins)
    fy = FinanceYear("2025-26", {"name": "Fund"}, scheme=scheme,
                     confirmations=tuple(Confirmation(u, date(2025, 5, 1), "m") for u in model.schools))
    try:
        result = calculate(model, fy)
    except FinanceError:
        assert method == "share-of-total"  # only a total the floors and caps cannot meet is refused
        return
    assert all(r.amount >= 0 and r.amount == r.amount.quantize(Decimal("0.01")) for r in result.rows)
    assert result.total == sum(r.amount for r in result.rows)
    if method == "share-of-total" and result.rows:
        assert result.total == total  # to the penny
    for r in result.rows:
        assert 1 <= r.months <= 12
        if floor is not None and method != "share-of-total":
            assert r.amount >= m.round_pence(Fraction(floor) * r.months / 12) or (cap is not None and cap < floor)
        if cap is not None:
            assert r.amount <= m.round_pence(Fraction(cap) * r.months / 12)


# --- numbering across repeated and interrupted runs -----------------------------------------

_BASE = None


def _base_repo() -> Path:
    """One committed repository with finance data, copied for each example."""
    global _BASE
    if _BASE is None:
        from conftest import BASE, git
        from test_finance import FINANCE_YAML

        import atexit

        root = Path(tempfile.mkdtemp(prefix="nesa-prop-")) / "repo"
        atexit.register(shutil.rmtree, root.parent, True)
        shutil.copytree(BASE / "data", root / "data")
        (root / "data/finance").mkdir()
        text = FINANCE_YAML.replace("confirmations:\n", "confirmations:\n  - school: 100002\n    date: 2025-06-10\n    minute: FGB 40/25\n")
        (root / "data/finance/2025-26.yaml").write_text(text, encoding="utf-8")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "base")
        _BASE = root
    return _BASE


class Crash(Exception):
    pass


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(["issue", "crash", "void", "crash-void", "commit"]), st.integers(0, 7),
                                st.sampled_from([date(2025, 11, 1), date(2026, 2, 1)])), min_size=1, max_size=8))
def test_numbers_never_repeat_across_repeated_and_interrupted_runs(steps):
    import nesa_cli.finance.issue as issuing
    from conftest import git
    from nesa_cli.finance.issue import WriteRefused, issue, void
    from nesa_cli.load import load_bytes
    from nesa_cli.store import WorkingTree
    from nesa_cli.validate.run import load

    work = Path(tempfile.mkdtemp(prefix="nesa-prop-run-")) / "repo"
    shutil.copytree(_base_repo(), work)
    real = issuing.atomic_write
    ever: set[str] = set()
    try:
        for action, n, day in steps:
            if action in ("issue", "crash"):
                calls = {"n": 0}

                def flaky(path, data, limit=n):
                    if calls["n"] >= limit:
                        raise Crash()
                    calls["n"] += 1
                    real(path, data)

                issuing.atomic_write = flaky if action == "crash" else real
                try:
                    issue(work, "2025-26", day)
                except (Crash, WriteRefused):  # refused while an interrupted void is unfinished
                    pass
                finally:
                    issuing.atomic_write = real
            elif action in ("void", "crash-void"):
                files = sorted((work / "data/finance/invoices").glob("*.yaml")) if (work / "data/finance/invoices").is_dir() else []
                if files:
                    target = files[n % len(files)].stem
                    calls = {"n": 0}

                    def dies_after_one(path, data):
                        if calls["n"] >= 1:
                            raise Crash()
                        calls["n"] += 1
                        real(path, data)

                    issuing.atomic_write = dies_after_one if action == "crash-void" else real
                    try:
                        void(work, target, "property test", day, reissue=bool(n % 2))
                    except (WriteRefused, LookupError, Crash):
                        pass
                    finally:
                        issuing.atomic_write = real
            else:
                git(work, "add", "-A")
                subprocess.run(["git", "commit", "-q", "-m", "step"], cwd=work, capture_output=True)
            folder = work / "data/finance/invoices"
            now = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
            assert ever <= now  # nothing ever disappears
            ever = now
        # finish interrupted voids by running them again
        from nesa_cli.finance.model import invoices as all_invoices

        for inv in all_invoices(load(WorkingTree(work)).model):
            if inv.is_credit_note and inv.credits:
                target = load_bytes("t", (work / "data/finance/invoices" / f"{inv.credits}.yaml").read_bytes()).data
                if target["status"] != "void":
                    void(work, inv.credits, "property test", date(2026, 2, 1))
        # at the end: numbers unique and contiguous, each source billed by one live invoice
        recs = {}
        for p in sorted((work / "data/finance/invoices").glob("*.yaml")) if (work / "data/finance/invoices").is_dir() else []:
            recs[p.stem] = load_bytes(p.name, p.read_bytes()).data
        seqs = sorted(int(k.rsplit("-", 1)[1]) for k in recs)
        assert seqs == list(range(1, len(seqs) + 1))
        live = [r["source"] for r in recs.values() if r["status"] != "void"]
        assert len(live) == len(set(live))
        result = load(WorkingTree(work))
        assert result.errors == 0, "\n".join(d.text() for d in result.diagnostics if d.severity == "error")
    finally:
        issuing.atomic_write = real
        shutil.rmtree(work.parent, ignore_errors=True)


# --- rendered documents ---------------------------------------------------------------------


@pytest.mark.pdf
@pytest.mark.slow
@settings(max_examples=8, deadline=None)
@given(lines=st.lists(st.tuples(st.integers(1, 2000), st.integers(1, 500000)), min_size=1, max_size=6),
       vat=st.sampled_from([None, Decimal("20"), Decimal("5")]))
def test_pdf_totals_equal_the_records_lines(lines, vat):
    """Whatever the lines, the PDF shows each line amount, the subtotal, VAT
    and total of the record, and they add up."""
    import re

    import pytest

    pytest.importorskip("typst")
    from pypdf import PdfReader
    import io

    from nesa_cli.finance.invoices import document, line, totals
    from nesa_cli.finance.model import build_invoice
    from nesa_cli.render.pdf import to_pdf

    body = [line(f"Item {i}", q, Decimal(p) / 100) for i, (q, p) in enumerate(lines)]
    treatment = "standard" if vat is not None else "none"
    tot = totals(body, treatment, vat or Decimal(0))
    rec = {"number": "TSA-2025-0001", "type": "invoice", "year": "2025-26", "source": "contribution:2025-26:100001",
           "issued": "2025-11-01", "due": "2025-12-01", "from": {"name": "Fund", "address": ["Morpeth", "NE61 2BB"]},
           "to": {"name": "Alpha First School", "school": 100001, "address": ["Alnwick", "NE66 1AA"]},
           "lines": body, "vat": {"treatment": treatment, "rate": vat or Decimal(0)}, "totals": tot, "status": "issued"}
    inv = build_invoice(rec)
    model = _model([10], [date(2024, 9, 1)])
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(None, "invoice", document(model, inv)))).pages)

    def amount(label: str) -> Decimal:
        found = re.search(label + r"[^£\n]*\s*£([0-9,]+\.[0-9]{2})", text)
        assert found, (label, text)
        return Decimal(found.group(1).replace(",", ""))

    assert amount("Subtotal") == tot["subtotal"] == sum(x["amount"] for x in body)
    assert amount("VAT") == tot["vat"]
    assert amount("Total due") == tot["total"] == tot["subtotal"] + tot["vat"]
    for x in body:
        assert f"£{x['amount']:,.2f}" in text
