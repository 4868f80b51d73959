"""The writes: issuing invoices, recording payments, voiding with a credit note.

Every write holds the repository lock (``<root>/.nesa-lock``), reads and
validates the data afresh under it, and writes each invoice file atomically
(temporary file, fsync, rename). So two commands at once cannot both take a
number, and a run killed half way leaves whole files only: running it again
issues what is still missing with fresh numbers.

Numbers are ``<short_name>-<start year>-<sequence>`` (e.g. NESA-2025-0001),
one sequence per alliance and financial year shared by invoices and credit
notes. The next number is 1 + the highest ever used: on disk, in git's index
and in any commit (so a deleted or renamed invoice's number is never reused).

Invoice files are machine-written: the tool rewrites a whole file (stable
key order, no comments) when it records a payment or a void.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from nesa_cli.errors import DataError
from nesa_cli.finance.contributions import FinanceError
from nesa_cli.finance.model import NUMBER, start_year
from nesa_cli.store.write import atomic_write, repo_lock, safe_path

FOLDER = "data/finance/invoices"
HEADER = "# yaml-language-server: $schema=../../../schemas/invoice.schema.json\n"
MONEY_KEYS = {"unit_price", "amount", "subtotal", "vat", "total"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class WriteRefused(DataError):
    """The data has errors (``diagnostics``) or the request cannot be done."""

    def __init__(self, message: str, diagnostics: list | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []


# --- YAML out ------------------------------------------------------------------------


def _ruamel(value: Any, key: str | None = None):
    """An invoice value as the round-trip writer should put it: money always
    as quoted pounds and pence ("1234.50"), so no reader takes it for a
    float; other text quoted only where YAML would read it as something else."""
    from nesa_cli.edit import roundtrip
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _ruamel(v, k)
        return m
    if isinstance(value, (list, tuple)):
        return CommentedSeq([_ruamel(v, key) for v in value])
    if isinstance(value, float):
        raise TypeError("floats are never written")
    if key in MONEY_KEYS and isinstance(value, (Decimal, str)) and not isinstance(value, bool):
        text = f"{Decimal(value).quantize(Decimal('0.01'))}" if isinstance(value, Decimal) else str(value)
        return DoubleQuotedScalarString(text)
    if isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral() else value
    if isinstance(value, str):
        if _DATE.match(value):
            try:
                return date.fromisoformat(value)  # written plain, as the files have them
            except ValueError:
                pass
        return roundtrip.quoted_if_needed(value)
    return value


def dump(record: dict[str, Any]) -> bytes:
    """An invoice record as YAML text (schema header, stable key order),
    written by the same round-trip writer as every edit."""
    from nesa_cli.edit import roundtrip

    return HEADER.encode("utf-8") + roundtrip.dump(_ruamel(record))


def invoice_path(root: Path, number: str) -> Path:
    """Where invoice ``number`` is written: checked to stay inside data/ (UnsafePath otherwise)."""
    return in_data(root, f"{FOLDER}/{number}.yaml")


def in_data(root: Path, rel: str) -> Path:
    """``root/rel`` once it is known to be inside data/ and reached without a link."""
    return safe_path(root, rel, under="data")


# --- numbers -------------------------------------------------------------------------


def used_numbers(root: Path) -> set[str]:
    """Every invoice number ever used: files on disk, git's index and any commit."""
    out: set[str] = set()
    folder = Path(root) / FOLDER
    if folder.is_dir():
        out |= {p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")}

    from nesa_cli.store.gitrun import run

    def git(*args: str) -> str:
        return run(root, *args, quiet=True)  # no git, or no repository: numbers on disk only

    names = git("ls-files", "-z", "--", FOLDER).split("\0")
    names += git("log", "--all", "--format=", "--name-only", "--", FOLDER).splitlines()
    for name in names:
        stem = name.rsplit("/", 1)[-1]
        if stem.endswith(".yaml"):
            out.add(stem[:-5])
    return {n for n in out if NUMBER.match(n)}


# --- loading under the lock --------------------------------------------------------------


def _load_checked(root: Path, what: str, finance_only: bool = False, ignore=None):
    """Load and validate under the lock; WriteRefused when there are errors
    (only those under data/finance/ when ``finance_only``; ``ignore(result, d)``
    lets a command that repairs a known error pass it)."""
    from nesa_cli.store import WorkingTree
    from nesa_cli.loader import load

    result = load(WorkingTree(root))
    errors = [d for d in result.diagnostics if d.severity == "error" and (not finance_only or d.path.startswith("data/finance/"))
              and not (ignore and ignore(result, d))]
    if errors:
        raise WriteRefused(f"{what} refused: the data has {len(errors)} error{'s' if len(errors) != 1 else ''}; "
                           "fix them (nesa validate) and run it again", errors)
    return result


def _check_record(record: dict[str, Any]) -> None:
    """The record about to be written passes the invoice schema (a bug guard)."""
    from nesa_cli.load import load_bytes
    from nesa_cli.validate.schema import check

    doc = load_bytes("invoice", dump(record))
    problems = list(doc.problems) + (check(doc, "invoice.schema.json") if doc.data is not None else [])
    if problems:
        raise FinanceError("internal error: the invoice record would not be valid: " + "; ".join(p.message for p in problems))


def _number_record(number: str, rec: dict[str, Any]) -> dict[str, Any]:
    return {"number": number, **rec}


@dataclass
class Issued:
    number: str
    source: str
    to: str
    total: Decimal
    path: str

    def as_dict(self) -> dict:
        return {"number": self.number, "source": self.source, "to": self.to, "total": self.total, "path": self.path}


@dataclass
class IssueOutcome:
    year: str
    dry_run: bool
    issued: list[Issued] = field(default_factory=list)
    already: int = 0  # sources invoiced before this run

    def as_dict(self) -> dict:
        return {"year": self.year, "dry_run": self.dry_run, "issued": [i.as_dict() for i in self.issued],
                "already_invoiced": self.already, "total": sum((i.total for i in self.issued), Decimal("0.00"))}


def issue(root: Path, year: str, today: date, dry_run: bool = False) -> IssueOutcome:
    """Issue every invoice due for ``year`` that has not been issued yet.

    Idempotent: a second run issues nothing; a run interrupted after some
    files resumes with the rest. Raises WriteRefused when the data has errors
    and FinanceError when the year's data does not allow the calculation."""
    from contextlib import nullcontext

    from nesa_cli.finance.invoices import plan, sources_invoiced

    root = Path(root)
    with (nullcontext() if dry_run else repo_lock(root)):
        result = _load_checked(root, "issuing invoices")
        model = result.model
        fy = (model.other.get("finance-year") or {}).get(year)
        if fy is None:
            raise WriteRefused(f"no finance data for {year} (data/finance/{year}.yaml)")
        prefix = model.alliance.short_name
        seq_year = start_year(year)
        done = sources_invoiced(model)
        drafts = plan(model, fy, today, skip=done)
        used = used_numbers(root)
        outcome = IssueOutcome(year, dry_run, already=len([s for s in done if s.split(":")[1:2] == [year]]))
        from nesa_cli.finance.invoices import next_number

        for draft in drafts:
            number = next_number(prefix, seq_year, used)
            record = _number_record(number, draft.record)
            _check_record(record)
            path = invoice_path(root, number)
            if not dry_run:
                if path.exists():  # never overwrite; a number on disk is a number used
                    raise FinanceError(f"{path} already exists")
                atomic_write(path, dump(record))
            used.add(number)
            outcome.issued.append(Issued(number, draft.source, draft.to_name, draft.total, f"{FOLDER}/{number}.yaml"))
        return outcome


def _record_of(result, number: str) -> tuple[Any, dict]:
    from nesa_cli.finance.invoices import find

    inv = find(result.model, number)
    if inv is None:
        raise LookupError(f"no invoice {number!r}; see nesa invoices list")
    doc = result.documents.get(inv.path)
    return inv, dict(doc.data)


def pay(root: Path, number: str, on: date, reference: str | None = None, amount: Decimal | None = None) -> dict:
    """Record that ``number`` was paid on ``on``: in full, or ``amount`` of what it still owes
    (a part payment: it stays issued, owing the rest; the payment that settles it makes it paid)."""
    root = Path(root)
    with repo_lock(root):
        result = _load_checked(root, "recording a payment", finance_only=True)
        inv, data = _record_of(result, number)
        if inv.is_credit_note:
            raise WriteRefused(f"{number} is a credit note; there is nothing to pay")
        if inv.status == "void":
            raise WriteRefused(f"{number} is void ({inv.void_reason}); it cannot be paid")
        if inv.status == "paid":
            raise WriteRefused(f"{number} was already paid on {inv.paid_on}")
        if on < inv.issued:
            raise WriteRefused(f"payment date {on} is before the invoice date {inv.issued}")
        owed = inv.total - inv.part_paid()
        if inv.part_payments and on < inv.part_payments[-1].date:
            raise WriteRefused(f"payment date {on} is before the last part payment ({inv.part_payments[-1].date})")
        if amount is not None and not Decimal("0") < amount <= owed:
            raise WriteRefused(f"{number} owes £{owed:,.2f}; a payment of £{amount:,.2f} does not fit")
        if amount is not None and amount < owed:
            part = {"date": on, "amount": amount}
            if reference:
                part["reference"] = reference
            data["part_payments"] = list(data.get("part_payments") or []) + [part]
            _check_record(data)
            atomic_write(in_data(root, inv.path), dump(_ordered(data)))
            return {"number": number, "status": "issued", "part_paid": amount, "owed": owed - amount, "on": on,
                    "payment_reference": reference}
        data["status"] = "paid"
        data["paid_on"] = on
        if reference:
            data["payment_reference"] = reference
        _check_record(data)
        atomic_write(in_data(root, inv.path), dump(_ordered(data)))
        return {"number": number, "status": "paid", "paid_on": on, "payment_reference": reference}


def void(root: Path, number: str, reason: str, today: date, reissue: bool = False) -> dict:
    """Void ``number``: issue a credit note for it in full and mark it void
    (never deleted, never renumbered). With ``reissue``, also issue a fresh
    invoice for the same source from the data as it is now.

    The credit note is written first, then the invoice marked void, then any
    re-issue. Run again after an interruption, it finishes the job: it uses
    the credit note already written instead of issuing a second, and with
    ``reissue`` re-issues a void invoice that has no replacement yet."""
    from nesa_cli.finance.invoices import credit_note_record, live_by_source, next_number, plan
    from nesa_cli.finance.model import invoices

    root = Path(root)
    if not reason.strip():
        raise WriteRefused("give a reason for voiding the invoice (--reason)")

    def orphan_of(result):
        for other in invoices(result.model):
            if other.is_credit_note and other.credits == number:
                return other
        return None

    def ignorable(result, d) -> bool:
        """The error an interrupted void of this invoice leaves behind."""
        note = orphan_of(result)
        return d.rule == "invoice-credit" and note is not None and d.path == note.path

    with repo_lock(root):
        result = _load_checked(root, "voiding an invoice", finance_only=not reissue, ignore=ignorable)
        inv, data = _record_of(result, number)
        model = result.model
        if inv.is_credit_note:
            raise WriteRefused(f"{number} is a credit note; credit notes are not voided")
        if inv.status == "paid":
            raise WriteRefused(f"{number} was paid on {inv.paid_on}; a paid invoice is not voided (arrange a refund and record it in the finance year)")
        if today < inv.issued:
            raise WriteRefused(f"{number} was issued on {inv.issued}; it cannot be voided on an earlier date ({today})")
        replaced = any(i.replaces == number for i in invoices(model))
        if inv.status == "void" and not (reissue and not replaced and inv.source not in live_by_source(model)):
            raise WriteRefused(f"{number} is already void (credit note {inv.credit_note})")
        used = used_numbers(root)
        parsed = NUMBER.match(number)
        prefix, seq_year = parsed.group(1), int(parsed.group(2))
        credit = None
        if inv.status != "void":
            orphan = orphan_of(result)
            if orphan is not None:  # an interrupted void wrote the credit note already
                credit_number = orphan.number
            else:
                credit_number = next_number(prefix, seq_year, used)
                credit = _number_record(credit_number, credit_note_record(inv, number, today, reason))
                _check_record(credit)
                used.add(credit_number)
            data.update(status="void", voided_on=today, void_reason=reason, credit_note=credit_number)
            _check_record(data)
        else:
            credit_number = inv.credit_note
        new_record = None
        if reissue:
            fy = (model.other.get("finance-year") or {}).get(inv.year)
            if fy is None:
                raise WriteRefused(f"no finance data for {inv.year}, so {number} cannot be re-issued")
            drafts = plan(model, fy, today, only={inv.source}, skip=set())
            if not drafts:
                raise WriteRefused(f"{inv.source} is no longer due (not confirmed, or nothing to pay), so nothing is re-issued")
            new_number = next_number(prefix, seq_year, used)
            new_record = _ordered(_number_record(new_number, dict(drafts[0].record, replaces=number)))
            _check_record(new_record)
        if credit is not None:
            atomic_write(invoice_path(root, credit_number), dump(credit))
        if inv.status != "void":
            atomic_write(in_data(root, inv.path), dump(_ordered(data)))
        out = {"number": number, "status": "void", "credit_note": credit_number, "reason": data.get("void_reason", reason)}
        if new_record is not None:
            atomic_write(invoice_path(root, new_record["number"]), dump(new_record))
            out["reissued"] = new_record["number"]
        return out


ORDER = ("number", "type", "year", "source", "issued", "due", "from", "to", "po_reference", "lines", "vat", "totals", "terms",
         "payment", "notes", "status", "paid_on", "payment_reference", "part_payments", "voided_on", "void_reason", "credit_note", "credits", "replaces")


def _ordered(data: dict) -> dict:
    return {k: data[k] for k in ORDER if k in data} | {k: v for k, v in data.items() if k not in ORDER}
