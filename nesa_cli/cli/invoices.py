"""nesa invoices issue / list / show / render / pay / void."""

from __future__ import annotations

from typing import Optional

import typer

from nesa_cli.cli import app, common, files
from nesa_cli.cli.output import AT, CSV, NO_PAGER, WIDE, JSON, emit
from nesa_cli.cli.formats import FORMAT

# What listing, showing and rendering an invoice read: the fund holder (alliance), the schools billed and the
# invoice files (finance years for their lines). Only these are read, and the cross-file rules are not run:
# nesa validate reports them, and issuing an invoice still checks the whole repository first.
READS = {"alliance", "school", "finance-year", "invoice"}

invoices_app = typer.Typer(help="Invoices and credit notes: issue, list, show, render, record payments, void.", no_args_is_help=True)
app.add_typer(invoices_app, name="invoices")


def _date(text: str | None, option: str):
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise common.Misuse(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def _year(text: str) -> str:
    from nesa_cli.finance.model import normalise_year

    try:
        return normalise_year(text)
    except ValueError as exc:
        raise common.Misuse(str(exc)) from None


def _refused(exc) -> None:
    """A refused write: with diagnostics (the data has errors) exit 1; otherwise
    the request does not fit the invoice (already paid, void, no such year): exit 2."""
    if exc.diagnostics:
        common.print_diagnostics(exc.diagnostics, "text")
        common.fail(str(exc), code=common.DATA_ERRORS)
    raise common.Misuse(str(exc))


COMMIT = typer.Option(False, "--commit", help="Commit the invoice files written (only those) with a generated message.")
MESSAGE = typer.Option(None, "--message", "-m", help="Use this commit message instead of the generated one (with --commit).")


def _precommit(commit: bool, paths: list[str]) -> None:
    """Refuse before writing when --commit could not commit cleanly (exit 2)."""
    if not commit:
        return
    from nesa_cli.edit import git as gitops

    try:
        gitops.ready_to_commit(common.root(), paths)
    except gitops.GitError as exc:
        raise common.Misuse(str(exc)) from None


def _commit(commit: bool, paths: list[str], subject: str, command: str, message: str | None) -> None:
    """Commit exactly ``paths``; a failure after the files were written says so (exit 1)."""
    if not commit or not paths:
        return
    from nesa_cli.edit import git as gitops

    text = message or f"{subject}\n\n" + "".join(f"- {p}\n" for p in paths) + f"\nMade with: {command}\n"
    try:
        sha = gitops.commit(common.root(), sorted(paths), text)
    except gitops.GitError as exc:
        common.fail(f"written but NOT committed: {exc}", code=common.DATA_ERRORS)
    common.echo(f"committed {sha[:10]}: {text.splitlines()[0]}")


def _invoice_file(number: str) -> str:
    from nesa_cli.finance.issue import FOLDER
    from nesa_cli.store.paths import UnsafePath, check_id

    try:
        return f"{FOLDER}/{check_id(number, 'invoice')}.yaml"
    except UnsafePath as exc:
        raise common.Misuse(str(exc)) from None


def _find(model, number: str):
    from nesa_cli.finance.invoices import find

    inv = find(model, number)
    if inv is None:
        raise common.Misuse(f"no invoice {number!r}; see nesa invoices list")
    return inv


@invoices_app.command("issue")
def issue_cmd(
    year: str = typer.Argument(..., metavar="YEAR", help="Financial year, e.g. 2025-26."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be issued (with the numbers it would get); write nothing."),
    as_json: bool = JSON,
    commit: bool = COMMIT,
    message: Optional[str] = MESSAGE,
) -> None:
    """Issue invoices for confirmed contributions and due recharges and contracts not yet invoiced.

    Running it again issues nothing new; an interrupted run resumes. Refuses
    (exit 1) when the data has errors."""
    from nesa_cli.finance.contributions import FinanceError
    from nesa_cli.finance.issue import WriteRefused, issue

    label = _year(year)
    commit = commit and not dry_run
    _precommit(commit, [])
    try:
        with files.writing(common.root()):
            outcome = issue(common.root(), label, common.today(), dry_run)
    except WriteRefused as exc:
        _refused(exc)
    except FinanceError as exc:
        common.fail(str(exc), code=common.DATA_ERRORS)
    written = [i.path for i in outcome.issued] if not dry_run else []
    if as_json:
        from nesa_cli.jsonout import dumps

        common.echo(dumps(outcome.as_dict()))
        _commit(commit, written, f"{label}: issue {len(written)} invoices", f"nesa invoices issue {label}", message)
        return
    verb = "would issue" if dry_run else "issued"
    for i in outcome.issued:
        common.echo(f"{i.number}  {i.to:<45}  £{i.total:>10,.2f}  {i.source}")
    total = sum((i.total for i in outcome.issued), 0)
    common.echo(f"{label}: {verb} {len(outcome.issued)} invoice{'s' if len(outcome.issued) != 1 else ''} (£{total:,.2f}); "
                f"{outcome.already} already invoiced.")
    _commit(commit, written, f"{label}: issue {len(written)} invoice{'s' if len(written) != 1 else ''} (£{total:,.2f})",
            f"nesa invoices issue {label}", message)


@invoices_app.command("list")
def list_cmd(
    status: Optional[str] = typer.Option(None, "--status", help="issued (unpaid, overdue included), paid, void or overdue."),
    overdue: bool = typer.Option(False, "--overdue", help="Only issued invoices past their due date."),
    year: Optional[str] = typer.Option(None, "--year", help="Only this financial year, e.g. 2025-26."),
    school: Optional[str] = typer.Option(None, "--school", metavar="SCHOOL", help="Only invoices to or from this school (URN or a unique part of its name)."),
    at: Optional[str] = AT,
    as_json: bool = JSON,
    as_csv: bool = CSV, wide: bool = WIDE, no_pager: bool = NO_PAGER,
) -> None:
    """List invoices and credit notes with their status (overdue as of today)."""
    from nesa_cli.cli import vocab
    from nesa_cli.finance.invoices import STATUSES, listing

    status = vocab.choice(status, STATUSES, "--status")
    label = _year(year) if year else None
    result, day = common.loaded(at, kinds=READS)
    school = vocab.school_urn(result.model, school, "--school")
    emit(listing(result.model, day, status, overdue, label, school), as_json, as_csv)


@invoices_app.command("show")
def show_cmd(number: str = typer.Argument(..., help="Invoice number, e.g. NESA-2025-0001."), at: Optional[str] = AT,
             as_json: bool = JSON) -> None:
    """Show one invoice or credit note."""
    from nesa_cli.cli.output import record
    from nesa_cli.finance.invoices import as_dict

    result, day = common.loaded(at, kinds=READS)
    inv = _find(result.model, number)
    data = as_dict(inv, day)
    title = f"{'Credit note' if inv.is_credit_note else 'Invoice'} {inv.number}"
    record(data, title, as_json, schema="invoice.schema.json")


@invoices_app.command("render")
def render_cmd(
    number: Optional[str] = typer.Argument(None, help="Invoice number (or --all)."),
    all_: bool = typer.Option(False, "--all", help="Every invoice and credit note."),
    fmt: str = FORMAT("html", "pdf"),
    output: str = typer.Option(..., "-o", "--output", help="Folder to write <number>.html or <number>.pdf into."),
    at: Optional[str] = AT,
) -> None:
    """The invoice document (A4, HTML or PDF) from the record."""
    from pathlib import Path

    from nesa_cli.finance.invoices import document
    from nesa_cli.finance.model import invoices
    from nesa_cli.render import RenderError
    from nesa_cli.render.documents import render_document

    if fmt not in ("html", "pdf"):
        raise common.Misuse("--format must be html or pdf")
    if bool(number) == bool(all_):
        raise common.Misuse("name one invoice number, or --all")
    files.output_folder(output, make=False)
    result, day = common.loaded(at, kinds=READS)
    chosen = invoices(result.model) if all_ else [_find(result.model, number)]
    folder = files.output_folder(output)
    root = common.root()
    for inv in chosen:
        try:
            payload = render_document(root, result.model, "invoice", fmt, document(result.model, inv, day), day, files.pdf_warning)
        except RenderError as exc:
            raise common.Misuse(str(exc)) from None
        files.write(folder / f"{inv.number}.{fmt}", payload)
    common.echo(f"wrote {len(chosen)} file{'s' if len(chosen) != 1 else ''} to {folder}")


@invoices_app.command("pay")
def pay_cmd(
    number: str = typer.Argument(..., help="Invoice number."),
    on: str = typer.Option(..., "--date", metavar="YYYY-MM-DD", help="Date the payment was received."),
    reference: Optional[str] = typer.Option(None, "--reference", help="Remittance or bank reference."),
    amount: Optional[str] = typer.Option(None, "--amount", help="A part payment of this much (e.g. 1300.00); default: all that is owed."),
    commit: bool = COMMIT,
    message: Optional[str] = MESSAGE,
) -> None:
    """Record a payment: the invoice becomes paid on that date (with --amount less than it owes, a part payment:
    it stays issued, owing the rest)."""
    from nesa_cli.finance.issue import WriteRefused, pay

    when = _date(on, "--date")
    part = _amount(amount) if amount is not None else None
    path = _invoice_file(number)
    _precommit(commit, [path])
    try:
        with files.writing(common.root()):
            out = pay(common.root(), number, when, reference, part)
    except LookupError as exc:
        raise common.Misuse(str(exc.args[0])) from None
    except WriteRefused as exc:
        _refused(exc)
    said = (f"{out['number']} paid on {out['paid_on']}" if out["status"] == "paid"
            else f"{out['number']}: £{out['part_paid']:,.2f} received on {out['on']}; £{out['owed']:,.2f} still owed")
    common.echo(said)
    _commit(commit, [path], said, f"nesa invoices pay {number}", message)


def _amount(text: str):
    from nesa_cli.finance.money import MoneyError, money

    try:
        return money(text.strip().lstrip("£").replace(",", ""))
    except MoneyError as exc:
        raise common.Misuse(f"--amount: {exc}") from None


@invoices_app.command("void")
def void_cmd(
    number: str = typer.Argument(..., help="Invoice number."),
    reason: str = typer.Option(..., "--reason", help="Why the invoice is void (printed on the credit note)."),
    reissue: bool = typer.Option(False, "--reissue", help="Also issue a corrected invoice for the same thing from the data as it is now."),
    commit: bool = COMMIT,
    message: Optional[str] = MESSAGE,
) -> None:
    """Void an unpaid invoice: a credit note cancels it in full (nothing is deleted or renumbered)."""
    from nesa_cli.finance.contributions import FinanceError
    from nesa_cli.finance.issue import WriteRefused, void

    path = _invoice_file(number)
    _precommit(commit, [path])
    try:
        with files.writing(common.root()):
            out = void(common.root(), number, reason, common.today(), reissue)
    except LookupError as exc:
        raise common.Misuse(str(exc.args[0])) from None
    except WriteRefused as exc:
        _refused(exc)
    except FinanceError as exc:
        common.fail(str(exc), code=common.DATA_ERRORS)
    common.echo(f"{out['number']} void; credit note {out['credit_note']}" + (f"; re-issued as {out['reissued']}" if out.get("reissued") else ""))
    written = [path] + [_invoice_file(n) for n in (out.get("credit_note"), out.get("reissued")) if n]
    _commit(commit, written, f"{out['number']} void ({reason})", f"nesa invoices void {number}", message)
